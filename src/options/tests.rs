//! Options and series rules as an embedder writes them, in JSON.

use super::*;

fn options(json: &str) -> ChartOptions {
    serde_json::from_str(json).unwrap()
}

#[test]
fn rules_apply_in_order_to_the_names_they_match() {
    let o = options(
        r##"{"series": [
            {"match": "custom.ecs.*.port.8080", "color": "#f00", "width": 2},
            {"match": "/^web-0[1-3]$/", "label": "front"},
            {"match": "web-02", "color": "#00ff00", "hidden": true},
            {"width": 3, "match": "web-03"}
        ]}"##,
    );
    let s = o.style_of(0, "custom.ecs.task-1.port.8080", None);
    assert_eq!((s.color, s.width), (Color(255, 0, 0), 2.0));
    let s = o.style_of(1, "custom.ecs.task-1.port.9090", None);
    assert_eq!((s.color.css().as_str(), s.width), ("#ff7f0e", 1.0));
    let s = o.style_of(2, "web-02", None);
    assert_eq!(
        (s.label.as_str(), s.color, s.hidden),
        ("front", Color(0, 255, 0), true)
    );
    let own = SeriesRule {
        color: Some(Color(1, 2, 3)),
        ..SeriesRule::default()
    };
    let s = o.style_of(3, "web-03", Some(&own));
    assert_eq!(
        (s.label.as_str(), s.width, s.color),
        ("front", 3.0, Color(1, 2, 3))
    );
    assert_eq!(o.style_of(4, "web-04", None).label, "web-04");
}

#[test]
fn bad_rules_are_refused_with_what_is_wrong() {
    for (json, words) in [
        (r#"{"series": [{"color": "red"}]}"#, "not #rgb or #rrggbb"),
        (r##"{"series": [{"color": "#12345"}]}"##, "not #rgb"),
        (r#"{"series": [{"width": 0}]}"#, "from 0.5 to 10"),
        (r#"{"series": [{"match": "/(/"}]}"#, "series match /(/"),
        (r##"{"series": [{"colour": "#fff"}]}"##, "unknown field"),
        (r#"{"colorBy": "hue"}"#, "unknown variant"),
    ] {
        let err = serde_json::from_str::<ChartOptions>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(words), "{json}: {err}");
    }
    let long = format!(r#"{{"series": [{{"match": "{}"}}]}}"#, "a".repeat(2_000));
    assert!(serde_json::from_str::<ChartOptions>(&long).is_err());
}

#[test]
fn by_name_a_series_keeps_its_colour_on_every_chart() {
    let o = options(r#"{"colorBy": "name"}"#);
    let first = o.style_of(0, "options-test-web-07", None).color;
    let other = o.style_of(5, "options-test-web-08", None).color;
    assert_ne!(first, other);
    assert_eq!(o.style_of(9, "options-test-web-07", None).color, first);
}
