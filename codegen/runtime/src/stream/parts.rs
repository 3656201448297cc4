//! The parts of a `multipart/mixed` streamed body (RFC 2046 §5.1.1), one item each:
//! cut off the front of a buffer as each part's closing delimiter arrives.

/// The state of a reader of parts between one `boundary`'s delimiters.
#[derive(Debug)]
pub(super) struct Parts {
    /// `\r\n--BOUNDARY`: what ends a part (and, without its line break, what opens
    /// the first).
    delimiter: Vec<u8>,
    /// Where the reader is.
    phase: Phase,
}

/// Where a reader of parts is in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the first delimiter (in a preamble, which is ignored).
    Preamble,
    /// Right after a delimiter's boundary, before the rest of its line.
    Delimiter,
    /// In a part, up to the next delimiter.
    Part,
    /// After the closing delimiter (in an epilogue, which is ignored).
    Ended,
}

/// What follows a delimiter's boundary, if the line it ends is all there.
enum After {
    /// `--`: the closing delimiter.
    Close,
    /// Padding and a line break, of the given length: a part follows.
    Part(usize),
    /// Something else.
    Other,
}

impl Parts {
    /// A reader of the parts between `boundary` delimiters.
    pub(super) fn new(boundary: &str) -> Self {
        Parts {
            delimiter: format!("\r\n--{boundary}").into_bytes(),
            phase: Phase::Preamble,
        }
    }

    /// Takes the next whole part (its headers, a blank line and its content) off the
    /// front of `buffer`; `searched` is how far an earlier call found no delimiter, and
    /// `eof` whether the body has ended, which before the closing delimiter is an error.
    ///
    /// A part is whole once the line break and boundary of the delimiter after it
    /// arrive: no part may hold them (RFC 2046 §5.1.1), so the reader need not wait
    /// for the rest of the delimiter's line, which a writer sends with the next part.
    pub(super) fn split(
        &mut self,
        buffer: &mut Vec<u8>,
        searched: &mut usize,
        eof: bool,
    ) -> Option<Result<Vec<u8>, String>> {
        loop {
            match self.phase {
                Phase::Ended => {
                    // An epilogue is ignored, and not kept.
                    buffer.clear();
                    return None;
                }
                Phase::Delimiter => {
                    let after = match after_boundary(buffer) {
                        Some(after) => after,
                        None if eof => {
                            return Some(Err("the body ends within a delimiter".to_owned()));
                        }
                        None => return None,
                    };
                    match after {
                        After::Close => self.phase = Phase::Ended,
                        After::Part(length) => {
                            buffer.drain(..length);
                            self.phase = Phase::Part;
                        }
                        After::Other => {
                            return Some(Err(
                                "a delimiter is followed by neither a line break nor `--`"
                                    .to_owned(),
                            ));
                        }
                    }
                }
                Phase::Preamble | Phase::Part => {
                    let preamble = self.phase == Phase::Preamble;
                    // The first delimiter may open the body, with no line break before it.
                    let found = if preamble && buffer.starts_with(&self.delimiter[2..]) {
                        Some(0)
                    } else {
                        find(&buffer[*searched..], &self.delimiter).map(|at| *searched + at + 2)
                    };
                    // `at` is where `--BOUNDARY` starts.
                    let Some(at) = found else {
                        // A delimiter may be arriving across chunks: search its start again.
                        *searched = buffer.len().saturating_sub(self.delimiter.len() - 1);
                        if eof {
                            return Some(Err(if preamble {
                                "the body holds no delimiter of its boundary".to_owned()
                            } else {
                                "the body ends before its closing delimiter".to_owned()
                            }));
                        }
                        return None;
                    };
                    let next = at + self.delimiter.len() - 2;
                    let part: Vec<u8> = buffer.drain(..next).take(at.saturating_sub(2)).collect();
                    *searched = 0;
                    self.phase = Phase::Delimiter;
                    if !preamble {
                        return Some(Ok(part));
                    }
                }
            }
        }
    }
}

/// Reads what follows a boundary: `None` when its line is not all there yet.
fn after_boundary(rest: &[u8]) -> Option<After> {
    if rest.len() < 2 {
        return None;
    }
    if rest.starts_with(b"--") {
        return Some(After::Close);
    }
    // Transport padding (spaces and tabs) before the line break.
    let padding = rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    match &rest[padding..] {
        [] | [b'\r'] => None,
        [b'\r', b'\n', ..] => Some(After::Part(padding + 2)),
        _ => Some(After::Other),
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The content of a part whose `Content-Type`, if it names one, is JSON: the part
/// without its headers.
pub(super) fn json_content(part: &[u8]) -> Result<&[u8], String> {
    let (headers, content) = if let Some(content) = part.strip_prefix(b"\r\n") {
        (&[][..], content)
    } else {
        let end = find(part, b"\r\n\r\n").ok_or("its headers end in no blank line")?;
        (&part[..end], &part[end + 4..])
    };
    let headers = std::str::from_utf8(headers).map_err(|_| "its headers are not UTF-8 text")?;
    for line in headers.split("\r\n").filter(|line| !line.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("its header line {line:?} has no colon"))?;
        if name.trim().eq_ignore_ascii_case("content-type") && !crate::media::is_json(value) {
            return Err(format!("its Content-Type is {:?}, not JSON", value.trim()));
        }
    }
    Ok(content)
}

/// A boundary for a body being written: random, so that it is unlikely to occur in
/// any part, though it could not anyway — a part holds compact JSON, which has no line
/// break, and a delimiter starts with one.
pub(super) fn new_boundary() -> String {
    use std::hash::{BuildHasher, RandomState};
    // Each `RandomState` has keys of its own (randomly seeded per thread).
    let [a, b] = [0u8, 1].map(|n| RandomState::new().hash_one(n));
    format!("apigen-{a:016x}{b:016x}")
}
