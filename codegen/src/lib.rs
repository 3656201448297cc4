//! The generator: from an OpenAPI 3.0 document to the files of a Rust crate.
//!
//! ```text
//! document --load--> resolved document --lower--> model --emit--> tokens --format--> files
//! ```
//!
//! [`generate`] runs the whole pipeline; it reads the document (and the files its `$ref`s
//! name) and returns the files, writing nothing: writing is `xtask`'s job.

pub mod emit;
pub mod error;
pub mod examples;
pub mod format;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;

pub use error::{Error, Errors};

use std::path::Path;

/// A generated crate: its package name and its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crate {
    /// The package name, also the folder name under `generated/`.
    pub name: String,
    /// The files, with paths relative to the crate's folder.
    pub files: Vec<emit::File>,
}

/// Generates the crate for the document at `file`; `source` is how generated headers
/// name the document (`openapi/groove-music.yaml`).
pub fn generate(file: &Path, source: &str) -> Result<Crate, Errors> {
    let document = load::load(file)?;
    generate_document(&document, source)
}

/// Generates the crate for a document already loaded.
pub fn generate_document(document: &load::Document, source: &str) -> Result<Crate, Errors> {
    examples::check(&document.file, &document.value)?;
    let stem = document
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = names::crate_name(&stem);
    let service = lower::lower(document, &name, source)?;
    let files = emit::emit(&service).map_err(|error| {
        Error::at_pointer(
            &document.file,
            "",
            format!("internal error: generated code does not parse: {error}"),
        )
        .help("this is a bug in the generator; please report it with the document")
    })?;
    Ok(Crate { name, files })
}
