//! A document changed compatibly keeps the code written against its generated crate
//! compiling (see the module docs of `codegen/src/emit/construct.rs`).
//!
//! One scratch workspace holds the runtime, the crate `cargo xtask codegen` generates
//! from `tests/openapi/compat.yaml`, and a caller crate. The caller
//! (`fixtures/source-compatibility/caller.rs`) is written once, against the crate of
//! `compat.yaml`; each case edits the document one compatible way, regenerates the crate
//! with the real binary, and `cargo check`s the same caller against it. The callers that
//! would break (struct literals, matches without a wildcard arm) are checked to be
//! refused from the start. The target folder (`target/conformance/target/`) is kept
//! between runs, so only the generated crate and the caller are compiled again.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[expect(dead_code, reason = "what only `cargo xtask test` itself uses")]
#[path = "../src/cargo.rs"]
mod cargo;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent folder")
        .to_owned()
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/source-compatibility")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// One compatible change: the edits (`from` replaced by `to`, once each) that make it.
struct Case {
    change: &'static str,
    edits: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        change: "an optional parameter added (to an operation that has some, and to one that has none)",
        edits: &[
            (
                "      responses:\n        '200':\n          description: The pets.",
                "        - name: sort\n          in: query\n          description: The order.\n          schema:\n            type: string\n      responses:\n        '200':\n          description: The pets.",
            ),
            (
                "      description: Whether the service is up; no parameter yet.\n",
                "      description: Whether the service is up; no parameter yet.\n      parameters:\n        - name: verbose\n          in: query\n          description: Whether to say more.\n          schema:\n            type: boolean\n",
            ),
        ],
    },
    Case {
        change: "an optional request property added",
        edits: &[(
            "          minLength: 1\n",
            "          minLength: 1\n        nickname:\n          description: What it answers to.\n          type: string\n",
        )],
    },
    Case {
        change: "an optional response property added",
        edits: &[(
            "        id:\n          description: Its identifier.\n",
            "        born:\n          description: Its birthday.\n          type: string\n          format: date\n        id:\n          description: Its identifier.\n",
        )],
    },
    Case {
        change: "a new operation",
        edits: &[(
            "  /health:\n",
            "  /pets/{id}:\n    get:\n      operationId: getPet\n      description: One pet.\n      parameters:\n        - name: id\n          in: path\n          required: true\n          description: Its identifier.\n          schema:\n            type: integer\n            format: int64\n      responses:\n        '200':\n          description: The pet.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'\n  /health:\n",
        )],
    },
    Case {
        change: "a new documented status (an error, `default`, and the first error of an operation)",
        edits: &[
            (
                "                type: string\ncomponents:\n",
                "                type: string\n        '503':\n          description: Down.\ncomponents:\n",
            ),
            (
                "        '400':\n          description: The request is malformed.\n",
                "        '404':\n          description: No such species.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Error'\n        '400':\n          description: The request is malformed.\n",
            ),
            (
                "        '422':\n",
                "        default:\n          description: Anything else.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Error'\n        '422':\n",
            ),
        ],
    },
    Case {
        change: "a new value in an open enum",
        edits: &[("        - dog\n", "        - dog\n        - parrot\n")],
    },
];

/// The change that breaks implementations of the server trait, by design.
const NEW_OPERATION: &str = "a new operation";

/// The callers that a later compatible change would break, and the error that refuses
/// each from the start.
const REFUSED: &[(&str, &str)] = &[
    ("refused_params_literal.rs", "E0639"),
    ("refused_empty_params_literal.rs", "E0639"),
    ("refused_body_literal.rs", "E0639"),
    ("refused_error_match.rs", "E0004"),
    ("refused_response_match.rs", "E0004"),
    ("refused_enum_match.rs", "E0004"),
    ("refused_empty_error_match.rs", "E0004"),
];

/// The scratch workspace: the repository's manifest (dependencies, lints) and lock file
/// with the runtime, the generated crate and the caller as members.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = root();
    let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("the workspace manifest");
    let members = manifest
        .lines()
        .find(|line| line.starts_with("members = "))
        .expect("the manifest lists its members");
    let manifest = manifest.replace(
        members,
        r#"members = ["codegen/runtime", "tests/generated/*", "caller"]"#,
    );
    fs::write(dir.path().join("Cargo.toml"), manifest).expect("manifest written");
    fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).expect("lock file copied");
    copy_folder(
        &root.join("codegen/runtime"),
        &dir.path().join("codegen/runtime"),
    );
    let caller = dir.path().join("caller");
    fs::create_dir_all(caller.join("src")).expect("caller folder");
    fs::write(
        caller.join("Cargo.toml"),
        r#"[package]
name = "caller"
version = "0.0.0"
edition = "2024"
publish = false

[features]
default = ["server-impl"]
server-impl = []

[dependencies]
compat = { path = "../tests/generated/compat" }
apigen-runtime = { path = "../codegen/runtime", features = ["client"] }
"#,
    )
    .expect("caller manifest written");
    fs::create_dir_all(dir.path().join("tests/openapi")).expect("tests/openapi/");
    dir
}

fn copy_folder(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("folder created");
    for entry in fs::read_dir(from).expect("folder listed") {
        let path = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            // The runtime's own build output, if any, is not its source.
            if path.file_name().is_some_and(|name| name != "target") {
                copy_folder(&path, &target);
            }
        } else {
            fs::copy(&path, &target).expect("file copied");
        }
    }
}

/// Writes the document and regenerates its crate with the real `cargo xtask codegen`;
/// returns the crate's `src/` files, concatenated.
fn generate(workspace: &Path, document: &str) -> String {
    fs::write(workspace.join("tests/openapi/compat.yaml"), document).expect("document written");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .env("APIGEN_WORKSPACE", workspace)
        .output()
        .expect("the xtask binary runs");
    assert!(output.status.success(), "codegen: {}", text(&output));
    let src = workspace.join("tests/generated/compat/src");
    ["types.rs", "operations.rs", "client.rs", "server.rs"]
        .iter()
        .map(|file| fs::read_to_string(src.join(file)).expect("a generated file"))
        .collect()
}

/// `cargo check` of the caller with `source` as its `lib.rs`.
fn check(workspace: &Path, source: &str, server_impl: bool) -> Output {
    fs::write(workspace.join("caller/src/lib.rs"), source).expect("caller written");
    let mut command = cargo::command();
    command
        .current_dir(workspace)
        .args(["check", "--offline", "--quiet", "--package", "caller"])
        .args(["--message-format", "short"])
        // Not the repository's target folder, which `cargo test` holds locked: the one
        // `cargo xtask conformance` builds generated crates in, so that the dependencies
        // are compiled once for both.
        .env("CARGO_TARGET_DIR", root().join("target/conformance/target"));
    if !server_impl {
        command.arg("--no-default-features");
    }
    command.output().expect("cargo runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `cargo xtask diff OLD NEW --fail-on breaks-implementations`: the class the change
/// gets, as the README defines them.
fn diff(workspace: &Path, old: &str, new: &str) -> Output {
    let (old_path, new_path) = (workspace.join("old.yaml"), workspace.join("new.yaml"));
    fs::write(&old_path, old).expect("old document written");
    fs::write(&new_path, new).expect("new document written");
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args([&old_path, &new_path])
        .args(["--fail-on", "breaks-implementations"])
        .output()
        .expect("the xtask binary runs")
}

#[test]
fn code_written_against_a_generated_crate_compiles_after_every_compatible_change() {
    let scratch = workspace();
    let workspace = scratch.path();
    let original = fixture("compat.yaml");
    let caller = fixture("caller.rs");
    let before = generate(workspace, &original);

    let output = check(workspace, &caller, true);
    assert!(
        output.status.success(),
        "the caller compiles against the original crate: {}",
        text(&output)
    );
    for (file, code) in REFUSED {
        let output = check(workspace, &fixture(file), true);
        assert!(
            !output.status.success() && text(&output).contains(&format!("error[{code}]")),
            "{file} is refused with {code}: {}",
            text(&output)
        );
    }

    for case in CASES {
        let mut document = original.clone();
        for (from, to) in case.edits {
            assert!(document.contains(from), "{}: no `{from}`", case.change);
            document = document.replacen(from, to, 1);
        }

        let classed = diff(workspace, &original, &document);
        let report = text(&classed);
        let (expected, status) = if case.change == NEW_OPERATION {
            ("0 breaks-clients, 1 breaks-implementations", 1)
        } else {
            ("0 breaks-clients, 0 breaks-implementations", 0)
        };
        assert!(
            report.contains(expected) && classed.status.code() == Some(status),
            "{}: `cargo xtask diff` says {expected}: {report}",
            case.change
        );

        let after = generate(workspace, &document);
        assert_ne!(before, after, "{}: the crate changed", case.change);
        // A new operation is a new method every implementation of the trait must write:
        // the caller's client code still compiles, its implementation does not.
        let server_impl = case.change != NEW_OPERATION;
        let output = check(workspace, &caller, server_impl);
        assert!(
            output.status.success(),
            "the caller compiles after {}: {}",
            case.change,
            text(&output)
        );
        if !server_impl {
            let output = check(workspace, &caller, true);
            assert!(
                text(&output).contains("error[E0046]"),
                "{}: the implementation lacks the new method: {}",
                case.change,
                text(&output)
            );
        }
    }
}
