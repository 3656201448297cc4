//! Errors that point at the document: file, then line and column or JSON pointer, then
//! what is wrong and what to do.

use std::fmt;
use std::path::PathBuf;

/// Where in a file an error stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// The file as a whole.
    File,
    /// A line and column, both from 1.
    LineColumn(usize, usize),
    /// A JSON pointer into the document (`/paths/~1users/get`).
    Pointer(String),
}

/// One thing wrong with a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// The file, as the user named it.
    pub file: PathBuf,
    /// Where in the file.
    pub at: At,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// A short name for the kind of problem, for summaries of many (the JSON Schema
    /// keyword an example breaks, `format` or `required`); `None` for most errors.
    pub kind: Option<String>,
}

impl Error {
    /// An error at a JSON pointer.
    pub fn at_pointer(file: impl Into<PathBuf>, pointer: &str, message: impl Into<String>) -> Self {
        Error {
            file: file.into(),
            at: At::Pointer(pointer.to_owned()),
            message: message.into(),
            help: None,
            kind: None,
        }
    }

    /// Adds what to do.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Names the kind of problem (see [`Error::kind`]).
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = Some(kind.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.at {
            At::File => write!(f, "{file}: {}", self.message)?,
            At::LineColumn(line, column) => write!(f, "{file}:{line}:{column}: {}", self.message)?,
            At::Pointer(pointer) => write!(f, "{file}#{pointer}: {}", self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Everything wrong with a document (never empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {error}")?;
        }
        Ok(())
    }
}

impl From<Error> for Errors {
    fn from(error: Error) -> Self {
        Errors(vec![error])
    }
}

/// Many warnings told in a few lines: how many there are of each kind, then the first
/// `shown` in full (all of them when `shown` is `None`).
///
/// A published document can carry a thousand examples that break their schemas (GitHub's
/// does); a line for each buries everything else a run prints.
pub fn summary(warnings: &[Error], shown: Option<usize>) -> String {
    use std::collections::BTreeMap;
    use std::fmt::Write;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for warning in warnings {
        *kinds
            .entry(warning.kind.as_deref().unwrap_or("other"))
            .or_default() += 1;
    }
    let mut kinds: Vec<(&str, usize)> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let counts: Vec<String> = kinds
        .iter()
        .map(|(kind, count)| format!("{count} {kind}"))
        .collect();
    let mut text = format!(
        "{} warning{} ({})",
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" },
        counts.join(", ")
    );
    let shown = shown.unwrap_or(warnings.len()).min(warnings.len());
    for warning in &warnings[..shown] {
        write!(text, "\nwarning: {warning}").expect("writing to a String cannot fail");
    }
    if shown < warnings.len() {
        write!(text, "\n... and {} more", warnings.len() - shown)
            .expect("writing to a String cannot fail");
    }
    text
}

/// Appends a key to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn push_pointer(pointer: &str, key: &str) -> String {
    // One allocation: pointers are made for every value of a large document.
    let mut out = String::with_capacity(pointer.len() + key.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// The key a JSON pointer token stands for: the inverse of [`push_pointer`]'s escaping.
pub fn pointer_key(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_counts_each_kind_and_shows_the_first_few() {
        let warning = |pointer: &str, kind: &str| {
            Error::at_pointer("api.json", pointer, "example is not valid").kind(kind)
        };
        let warnings = [
            warning("/a", "required"),
            warning("/b", "format"),
            warning("/c", "format"),
            Error::at_pointer("api.json", "/d", "something else"),
        ];
        assert_eq!(
            summary(&warnings, Some(1)),
            "4 warnings (2 format, 1 other, 1 required)\n\
             warning: api.json#/a: example is not valid\n\
             ... and 3 more"
        );
        assert_eq!(summary(&warnings, None).lines().count(), 5);
    }

    #[test]
    fn a_pointer_escapes_its_key_and_the_key_comes_back() {
        // `~1` in a key is not a `/`: `~` is escaped first (RFC 6901 §4).
        let key = "~1/users/{id}~";
        let pointer = push_pointer("/paths", key);
        assert_eq!(pointer, "/paths/~01~1users~1{id}~0");
        assert_eq!(pointer_key(&pointer["/paths/".len()..]), key);
    }
}
