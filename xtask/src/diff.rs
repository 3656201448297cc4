//! `cargo xtask diff OLD NEW`: every change between two versions of a document, and whom
//! it breaks (see `apigen_codegen::diff`).
//!
//! OLD and NEW are files, or `git:REV:PATH` for the document at a git revision (PATH
//! relative to the repository's root, as `git show REV:PATH` reads it). A document at a
//! revision is written into a temporary folder with the files its relative `$ref`s name
//! (read at the same revision), so that it loads exactly as it was.
//!
//! Exit status: 0 when nothing reaches the `--fail-on` class (default: breaks-clients),
//! 1 when something does, 2 when a document cannot be read (or the arguments are wrong).

use apigen_codegen::diff::{self, Change, Class};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode};

/// How the changes are printed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

struct Options<'a> {
    old: &'a str,
    new: &'a str,
    format: Format,
    fail_on: Class,
}

fn parse<'a>(args: &[&'a str]) -> Result<Options<'a>, String> {
    let mut documents = Vec::new();
    let mut format = Format::Text;
    let mut fail_on = Class::BreaksClients;
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--format" => {
                format = match args.next().copied() {
                    Some("text") => Format::Text,
                    Some("json") => Format::Json,
                    other => {
                        return Err(format!(
                            "`--format` takes `text` or `json`, not {}",
                            other.map_or("nothing".to_owned(), |o| format!("`{o}`"))
                        ));
                    }
                }
            }
            "--fail-on" => {
                let name = args.next().copied().unwrap_or_default();
                fail_on = Class::from_name(name).ok_or_else(|| {
                    format!(
                        "`--fail-on` takes breaks-clients, breaks-implementations or compatible, not `{name}`"
                    )
                })?;
            }
            option if option.starts_with("--") => {
                return Err(format!("unknown option `{option}`"));
            }
            document => documents.push(document),
        }
    }
    match documents[..] {
        [old, new] => Ok(Options {
            old,
            new,
            format,
            fail_on,
        }),
        _ => Err(format!(
            "`diff` compares two documents, OLD and NEW ({} given)",
            documents.len()
        )),
    }
}

/// Runs `cargo xtask diff` with the arguments after `diff`.
pub fn run(args: &[&str]) -> ExitCode {
    let options = match parse(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!(
                "error: {message}\n\nusage: cargo xtask diff OLD NEW [--format text|json] [--fail-on CLASS]"
            );
            return ExitCode::from(2);
        }
    };
    let (old, new) = match (read(options.old), read(options.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            for error in [old.err(), new.err()].into_iter().flatten() {
                eprintln!("{error}");
            }
            eprintln!("\nnothing was compared: a document could not be read");
            return ExitCode::from(2);
        }
    };
    let changes = diff::diff(&old, &new);
    match options.format {
        Format::Text => print!("{}", text(options.old, options.new, &changes)),
        Format::Json => println!("{:#}", as_json(&options, &changes)),
    }
    if changes
        .iter()
        .any(|change| change.class() >= options.fail_on)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// How many changes of each class, worst first.
fn counts(changes: &[Change]) -> [(Class, usize); 3] {
    Class::ALL.map(|class| (class, changes.iter().filter(|c| c.class() == class).count()))
}

/// The changes for a person: worst first, each with its rule, operation, place and the
/// pointers in both documents; then a summary.
fn text(old: &str, new: &str, changes: &[Change]) -> String {
    let mut out = String::new();
    for class in Class::ALL {
        for change in changes.iter().filter(|c| c.class() == class) {
            out.push_str(&format!("{} [{}] ", class, change.rule.id));
            if let Some(operation) = &change.operation {
                out.push_str(&format!("{operation}: "));
            }
            out.push_str(&format!(
                "{}: {}\n    old: {old}#{}\n    new: {new}#{}\n",
                change.location, change.message, change.old, change.new
            ));
        }
    }
    if changes.is_empty() {
        out.push_str(&format!("diff: no change from {old} to {new}\n"));
    } else {
        let counts: Vec<String> = counts(changes)
            .iter()
            .map(|(class, n)| format!("{n} {class}"))
            .collect();
        out.push_str(&format!(
            "diff: {} changes from {old} to {new}: {}\n",
            changes.len(),
            counts.join(", ")
        ));
    }
    out
}

/// The changes for tools: the documents, counts by class, and each change with its
/// rule, class, family, direction, operation, place, message and pointers.
fn as_json(options: &Options<'_>, changes: &[Change]) -> Value {
    let summary: serde_json::Map<String, Value> = counts(changes)
        .iter()
        .map(|(class, n)| (class.as_str().to_owned(), json!(n)))
        .collect();
    let changes: Vec<Value> = changes
        .iter()
        .map(|change| {
            json!({
                "rule": change.rule.id,
                "class": change.class().as_str(),
                "family": change.rule.family.as_str(),
                "direction": change.rule.direction.as_str(),
                "operation": change.operation,
                "location": change.location,
                "message": change.message,
                "old": change.old,
                "new": change.new,
            })
        })
        .collect();
    json!({
        "old": options.old,
        "new": options.new,
        "summary": summary,
        "changes": changes,
    })
}

/// Reads a document named on the command line: a file, or `git:REV:PATH`.
fn read(name: &str) -> Result<Value, String> {
    let Some(at_revision) = name.strip_prefix("git:") else {
        return apigen_codegen::load::load(Path::new(name))
            .map(|document| document.value)
            .map_err(|errors| errors.to_string());
    };
    let Some((revision, path)) = at_revision.split_once(':') else {
        return Err(format!(
            "error: `{name}`: a document at a git revision is written git:REV:PATH"
        ));
    };
    let scratch = tempfile::tempdir()
        .map_err(|error| format!("error: {name}: cannot make a temporary folder: {error}"))?;
    let folder = scratch
        .path()
        .canonicalize()
        .unwrap_or_else(|_| scratch.path().to_owned());
    check_out(revision, path, &folder)?;
    apigen_codegen::load::load(&folder.join(path))
        .map(|document| document.value)
        .map_err(|errors| {
            // Messages name the files as the user would: at the revision, not in the
            // temporary folder.
            errors.to_string().replace(
                &format!("{}/", folder.display()),
                &format!("git:{revision}:"),
            )
        })
}

/// Writes `path` at `revision` under `folder`, and the files its relative `$ref`s name
/// (and theirs), each at its place relative to the repository's root.
fn check_out(revision: &str, path: &str, folder: &Path) -> Result<(), String> {
    let mut pending = vec![path.to_owned()];
    let mut done = BTreeSet::new();
    while let Some(path) = pending.pop() {
        if !done.insert(path.clone()) {
            continue;
        }
        let output = Command::new("git")
            .args(["show", &format!("{revision}:{path}")])
            .output()
            .map_err(|error| format!("error: git:{revision}:{path}: cannot run git: {error}"))?;
        if !output.status.success() {
            if done.len() == 1 {
                return Err(format!(
                    "error: git:{revision}:{path}: cannot read: {}\n  help: name a revision and a path from the repository's root, as `git show REV:PATH` takes them",
                    String::from_utf8_lossy(&output.stderr).trim()
                ));
            }
            // A referenced file missing at that revision: the loader says where it is
            // referenced, with the rest of its checks.
            continue;
        }
        let target = folder.join(&path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|error| format!("error: {}: cannot write: {error}", target.display()))?;
        }
        fs::write(&target, &output.stdout)
            .map_err(|error| format!("error: {}: cannot write: {error}", target.display()))?;
        // YAML reads JSON too; a document that does not parse is reported by the loader.
        if let Ok(value) = serde_yaml_ng::from_slice::<Value>(&output.stdout) {
            let base = Path::new(&path).parent().unwrap_or(Path::new(""));
            let mut references = Vec::new();
            file_references(&value, &mut references);
            for reference in references {
                if let Some(joined) = join(base, &reference) {
                    pending.push(joined);
                }
            }
        }
    }
    Ok(())
}

/// The files named by the `$ref`s in `value` (the part before `#`), relative ones only.
fn file_references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let file = target.split('#').next().unwrap_or_default();
                if !file.is_empty() && !file.contains("://") && !file.starts_with('/') {
                    found.push(file.to_owned());
                }
            }
            map.values().for_each(|child| file_references(child, found));
        }
        Value::Array(items) => items.iter().for_each(|child| file_references(child, found)),
        _ => {}
    }
}

/// `reference` relative to the folder `base`, as a path from the repository's root
/// (`/`-separated), or `None` when it leaves the repository.
fn join(base: &Path, reference: &str) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for component in base.join(reference).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_joined_to_their_file_folder_and_stay_in_the_repository() {
        assert_eq!(
            join(Path::new("openapi"), "common/errors.yaml").as_deref(),
            Some("openapi/common/errors.yaml")
        );
        assert_eq!(
            join(Path::new("openapi/v2"), "../common/x.yaml").as_deref(),
            Some("openapi/common/x.yaml")
        );
        assert_eq!(join(Path::new(""), "../outside.yaml"), None);
    }

    #[test]
    fn options_come_in_any_order() {
        let options = parse(&[
            "--fail-on",
            "compatible",
            "a.yaml",
            "--format",
            "json",
            "b.yaml",
        ])
        .expect("valid options");
        assert_eq!((options.old, options.new), ("a.yaml", "b.yaml"));
        assert!(options.format == Format::Json);
        assert_eq!(options.fail_on, Class::Compatible);
        assert!(parse(&["a.yaml"]).is_err());
        assert!(parse(&["a.yaml", "b.yaml", "--fail-on", "everything"]).is_err());
    }
}
