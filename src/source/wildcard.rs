//! Mackerel-style metric-name patterns: `*` (or `#`) stands for one whole
//! dot-separated segment, so `custom.ecs.*.port.*` picks every task's every
//! port, and never a name with more or fewer segments.

/// True when `name` matches `pattern` segment by segment.
pub fn matches(pattern: &str, name: &str) -> bool {
    let mut names = name.split('.');
    for part in pattern.split('.') {
        let Some(segment) = names.next() else {
            return false;
        };
        let wild = part == "*" || part == "#";
        if (wild && !is_segment(segment)) || (!wild && part != segment) {
            return false;
        }
    }
    names.next().is_none()
}

/// What a wildcard segment may stand for: letters, digits, `-` and `_`.
fn is_segment(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The names that match `pattern`, in their order.
pub fn select<'a>(pattern: &str, names: &'a [String]) -> Vec<&'a str> {
    names
        .iter()
        .map(String::as_str)
        .filter(|n| matches(pattern, n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_stands_for_exactly_one_whole_segment() {
        let pattern = "custom.ecs.*.port.*";
        assert!(matches(pattern, "custom.ecs.api-1.port.8080"));
        assert!(matches(pattern, "custom.ecs.worker_2.port.9090"));
        assert!(
            !matches(pattern, "custom.ecs.api-1.port"),
            "too few segments"
        );
        assert!(
            !matches(pattern, "custom.ecs.api-1.port.8080.open"),
            "too many"
        );
        assert!(!matches(pattern, "custom.ecs.api-1.ports.8080"));
        assert!(
            !matches(pattern, "custom.ecs..port.8080"),
            "an empty segment"
        );
        assert!(!matches(pattern, "custom.ecs.a b.port.1"));
        assert!(matches("custom.#.count", "custom.jobs.count"));
        assert!(matches("loadavg5", "loadavg5"));
        assert!(!matches("loadavg5", "loadavg15"));
    }

    #[test]
    fn selection_keeps_the_order_of_the_names() {
        let names: Vec<String> = ["custom.a.x", "loadavg5", "custom.b.x", "custom.b.y"]
            .map(String::from)
            .to_vec();
        assert_eq!(select("custom.*.x", &names), ["custom.a.x", "custom.b.x"]);
        assert!(select("nothing.*", &names).is_empty());
    }
}
