//! `pattern`s as OpenAPI means them: ECMA-262 regular expressions, compiled by the
//! `regex` crate with ECMA's meaning. The two differ where `regex` is Unicode-aware and
//! ECMA is not: ECMA's `\d`, `\w` and `\b` know only ASCII (`^\d+$` refuses the Arabic
//! digit `٣`, which `regex`'s `\d` takes), its `\s` is a fixed list of spaces and line
//! terminators, and its `.` stops at every line terminator (`\r` too), not only at
//! `\n`. ECMA also gives a meaning to what `regex` refuses or reads otherwise: a `{`
//! that starts no repetition and `[`, `&&`, `--` or `~~` inside a class are literals,
//! `[\b]` is a backspace and `\0` is NUL.
//!
//! The generator compiles each pattern with [`compile`] to decide whether it can be
//! enforced, and the generated code checks values with the same function: one rule.
//! What `regex` cannot do at all (look-around, back-references) still fails to compile,
//! and such a pattern is documented as not enforced.

/// ECMA-262's `\s`: its WhiteSpace and LineTerminator characters, as class items.
const SPACE: &str =
    r"\t\n\x0B\x0C\r \xA0\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";

/// ECMA-262's `\w`, as class items.
const WORD: &str = "0-9A-Za-z_";

/// Compiles an ECMA-262 `pattern` into a [`regex::Regex`] that matches what ECMA's would
/// (without flags: `pattern` matches anywhere in the value unless anchored).
///
/// # Errors
/// When the pattern uses what `regex` does not support (look-around, back-references)
/// or is not a regular expression.
pub fn compile(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(&translate(pattern))
}

/// A value of `min_length..=max_length` characters that the ECMA-262 `pattern` matches,
/// made up from the pattern itself: each repetition as few times as it allows (more when
/// the value is too short), the first alternative, the first character of each class
/// (`a`, `A` or `0` where the class holds them, for a readable value). `None` when the
/// pattern does not compile or nothing so simple fits: the mock's round trips send it
/// where a document gives no example.
#[cfg(feature = "mock")]
pub fn sample(pattern: &str, min_length: usize, max_length: usize) -> Option<String> {
    let translated = translate(pattern);
    let matcher = regex::Regex::new(&translated).ok()?;
    let hir = regex_syntax::parse(&translated).ok()?;
    (0..=64).find_map(|extra| {
        let mut text = String::new();
        write_sample(&hir, extra, &mut text);
        let length = text.chars().count();
        (min_length <= length && length <= max_length && matcher.is_match(&text)).then_some(text)
    })
}

/// Writes the simplest text `hir` matches, each repetition `extra` times more than its
/// least (within its most).
#[cfg(feature = "mock")]
fn write_sample(hir: &regex_syntax::hir::Hir, extra: u32, text: &mut String) {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => text.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges = class.ranges();
            let holds = |c: char| ranges.iter().any(|r| r.start() <= c && c <= r.end());
            if let Some(c) = ['a', 'A', '0'].into_iter().find(|&c| holds(c)) {
                text.push(c);
            } else if let Some(first) = ranges.first() {
                text.push(first.start());
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            if let Some(first) = class.ranges().first() {
                text.push(char::from(first.start()));
            }
        }
        HirKind::Repetition(repetition) => {
            let most = repetition.max.unwrap_or(u32::MAX);
            let times = repetition.min.saturating_add(extra).min(most);
            for _ in 0..times {
                write_sample(&repetition.sub, extra, text);
            }
        }
        HirKind::Capture(capture) => write_sample(&capture.sub, extra, text),
        HirKind::Concat(parts) => parts
            .iter()
            .for_each(|part| write_sample(part, extra, text)),
        HirKind::Alternation(alternatives) => {
            if let Some(first) = alternatives.first() {
                write_sample(first, extra, text);
            }
        }
    }
}

/// Splits a path segment (decoded) holding several values between `literals` (one more
/// than the values, some empty where two values touch: `{id}{ext}`) into its values:
/// each value matches its shape in `patterns` (ECMA-262, unanchored; `None`: anything,
/// as short as the rest allows), the segment matched whole. `None` when it does not
/// match, or a pattern does not compile.
///
/// The expression of each distinct segment is compiled once, then kept.
pub fn split_segment(
    segment: &str,
    literals: &[&str],
    patterns: &[Option<&str>],
) -> Option<Vec<String>> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static COMPILED: OnceLock<Mutex<HashMap<String, Option<regex::Regex>>>> = OnceLock::new();
    let mut expression = String::from("^");
    for (i, literal) in literals.iter().enumerate() {
        expression.push_str(&regex::escape(literal));
        if let Some(pattern) = patterns.get(i) {
            let shape = pattern.map_or_else(|| "[\\s\\S]*?".to_owned(), translate);
            expression.push_str(&format!("(?P<v{i}>{shape})"));
        }
    }
    expression.push('$');
    let compiled = COMPILED.get_or_init(Mutex::default);
    let regex = {
        let mut compiled = compiled
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        compiled
            .entry(expression.clone())
            .or_insert_with(|| regex::Regex::new(&expression).ok())
            .clone()?
    };
    let captures = regex.captures(segment)?;
    (0..patterns.len())
        .map(|i| {
            captures
                .name(&format!("v{i}"))
                .map(|m| m.as_str().to_owned())
        })
        .collect()
}

/// Rewrites an ECMA-262 pattern into `regex`'s syntax, with ECMA's meaning.
fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Inside `[...]`: whether a class is open, and whether the last item written was an
    // unescaped `-` (`regex` reads `--` in a class as a set difference).
    let mut in_class = false;
    let mut after_dash = false;
    while let Some(c) = chars.next() {
        let dash = c == '-' && in_class && !after_dash;
        match c {
            '\\' => match chars.next() {
                Some(escaped) => escape(escaped, in_class, &mut chars, &mut out),
                // A trailing backslash: `regex` refuses it as ECMA does.
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                let negated = chars.next_if_eq(&'^').is_some();
                // ECMA's `[]` matches nothing and `[^]` any character; `regex` would read
                // the `]` as a member.
                if chars.next_if_eq(&']').is_some() {
                    in_class = false;
                    out.push_str(if negated { r"[\s\S]" } else { r"[^\s\S]" });
                } else {
                    out.push_str(if negated { "[^" } else { "[" });
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // Literals in an ECMA class; `regex` nests classes with `[` and has set
            // operators `&&`, `--` and `~~`.
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && after_dash => out.push_str(r"\-"),
            '.' if !in_class => out.push_str(r"[^\n\r\x{2028}\x{2029}]"),
            '{' if !in_class => {
                if starts_repetition(chars.clone()) {
                    out.push('{');
                    for c in chars.by_ref() {
                        out.push(c);
                        if c == '}' {
                            break;
                        }
                    }
                } else {
                    out.push_str(r"\{");
                }
            }
            '}' if !in_class => out.push_str(r"\}"),
            _ => out.push(c),
        }
        after_dash = dash;
    }
    out
}

/// Writes the ECMA escape `\<escaped>` in `regex`'s syntax.
fn escape(
    escaped: char,
    in_class: bool,
    rest: &mut std::iter::Peekable<std::str::Chars<'_>>,
    out: &mut String,
) {
    match escaped {
        'd' => class("0-9", false, in_class, out),
        'D' => class("0-9", true, in_class, out),
        'w' => class(WORD, false, in_class, out),
        'W' => class(WORD, true, in_class, out),
        's' => class(SPACE, false, in_class, out),
        'S' => class(SPACE, true, in_class, out),
        // A word boundary, of ECMA's ASCII words; in a class, ECMA's backspace.
        'b' if in_class => out.push_str(r"\x08"),
        'b' => out.push_str(r"(?-u:\b)"),
        'B' => out.push_str(r"(?-u:\B)"),
        '0' if !rest.peek().is_some_and(char::is_ascii_digit) => out.push_str(r"\x00"),
        _ => {
            out.push('\\');
            out.push(escaped);
        }
    }
}

/// Writes the class `items` (negated or not): bare inside a class, as a class of its own
/// outside one or when negated (`regex` unites a class nested in a class with the rest).
fn class(items: &str, negated: bool, in_class: bool, out: &mut String) {
    if in_class && !negated {
        out.push_str(items);
    } else {
        out.push_str(if negated { "[^" } else { "[" });
        out.push_str(items);
        out.push(']');
    }
}

/// Whether the text after a `{` makes it a repetition (`{2}`, `{2,}`, `{2,5}`), which
/// ECMA and `regex` read alike; any other `{` is a literal in ECMA.
fn starts_repetition(rest: impl Iterator<Item = char>) -> bool {
    let mut digits = 0;
    let mut comma = false;
    for c in rest {
        match c {
            '0'..='9' => digits += 1,
            ',' if !comma && digits > 0 => comma = true,
            '}' => return digits > 0,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "mock")]
    #[test]
    fn a_value_is_made_up_that_the_pattern_matches() {
        let arn = r"^arn:aws(?:\-cn|\-iso)?:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.\\-]{0,1023}$";
        let made = sample(arn, 1, 1600).expect("an ARN can be made up");
        assert!(compile(arn).unwrap().is_match(&made), "{made}");
        assert_eq!(sample(r"^\d+$", 0, 100).as_deref(), Some("0"));
        assert_eq!(
            sample(r"^\d+$", 12, 12).as_deref(),
            Some("000000000000"),
            "repeated until long enough"
        );
        let twelve = sample(r"^\d{12}$", 0, 100).expect("twelve digits");
        assert_eq!(twelve, "000000000000");
        let long = sample(r"^[a-z]+$", 3, 10).expect("three letters or more");
        assert!((3..=10).contains(&long.len()), "{long}");
        assert_eq!(
            sample(r"(?<=a)b", 0, 10),
            None,
            "regex cannot compile look-behind"
        );
    }

    use super::*;

    #[test]
    fn a_segment_of_touching_values_is_split_by_their_shapes() {
        let split = |segment| split_segment(segment, &["", "", ""], &[Some("[0-9a-f]{4}"), None]);
        assert_eq!(
            split("00ff.json"),
            Some(vec!["00ff".to_owned(), ".json".to_owned()])
        );
        assert_eq!(split("00f.json"), None);
        assert_eq!(
            split_segment("r42v7", &["r", "v", ""], &[Some("-?[0-9]+"), None]),
            Some(vec!["42".to_owned(), "7".to_owned()])
        );
    }

    #[track_caller]
    fn assert_matches(pattern: &str, matching: &[&str], not_matching: &[&str]) {
        let regex = compile(pattern)
            .unwrap_or_else(|error| panic!("{pattern} ({}): {error}", translate(pattern)));
        for value in matching {
            assert!(regex.is_match(value), "{pattern} should match {value:?}");
        }
        for value in not_matching {
            assert!(
                !regex.is_match(value),
                "{pattern} should not match {value:?}"
            );
        }
    }

    #[test]
    fn digits_words_and_boundaries_are_ascii_only() {
        assert_matches(r"^\d+$", &["3", "0123456789"], &["٣", "३", "３", "3٣", ""]);
        assert_matches(r"^\D$", &["a", "٣"], &["3"]);
        assert_matches(r"^\w+$", &["a_Z9"], &["é", "名", "a-b"]);
        assert_matches(r"^\W$", &["é", "-"], &["a", "_"]);
        // `é` is no word character in ECMA, so `caf|é` is a boundary.
        assert_matches(r"caf\b", &["caf é", "café"], &["cafe"]);
        assert_matches(r"^caf\B", &["cafe"], &["café", "caf"]);
    }

    #[test]
    fn class_escapes_keep_their_meaning_inside_classes() {
        assert_matches(r"^[\d.]+$", &["1.5"], &["٣", "1,5"]);
        assert_matches(r"^[\w-]+$", &["a-b_c"], &["é"]);
        assert_matches(r"^[^\d]$", &["a", "٣"], &["3"]);
        assert_matches(r"^[a\D]$", &["a", "x"], &["3"]);
        assert_matches(r"^[\W\d]+$", &["3-é"], &["a"]);
        assert_matches(r"^[\b]$", &["\u{8}"], &["b"]);
    }

    #[test]
    fn spaces_and_dots_follow_ecma() {
        assert_matches(
            r"^\s$",
            &[" ", "\u{feff}", "\u{a0}", "\u{2028}"],
            &["\u{85}", "x"],
        );
        assert_matches(r"^\S$", &["\u{85}", "x"], &["\u{feff}"]);
        assert_matches(r"^a.b$", &["a-b", "a名b"], &["a\nb", "a\rb", "a\u{2028}b"]);
        assert_matches(r"^[.]$", &["."], &["x"]);
    }

    #[test]
    fn what_ecma_reads_as_literals_stays_literal() {
        assert_matches(r"^a{b}$", &["a{b}"], &["ab"]);
        assert_matches(r"^a{2}$", &["aa"], &["a", "a{2}"]);
        assert_matches(r"^a{1,}b{0,1}$", &["aab", "a"], &["b"]);
        assert_matches(r"^x{,2}$", &["x{,2}"], &["xx"]);
        assert_matches(r"^[[]$", &["["], &["]"]);
        assert_matches(r"^[a&&b]$", &["a", "&", "b"], &["c"]);
        assert_matches(r"^[+--]$", &["+", ",", "-"], &["a"]);
        assert_matches(r"^a\0$", &["a\0"], &["a0"]);
        assert_matches(r"^[]$", &[], &["", "a"]);
        assert_matches(r"^[^]$", &["a", "\n"], &[""]);
        assert_matches(r"^\/api\/$", &["/api/"], &["api"]);
    }

    #[test]
    fn what_regex_cannot_do_does_not_compile() {
        for pattern in [r"^(?=a)", r"(a)\1", r"a(?!b)", "a\\"] {
            assert!(compile(pattern).is_err(), "{pattern}");
        }
    }

    #[test]
    fn everyday_patterns_mean_what_they_did() {
        assert_matches(r"^[0-9a-fA-F]{24}$", &["59274dfbd4c650e226b03b65"], &["x"]);
        assert_matches(r"^[^@ ]+@[^@ ]+$", &["a@b"], &["a b@c"]);
        assert_matches(
            r"^[0-9]+\.[0-9]+(-preview(\.[0-9]+)?)?$",
            &["7.1", "7.1-preview.3"],
            &["7"],
        );
        assert_matches("abc", &["xxabcxx"], &["ab"]);
    }
}
