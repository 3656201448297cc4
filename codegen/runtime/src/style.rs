//! How a parameter's `style` writes a value or an array as text, and how that text is
//! read back: the one rule for styled path values and for arrays in the path, the query
//! and headers, shared by generated clients and servers.
//!
//! Items are written with [`crate::ParamValue`] and percent-encoded where they travel
//! (path and query), so that a separator inside an item is encoded and only the style's
//! own separators stand literal, as RFC 6570 (which OpenAPI's styles follow) writes them.
//!
//! A server reads a path value the same way: split at its literal separators, then each
//! item decoded, so that `a%2Cb` is one item holding a comma. (The one separator a value
//! cannot hide is `.` in an exploded `label` array: `.` is unreserved, never encoded.)
//! A query value is read decoded first, then split, as most servers do: many clients
//! join an array themselves and let their URL library encode the commas, and they mean
//! them as separators. An item holding its query style's separator cannot be read back
//! whole; such items need the exploded form.

use crate::encoding::{decode, encode_path_value, encode_query_value};

/// A parameter's style (OpenAPI's `style`; `deepObject` has its own functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `a,b,c`: the default of path and header parameters.
    Simple,
    /// `.a.b.c` (exploded) or `.a,b,c`, in the path.
    Label,
    /// `;id=a;id=b` (exploded) or `;id=a,b`, in the path.
    Matrix,
    /// `id=a&id=b` (exploded) or `id=a,b`: the default of query parameters.
    Form,
    /// `id=a%20b%20c`, an array in the query.
    SpaceDelimited,
    /// `id=a|b|c`, an array in the query.
    PipeDelimited,
}

impl Style {
    /// The separator of the items of an array that is not exploded, as read once decoded.
    fn separator(self) -> char {
        match self {
            Style::SpaceDelimited => ' ',
            Style::PipeDelimited => '|',
            Style::Simple | Style::Label | Style::Matrix | Style::Form => ',',
        }
    }

    /// The separator as written in a query, where a space is `%20`.
    fn query_separator(self) -> &'static str {
        match self {
            Style::SpaceDelimited => "%20",
            Style::PipeDelimited => "|",
            Style::Simple | Style::Label | Style::Matrix | Style::Form => ",",
        }
    }
}

/// The path text of the parameter `name` holding `items` (each its parameter text), in
/// `style`, percent-encoded: `a,b` (simple), `.a.b` or `.a,b` (label), `;id=a;id=b` or
/// `;id=a,b` (matrix). A single value is written as an array of one item.
pub fn write_path(name: &str, style: Style, explode: bool, items: &[String]) -> String {
    let encoded: Vec<String> = items.iter().map(|item| encode_path_value(item)).collect();
    match style {
        Style::Label if explode => format!(".{}", encoded.join(".")),
        Style::Label => format!(".{}", encoded.join(",")),
        Style::Matrix => {
            let name = encode_path_value(name);
            match &encoded[..] {
                // An empty array keeps its name, so that it is told from an absent one.
                [] => format!(";{name}"),
                _ if explode => encoded
                    .iter()
                    .map(|item| format!(";{name}={item}"))
                    .collect(),
                _ => format!(";{name}={}", encoded.join(",")),
            }
        }
        Style::Simple | Style::Form | Style::SpaceDelimited | Style::PipeDelimited => {
            encoded.join(",")
        }
    }
}

/// Reads the raw (still percent-encoded) path text of the parameter `name` written in
/// `style`: its items, each decoded (one for a single value, when `list` is false), or
/// what is wrong with it.
pub fn read_path(
    name: &str,
    style: Style,
    explode: bool,
    list: bool,
    raw: &str,
) -> Result<Vec<String>, String> {
    let decoded = |raw: &str| decode(raw).map_err(|error| error.to_string());
    let split = |raw: &str, separator: char| -> Result<Vec<String>, String> {
        match (list, raw) {
            (false, _) => Ok(vec![decoded(raw)?]),
            (true, "") => Ok(Vec::new()),
            (true, _) => raw.split(separator).map(decoded).collect(),
        }
    };
    match style {
        Style::Label => {
            let rest = raw.strip_prefix('.').ok_or_else(|| {
                format!("expected `.` before the value (style: label), found {raw:?}")
            })?;
            split(rest, if explode { '.' } else { ',' })
        }
        Style::Matrix if explode && list => read_matrix(name, true, raw)?
            .iter()
            .map(|value| decoded(value))
            .collect(),
        // One `;name=value`: the value is split like a simple one.
        Style::Matrix => match read_matrix(name, false, raw)?.first() {
            Some(value) => split(value, ','),
            None => Ok(Vec::new()),
        },
        Style::Simple | Style::Form | Style::SpaceDelimited | Style::PipeDelimited => {
            split(raw, ',')
        }
    }
}

/// The raw values of the `;name=value` pieces of a raw matrix text: every piece when
/// `repeated`, else exactly one. `;name` alone stands for an empty array (no value when
/// repeated, one empty value otherwise).
fn read_matrix(name: &str, repeated: bool, raw: &str) -> Result<Vec<String>, String> {
    let expected = || format!("expected `;{name}=value` (style: matrix), found {raw:?}");
    let pieces: Vec<&str> = raw
        .strip_prefix(';')
        .ok_or_else(expected)?
        .split(';')
        .collect();
    if !repeated && pieces.len() != 1 {
        return Err(expected());
    }
    let named = |key: &str| decode(key).is_ok_and(|key| key == name);
    let mut values = Vec::new();
    for piece in pieces {
        match piece.split_once('=') {
            Some((key, value)) if named(key) => values.push(value.to_owned()),
            None if named(piece) => {
                if !repeated {
                    values.push(String::new());
                }
            }
            _ => return Err(expected()),
        }
    }
    Ok(values)
}

/// The query value of an array that is not exploded: its items (each its parameter text)
/// encoded, joined by the style's separator (`a,b`, `a%20b`, `a|b`).
pub fn write_query_value(style: Style, items: &[String]) -> String {
    let encoded: Vec<String> = items.iter().map(|item| encode_query_value(item)).collect();
    encoded.join(style.query_separator())
}

/// The items of the decoded query value of an array that is not exploded (`name=` is
/// an empty array).
pub fn read_query_value(style: Style, text: &str) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split(style.separator()).map(str::to_owned).collect()
}

/// The value of a header holding `items` (`style: simple`): `a,b,c`. `None` when an
/// item holds a comma, which would read back as two.
pub fn write_header(items: &[String]) -> Option<String> {
    if items.iter().any(|item| item.contains(',')) {
        return None;
    }
    Some(items.join(","))
}

/// The items of the header lines `values` of an array (`style: simple`): every line's
/// comma-separated items, white space around each trimmed (HTTP lists allow it, and
/// several lines of one header are one list, RFC 9110 §5.3). An empty value is an empty
/// array.
pub fn read_header<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    values
        .into_iter()
        .filter(|value| !value.trim().is_empty())
        .flat_map(|value| value.split(','))
        .map(|item| item.trim().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------
// style: deepObject, `name[key]=value` pairs, in the query and in form bodies

// Writing is ours, reading is `serde_qs`'s. `serde_qs` (maintained, the bracket syntax of
// JavaScript's `qs` and Rack) reads nested objects, maps and indexed arrays
// (`items[0][price]=x`), `name[]=a` lists and repeated keys into typed values, reading
// numbers and booleans from their text. Its writer does not fit: it leaves brackets
// unencoded (some proxies refuse them), cannot write one field as repeated keys and the
// next in brackets as a form body's `encoding` asks, and writes `null`s. So the pairs
// below are written here, and what a server receives is rewritten into `serde_qs`'s own
// syntax (only the brackets between keys literal) before it decodes them.

/// Appends the `prefix[key]=value` pairs of `value` to `pairs`; `prefix` is already
/// encoded. An object's members are `prefix[key]`, an array's items `prefix[0]`, a
/// scalar is `prefix=value` (Stripe's `created=3` as well as `created[gt]=3`); nulls are
/// left out.
#[cfg(feature = "client")]
pub(crate) fn deep_object_pairs(prefix: &str, value: &serde_json::Value, pairs: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Object(members) => {
            for (key, member) in members {
                let prefix = format!("{prefix}%5B{}%5D", encode_query_value(key));
                deep_object_pairs(&prefix, member, pairs);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                deep_object_pairs(&format!("{prefix}%5B{index}%5D"), item, pairs);
            }
        }
        Value::String(text) => pairs.push(format!("{prefix}={}", encode_query_value(text))),
        // A number's JSON text may hold `+` (`1e+30`), which a query would read as a space.
        scalar => pairs.push(format!(
            "{prefix}={}",
            encode_query_value(&scalar.to_string())
        )),
    }
}

/// The fields of a form body whose members may nest (`application/x-www-form-urlencoded`
/// with `encoding` style `deepObject`, as Stripe sends every object and array): each
/// member of `body` (a JSON object) in `name[key]=value` pairs, except the arrays of
/// scalars named in `repeated` (the default `style: form, explode: true`), one `name=item`
/// field per item.
#[cfg(feature = "client")]
pub(crate) fn nested_form_pairs(
    body: &serde_json::Value,
    repeated: &[&str],
) -> Result<Vec<String>, String> {
    use serde_json::Value;
    let Value::Object(members) = body else {
        return Err("the body is not an object, so it has no form fields".to_owned());
    };
    let mut pairs = Vec::new();
    for (key, member) in members {
        let name = encode_query_value(key);
        match member {
            Value::Array(items) if repeated.contains(&key.as_str()) => {
                for item in items {
                    deep_object_pairs(&name, item, &mut pairs);
                }
            }
            member => deep_object_pairs(&name, member, &mut pairs),
        }
    }
    Ok(pairs)
}

/// How many brackets deep a server reads a deepObject value or nested form field.
#[cfg(feature = "server")]
const MAX_DEPTH: usize = 16;

/// Decodes `serde_qs` pairs (see [`qs_pair`]) into `T`, naming the member at fault in an
/// error (`` `filter[minStock]`: invalid digit found in string ``). With a `parameter`,
/// `T` is a map holding it under one key, which the error names by the parameter's name.
#[cfg(feature = "server")]
fn decode_qs<T: serde::de::DeserializeOwned>(
    pairs: &str,
    parameter: Option<&str>,
) -> Result<T, String> {
    // A member given twice is ambiguous: refuse it rather than keep one silently (an
    // array may still be given as repeated keys).
    // Stripe's bodies nest five keys deep (`items[0][price_data][recurring][interval]`),
    // `serde_qs`'s default depth; deeper keys would be read as one key.
    let config = serde_qs::Config::new()
        .duplicate_key_behavior(serde_qs::DuplicateKeyBehavior::Error)
        .max_depth(MAX_DEPTH);
    let deserializer = serde_qs::Deserializer::with_config(config, pairs.as_bytes())
        .map_err(|error| error.to_string())?;
    let strict = serde_path_to_error::deserialize(deserializer);
    // A union (`oneOf`/`anyOf`, untagged) is read from a buffer of what `serde_qs`
    // found, where every leaf is text, so no alternative holding a number or a boolean
    // could match: Stripe's `created=3` (an integer or a range) and `created[gt]=3`. Such
    // values are read again from the same pairs as JSON, a leaf that reads as a number
    // or a boolean taken as one. The first error stands when that fails too.
    let strict = strict.or_else(|error| {
        serde_qs::Deserializer::with_config(config, pairs.as_bytes())
            .and_then(serde::Deserialize::deserialize)
            .ok()
            .and_then(|value: serde_json::Value| serde_json::from_value(guessed(value)).ok())
            .ok_or(error)
    });
    strict.map_err(|error| {
        let mut segments: Vec<String> = error
            .path()
            .iter()
            .map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => index.to_string(),
                other => other.to_string(),
            })
            .collect();
        if let Some(name) = parameter
            && let Some(first) = segments.first_mut()
        {
            name.clone_into(first);
        }
        let member = match segments.split_first() {
            None => String::new(),
            Some((first, rest)) => rest.iter().fold(first.clone(), |member, segment| {
                format!("{member}[{segment}]")
            }),
        };
        let inner = error.into_inner();
        if member.is_empty() {
            inner.to_string()
        } else {
            format!("`{member}`: {inner}")
        }
    })
}

/// `value` (read from text) with its leaves that read as numbers or booleans taken as
/// such, and its objects of keys `0`, `1`, ... taken as arrays.
#[cfg(feature = "server")]
fn guessed(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(text) => match text.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => serde_json::from_str::<serde_json::Number>(&text)
                .map_or(Value::String(text), Value::Number),
        },
        Value::Object(members) => {
            let indexed = !members.is_empty()
                && members
                    .keys()
                    .enumerate()
                    .all(|(i, key)| key.parse::<usize>() == Ok(i));
            if indexed {
                Value::Array(members.into_iter().map(|(_, v)| guessed(v)).collect())
            } else {
                Value::Object(members.into_iter().map(|(k, v)| (k, guessed(v))).collect())
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(guessed).collect()),
        other => other,
    }
}

/// Rewrites a decoded pair (`items[0][price]`, `a b`) as a `serde_qs` pair, each key
/// encoded so that only the brackets between keys are structure (`items[0][price]=a%20b`).
/// `None` when the brackets do not pair up or one is empty: `name[]` would let a list
/// fill a struct's fields by position, so items are indexed (`name[0]`).
#[cfg(feature = "server")]
fn qs_pair(key: &str, value: &str) -> Option<String> {
    let (first, path) = match key.split_once('[') {
        None => (key, None),
        Some((first, path)) => (first, Some(path.strip_suffix(']')?)),
    };
    if first.is_empty() || first.contains(']') {
        return None;
    }
    let mut pair = encode_query_value(first);
    for inner in path.map(|path| path.split("][")).into_iter().flatten() {
        if inner.is_empty() || inner.contains(['[', ']']) {
            return None;
        }
        pair.push('[');
        pair.push_str(&encode_query_value(inner));
        pair.push(']');
    }
    pair.push('=');
    pair.push_str(&encode_query_value(value));
    Some(pair)
}

/// Decodes the decoded `pairs` of a form body whose fields may nest (see
/// [`nested_form_pairs`]) into `T`: `name[key]=value` members, `name[0]` items and
/// repeated `name=item` fields alike.
#[cfg(feature = "server")]
pub(crate) fn decode_nested_form<T: serde::de::DeserializeOwned>(
    pairs: &[(String, String)],
) -> Result<T, String> {
    let written: Option<Vec<String>> = pairs.iter().map(|(k, v)| qs_pair(k, v)).collect();
    let written = written.ok_or_else(|| {
        "a field name's brackets do not pair up or are empty (expected `name[key]`, `name[key][inner]` or `name[0]`)"
            .to_owned()
    })?;
    decode_qs(&written.join("&"), None)
}

/// The members of an object of scalars (`style: form` in the query), each as its text:
/// strings as they are, numbers and booleans as their JSON text; null members left out.
/// With `repeated`, an array of scalars is one pair per item (`colors=red&colors=blue`).
#[cfg(feature = "client")]
pub(crate) fn form_object_members(
    value: &serde_json::Value,
    repeated: bool,
) -> Result<Vec<(String, String)>, String> {
    use serde_json::Value;
    let scalar = |value: &Value| match value {
        Value::String(text) => Some(text.clone()),
        Value::Bool(_) | Value::Number(_) => Some(value.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    };
    let Value::Object(members) = value else {
        return Err("it is not an object".to_owned());
    };
    let mut written = Vec::new();
    for (key, member) in members {
        match member {
            Value::Null => {}
            Value::Array(items) if repeated => {
                for item in items {
                    let text = scalar(item)
                        .ok_or_else(|| format!("an item of its member `{key}` is not a scalar"))?;
                    written.push((key.clone(), text));
                }
            }
            member => {
                let text =
                    scalar(member).ok_or_else(|| format!("its member `{key}` is not a scalar"))?;
                written.push((key.clone(), text));
            }
        }
    }
    Ok(written)
}

/// Decodes an object in the query in `style: form` from the decoded query `pairs`:
/// exploded, the pairs named by `members` (`R=100&G=200`); not exploded, the one value of
/// `name`, keys and values alternating (`name=R,100,G,200`). `None` when absent.
#[cfg(feature = "server")]
pub(crate) fn decode_form_object<T: serde::de::DeserializeOwned>(
    name: &str,
    explode: bool,
    members: &[&str],
    pairs: &[(String, String)],
) -> Option<Result<T, String>> {
    let written: Vec<String> = if explode {
        pairs
            .iter()
            .filter(|(key, _)| members.contains(&key.as_str()))
            .map(|(key, value)| {
                format!("{}={}", encode_query_value(key), encode_query_value(value))
            })
            .collect()
    } else {
        let mut values = pairs.iter().filter(|(key, _)| key == name);
        let (_, value) = values.next()?;
        if values.next().is_some() {
            return Some(Err("given more than once".to_owned()));
        }
        let items: Vec<String> = if value.is_empty() {
            Vec::new()
        } else {
            value.split(',').map(str::to_owned).collect()
        };
        return Some(decode_form_items(name, &items));
    };
    if explode && written.is_empty() {
        return None;
    }
    Some(decode_qs(&written.join("&"), None))
}

/// Decodes an object not exploded from its `items` (decoded): keys and values
/// alternating (`name=R,100,G,200` in the query or a cookie, `R,100,G,200` in a header
/// or a path segment).
#[cfg(feature = "server")]
pub(crate) fn decode_form_items<T: serde::de::DeserializeOwned>(
    name: &str,
    items: &[String],
) -> Result<T, String> {
    if items.len() % 2 == 1 {
        return Err(format!(
            "expected keys and values alternating (`{name}`: `key,value,key,value`), found an odd number of items"
        ));
    }
    let pairs: Vec<(String, String)> = items
        .chunks(2)
        .map(|pair| (pair[0].clone(), pair[1].clone()))
        .collect();
    decode_pairs(&pairs)
}

/// Decodes an object of scalars from its decoded `(key, value)` members, numbers and
/// booleans read from their text.
#[cfg(feature = "server")]
fn decode_pairs<T: serde::de::DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, String> {
    let written: Vec<String> = pairs
        .iter()
        .map(|(key, value)| format!("{}={}", encode_query_value(key), encode_query_value(value)))
        .collect();
    decode_qs(&written.join("&"), None)
}

// ---------------------------------------------------------------------------------------
// Objects of scalars in a path segment or a header (OpenAPI's style table): `simple`
// `R,100,G,200` or exploded `R=100,G=200`; `label` `.R,100,G,200` or `.R=100.G=200`;
// `matrix` `;color=R,100,G,200` or `;R=100;G=200`.

/// The path text of the object parameter `name` holding `members` (each its text), in
/// `style` (`simple`, `label` or `matrix`), every key and value percent-encoded so that
/// only the style's own separators stand literal.
pub fn write_path_object(
    name: &str,
    style: Style,
    explode: bool,
    members: &[(String, String)],
) -> String {
    let encoded: Vec<(String, String)> = members
        .iter()
        .map(|(key, value)| (encode_path_value(key), encode_path_value(value)))
        .collect();
    if !explode {
        let items: Vec<String> = encoded.into_iter().flat_map(|(k, v)| [k, v]).collect();
        return match style {
            Style::Label => format!(".{}", items.join(",")),
            Style::Matrix => format!(";{}={}", encode_path_value(name), items.join(",")),
            _ => items.join(","),
        };
    }
    let pairs = encoded.iter().map(|(key, value)| format!("{key}={value}"));
    match style {
        Style::Label => pairs.map(|pair| format!(".{pair}")).collect(),
        Style::Matrix => pairs.map(|pair| format!(";{pair}")).collect(),
        _ => pairs.collect::<Vec<_>>().join(","),
    }
}

/// Reads the raw (still percent-encoded) path text of the object parameter `name`
/// written in `style` into `T`: split at the style's literal separators, then each key
/// and value decoded, so that a value may hold an encoded separator.
#[cfg(feature = "server")]
pub(crate) fn read_path_object<T: serde::de::DeserializeOwned>(
    name: &str,
    style: Style,
    explode: bool,
    raw: &str,
) -> Result<T, String> {
    if !explode {
        let items = read_path(name, style, false, true, raw)?;
        return decode_form_items(name, &items);
    }
    let (rest, separator, expected) = match style {
        Style::Label => (
            raw.strip_prefix('.'),
            '.',
            ".key=value.key=value (style: label)",
        ),
        Style::Matrix => (
            raw.strip_prefix(';'),
            ';',
            ";key=value;key=value (style: matrix)",
        ),
        _ => (Some(raw), ',', "key=value,key=value (style: simple)"),
    };
    let rest = rest.ok_or_else(|| format!("expected `{expected}`, found {raw:?}"))?;
    let pairs = split_pairs(rest, separator)?;
    decode_pairs(&pairs)
}

/// The `key=value` pairs of `text` separated by `separator`, each key and value
/// percent-decoded.
#[cfg(feature = "server")]
fn split_pairs(text: &str, separator: char) -> Result<Vec<(String, String)>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(separator)
        .map(|pair| {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("expected `key=value`, found {pair:?}"))?;
            let key = decode(key).map_err(|error| error.to_string())?;
            let value = decode(value).map_err(|error| error.to_string())?;
            Ok((key, value))
        })
        .collect()
}

/// The value of a header holding an object of scalars `members` (`style: simple`):
/// `R,100,G,200`, or exploded `R=100,G=200`. `None` when a key or value holds a comma
/// (or a key an `=`), which would not read back.
pub fn write_header_object(explode: bool, members: &[(String, String)]) -> Option<String> {
    if members
        .iter()
        .any(|(key, value)| key.contains([',', '=']) || value.contains(','))
    {
        return None;
    }
    let items: Vec<String> = if explode {
        members.iter().map(|(k, v)| format!("{k}={v}")).collect()
    } else {
        members
            .iter()
            .flat_map(|(k, v)| [k.clone(), v.clone()])
            .collect()
    };
    Some(items.join(","))
}

/// Reads the lines `values` of a header holding an object of scalars (`style:
/// simple`) into `T`: keys and values alternating, or exploded `key=value` pairs, white
/// space around each item trimmed.
#[cfg(feature = "server")]
pub(crate) fn read_header_object<'a, T: serde::de::DeserializeOwned>(
    name: &str,
    explode: bool,
    values: impl IntoIterator<Item = &'a str>,
) -> Result<T, String> {
    let items = read_header(values);
    if !explode {
        return decode_form_items(name, &items);
    }
    let pairs: Result<Vec<(String, String)>, String> = items
        .iter()
        .map(|item| {
            item.split_once('=')
                .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
                .ok_or_else(|| format!("expected `key=value` pairs (exploded), found {item:?}"))
        })
        .collect();
    decode_pairs(&pairs?)
}

/// Decodes the query parameter `name` sent with `style: deepObject` from the decoded
/// query `pairs`: `name[key]=value` members, `name[0]=item` items, or one `name=value`
/// (a scalar, as one alternative of a union may be). `None` when no pair names it.
#[cfg(feature = "server")]
pub(crate) fn decode_deep_object<T: serde::de::DeserializeOwned>(
    name: &str,
    pairs: &[(String, String)],
) -> Option<Result<T, String>> {
    let mut written = Vec::new();
    for (key, value) in pairs {
        let Some(rest) = key.strip_prefix(name) else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with('[') {
            continue;
        }
        // The parameter's own name is written as one key, whatever it holds.
        match qs_pair(&format!("v{rest}"), value) {
            Some(pair) => written.push(pair),
            None => {
                return Some(Err(format!(
                    "`{key}` is not of the form `{name}[key]` or `{name}[key][inner]`"
                )));
            }
        }
    }
    if written.is_empty() {
        return None;
    }
    let decoded =
        decode_qs::<std::collections::BTreeMap<String, T>>(&written.join("&"), Some(name));
    Some(decoded.and_then(|mut map| {
        map.remove("v")
            .ok_or_else(|| format!("expected `{name}[key]=value` pairs"))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(values: &[&str]) -> Vec<String> {
        values.iter().map(|&v| v.to_owned()).collect()
    }

    #[test]
    fn path_styles_write_the_openapi_examples() {
        // The examples of the OpenAPI 3.0 specification's style table.
        let colors = items(&["blue", "black", "brown"]);
        assert_eq!(
            write_path("color", Style::Simple, false, &colors),
            "blue,black,brown"
        );
        assert_eq!(
            write_path("color", Style::Label, false, &colors),
            ".blue,black,brown"
        );
        assert_eq!(
            write_path("color", Style::Label, true, &colors),
            ".blue.black.brown"
        );
        assert_eq!(
            write_path("color", Style::Matrix, false, &colors),
            ";color=blue,black,brown"
        );
        assert_eq!(
            write_path("color", Style::Matrix, true, &colors),
            ";color=blue;color=black;color=brown"
        );
        assert_eq!(write_path("color", Style::Matrix, true, &[]), ";color");
        assert_eq!(
            write_path("id", Style::Simple, false, &items(&["a,b/c"])),
            "a%2Cb%2Fc",
            "a separator inside an item is encoded"
        );
    }

    #[test]
    fn path_styles_read_back_what_they_write() {
        let colors = items(&["blue", "a,b;c=d", "brown", "é/%"]);
        for style in [Style::Simple, Style::Label, Style::Matrix] {
            for explode in [false, true] {
                let text = write_path("color", style, explode, &colors);
                assert_eq!(
                    read_path("color", style, explode, true, &text).as_ref(),
                    Ok(&colors),
                    "{style:?} explode={explode}: {text}"
                );
                let empty = write_path("color", style, explode, &[]);
                assert_eq!(
                    read_path("color", style, explode, true, &empty),
                    Ok(Vec::new()),
                    "{style:?} explode={explode}: {empty:?}"
                );
                let one = write_path("color", style, explode, &items(&["1.5"]));
                assert_eq!(
                    read_path("color", style, explode, false, &one),
                    Ok(items(&["1.5"])),
                    "a single value is read whole: {style:?} explode={explode}"
                );
            }
        }
    }

    #[test]
    fn a_path_value_is_split_at_its_literal_separators_then_decoded() {
        assert_eq!(
            read_path("id", Style::Simple, false, true, "a%2Cb,c"),
            Ok(items(&["a,b", "c"]))
        );
        assert_eq!(
            read_path("id", Style::Matrix, false, true, ";id=a%3Bb,c"),
            Ok(items(&["a;b", "c"]))
        );
        assert!(read_path("id", Style::Simple, false, false, "100%").is_err());
    }

    #[test]
    fn a_path_text_of_the_wrong_style_is_refused() {
        assert!(read_path("color", Style::Label, false, true, "blue").is_err());
        assert!(read_path("color", Style::Matrix, false, true, "blue").is_err());
        assert!(read_path("color", Style::Matrix, false, true, ";hue=blue").is_err());
        assert!(read_path("color", Style::Matrix, true, true, ";color=a;hue=b").is_err());
        assert!(
            read_path("color", Style::Matrix, false, true, ";color=a;color=b").is_err(),
            "an exploded text where one piece is expected"
        );
    }

    #[test]
    fn query_arrays_join_with_their_style_separator() {
        let colors = items(&["blue", "black", "a b|c"]);
        assert_eq!(
            write_query_value(Style::Form, &colors),
            "blue,black,a%20b%7Cc"
        );
        assert_eq!(
            write_query_value(Style::SpaceDelimited, &items(&["blue", "black"])),
            "blue%20black"
        );
        assert_eq!(
            write_query_value(Style::PipeDelimited, &colors),
            "blue|black|a%20b%7Cc"
        );
        assert_eq!(
            read_query_value(Style::PipeDelimited, "blue|black"),
            items(&["blue", "black"])
        );
        assert_eq!(
            read_query_value(Style::SpaceDelimited, "blue black"),
            items(&["blue", "black"])
        );
        assert!(read_query_value(Style::Form, "").is_empty());
    }

    #[test]
    fn header_arrays_are_comma_separated_and_read_across_lines() {
        assert_eq!(write_header(&items(&["a", "b"])).as_deref(), Some("a,b"));
        assert_eq!(write_header(&items(&["a,b"])), None);
        assert_eq!(read_header(["a, b", "c"]), items(&["a", "b", "c"]));
        assert!(read_header([""]).is_empty());
    }

    #[test]
    fn objects_in_the_path_and_headers_write_the_openapi_style_table() {
        let rgb: Vec<(String, String)> = [("R", "100"), ("G", "200")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .to_vec();
        let table = [
            (Style::Simple, false, "R,100,G,200"),
            (Style::Simple, true, "R=100,G=200"),
            (Style::Label, false, ".R,100,G,200"),
            (Style::Label, true, ".R=100.G=200"),
            (Style::Matrix, false, ";color=R,100,G,200"),
            (Style::Matrix, true, ";R=100;G=200"),
        ];
        for (style, explode, written) in table {
            assert_eq!(write_path_object("color", style, explode, &rgb), written);
        }
        assert_eq!(
            write_header_object(false, &rgb).as_deref(),
            Some("R,100,G,200")
        );
        assert_eq!(
            write_header_object(true, &rgb).as_deref(),
            Some("R=100,G=200")
        );
        let comma = [("R".to_owned(), "1,2".to_owned())];
        assert_eq!(write_header_object(true, &comma), None);
        assert_eq!(
            write_path_object("c", Style::Simple, false, &comma),
            "R,1%2C2",
            "a separator inside a value is encoded"
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn objects_in_the_path_and_headers_read_back_what_they_write() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Rgb {
            #[serde(rename = "R")]
            r: i64,
            #[serde(rename = "G")]
            g: String,
        }
        // Not `.`, which an exploded label cannot hide (it is unreserved, never encoded).
        let members: Vec<(String, String)> = [("R", "100"), ("G", "a,b;c=d/e f")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .to_vec();
        let expected = Rgb {
            r: 100,
            g: "a,b;c=d/e f".to_owned(),
        };
        for style in [Style::Simple, Style::Label, Style::Matrix] {
            for explode in [false, true] {
                let text = write_path_object("color", style, explode, &members);
                assert_eq!(
                    read_path_object::<Rgb>("color", style, explode, &text).as_ref(),
                    Ok(&expected),
                    "{style:?} explode={explode}: {text}"
                );
            }
        }
        let read = |explode, lines: &[&str]| {
            read_header_object::<Rgb>("x-rgb", explode, lines.iter().copied())
        };
        assert_eq!(read(true, &["R=100, G=x"]).map(|rgb| rgb.r), Ok(100));
        assert_eq!(read(false, &["G,x", "R,7"]).map(|rgb| rgb.r), Ok(7));
        assert!(read(false, &["R,100,G"]).is_err());
        assert!(read(true, &["R:100"]).is_err());
        assert!(read(true, &["R=ten,G=x"]).is_err());
    }

    #[cfg(feature = "client")]
    #[test]
    fn a_deep_object_is_one_encoded_pair_per_member_and_nulls_are_left_out() {
        let value = serde_json::json!({
            "color": "red & blue",
            "minStock": 3,
            "inStock": true,
            "gone": null,
            "size": {"min": 1e30},
        });
        let mut pairs = Vec::new();
        deep_object_pairs("filter", &value, &mut pairs);
        assert_eq!(
            pairs,
            [
                "filter%5Bcolor%5D=red%20%26%20blue",
                "filter%5BminStock%5D=3",
                "filter%5BinStock%5D=true",
                "filter%5Bsize%5D%5Bmin%5D=1e%2B30",
            ]
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn deep_object_pairs_become_serde_qs_pairs_with_only_their_brackets_literal() {
        assert_eq!(qs_pair("color", "a&b").as_deref(), Some("color=a%26b"));
        assert_eq!(qs_pair("size[min]", "3").as_deref(), Some("size[min]=3"));
        assert_eq!(qs_pair("a b[0]", "x").as_deref(), Some("a%20b[0]=x"));
        assert_eq!(qs_pair("a[]", "x"), None, "items are indexed");
        assert_eq!(qs_pair("color]", "red"), None);
        assert_eq!(qs_pair("a[b", "red"), None);
        assert_eq!(qs_pair("a[b[c]]", "red"), None);
    }

    #[cfg(feature = "server")]
    #[test]
    fn a_union_of_an_integer_and_an_object_is_read_from_either_form() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Range {
            gt: Option<i64>,
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        #[serde(untagged)]
        enum Created {
            Range(Range),
            At(i64),
        }
        let read = |key: &str, value: &str| {
            decode_deep_object::<Created>("created", &[(key.to_owned(), value.to_owned())])
        };
        assert_eq!(read("created", "123"), Some(Ok(Created::At(123))));
        assert_eq!(
            read("created[gt]", "5"),
            Some(Ok(Created::Range(Range { gt: Some(5) })))
        );
        assert!(matches!(read("created", "soon"), Some(Err(_))));
    }

    #[cfg(feature = "server")]
    #[test]
    fn a_nested_form_reads_objects_indexed_arrays_maps_and_repeated_fields() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Item {
            price: String,
            quantity: Option<i64>,
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Body {
            items: Vec<Item>,
            metadata: std::collections::BTreeMap<String, String>,
            tags: Vec<String>,
            expand: Vec<String>,
        }
        let pairs: Vec<(String, String)> = [
            ("items[0][price]", "p 1"),
            ("items[0][quantity]", "2"),
            ("items[1][price]", "p2"),
            ("metadata[order id]", "7"),
            ("tags", "a"),
            ("tags", "b"),
            ("expand[0]", "x"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .to_vec();
        let body: Body = decode_nested_form(&pairs).unwrap();
        assert_eq!(
            body.items[0],
            Item {
                price: "p 1".to_owned(),
                quantity: Some(2)
            }
        );
        assert_eq!(body.items[1].quantity, None);
        assert_eq!(body.metadata["order id"], "7");
        assert_eq!((body.tags.len(), body.expand.len()), (2, 1));
        let wrong = [("items[0][quantity]".to_owned(), "two".to_owned())];
        let message = decode_nested_form::<Body>(&wrong).unwrap_err();
        assert!(message.contains("`items[0][quantity]`"), "{message}");
    }
}

#[cfg(all(test, feature = "client", feature = "server"))]
mod repeated_member_tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Filter {
        text: Option<String>,
        colors: Option<Vec<String>>,
    }

    fn pairs(written: &[(&str, &str)]) -> Vec<(String, String)> {
        written
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn an_array_member_is_its_name_repeated_both_ways() {
        let value = serde_json::json!({"text": "mug", "colors": ["red", "blue"]});
        let written = super::form_object_members(&value, true).unwrap();
        assert_eq!(
            written,
            pairs(&[("text", "mug"), ("colors", "red"), ("colors", "blue")])
        );
        let read: Filter = super::decode_form_object("f", true, &["text", "colors"], &written)
            .unwrap()
            .unwrap();
        assert_eq!(
            read.colors.as_deref(),
            Some(&["red".to_owned(), "blue".to_owned()][..])
        );
        // Not repeated (a header's or a path's object), an array member is refused.
        assert!(super::form_object_members(&value, false).is_err());
        // A scalar member given twice is still refused.
        let twice = pairs(&[("text", "a"), ("text", "b")]);
        let read = super::decode_form_object::<Filter>("f", true, &["text", "colors"], &twice);
        assert!(read.unwrap().is_err());
    }
}
