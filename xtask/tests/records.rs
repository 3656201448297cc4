//! The guard on published versions, as a user meets it: `cargo xtask codegen` in a scratch
//! copy of the workspace refuses an edit that breaks the clients of the published
//! version, and publishes it once `info.version` is bumped, keeping the old record.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under a folder, by relative path, with its bytes.
fn tree(folder: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![folder.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("a readable folder") {
            let path = entry.expect("a readable entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(folder)
                    .expect("under the folder")
                    .to_owned();
                files.insert(relative, fs::read(&path).expect("a readable file"));
            }
        }
    }
    files
}

/// A scratch workspace holding copies of the real `openapi/` and `generated/`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for folder in ["openapi", "generated"] {
        for (path, bytes) in tree(&root().join(folder)) {
            let target = dir.path().join(folder).join(path);
            fs::create_dir_all(target.parent().expect("a parent")).expect("folder made");
            fs::write(target, bytes).expect("file written");
        }
    }
    dir
}

fn edit(workspace: &Path, from: &str, to: &str) {
    let path = workspace.join("openapi/crafter-profile.yaml");
    let text = fs::read_to_string(&path).expect("the document reads");
    assert_eq!(
        text.matches(from).count(),
        1,
        "the document holds `{from}` once"
    );
    fs::write(&path, text.replacen(from, to, 1)).expect("document written");
}

const OPTIONAL_ATTRIBUTES: &str =
    "        - name: attributeToReturn\n          in: query\n          required: false\n";
const REQUIRED_ATTRIBUTES: &str =
    "        - name: attributeToReturn\n          in: query\n          required: true\n";

#[test]
fn each_service_has_the_record_of_its_published_version() {
    for (service, version) in [
        ("azure-devops-profiles", "7.1"),
        ("crafter-profile", "1"),
        ("groove-music", "1"),
        ("xbox-presence", "3"),
    ] {
        let published = root().join(format!("generated/openapi/{service}.json"));
        let record = root().join(format!("generated/openapi/{service}/{version}.json"));
        assert_eq!(
            fs::read(&record).unwrap_or_else(|error| panic!("{}: {error}", record.display())),
            fs::read(&published).expect("the published document"),
            "{service}'s record of version {version} is its published document"
        );
    }
}

#[test]
fn a_breaking_edit_is_refused_with_its_pointer_and_rule_and_nothing_is_written() {
    let workspace = scratch();
    edit(workspace.path(), OPTIONAL_ATTRIBUTES, REQUIRED_ATTRIBUTES);
    let before = tree(&workspace.path().join("generated"));

    for args in [&["codegen"][..], &["codegen", "--check"]] {
        let output = xtask(workspace.path(), args);
        assert!(!output.status.success(), "{args:?} must fail");
        let message = stderr(&output);
        for expected in [
            "error: openapi/crafter-profile.yaml: 1 change breaks the clients of published version 1 (generated/openapi/crafter-profile/1.json):",
            "openapi/crafter-profile.yaml#/paths/~1api~11~1profile~1{id}/get/parameters/1/required: breaks-clients [parameter-became-required] GET /api/1/profile/{id}: query parameter `attributeToReturn`: became required",
            "published: generated/openapi/crafter-profile/1.json#/paths/~1api~11~1profile~1{id}/get/parameters/1/required",
            "help: bump info.version to publish a breaking change",
            "nothing was written",
        ] {
            assert!(
                message.contains(expected),
                "{args:?}: `{expected}` in:\n{message}"
            );
        }
        assert!(
            tree(&workspace.path().join("generated")) == before,
            "{args:?} must not change generated/"
        );
    }
}

#[test]
fn bumping_the_version_publishes_the_breaking_change_and_keeps_the_old_record() {
    let workspace = scratch();
    edit(workspace.path(), OPTIONAL_ATTRIBUTES, REQUIRED_ATTRIBUTES);
    edit(workspace.path(), "  version: '1'\n", "  version: '2'\n");
    let published = workspace.path().join("generated/openapi");
    let old_record =
        fs::read(published.join("crafter-profile/1.json")).expect("version 1's record");

    let output = xtask(workspace.path(), &["codegen"]);

    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        fs::read(published.join("crafter-profile/1.json")).expect("version 1's record"),
        old_record,
        "the record of version 1 stays as it was"
    );
    let new_record =
        fs::read(published.join("crafter-profile/2.json")).expect("version 2's record");
    assert_eq!(
        new_record,
        fs::read(published.join("crafter-profile.json")).expect("the published document")
    );
    assert!(String::from_utf8_lossy(&new_record).contains("\"required\": true"));
    let check = xtask(workspace.path(), &["codegen", "--check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn a_compatible_edit_rewrites_the_record_of_the_same_version() {
    let workspace = scratch();
    edit(
        workspace.path(),
        "  title: Crafter Profile",
        "  title: The Crafter Profile",
    );
    let published = workspace.path().join("generated/openapi");

    let check = xtask(workspace.path(), &["codegen", "--check"]);
    assert!(!check.status.success());
    assert!(
        stderr(&check).contains(
            "generated/: openapi/crafter-profile/1.json differs (compatible changes not yet recorded)"
        ),
        "{}",
        stderr(&check)
    );

    let output = xtask(workspace.path(), &["codegen"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let record = fs::read(published.join("crafter-profile/1.json")).expect("version 1's record");
    assert_eq!(
        record,
        fs::read(published.join("crafter-profile.json")).expect("the published document")
    );
    assert!(String::from_utf8_lossy(&record).contains("The Crafter Profile"));
}

#[test]
fn a_missing_record_fails_the_check_and_codegen_writes_it() {
    let workspace = scratch();
    let record = workspace
        .path()
        .join("generated/openapi/xbox-presence/3.json");
    fs::remove_file(&record).expect("record removed");

    let check = xtask(workspace.path(), &["codegen", "--check"]);
    assert!(!check.status.success());
    assert!(
        stderr(&check).contains("generated/: openapi/xbox-presence/3.json is missing"),
        "{}",
        stderr(&check)
    );

    let output = xtask(workspace.path(), &["codegen"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        fs::read(&record).expect("the record is back"),
        fs::read(
            workspace
                .path()
                .join("generated/openapi/xbox-presence.json")
        )
        .expect("the published document")
    );
}
