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
}

impl Error {
    /// An error at a JSON pointer.
    pub fn at_pointer(file: impl Into<PathBuf>, pointer: &str, message: impl Into<String>) -> Self {
        Error {
            file: file.into(),
            at: At::Pointer(pointer.to_owned()),
            message: message.into(),
            help: None,
        }
    }

    /// Adds what to do.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
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

/// Appends a key to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn push_pointer(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// The key a JSON pointer token stands for: the inverse of [`push_pointer`]'s escaping.
pub fn pointer_key(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
