//! Media types, as a server compares a request's `Content-Type` with what an operation
//! accepts.

/// The essence of a media type (RFC 9110 §8.3.1): `type/subtype`, lower case, without
/// parameters (`Application/JSON; charset=utf-8` -> `application/json`).
pub fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether `media` is JSON: `application/json`, or a structured type such as
/// `application/problem+json`.
pub fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether the media type `media` is within `range`: the same essence, or a range of the
/// document such as `image/*` or `*/*`.
pub fn within(media: &str, range: &str) -> bool {
    let (media, range) = (essence(media), essence(range));
    let (Some((kind, _)), Some((range_kind, range_sub))) =
        (media.split_once('/'), range.split_once('/'))
    else {
        return false;
    };
    match (range_kind, range_sub) {
        ("*", "*") => true,
        (_, "*") => kind == range_kind,
        _ => media == range,
    }
}

/// The `boundary` parameter of a multipart media type (`multipart/mixed; boundary=x`,
/// quoted or not), if it has one.
pub fn boundary(media: &str) -> Option<String> {
    media.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|value| !value.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn essences_ignore_case_and_parameters() {
        assert_eq!(
            essence(" Application/JSON ; charset=utf-8"),
            "application/json"
        );
        assert!(is_json("application/problem+json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(!is_json("application/jsonl"));
        assert!(!is_json("text/plain"));
    }

    #[test]
    fn ranges_hold_their_media_types() {
        assert!(within("image/png", "image/*"));
        assert!(within("image/png", "*/*"));
        assert!(within("Text/Plain; charset=utf-8", "text/plain"));
        assert!(!within("text/html", "text/plain"));
        assert!(!within("application/png", "image/*"));
        assert_eq!(
            boundary("multipart/mixed; Boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(boundary("multipart/form-data"), None);
        assert!(!within("nonsense", "*/*"));
    }
}
