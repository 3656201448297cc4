//! `cargo xtask codegen` as a user runs it: the real binary, on the real documents, or on
//! scratch copies of `openapi/` and `generated/` (through `APIGEN_WORKSPACE`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Every file under a folder, by relative path, with its bytes.
type Tree = BTreeMap<PathBuf, Vec<u8>>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent folder")
        .to_owned()
}

fn xtask(workspace: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("APIGEN_WORKSPACE", workspace)
        .output()
        .expect("the xtask binary runs")
}

fn tree(folder: &Path) -> Tree {
    let mut files = Tree::new();
    let mut stack = vec![folder.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a readable folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).expect("a readable file");
                let relative = path
                    .strip_prefix(folder)
                    .expect("under the folder")
                    .to_owned();
                files.insert(relative, bytes);
            }
        }
    }
    files
}

fn write_tree(folder: &Path, files: &Tree) {
    for (path, bytes) in files {
        let path = folder.join(path);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("folder created");
        fs::write(path, bytes).expect("file written");
    }
}

/// A scratch workspace holding copies of the real `openapi/` and `generated/`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for folder in ["openapi", "generated"] {
        write_tree(&dir.path().join(folder), &tree(&root().join(folder)));
    }
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Changes every document's title, so that every crate has to be rewritten.
fn retitle_every_document(workspace: &Path) {
    for entry in fs::read_dir(workspace.join("openapi")).expect("openapi/ lists") {
        let path = entry.expect("an entry").path();
        if path.is_file() {
            let text = fs::read_to_string(&path).expect("a document");
            let changed = text.replacen("  title: ", "  title: Retitled ", 1);
            assert_ne!(text, changed, "{} has an indented `title:`", path.display());
            fs::write(&path, changed).expect("document written");
        }
    }
}

#[test]
fn the_checked_in_generated_tree_is_up_to_date() {
    let output = xtask(&root(), &["codegen", "--check"]);
    assert!(
        output.status.success(),
        "generated/ is stale; run `cargo xtask codegen`:\n{}",
        stderr(&output)
    );
}

#[test]
fn a_stale_file_fails_the_check_which_names_it_and_changes_nothing() {
    let workspace = scratch();
    let types = workspace
        .path()
        .join("generated/xbox-presence/src/types.rs");
    fs::write(&types, "// edited by hand\n").expect("file written");
    fs::remove_file(
        workspace
            .path()
            .join("generated/crafter-profile/src/client.rs"),
    )
    .expect("file removed");
    let before = tree(workspace.path());

    let output = xtask(workspace.path(), &["codegen", "--check"]);

    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("generated/xbox-presence/src/types.rs differs"),
        "{message}"
    );
    assert!(
        message.contains("generated/crafter-profile/src/client.rs is missing"),
        "{message}"
    );
    assert!(message.contains("run `cargo xtask codegen`"), "{message}");
    let after = tree(workspace.path());
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "--check must not add or remove files"
    );
    assert!(after == before, "--check must not change a file");
}

#[test]
fn generating_twice_gives_the_same_bytes_as_the_checked_in_tree() {
    let workspace = scratch();
    fs::remove_dir_all(workspace.path().join("generated")).expect("generated/ removed");

    let first = xtask(workspace.path(), &["codegen"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let once = tree(&workspace.path().join("generated"));
    let second = xtask(workspace.path(), &["codegen"]);
    assert!(second.status.success(), "{}", stderr(&second));

    assert_eq!(tree(&workspace.path().join("generated")), once);
    assert_eq!(once, tree(&root().join("generated")));
    assert!(
        !workspace.path().join(".codegen-staging").exists(),
        "staging is cleaned up"
    );
}

#[test]
fn a_broken_document_stops_the_run_before_anything_is_written() {
    let workspace = scratch();
    retitle_every_document(workspace.path());
    let crafter = workspace.path().join("openapi/crafter-profile.yaml");
    let text = fs::read_to_string(&crafter).expect("the Crafter document");
    let broken = text.replacen(
        "#/components/schemas/Profile'",
        "#/components/schemas/Nowhere'",
        1,
    );
    assert_ne!(
        text, broken,
        "the Crafter document refers to its Profile schema"
    );
    fs::write(&crafter, broken).expect("document written");
    let before = tree(&workspace.path().join("generated"));

    let output = xtask(workspace.path(), &["codegen"]);

    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("openapi/crafter-profile.yaml#/")
            && message.contains("#/components/schemas/Nowhere"),
        "the error names the file, the JSON pointer and the reference: {message}"
    );
    assert!(message.contains("nothing was written"), "{message}");
    assert_eq!(
        tree(&workspace.path().join("generated")),
        before,
        "no crate may change, the valid ones included"
    );
}

#[test]
fn a_document_removed_from_openapi_loses_its_crate() {
    let workspace = scratch();
    fs::remove_file(workspace.path().join("openapi/crafter-profile.yaml"))
        .expect("document removed");

    let check = xtask(workspace.path(), &["codegen", "--check"]);
    assert!(!check.status.success());
    assert!(
        stderr(&check).contains("generated/crafter-profile/ has no document"),
        "{}",
        stderr(&check)
    );

    let output = xtask(workspace.path(), &["codegen"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!workspace.path().join("generated/crafter-profile").exists());
    assert!(
        workspace
            .path()
            .join("generated/xbox-presence/Cargo.toml")
            .exists()
    );
}

/// Kills the generator at every moment of the commit of a run that rewrites every crate
/// and every published document (`APIGEN_ABORT_AFTER=N` aborts the run right after its
/// N-th change to `generated/`, for N = 1, 2, ... until a run finishes): whenever it dies,
/// each crate is wholly the old one or wholly the new one, and so is each published
/// document. A commit that replaced a crate in two steps (the old one removed, then the
/// new one moved in) would be caught between them.
#[test]
fn killing_codegen_at_any_moment_of_its_commit_leaves_every_crate_whole() {
    let old_workspace = scratch();
    let old = tree(&old_workspace.path().join("generated"));
    retitle_every_document(old_workspace.path());
    let new_workspace = scratch();
    retitle_every_document(new_workspace.path());
    let full = xtask(new_workspace.path(), &["codegen"]);
    assert!(full.status.success(), "{}", stderr(&full));
    let new = tree(&new_workspace.path().join("generated"));
    assert_ne!(old, new);

    // A crate is one unit; each published document (`openapi/<name>.json`) is its own.
    let split = |files: &Tree| -> BTreeMap<PathBuf, Tree> {
        let mut units: BTreeMap<PathBuf, Tree> = BTreeMap::new();
        for (path, bytes) in files {
            let mut parts = path.components();
            let first = PathBuf::from(parts.next().expect("a crate folder").as_os_str());
            let (unit, inside) = if first == Path::new("openapi") {
                (path.clone(), PathBuf::new())
            } else {
                (first, parts.as_path().to_owned())
            };
            units.entry(unit).or_default().insert(inside, bytes.clone());
        }
        units
    };
    let (old_units, new_units) = (split(&old), split(&new));

    let mut aborted = 0;
    for limit in 1.. {
        let workspace = tempfile::tempdir().expect("a temporary folder");
        write_tree(
            &workspace.path().join("openapi"),
            &tree(&old_workspace.path().join("openapi")),
        );
        write_tree(&workspace.path().join("generated"), &old);
        let status = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["codegen"])
            .env("APIGEN_WORKSPACE", workspace.path())
            .env("APIGEN_ABORT_AFTER", limit.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the xtask binary runs");
        let units = split(&tree(&workspace.path().join("generated")));
        for (unit, files) in &units {
            assert!(
                old_units.get(unit) == Some(files) || new_units.get(unit) == Some(files),
                "killed after change {limit}: generated/{} is neither the old nor the new one",
                unit.display()
            );
        }
        assert_eq!(
            units.keys().collect::<Vec<_>>(),
            old_units.keys().collect::<Vec<_>>(),
            "killed after change {limit}: a crate or published document went missing"
        );
        if status.success() {
            assert_eq!(units, new_units, "a finished run wrote the new tree");
            break;
        }
        aborted += 1;
        assert!(limit < 1000, "the run never finished");
    }
    // One change per crate and per published document, at least.
    assert!(
        aborted >= old_units.len(),
        "only {aborted} moments to kill at, for {} crates and documents",
        old_units.len()
    );
}

/// Documents broken in each way the generator must explain: file name, text, and what
/// the message must say (where, then what).
const BROKEN: &[(&str, &str, &[&str])] = &[
    (
        "yaml-syntax.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'\npaths: {}\n",
        &["openapi/yaml-syntax.yaml:", "invalid YAML"],
    ),
    (
        "json-syntax.json",
        "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T\",, \"version\": \"1\"}, \"paths\": {}}",
        &["openapi/json-syntax.json:1:", "invalid JSON"],
    ),
    (
        "dangling.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n",
        &[
            "openapi/dangling.yaml#/components/schemas/A/$ref:",
            "points at nothing",
        ],
    ),
    (
        "cycle.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        &[
            "openapi/cycle.yaml#/components/schemas/A:",
            "`$ref` cycle: A -> B -> A",
        ],
    ),
    (
        "wrong-type.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: [not, text]}\n",
        &[
            "openapi/wrong-type.yaml#/paths/~1a/get/responses/200/description:",
            "expected a string",
        ],
    ),
    (
        "duplicate-ids.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get: {operationId: same, responses: {'204': {description: ok}}}\n  /b:\n    get: {operationId: same, responses: {'204': {description: ok}}}\n",
        &[
            "openapi/duplicate-ids.yaml#/paths/~1b/get:",
            "operationId `same` is already used",
        ],
    ),
    (
        "unsupported.yaml",
        "openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
        &[
            "openapi/unsupported.yaml#/openapi:",
            "OpenAPI 4.0.0 is not supported",
        ],
    ),
];

#[test]
fn each_kind_of_broken_document_gets_a_located_message_and_nothing_is_written() {
    let workspace = scratch();
    let before = tree(&workspace.path().join("generated"));
    for (name, text, expected) in BROKEN {
        let document = workspace.path().join("openapi").join(name);
        fs::write(&document, text).expect("document written");

        let output = xtask(workspace.path(), &["codegen"]);

        let message = stderr(&output);
        assert!(!output.status.success(), "{name} was accepted: {message}");
        assert!(!message.contains("panicked"), "{name}: {message}");
        for part in *expected {
            assert!(
                message.contains(part),
                "{name}: expected {part:?} in: {message}"
            );
        }
        assert!(
            message.contains("help: "),
            "{name}: says what to do: {message}"
        );
        assert!(message.contains("nothing was written"), "{name}: {message}");
        assert_eq!(
            tree(&workspace.path().join("generated")),
            before,
            "{name}: no crate may change"
        );
        fs::remove_file(&document).expect("document removed");
    }
}
