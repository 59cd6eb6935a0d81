//! The TypeScript the package ships (src/web/types.d.ts) against the Rust
//! structs it describes: every interface names exactly the fields the Rust
//! side reads or writes, and every string literal it offers is one the Rust
//! side takes. A field added on one side only fails here.

use std::collections::BTreeSet;

use sabaplot::{
    Annotation, Axis, ChartOptions, Frame, GraphAnnotation, LegendEntry, NotLoaded, Progress,
    Readout, ReadoutRow, SeriesRule, Threshold, Unit,
};
use serde::Serialize;
use serde_json::{json, Value};

const TYPES: &str = include_str!("../src/web/types.d.ts");

/// Each interface's fields: name → TypeScript type.
fn interfaces() -> Vec<(String, Vec<(String, String)>)> {
    let without_comments = regex_lite::Regex::new(r"(?s)/\*.*?\*/")
        .unwrap()
        .replace_all(TYPES, "");
    let interface = regex_lite::Regex::new(r"(?s)export interface (\w+) \{(.*?)\n\}").unwrap();
    let field = regex_lite::Regex::new(r"^\s*(\w+)\??: (.+);$").unwrap();
    interface
        .captures_iter(&without_comments)
        .map(|c| {
            let fields = c[2]
                .lines()
                .filter_map(|line| field.captures(line))
                .map(|f| (f[1].to_string(), f[2].to_string()))
                .collect();
            (c[1].to_string(), fields)
        })
        .collect()
}

fn fields_of(name: &str) -> Vec<(String, String)> {
    interfaces()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no interface {name} in types.d.ts"))
        .1
}

/// The keys the Rust value serialises with.
fn keys(value: &impl Serialize) -> BTreeSet<String> {
    match serde_json::to_value(value).unwrap() {
        Value::Object(map) => map.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

fn assert_same_fields(name: &str, value: &impl Serialize) {
    let ts: BTreeSet<String> = fields_of(name).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        ts,
        keys(value),
        "{name}: TypeScript (left) against Rust (right)"
    );
}

/// The string literals of a TypeScript union type.
fn literals(ts_type: &str) -> Vec<String> {
    regex_lite::Regex::new(r#""([^"]*)""#)
        .unwrap()
        .captures_iter(ts_type)
        .map(|c| c[1].to_string())
        .collect()
}

#[test]
fn every_interface_names_the_fields_of_its_rust_struct() {
    let options = ChartOptions::default();
    assert_same_fields("ChartOptions", &options);
    assert_same_fields("Axis", &Axis::default());
    assert_same_fields("SeriesRule", &SeriesRule::default());
    let threshold: Threshold = serde_json::from_value(json!({"value": 1})).unwrap();
    assert_same_fields("Threshold", &threshold);
    let annotation: Annotation = serde_json::from_value(json!({"from": 0, "to": 1})).unwrap();
    assert_same_fields("Annotation", &annotation);
    let graph: GraphAnnotation =
        serde_json::from_value(json!({"from": 0, "to": 1, "title": "t"})).unwrap();
    assert_same_fields("GraphAnnotation", &graph);
    let spans: NotLoaded = serde_json::from_value(json!({"from": 0, "to": 1})).unwrap();
    assert_same_fields("NotLoaded", &spans);
    assert_same_fields("Progress", &Progress::default());
    assert_same_fields("Frame", &Frame::default());
    let row = ReadoutRow {
        name: String::new(),
        color: String::new(),
        time: 0.0,
        value: None,
        label: String::new(),
    };
    assert_same_fields("ReadoutRow", &row);
    let readout = Readout {
        time: 0.0,
        time_label: String::new(),
        rows: vec![],
        more: 0,
    };
    assert_same_fields("Readout", &readout);
    let entry = LegendEntry {
        name: String::new(),
        label: String::new(),
        color: String::new(),
        visible: true,
        count: 0,
        min: None,
        avg: None,
        max: None,
        last: None,
        summary: String::new(),
    };
    assert_same_fields("LegendEntry", &entry);
}

#[test]
fn every_string_the_types_offer_is_one_the_options_take() {
    let unit = regex_lite::Regex::new(r"(?s)export type Unit = (.*?);").unwrap();
    let units = literals(&unit.captures(TYPES).unwrap()[1]);
    assert!(units.len() >= 9);
    for u in &units {
        serde_json::from_value::<Unit>(json!(u)).unwrap_or_else(|e| panic!("unit {u}: {e}"));
    }
    type Parse = fn(Value) -> Result<(), String>;
    let checks: [(&str, Parse); 3] = [
        ("ChartOptions", |v| {
            serde_json::from_value::<ChartOptions>(v)
                .map(drop)
                .map_err(|e| e.to_string())
        }),
        ("SeriesRule", |v| {
            serde_json::from_value::<SeriesRule>(v)
                .map(drop)
                .map_err(|e| e.to_string())
        }),
        ("Axis", |v| {
            serde_json::from_value::<Axis>(v)
                .map(drop)
                .map_err(|e| e.to_string())
        }),
    ];
    let mut tried = 0;
    for (name, parse) in checks {
        for (field, ts_type) in fields_of(name) {
            if field == "match" || field == "locale" {
                continue; // any string: a pattern, a language tag
            }
            for literal in literals(&ts_type) {
                parse(json!({ field.clone(): literal }))
                    .unwrap_or_else(|e| panic!("{name}.{field} = {literal:?}: {e}"));
                tried += 1;
            }
        }
    }
    assert!(tried >= 15, "{tried} literals");
}
