//! The published documents: what teams in other languages generate their clients from.
//!
//! Each service's document is published self-contained (every relative-file `$ref`
//! bundled in by [`crate::load`]) at a stable path, `generated/openapi/<crate>.json` and
//! `generated/openapi/<crate>.yaml`, so that another repository can fetch one file and
//! hand it to its own generator. Both are the same document, the JSON byte for byte the
//! one each crate embeds (`openapi.json`, `OPENAPI_JSON`); the YAML is the same value
//! written as YAML ([`yaml`]: read back as the same value by YAML 1.1 and 1.2 readers
//! alike), keys in the document's order. Same document, same bytes.

use crate::emit::File;
use crate::format::header;
use crate::{Crate, Error};
use std::path::Path;

mod yaml;

/// The file each crate embeds its bundled document in, and the published JSON's source.
const EMBEDDED: &str = "openapi.json";

/// The published files of `generated` (paths relative to `generated/openapi/`):
/// `<crate>.json` and `<crate>.yaml`.
pub fn documents(generated: &Crate, file: &Path) -> Result<Vec<File>, Error> {
    let internal = |what: String| {
        Error::at_pointer(file, "", format!("internal error: {what}"))
            .help("this is a bug in the generator; please report it with the document")
    };
    let json = generated
        .files
        .iter()
        .find(|embedded| embedded.path == EMBEDDED)
        .ok_or_else(|| internal(format!("the crate has no `{EMBEDDED}` to publish")))?;
    let value: serde_json::Value = serde_json::from_str(&json.text)
        .map_err(|error| internal(format!("the bundled document does not parse: {error}")))?;
    let yaml = yaml::to_string(&value);
    Ok(vec![
        File {
            path: format!("{}.json", generated.name),
            text: json.text.clone(),
        },
        File {
            path: format!("{}.yaml", generated.name),
            text: format!("{}{yaml}", header(&generated.source, "#")),
        },
    ])
}
