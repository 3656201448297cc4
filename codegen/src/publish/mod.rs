//! The published documents: what teams in other languages generate their clients from.
//!
//! Each service's document is published self-contained (every relative-file `$ref`
//! bundled in by [`crate::load`]) at a stable path, `generated/openapi/<crate>.json` and
//! `generated/openapi/<crate>.yaml`, so that another repository can fetch one file and
//! hand it to its own generator. Both are the same document, byte for byte the ones each
//! crate embeds (`openapi.json` and `openapi.yaml`, `OPENAPI_JSON` and `OPENAPI_YAML`,
//! which its `document_router()` serves); the YAML is the same value written as YAML,
//! keys in the document's order ([`yaml`]: read back as the same
//! value by YAML 1.1 and 1.2 readers alike). Same document, same bytes.

use crate::emit::File;
use crate::{Crate, Error};
use std::path::Path;

pub mod yaml;

/// The files each crate embeds its bundled document in, and the extension each is
/// published with.
const EMBEDDED: [(&str, &str); 2] = [("openapi.json", "json"), ("openapi.yaml", "yaml")];

/// The published files of `generated` (paths relative to `generated/openapi/`):
/// `<crate>.json` and `<crate>.yaml`.
pub fn documents(generated: &Crate, file: &Path) -> Result<Vec<File>, Error> {
    EMBEDDED
        .iter()
        .map(|(embedded, extension)| {
            let found = generated
                .files
                .iter()
                .find(|candidate| candidate.path == *embedded)
                .ok_or_else(|| {
                    Error::at_pointer(
                        file,
                        "",
                        format!("internal error: the crate has no `{embedded}` to publish"),
                    )
                    .help("this is a bug in the generator; please report it with the document")
                })?;
            Ok(File {
                path: format!("{}.{extension}", generated.name),
                text: found.text.clone(),
            })
        })
        .collect()
}
