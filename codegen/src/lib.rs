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
    let lowered = lower_document(&document, source, options)?;
    // The document, as a value and typed, is a large document's largest part: it is
    // dropped before emitting, the generator's busiest stage.
    drop(document);
    lowered.emit()
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
    lower_document(document, source, options)?.emit()
}

/// A document lowered, and what is wrong in it, ready to be emitted without it.
struct Lowered {
    file: std::path::PathBuf,
    name: String,
    source: String,
    service: model::Service,
    warnings: Vec<Error>,
}

/// Lowers `document` and checks its examples.
fn lower_document(
    document: &load::Document,
    source: &str,
    options: &Options,
) -> Result<Lowered, Errors> {
    let stem = document
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = names::crate_name(&stem);
    // Checking examples only produces warnings, so it runs beside lowering on a core of
    // its own (on GitHub's description the two take about as long).
    let (warnings, service) = std::thread::scope(|scope| {
        let examples = scope.spawn(|| examples::check(&document.file, document.source()));
        let service = lower::lower(document, &name, source);
        let warnings = match examples.join() {
            Ok(Ok(())) => Vec::new(),
            Ok(Err(Errors(warnings))) => document.relocate_source(warnings),
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (warnings, service)
    });
    let mut service = service.map_err(|Errors(errors)| Errors(document.relocate(errors)))?;
    service.runtime_path.clone_from(&options.runtime_path);
    let lowering_warnings = document.relocate(std::mem::take(&mut service.warnings));
    Ok(Lowered {
        file: document.file.clone(),
        name,
        source: source.to_owned(),
        service,
        warnings: lowering_warnings.into_iter().chain(warnings).collect(),
    })
}

impl Lowered {
    /// The crate's files.
    fn emit(self) -> Result<Crate, Errors> {
        let files = emit::emit(&self.service).map_err(|error| {
            Error::at_pointer(
                &self.file,
                "",
                format!("internal error: generated code does not parse: {error}"),
            )
            .help("this is a bug in the generator; please report it with the document")
        })?;
        Ok(Crate {
            name: self.name,
            source: self.source,
            files,
            warnings: self.warnings,
        })
    }
}
