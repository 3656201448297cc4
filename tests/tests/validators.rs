//! Our OpenAPI documents pass the external validators that teams in other languages
//! will run on them (`openapi-spec-validator` and Redocly's linter), and those
//! validators do reject a broken document, so their passing means something.
//!
//! The validators are installed, at pinned versions, by `cargo xtask test`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use apigen_tests::tools;

/// A small valid OpenAPI 3.0.3 document, clean under Redocly's recommended rules; the
/// broken copies below each differ from it by one mistake.
const FIXTURE: &str = r##"openapi: 3.0.3
info:
  title: Pets
  version: 1.0.0
  description: A tiny pet store.
  license:
    name: MIT
    url: https://opensource.org/licenses/MIT
servers:
  - url: https://pets.invalid/v1
tags:
  - name: pets
    description: Pets.
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      summary: Get a pet
      description: Returns one pet.
      tags: [pets]
      security: []
      parameters:
        - name: petId
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: The pet.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
        '404':
          description: No such pet.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id:
          type: string
        name:
          type: string
    Error:
      type: object
      required: [message]
      properties:
        message:
          type: string
"##;

/// One deliberate mistake: a `$ref` to a schema the document does not define.
const DANGLING_REF: (&str, &str) = (
    "$ref: '#/components/schemas/Pet'",
    "$ref: '#/components/schemas/Missing'",
);

/// One deliberate mistake: a response without its required `description`.
const RESPONSE_WITHOUT_DESCRIPTION: (&str, &str) = ("          description: No such pet.\n", "");

#[test]
fn every_document_passes_openapi_spec_validator() {
    let failures: Vec<String> = documents()
        .iter()
        .filter_map(|document| {
            let output = openapi_spec_validator(document);
            (!output.status.success()).then(|| {
                format!(
                    "{}: {}\n{}",
                    document.display(),
                    output.status,
                    transcript(&output)
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "openapi-spec-validator rejected {} document(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_document_passes_redocly_lint_with_zero_errors() {
    let failures: Vec<String> = documents()
        .iter()
        .filter_map(|document| {
            let output = redocly_lint(document, "json");
            let errors = error_count(&output);
            (errors != Some(0) || !output.status.success()).then(|| {
                // The JSON is for counting; show the human-readable report instead.
                let report = redocly_lint(document, "codeframe");
                format!(
                    "{}: {} error(s), {}\n{}",
                    document.display(),
                    errors.map_or_else(|| "an unknown number of".to_owned(), |n| n.to_string()),
                    output.status,
                    transcript(&report)
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "`redocly lint` found errors in {} document(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Python's YAML reader is YAML 1.1, where `yes`, `2014-05-12` or `12:30:00` are not
/// strings: a Python team reading the published YAML must get the value of the published
/// JSON, which is what the crates embed and serve.
#[test]
fn a_yaml_1_1_reader_reads_each_published_yaml_as_its_json() {
    let python = tools::tools_dir().join("venv/bin/python");
    assert!(
        python.is_file(),
        "{} is missing: run `cargo xtask test`, which installs the Python tools",
        python.display()
    );
    let yaml: Vec<PathBuf> = published()
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    assert!(!yaml.is_empty(), "no published YAML documents");
    for document in yaml {
        let json = document.with_extension("json");
        let mut command = Command::new(&python);
        command
            .arg("-c")
            .arg(PYYAML_COMPARE)
            .arg(&document)
            .arg(&json);
        let output = run(command);
        assert!(
            output.status.success(),
            "PyYAML reads {} differently from {}:\n{}",
            document.display(),
            json.display(),
            transcript(&output)
        );
    }
}

/// Reads argv[1] with PyYAML's safe loader and argv[2] as JSON; exits non-zero, naming
/// the first place they differ, unless they are the same value.
const PYYAML_COMPARE: &str = r#"
import json, sys, yaml
def differ(a, b, at):
    if type(a) is not type(b):
        return f"{at}: YAML {a!r} ({type(a).__name__}), JSON {b!r} ({type(b).__name__})"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{at}: keys {list(a)} vs {list(b)}"
        return next((d for k in a if (d := differ(a[k], b[k], f"{at}/{k}"))), None)
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{at}: {len(a)} items vs {len(b)}"
        return next((d for i, (x, y) in enumerate(zip(a, b)) if (d := differ(x, y, f"{at}/{i}"))), None)
    return None if a == b else f"{at}: YAML {a!r}, JSON {b!r}"
with open(sys.argv[1]) as y, open(sys.argv[2]) as j:
    difference = differ(yaml.safe_load(y), json.load(j), "")
if difference:
    sys.exit(difference)
"#;

#[test]
fn the_unbroken_fixture_passes_both_validators() {
    // Without this, the rejections below could come from the fixture, not the mistake.
    let dir = tempfile::tempdir().expect("create a temporary folder");
    let document = write(dir.path(), "pets.yaml", FIXTURE);

    let output = openapi_spec_validator(&document);
    assert!(
        output.status.success(),
        "openapi-spec-validator rejected the fixture: {}\n{}",
        output.status,
        transcript(&output)
    );
    let output = redocly_lint(&document, "json");
    assert!(
        output.status.success() && error_count(&output) == Some(0),
        "`redocly lint` found errors in the fixture: {}\n{}",
        output.status,
        transcript(&output)
    );
}

#[test]
fn openapi_spec_validator_rejects_a_ref_to_a_missing_schema() {
    let (_dir, document) = broken_copy(DANGLING_REF);
    let output = openapi_spec_validator(&document);
    let said = transcript(&output);
    assert!(
        !output.status.success() && said.contains("/components/schemas/Missing"),
        "openapi-spec-validator should reject the $ref to a missing schema: {}\n{said}",
        output.status
    );
}

#[test]
fn openapi_spec_validator_rejects_a_response_without_description() {
    let (_dir, document) = broken_copy(RESPONSE_WITHOUT_DESCRIPTION);
    let output = openapi_spec_validator(&document);
    let said = transcript(&output);
    // The wording depends on the versions of the validator's own dependencies (one
    // says "'description' is a required property", another "is not valid under any
    // of the schemas listed in the 'oneOf' keyword"); both point at the 404 response.
    assert!(
        !output.status.success() && said.contains("responses") && said.contains("404"),
        "openapi-spec-validator should reject the response without a description: {}\n{said}",
        output.status
    );
}

#[test]
fn redocly_rejects_a_ref_to_a_missing_schema() {
    let (_dir, document) = broken_copy(DANGLING_REF);
    let output = redocly_lint(&document, "json");
    let said = transcript(&output);
    assert!(
        !output.status.success()
            && error_count(&output).is_some_and(|errors| errors > 0)
            && said.contains("no-unresolved-refs"),
        "`redocly lint` should report the $ref to a missing schema as an error: {}\n{said}",
        output.status
    );
}

#[test]
fn redocly_rejects_a_response_without_description() {
    let (_dir, document) = broken_copy(RESPONSE_WITHOUT_DESCRIPTION);
    let output = redocly_lint(&document, "json");
    let said = transcript(&output);
    assert!(
        !output.status.success()
            && error_count(&output).is_some_and(|errors| errors > 0)
            && said.contains("The field `description` must be present"),
        "`redocly lint` should report the response without a description as an error: {}\n{said}",
        output.status
    );
}

/// Every OpenAPI document of the workspace, as paths relative to the workspace root (the
/// validators run from there): the sources, `openapi/*.yaml`, and what is published from
/// them, `generated/openapi/*.json` and `*.yaml`; fails when a folder has none.
fn documents() -> Vec<PathBuf> {
    let mut documents = files("openapi", &["yaml"]);
    documents.extend(published());
    documents
}

/// The published documents, `generated/openapi/<service>.json` and `.yaml`.
fn published() -> Vec<PathBuf> {
    files("generated/openapi", &["json", "yaml"])
}

/// The files directly in `folder` (relative to the workspace root) with one of the
/// `extensions`, sorted; fails when there is none.
fn files(folder: &str, extensions: &[&str]) -> Vec<PathBuf> {
    let root = tools::workspace_root();
    let listed = root.join(folder);
    let entries = fs::read_dir(&listed)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", listed.display()));
    let mut documents: Vec<PathBuf> = entries
        .map(|entry| {
            entry
                .unwrap_or_else(|error| panic!("cannot list {}: {error}", listed.display()))
                .path()
        })
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| extensions.iter().any(|wanted| ext == *wanted))
                && path.is_file()
        })
        .map(|path| {
            path.strip_prefix(&root)
                .map_or(path.clone(), Path::to_path_buf)
        })
        .collect();
    documents.sort();
    assert!(
        !documents.is_empty(),
        "no OpenAPI documents ({}) in {}: the validators have nothing to check",
        extensions.join(", "),
        listed.display()
    );
    documents
}

/// Writes a copy of [`FIXTURE`] with `from` replaced by `to` into a new temporary folder;
/// returns the folder (deleted when dropped) and the document's path.
fn broken_copy((from, to): (&str, &str)) -> (tempfile::TempDir, PathBuf) {
    assert!(
        FIXTURE.contains(from),
        "the fixture no longer contains {from:?}, so the broken copy would not be broken"
    );
    let dir = tempfile::tempdir().expect("create a temporary folder");
    let document = write(dir.path(), "broken.yaml", &FIXTURE.replacen(from, to, 1));
    (dir, document)
}

/// Writes `contents` to `dir/name` and returns its path.
fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, contents)
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
    path
}

/// Runs `openapi-spec-validator` on `document`, from the workspace root.
fn openapi_spec_validator(document: &Path) -> Output {
    let mut command = Command::new(tools::openapi_spec_validator());
    command.arg(document);
    run(command)
}

/// Runs `redocly lint` on `document` with the given output format, from the workspace
/// root so that the workspace's `redocly.yaml` (when there is one) applies.
fn redocly_lint(document: &Path, format: &str) -> Output {
    let mut command = Command::new(tools::redocly());
    command
        .arg("lint")
        .arg(document)
        .arg(format!("--format={format}"))
        // No network: no usage reports, no check for a newer version.
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    run(command)
}

/// Runs `command` from the workspace root and returns what it did.
fn run(mut command: Command) -> Output {
    command
        .current_dir(tools::workspace_root())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {command:?}: {error}"))
}

/// The number of errors in `redocly lint --format=json`'s totals, if its output has them.
fn error_count(output: &Output) -> Option<u64> {
    let json = String::from_utf8_lossy(&output.stdout);
    let totals = &json[json.find("\"totals\"")?..];
    let after_key = &totals[totals.find("\"errors\"")? + "\"errors\"".len()..];
    let digits: String = after_key
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A command's stdout and stderr, for a failure message.
fn transcript(output: &Output) -> String {
    format!(
        "--- stdout ---\n{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&output.stdout).trim_end(),
        String::from_utf8_lossy(&output.stderr).trim_end()
    )
}
