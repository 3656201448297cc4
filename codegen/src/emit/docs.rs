//! Documentation text from the document, made safe for rustdoc.
//!
//! Descriptions are CommonMark written for other renderers: a bare URL, a `<userhash>`
//! placeholder or a `[note]` would each draw a rustdoc warning, and an unlabelled code
//! fence would be read as Rust. The text is kept, only its markup is made unambiguous.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line, for `text`.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// [`doc_attrs`] of `text`, or of `fallback` when `text` says nothing (a public item
/// without documentation is a warning in generated crates).
pub fn doc_attrs_or(text: &str, fallback: impl FnOnce() -> String) -> TokenStream {
    if doc_lines(text).is_empty() {
        doc_attrs(&fallback())
    } else {
        doc_attrs(text)
    }
}

/// The same, as inner attributes (`#![doc = "…"]`) for a crate or module.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// The lines of a doc attribute: a space after `///`, as written by hand.
fn doc_lines(text: &str) -> Vec<String> {
    rustdoc_text(text)
        .into_iter()
        .map(|line| {
            if line.is_empty() {
                line
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

fn rustdoc_text(text: &str) -> Vec<String> {
    // A carriage return alone ends a line too (VTEX's descriptions hold some): rustdoc
    // refuses one inside a doc comment.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut in_fence = false;
    let mut lines = Vec::new();
    for line in text.trim().lines() {
        let trimmed = line.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            // Rust code is not what documents hold: label every fence.
            lines.push(if in_fence || !info.is_empty() {
                trimmed.to_owned()
            } else {
                "```text".to_owned()
            });
            in_fence = !in_fence;
        } else if in_fence {
            lines.push(line.to_owned());
        } else {
            // Four spaces after a blank line open an indented code block, which rustdoc
            // would read as Rust: there, and only there, the indentation goes.
            let indent = line.len() - line.trim_start().len();
            let after_blank = lines
                .last()
                .is_none_or(|previous: &String| previous.is_empty());
            let keep = if after_blank && indent >= 4 {
                0
            } else {
                indent
            };
            lines.push(format!("{}{}", &line[..keep], escape_line(trimmed)));
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    lines
}

/// Escapes brackets and angle brackets outside code spans, and wraps bare URLs in `<…>`.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        }
        if !in_code {
            if rest.starts_with("http://") || rest.starts_with("https://") {
                let end = rest
                    .find(|c: char| {
                        c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']')
                    })
                    .unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[url.len()..];
                continue;
            }
            match c {
                '[' => out.push_str("\\["),
                ']' => out.push_str("\\]"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_carriage_return_ends_a_line() {
        assert_eq!(rustdoc_text("one\rtwo\r\nthree"), ["one", "two", "three"]);
    }

    #[test]
    fn markup_that_rustdoc_would_misread_is_escaped() {
        assert_eq!(
            rustdoc_text(
                "Use `XBL3.0 x=<userhash>;<token>` or XBL3.0 x=<userhash>. See https://example.com/a_b. [note]"
            ),
            [
                "Use `XBL3.0 x=<userhash>;<token>` or XBL3.0 x=&lt;userhash&gt;. See <https://example.com/a_b>. \\[note\\]"
            ]
        );
        assert_eq!(
            rustdoc_text("a\n\n    indented\n```\nfn\n```"),
            ["a", "", "indented", "```text", "fn", "```"]
        );
    }
}
