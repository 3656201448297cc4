//! The generator: from an OpenAPI 3.0 or 3.1 document to the files of a Rust crate.
//!
//! ```text
//! document --load--> resolved document --lower--> model --emit--> tokens --format--> files
//! ```
//!
//! [`generate`] runs the whole pipeline; it reads the document (and the files its `$ref`s
//! name) and returns the files, writing nothing: writing is `xtask`'s job.

pub mod diff;
pub mod emit;
pub mod error;
pub mod examples;
pub mod format;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
pub mod publish;

pub use error::{Error, Errors};

use std::path::Path;

/// A generated crate: its package name and its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crate {
    /// The package name, also the folder name under `generated/`.
    pub name: String,
    /// How generated headers name the document (`openapi/groove-music.yaml`).
    pub source: String,
    /// The files, with paths relative to the crate's folder.
    pub files: Vec<emit::File>,
    /// What is wrong in the document but did not stop generation: examples that break
    /// their schemas. Published documents often carry a few (GitHub's does), and their
    /// users cannot fix them; the authors of a document should (`examples::check` makes
    /// them errors, as this project's own tests do).
    pub warnings: Vec<Error>,
}

/// How to generate, beyond the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Where the runtime crate is, relative to the generated crate's folder (its manifest
    /// depends on it by path): `../../codegen/runtime` for `generated/<service>/`.
    pub runtime_path: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runtime_path: "../../codegen/runtime".to_owned(),
        }
    }
}

/// Generates the crate for the document at `file`; `source` is how generated headers
/// name the document (`openapi/groove-music.yaml`).
pub fn generate(file: &Path, source: &str) -> Result<Crate, Errors> {
    generate_with(file, source, &Options::default())
}

/// [`generate`], with options.
pub fn generate_with(file: &Path, source: &str, options: &Options) -> Result<Crate, Errors> {
    let document = load::load(file)?;
    generate_document_with(&document, source, options)
}

/// Generates the crate for a document already loaded.
pub fn generate_document(document: &load::Document, source: &str) -> Result<Crate, Errors> {
    generate_document_with(document, source, &Options::default())
}

/// [`generate_document`], with options.
pub fn generate_document_with(
    document: &load::Document,
    source: &str,
    options: &Options,
) -> Result<Crate, Errors> {
    let stem = document
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = names::crate_name(&stem);
    // Checking examples only produces warnings, so it runs beside lowering and emitting
    // on a core of its own (on GitHub's description it is a fifth of the work).
    let (warnings, files) = std::thread::scope(|scope| {
        let examples = scope.spawn(|| examples::check(&document.file, document.source()));
        let files = lower_and_emit(document, &name, source, options);
        let warnings = match examples.join() {
            Ok(Ok(())) => Vec::new(),
            Ok(Err(Errors(warnings))) => document.relocate_source(warnings),
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (warnings, files)
    });
    let (lowering_warnings, files) =
        files.map_err(|Errors(errors)| Errors(document.relocate(errors)))?;
    let lowering_warnings = document.relocate(lowering_warnings);
    let warnings = lowering_warnings.into_iter().chain(warnings).collect();
    Ok(Crate {
        name,
        source: source.to_owned(),
        files,
        warnings,
    })
}

/// The warnings of lowering `document` and the crate's files.
fn lower_and_emit(
    document: &load::Document,
    name: &str,
    source: &str,
    options: &Options,
) -> Result<(Vec<Error>, Vec<emit::File>), Errors> {
    let mut service = lower::lower(document, name, source)?;
    service.runtime_path.clone_from(&options.runtime_path);
    let warnings = std::mem::take(&mut service.warnings);
    emit::emit(&service)
        .map(|files| (warnings, files))
        .map_err(|error| {
            Error::at_pointer(
                &document.file,
                "",
                format!("internal error: generated code does not parse: {error}"),
            )
            .help("this is a bug in the generator; please report it with the document")
            .into()
        })
}
