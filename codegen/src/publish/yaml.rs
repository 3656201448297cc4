//! JSON values written as YAML that every YAML reader reads back as the same value.
//!
//! A general YAML serializer writes a string plainly whenever YAML 1.2 reads it back as a
//! string, but the readers other languages use are often YAML 1.1 (PyYAML, SnakeYAML):
//! there `yes`, `off`, `2014-05-12`, `12:30:00` or `1_000` are booleans, dates and
//! numbers. A published document must mean the same in every reader, so this writer
//! leaves a string plain only when it cannot be read as anything else under either
//! version, writes multi-line text as a literal block, and quotes everything else as
//! JSON does (JSON's escapes are YAML's).

use serde_json::{Map, Number, Value};
use std::fmt::Write;

/// `value` as a YAML document in block style, keys in the value's order.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => sequence(&mut out, items, 0),
        scalar => {
            out.push_str(&inline(scalar, 0));
            out.push('\n');
        }
    }
    out
}

const INDENT: usize = 2;

fn mapping(out: &mut String, map: &Map<String, Value>, indent: usize) {
    for (index, (key, value)) in map.iter().enumerate() {
        // The first entry of a mapping inside a sequence sits on the item's `- ` line.
        if index > 0 || out.is_empty() || out.ends_with('\n') {
            pad(out, indent);
        }
        out.push_str(&string(key, indent));
        out.push(':');
        entry(out, value, indent);
    }
}

fn sequence(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                out.push(' ');
                mapping(out, map, indent + INDENT);
            }
            _ => entry(out, item, indent),
        }
    }
}

/// What follows a `key:` or a `-`: a scalar on the same line, or a nested collection
/// on the lines below.
fn entry(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            mapping(out, map, indent + INDENT);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            sequence(out, items, indent + INDENT);
        }
        scalar => {
            out.push(' ');
            out.push_str(&inline(scalar, indent));
            out.push('\n');
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A scalar or an empty collection, as written after `key: ` at `indent`.
fn inline(value: &Value, indent: usize) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => self::number(number),
        Value::String(text) => string(text, indent),
        Value::Array(_) => "[]".to_owned(),
        Value::Object(_) => "{}".to_owned(),
    }
}

/// Integers as JSON writes them; floats with the `.` and the signed exponent YAML 1.1
/// needs to read them as floats (`1e30` is a string there, `1.0e+30` a float).
fn number(number: &Number) -> String {
    let text = number.to_string();
    if number.is_f64() {
        let (mantissa, exponent) = match text.split_once(['e', 'E']) {
            Some((mantissa, exponent)) => (mantissa, Some(exponent)),
            None => (text.as_str(), None),
        };
        let mut written = mantissa.to_owned();
        if !written.contains('.') {
            written.push_str(".0");
        }
        if let Some(exponent) = exponent {
            let signed = if exponent.starts_with(['+', '-']) {
                exponent.to_owned()
            } else {
                format!("+{exponent}")
            };
            write!(written, "e{signed}").expect("writing to a String cannot fail");
        }
        return written;
    }
    text
}

/// A string: plain when that is unambiguous, a literal block for multi-line text, and
/// double-quoted otherwise.
fn string(text: &str, indent: usize) -> String {
    if plain(text) {
        return text.to_owned();
    }
    if let Some(block) = literal_block(text, indent) {
        return block;
    }
    serde_json::to_string(text).expect("a string always serializes to JSON")
}

/// Words YAML 1.1 reads as booleans or null (YAML 1.2 reads a subset of them so).
const RESERVED: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
];

/// Whether `text` may be written without quotes: it starts with a letter, `_`, `/` or
/// `$` (so it is never a number, date, time, merge key or indicator), is one line of
/// ordinary characters, and is not a reserved word or a `: `/` #` that would split it.
fn plain(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || matches!(first, '_' | '/' | '$'))
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text
            .chars()
            .any(|c| c.is_control() || matches!(c, '"' | '\'' | '\\' | '`' | '\u{feff}'))
        && !RESERVED.contains(&text)
}

/// `text` as a literal block (`|`) indented below `indent`, when it has several lines
/// and a block can hold it exactly: no control characters but the line breaks, no
/// leading space on the first line (the block would need an indentation indicator), no
/// line of only spaces (the reader would take it for indentation).
fn literal_block(text: &str, indent: usize) -> Option<String> {
    let body = text.trim_end_matches('\n');
    let trailing = text.len() - body.len();
    if !body.contains('\n')
        || body.starts_with(' ')
        || body.chars().any(|c| c.is_control() && c != '\n')
        || body
            .split('\n')
            .any(|line| !line.is_empty() && line.trim_start_matches(' ').is_empty())
    {
        return None;
    }
    let chomping = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let mut block = format!("|{chomping}");
    let margin = " ".repeat(indent + INDENT);
    for line in body
        .split('\n')
        .chain(std::iter::repeat_n("", trailing.saturating_sub(1)))
    {
        block.push('\n');
        if !line.is_empty() {
            block.push_str(&margin);
            block.push_str(line);
        }
    }
    Some(block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reads_back(value: Value) {
        let yaml = to_string(&value);
        let read: Value =
            serde_yaml_ng::from_str(&yaml).unwrap_or_else(|error| panic!("{error} in\n{yaml}"));
        assert_eq!(read, value, "written as\n{yaml}");
    }

    #[test]
    fn strings_a_yaml_1_1_reader_would_misread_are_quoted() {
        for text in [
            "yes",
            "no",
            "on",
            "off",
            "y",
            "N",
            "~",
            "null",
            "1_000",
            "2014-05-12",
            "2014-05-12T22:23:07.727+00:00",
            "12:30:00",
            "190:20:30",
            "=",
            "<<",
            "0x1F",
            ".inf",
            "-.5",
            "+1",
            "0o17",
            "",
            " padded",
            "trailing ",
            "a: b",
            "a #b",
            "- item",
            "? key",
            "[flow]",
            "{flow}",
            "*alias",
            "&anchor",
            "!tag",
            "%directive",
            "@at",
            "`tick",
            "'single'",
            "\"double\"",
            "tab\there",
            "back\\slash",
        ] {
            let yaml = to_string(&json!({ "k": text }));
            assert!(
                !yaml.contains(&format!("k: {text}\n")) || text.is_empty(),
                "{text:?} was left plain:\n{yaml}"
            );
            reads_back(json!({ "k": text, text: [text] }));
        }
    }

    #[test]
    fn ordinary_words_paths_and_refs_stay_plain() {
        let yaml = to_string(&json!({
            "operationId": "getProfile",
            "$ref": "#/components/schemas/Profile",
            "path": "/users/xuid({xuid})",
            "title": "Azure DevOps Profiles API",
        }));
        assert!(yaml.contains("operationId: getProfile\n"), "{yaml}");
        assert!(yaml.contains("path: /users/xuid({xuid})\n"), "{yaml}");
        assert!(
            yaml.contains("title: Azure DevOps Profiles API\n"),
            "{yaml}"
        );
        // A `#` at the start of a plain scalar would begin a comment.
        assert!(
            yaml.contains("$ref: \"#/components/schemas/Profile\"\n"),
            "{yaml}"
        );
    }

    #[test]
    fn multi_line_text_is_a_literal_block_that_keeps_its_line_breaks() {
        for text in [
            "one\ntwo",
            "one\ntwo\n",
            "one\n\ntwo\n\n\n",
            "one\n  indented\n- item: x\n",
            "first\n \nspaces only",
            " leading\nspace",
        ] {
            reads_back(json!({ "description": text, "list": [text, { "d": text }] }));
        }
        let yaml = to_string(
            &json!({ "info": { "description": "Reads a profile.\n\n## Where\n- here\n" } }),
        );
        assert_eq!(
            yaml,
            "info:\n  description: |\n    Reads a profile.\n\n    ## Where\n    - here\n"
        );
    }

    #[test]
    fn numbers_nested_and_empty_collections_read_back() {
        reads_back(json!({
            "int": 18446744073709551615u64,
            "neg": -3,
            "float": 1.5,
            "big": 1e30,
            "small": 2.5e-8,
            "whole": 3.0,
            "flags": [true, false, null],
            "empty": {},
            "none": [],
            "nested": [[1, [2]], [], {}, { "a": { "b": [{ "c": 1, "d": [] }] } }],
            "200": { "description": "OK" },
        }));
        for (number, written) in [
            (json!(1e30), "1.0e+30"),
            (json!(2.5e-8), "2.5e-8"),
            (json!(3.0), "3.0"),
        ] {
            assert_eq!(inline(&number, 0), written);
        }
    }
}
