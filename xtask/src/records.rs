//! The published version of each service's document, recorded so that a change that
//! breaks its clients is refused before it is published.
//!
//! Each version a service publishes is kept as `generated/openapi/<service>/<version>.json`
//! (`<version>` is the document's `info.version`): the bundled document, the same bytes
//! as `generated/openapi/<service>.json` when it was published, the way
//! dropshot-api-manager keeps "blessed" versions. `cargo xtask codegen` compares the
//! document with the record of its current version:
//!
//! - no record yet: a new version, recorded as it is (older records stay, for the clients
//!   generated from them);
//! - nothing in the change breaks clients: the record is rewritten, and that version
//!   carries the compatible additions;
//! - something breaks clients: nothing is written, and each breaking change is listed
//!   with its pointer and rule. Publishing it on purpose is one step: bump `info.version`.
//!
//! `cargo xtask codegen --check` reports a missing or stale record, and a breaking change,
//! the same way.

use apigen_codegen::Crate;
use apigen_codegen::diff::{self, Class};
use apigen_codegen::emit::File;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What `codegen` does with the records of one output folder.
pub struct Plan {
    /// The folder of the records' folders (`<root>/generated/openapi`).
    folder: PathBuf,
    /// How messages name it (`generated/openapi`).
    shown: String,
    /// The records to write (new or rewritten), relative to `folder`, and why.
    writes: Vec<(File, &'static str)>,
    /// Why nothing may be written: each service whose document breaks its published
    /// version's clients, with the changes.
    pub refusals: Vec<String>,
}

/// Compares each service's bundled document (`published`: the files of `<output>/openapi/`,
/// `<service>.json` among them) with the record of its `info.version`.
pub fn plan(root: &Path, output: &str, crates: &[Crate], published: &[File]) -> io::Result<Plan> {
    let shown = format!("{output}/{}", crate::write::PUBLISHED);
    let mut plan = Plan {
        folder: root.join(&shown),
        shown,
        writes: Vec::new(),
        refusals: Vec::new(),
    };
    for service in crates {
        let json = format!("{}.json", service.name);
        let Some(document) = published.iter().find(|file| file.path == json) else {
            continue;
        };
        plan.service(service, &document.text)?;
    }
    Ok(plan)
}

/// The file name of the record of `version`: the version itself when it is made of
/// letters, digits, `.`, `-`, `_` and `+`, each other byte percent-encoded (`%` too, so
/// two versions never share a file), and a leading dot as well, so that no version names
/// a hidden file or leaves the folder. Real documents version themselves with dates and
/// spaces (Zuora's is `Wed Oct 15 2025 13:53:36 GMT+0000 (…)`): refusing them would make
/// the guard refuse the document. `None` for an empty version, which names nothing.
fn file_name_for(version: &str) -> Option<String> {
    if version.is_empty() {
        return None;
    }
    let mut name = String::with_capacity(version.len() + 5);
    for (index, byte) in version.bytes().enumerate() {
        let plain = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'+')
            || (byte == b'.' && index > 0);
        if plain {
            name.push(char::from(byte));
        } else {
            name.push_str(&format!("%{byte:02X}"));
        }
    }
    name.push_str(".json");
    Some(name)
}

/// The part of a document a record is named after.
#[derive(serde::Deserialize)]
struct Head {
    #[serde(default)]
    info: serde_json::Value,
}

impl Plan {
    fn service(&mut self, service: &Crate, text: &str) -> io::Result<()> {
        let source = &service.source;
        let parse_error = |error: serde_json::Error| {
            io::Error::other(format!(
                "the bundled document of {source} does not parse: {error}"
            ))
        };
        // Only `info` is read into memory: the whole of GitHub's document as a value is
        // 70 MB, and only a changed document needs it, to be compared.
        let head: Head = serde_json::from_str(text).map_err(parse_error)?;
        let version = head
            .info
            .get("version")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        let Some(file_name) = file_name_for(version) else {
            self.refusals.push(format!(
                "error: {source}#/info/version: an empty version cannot name the record of a published version\n  help: give the document a version (for example `1.0.0`)"
            ));
            return Ok(());
        };
        let path = format!("{}/{file_name}", service.name);
        let record = self.folder.join(&path);
        let shown = format!("{}/{path}", self.shown);
        let recorded = match fs::read_to_string(&record) {
            Ok(recorded) => recorded,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                self.writes.push((
                    File {
                        path,
                        text: text.to_owned(),
                    },
                    "is missing",
                ));
                return Ok(());
            }
            Err(error) => return Err(io::Error::other(format!("{shown}: {error}"))),
        };
        if recorded == text {
            return Ok(());
        }
        let published: serde_json::Value = match serde_json::from_str(&recorded) {
            Ok(published) => published,
            Err(error) => {
                self.refusals.push(format!(
                    "error: {shown}: the record of published version {version} is not JSON: {error}\n  help: restore it from git (`git checkout -- {shown}`): it is what that version's clients were generated from"
                ));
                return Ok(());
            }
        };
        let document: serde_json::Value = serde_json::from_str(text).map_err(parse_error)?;
        let breaking: Vec<String> = diff::diff(&published, &document)
            .into_iter()
            .filter(|change| change.class() == Class::BreaksClients)
            .map(|change| {
                format!(
                    "  {source}#{}: {} [{}] {}{}: {}\n      published: {shown}#{}",
                    change.new,
                    change.class(),
                    change.rule.id,
                    change
                        .operation
                        .as_ref()
                        .map_or(String::new(), |operation| format!("{operation}: ")),
                    change.location,
                    change.message,
                    change.old,
                )
            })
            .collect();
        if breaking.is_empty() {
            self.writes.push((
                File {
                    path,
                    text: text.to_owned(),
                },
                "differs (compatible changes not yet recorded)",
            ));
            return Ok(());
        }
        self.refusals.push(format!(
            "error: {source}: {} change{} break{} the clients of published version {version} ({shown}):\n{}\n  help: bump info.version to publish a breaking change (the record of version {version} stays, for the clients generated from it), or undo the change",
            breaking.len(),
            if breaking.len() == 1 { "" } else { "s" },
            if breaking.len() == 1 { "s" } else { "" },
            breaking.join("\n"),
        ));
        Ok(())
    }

    /// What `--check` reports: one line per record to write.
    pub fn stale(&self) -> Vec<String> {
        self.writes
            .iter()
            .map(|(file, why)| format!("{}/{} {why}", crate::write::PUBLISHED, file.path))
            .collect()
    }

    /// Writes each record that is new or rewritten, each beside its place and renamed
    /// over it, so that it is wholly old or wholly new.
    pub fn write(&self) -> io::Result<String> {
        let mut written = Vec::new();
        for (file, _) in &self.writes {
            let path = self.folder.join(&file.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            let partial = path.with_extension("json.partial");
            fs::write(&partial, &file.text)?;
            fs::rename(&partial, &path)?;
            crate::write::changed();
            written.push(file.path.clone());
        }
        Ok(format!(
            "records of published versions: {} written{}",
            written.len(),
            if written.is_empty() {
                String::new()
            } else {
                format!(" ({})", written.join(", "))
            }
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::file_name_for;

    #[test]
    fn every_version_names_one_plain_file_of_its_own() {
        assert_eq!(file_name_for("7.1").as_deref(), Some("7.1.json"));
        assert_eq!(
            file_name_for("1.0.0-beta+2").as_deref(),
            Some("1.0.0-beta+2.json")
        );
        assert_eq!(file_name_for("../1").as_deref(), Some("%2E.%2F1.json"));
        assert_eq!(file_name_for("a/b").as_deref(), Some("a%2Fb.json"));
        assert_eq!(
            file_name_for("Wed Oct 15 2025 (UTC)").as_deref(),
            Some("Wed%20Oct%2015%202025%20%28UTC%29.json")
        );
        // `%` is encoded too: a version that looks encoded keeps a file of its own.
        assert_ne!(file_name_for("a b"), file_name_for("a%20b"));
        assert_eq!(file_name_for("é").as_deref(), Some("%C3%A9.json"));
        assert_eq!(file_name_for(""), None);
    }
}
