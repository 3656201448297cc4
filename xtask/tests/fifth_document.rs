//! A document the generator's authors never saw becomes a crate that builds warning-free
//! with no manual edits: `cargo xtask codegen` in a scratch workspace (the real runtime
//! copied in), then `cargo clippy -D warnings` on the generated crate.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[expect(dead_code, reason = "what only `cargo xtask test` itself uses")]
#[path = "../src/cargo.rs"]
mod cargo;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_owned()
}

fn copy_folder(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("folder created");
    for entry in fs::read_dir(from).expect("folder lists") {
        let path = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_folder(&path, &target);
        } else {
            fs::copy(&path, &target).expect("file copied");
        }
    }
}

#[test]
fn a_fifth_document_yields_a_crate_that_builds_warning_free() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let workspace = scratch.path();
    // The real workspace manifest (dependencies, lints), with only the runtime and the
    // generated crates as members.
    let manifest = fs::read_to_string(root().join("Cargo.toml")).expect("the workspace manifest");
    let members = manifest
        .lines()
        .find(|line| line.starts_with("members = "))
        .expect("a members line");
    let manifest = manifest.replace(members, r#"members = ["codegen/runtime", "generated/*"]"#);
    fs::write(workspace.join("Cargo.toml"), manifest).expect("manifest written");
    fs::copy(root().join("Cargo.lock"), workspace.join("Cargo.lock")).expect("lock file copied");
    copy_folder(
        &root().join("codegen/runtime"),
        &workspace.join("codegen/runtime"),
    );
    fs::create_dir_all(workspace.join("openapi")).expect("openapi/ created");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventory.yaml"),
        workspace.join("openapi/inventory.yaml"),
    )
    .expect("document copied");

    let generate = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .env("APIGEN_WORKSPACE", workspace)
        .output()
        .expect("xtask runs");
    assert!(
        generate.status.success(),
        "{}",
        String::from_utf8_lossy(&generate.stderr)
    );
    assert!(
        workspace
            .join("generated/inventory/src/server.rs")
            .is_file()
    );

    // A target folder of its own (kept between runs under the real one): the outer
    // `cargo test` holds the lock of the shared one.
    let clippy = cargo::command()
        .current_dir(workspace)
        .args([
            "clippy",
            "--package",
            "inventory",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])
        .env("CARGO_TARGET_DIR", root().join("target/fifth-document"))
        .output()
        .expect("cargo clippy runs");
    assert!(
        clippy.status.success(),
        "the generated crate does not build warning-free:\n{}",
        String::from_utf8_lossy(&clippy.stderr)
    );
}
