//! `cargo xtask diff` as a user runs it: the real binary on the real documents, on files
//! with edits, and on documents at git revisions.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent folder")
        .to_owned()
}

fn diff(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the xtask binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const SERVICES: [&str; 4] = [
    "azure-devops-profiles",
    "crafter-profile",
    "groove-music",
    "xbox-presence",
];

/// A copy of `openapi/crafter-profile.yaml` with `from` replaced by `to` (once), in a
/// scratch folder.
fn edited(from: &str, to: &str) -> (tempfile::TempDir, PathBuf) {
    let text = fs::read_to_string(root().join("openapi/crafter-profile.yaml"))
        .expect("the document reads");
    assert_eq!(
        text.matches(from).count(),
        1,
        "the document holds `{from}` once"
    );
    let dir = tempfile::tempdir().expect("a scratch folder");
    let path = dir.path().join("crafter-profile.yaml");
    fs::write(&path, text.replacen(from, to, 1)).expect("copy written");
    (dir, path)
}

const OPTIONAL_ATTRIBUTES: &str =
    "        - name: attributeToReturn\n          in: query\n          required: false\n";
const REQUIRED_ATTRIBUTES: &str =
    "        - name: attributeToReturn\n          in: query\n          required: true\n";

#[test]
fn each_document_compared_with_itself_has_no_change() {
    for service in SERVICES {
        let document = format!("openapi/{service}.yaml");
        let output = diff(&root(), &[&document, &document]);
        assert!(output.status.success(), "{service}: {}", stderr(&output));
        assert!(
            stdout(&output).contains(&format!("diff: no change from {document} to {document}")),
            "{}",
            stdout(&output)
        );
    }
}

#[test]
fn a_parameter_made_required_breaks_clients_and_exits_1_with_both_pointers() {
    let (_dir, edited) = edited(OPTIONAL_ATTRIBUTES, REQUIRED_ATTRIBUTES);
    let output = diff(
        &root(),
        &["openapi/crafter-profile.yaml", &edited.to_string_lossy()],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(
        said.contains("breaks-clients [parameter-became-required] GET /api/1/profile/{id}: query parameter `attributeToReturn`: became required"),
        "{said}"
    );
    let pointer = "#/paths/~1api~11~1profile~1{id}/get/parameters/1/required";
    assert!(
        said.contains(&format!("old: openapi/crafter-profile.yaml{pointer}")),
        "{said}"
    );
    assert!(
        said.contains(&format!("new: {}{pointer}", edited.display())),
        "{said}"
    );
    assert!(said.contains("diff: 1 changes from"), "{said}");
}

#[test]
fn fail_on_chooses_the_class_that_fails() {
    let (_dir, edited) = edited("  title: Crafter Profile", "  title: The Crafter Profile");
    let edited = edited.to_string_lossy();
    let base = "openapi/crafter-profile.yaml";
    let default = diff(&root(), &[base, &edited]);
    assert_eq!(default.status.code(), Some(0), "{}", stdout(&default));
    assert!(stdout(&default).contains("[documentation-changed]"));
    let strict = diff(&root(), &[base, &edited, "--fail-on", "compatible"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stdout(&strict));
    let unknown = diff(&root(), &[base, &edited, "--fail-on", "anything"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("`--fail-on` takes"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn json_output_lists_each_change_with_its_class_rule_and_pointers() {
    let (_dir, edited) = edited(OPTIONAL_ATTRIBUTES, REQUIRED_ATTRIBUTES);
    let output = diff(
        &root(),
        &[
            "--format",
            "json",
            "openapi/crafter-profile.yaml",
            &edited.to_string_lossy(),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the output is JSON");
    assert_eq!(
        report["summary"],
        serde_json::json!({"breaks-clients": 1, "breaks-implementations": 0, "compatible": 0})
    );
    let change = &report["changes"][0];
    assert_eq!(change["rule"], "parameter-became-required");
    assert_eq!(change["class"], "breaks-clients");
    assert_eq!(change["family"], "parameter");
    assert_eq!(change["direction"], "request");
    assert_eq!(change["operation"], "GET /api/1/profile/{id}");
    assert_eq!(
        change["old"],
        "/paths/~1api~11~1profile~1{id}/get/parameters/1/required"
    );
    assert_eq!(change["new"], change["old"]);
}

#[test]
fn a_broken_document_exits_2_with_its_location() {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let broken = dir.path().join("broken.yaml");
    fs::write(
        &broken,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'\npaths: {}\n",
    )
    .expect("file written");
    let output = diff(
        &root(),
        &["openapi/crafter-profile.yaml", &broken.to_string_lossy()],
    );
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(said.contains(&format!("{}:", broken.display())), "{said}");
    assert!(said.contains("invalid YAML"), "{said}");
    assert!(said.contains("nothing was compared"), "{said}");

    let missing = diff(&root(), &["openapi/crafter-profile.yaml", "no-such.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no-such.yaml: cannot read"),
        "{}",
        stderr(&missing)
    );
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=apigen",
            "-c",
            "user.email=apigen@localhost",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn documents_at_git_revisions_are_read_with_the_files_they_reference() {
    let repository = tempfile::tempdir().expect("a scratch folder");
    let dir = repository.path();
    git(dir, &["init", "--quiet"]);
    fs::create_dir_all(dir.join("api/common")).expect("folders made");
    let document = "openapi: 3.0.3
info: {title: Notes, version: '1'}
paths:
  /notes:
    get:
      responses:
        '200':
          description: The notes.
          content:
            application/json:
              schema:
                $ref: 'common/note.yaml#/components/schemas/Note'
";
    fs::write(dir.join("api/notes.yaml"), document).expect("written");
    let note = "components:
  schemas:
    Note:
      type: object
      required: [text]
      properties:
        text: {type: string}
";
    fs::write(dir.join("api/common/note.yaml"), note).expect("written");
    git(dir, &["add", "."]);
    git(dir, &["commit", "--quiet", "-m", "first"]);
    // The shared schema changes: `text` is no longer required.
    fs::write(
        dir.join("api/common/note.yaml"),
        note.replace("      required: [text]\n", ""),
    )
    .expect("written");
    git(dir, &["commit", "--quiet", "-am", "second"]);

    let same = diff(dir, &["git:HEAD:api/notes.yaml", "api/notes.yaml"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(
        stdout(&same).contains("diff: no change"),
        "{}",
        stdout(&same)
    );

    let output = diff(
        dir,
        &["git:HEAD~1:api/notes.yaml", "git:HEAD:api/notes.yaml"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(
        said.contains("breaks-clients [response-property-became-optional] GET /notes: response 200 application/json: property `text` became optional"),
        "{said}"
    );
    assert!(
        said.contains("old: git:HEAD~1:api/notes.yaml#/components/schemas/Note/required"),
        "{said}"
    );

    let unknown = diff(
        dir,
        &["git:no-such-revision:api/notes.yaml", "api/notes.yaml"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("git:no-such-revision:api/notes.yaml: cannot read"),
        "{}",
        stderr(&unknown)
    );
}
