//! A fast path for the usual form of a Mackerel metrics answer,
//! `{"metrics":[{"time":…,"value":…},…]}` with no spaces: one pass over the
//! bytes straight into the two columns. At the first byte that differs from
//! that form it gives up, and the general parser reads the body instead, so
//! what is accepted and the errors given do not change.

/// The times and values of a body in the usual form, or None.
pub(super) fn metrics(body: &[u8]) -> Option<(Vec<f64>, Vec<f64>)> {
    let mut rest = body.strip_prefix(b"{\"metrics\":[")?;
    // About 32 bytes a point; the hint only saves regrowing.
    let hint = (body.len() / 32).min(1 << 20);
    let (mut times, mut values) = (Vec::with_capacity(hint), Vec::with_capacity(hint));
    if let Some(after) = rest.strip_prefix(b"]") {
        rest = after;
    } else {
        loop {
            let (time, after) = number(rest.strip_prefix(b"{\"time\":")?)?;
            rest = after.strip_prefix(b",\"value\":")?;
            let (value, after) = match rest.strip_prefix(b"null") {
                Some(after) => (f64::NAN, after),
                None => number(rest)?,
            };
            times.push(time);
            values.push(value);
            rest = after.strip_prefix(b"}")?;
            match rest.split_first()? {
                (b',', after) => rest = after,
                (b']', after) => {
                    rest = after;
                    break;
                }
                _ => return None,
            }
        }
    }
    let rest = rest.strip_prefix(b"}")?;
    rest.iter()
        .all(u8::is_ascii_whitespace)
        .then_some((times, values))
}

/// A finite JSON number at the start of `bytes`, and what follows it.
fn number(bytes: &[u8]) -> Option<(f64, &[u8])> {
    let len = json_number_len(bytes)?;
    let (text, rest) = bytes.split_at(len);
    // The grammar is checked above; the standard parser rounds correctly.
    let value: f64 = std::str::from_utf8(text).ok()?.parse().ok()?;
    value.is_finite().then_some((value, rest))
}

/// The length of the JSON number (RFC 8259: `-? (0 | [1-9][0-9]*)
/// (. [0-9]+)? ([eE] [+-]? [0-9]+)?`) at the start of `bytes`, or None
/// when none starts there. What a general JSON parser refuses (`01`,
/// `1.`, `.5`, `+1`, `-`) this refuses too, so whether a body is accepted
/// never depends on which path reads it.
fn json_number_len(bytes: &[u8]) -> Option<usize> {
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut at = usize::from(bytes.first() == Some(&b'-'));
    match bytes.get(at)? {
        b'0' => at += 1,
        b'1'..=b'9' => at += digits(at),
        _ => return None,
    }
    if bytes.get(at) == Some(&b'.') {
        let n = digits(at + 1);
        if n == 0 {
            return None;
        }
        at += 1 + n;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let n = digits(at);
        if n == 0 {
            return None;
        }
        at += n;
    }
    // A number runs to a delimiter: "01" is not "0" followed by "1".
    match bytes.get(at) {
        Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') => None,
        _ => Some(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Rng;

    #[test]
    fn the_usual_form_is_read_and_anything_else_is_left_to_the_general_parser() {
        let (t, v) =
            metrics(br#"{"metrics":[{"time":60,"value":1.5},{"time":120,"value":null}]}"#).unwrap();
        assert_eq!(t, [60.0, 120.0]);
        assert_eq!(v[0], 1.5);
        assert!(v[1].is_nan());
        assert_eq!(metrics(b"{\"metrics\":[]}\n").unwrap().0.len(), 0);
        for other in [
            &br#"{"metrics": [{"time":60,"value":1}]}"#[..],
            br#"{"metrics":[{"value":1,"time":60}]}"#,
            br#"{"metrics":[{"time":60,"value":1e999}]}"#,
            br#"{"metrics":[{"time":60,"value":.5}]}"#,
            // Numbers the general parser refuses, refused here too.
            br#"{"metrics":[{"time":01,"value":1e-320}]}"#,
            br#"{"metrics":[{"time":060,"value":1}]}"#,
            br#"{"metrics":[{"time":60,"value":1.}]}"#,
            br#"{"metrics":[{"time":60,"value":-01}]}"#,
            br#"{"metrics":[{"time":60,"value":+1}]}"#,
            br#"{"metrics":[{"time":60,"value":1e}]}"#,
            br#"{"metrics":[{"time":60,"value":1e+}]}"#,
            br#"{"metrics":[{"time":60,"value":-}]}"#,
            br#"{"metrics":[{"time":60,"value":1.5.5}]}"#,
            br#"{"metrics":[{"time":60,"value":1-2}]}"#,
            br#"{"metrics":[{"time":60,"value":"1"}]}"#,
            br#"{"metrics":[{"time":60,"value":1}],"x":1}"#,
            br#"{"metrics":[{"time":60,"value":1}"#,
            br#"{"error":{"message":"Host Not Found."}}"#,
            b"<!DOCTYPE html>",
            b"",
        ] {
            assert!(
                metrics(other).is_none(),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
    }

    /// The general parser's reading of a metrics body, as columns.
    fn general(body: &[u8]) -> Option<(Vec<f64>, Vec<f64>)> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct General {
            metrics: super::super::Columns<super::super::mackerel::Point>,
        }
        let general: General = serde_json::from_slice(body).ok()?;
        Some((general.metrics.times, general.metrics.values))
    }

    /// Values as bits, every gap alike, so columns compare exactly.
    fn bits(values: &[f64]) -> Vec<u64> {
        values
            .iter()
            .map(|x| if x.is_nan() { 0 } else { x.to_bits() })
            .collect()
    }

    #[test]
    fn whatever_the_fast_path_accepts_the_general_parser_reads_the_same() {
        const BYTES: &[u8] = b"0123456789.-+eE,:{}[]\" nul\\";
        let mut rng = Rng(7);
        for _ in 0..200_000 {
            let mut body =
                br#"{"metrics":[{"time":60,"value":1.5},{"time":120,"value":null}]}"#.to_vec();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(body.len() + 1);
                let byte = BYTES[rng.below(BYTES.len())];
                match rng.below(3) {
                    0 => body.insert(at, byte),
                    1 if at < body.len() => body[at] = byte,
                    _ if at < body.len() => drop(body.remove(at)),
                    _ => {}
                }
            }
            if let Some((times, values)) = metrics(&body) {
                let (g_times, g_values) =
                    general(&body).unwrap_or_else(|| panic!("{}", String::from_utf8_lossy(&body)));
                assert_eq!(times, g_times, "{}", String::from_utf8_lossy(&body));
                assert_eq!(bits(&values), bits(&g_values));
            }
        }
    }

    #[test]
    fn the_fast_path_gives_the_same_series_as_the_general_parser() {
        let mut rng = Rng(42);
        for _ in 0..200 {
            let n = rng.below(300);
            let mut body = String::from(r#"{"metrics":["#);
            for i in 0..n {
                if i > 0 {
                    body.push(',');
                }
                let t = 1_700_000_000 + 60 * i as i64;
                let value = match rng.below(4) {
                    0 => "null".to_string(),
                    1 => format!("{:.3}", (rng.next() % 100_000) as f64 / 7.0),
                    2 => format!("{}", f64::from_bits(rng.next() >> 2) * 1e-300),
                    _ => format!("-{}", rng.next() % 1_000_000_007),
                };
                body.push_str(&format!(r#"{{"time":{t},"value":{value}}}"#));
            }
            body.push_str("]}");
            let fast = metrics(body.as_bytes()).expect("the usual form");
            let general = general(body.as_bytes()).expect("a metrics body");
            assert_eq!(fast.0, general.0);
            assert_eq!(bits(&fast.1), bits(&general.1), "{body}");
        }
    }
}
