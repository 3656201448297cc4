//! The documents in `openapi/` (and the fixtures in `tests/openapi/`) as the generator
//! reads them: each one loads (every `$ref` resolves, `openapiv3` accepts it), every
//! example is valid for its schema, and a broken copy is refused with a message naming
//! the file and where in it the fault is.

use apigen_codegen::{examples, load};
use apigen_tests::tools::workspace_root;
use std::fs;
use std::path::{Path, PathBuf};

/// The four seed documents; a missing one fails.
fn documents() -> Vec<PathBuf> {
    let names = [
        "groove-music.yaml",
        "xbox-presence.yaml",
        "azure-devops-profiles.yaml",
        "crafter-profile.yaml",
    ];
    names
        .iter()
        .map(|name| workspace_root().join("openapi").join(name))
        .collect()
}

/// The fixture documents, `tests/openapi/*.yaml`: each exercises one feature area of the
/// generator.
fn fixture_documents() -> Vec<PathBuf> {
    let folder = workspace_root().join("tests").join("openapi");
    let mut documents: Vec<PathBuf> = fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{} lists: {error}", folder.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    documents.sort();
    assert!(!documents.is_empty(), "{} has documents", folder.display());
    documents
}

/// A copy of `name` in a scratch folder with `from` replaced by `to` (once).
fn broken_copy(name: &str, from: &str, to: &str) -> (tempfile::TempDir, PathBuf) {
    let text = fs::read_to_string(workspace_root().join("openapi").join(name))
        .expect("the document reads");
    assert!(text.contains(from), "{name} contains {from:?}");
    let dir = tempfile::tempdir().expect("a scratch folder");
    let path = dir.path().join(name);
    fs::write(&path, text.replacen(from, to, 1)).expect("the copy is written");
    (dir, path)
}

fn load_error(path: &Path) -> String {
    let document = match load::load(path) {
        Ok(document) => document,
        Err(errors) => return errors.to_string(),
    };
    match examples::check(path, document.source()) {
        Ok(()) => panic!("{} was accepted", path.display()),
        Err(errors) => errors.to_string(),
    }
}

#[test]
fn every_document_loads_with_every_ref_resolved() {
    for path in documents() {
        let document = load::load(&path).unwrap_or_else(|errors| panic!("{errors}"));
        assert!(
            document.openapi.openapi.starts_with("3.0."),
            "{}",
            path.display()
        );
        assert!(
            !document.openapi.paths.paths.is_empty(),
            "{} has operations",
            path.display()
        );
    }
}

#[test]
fn every_example_is_valid_for_its_schema() {
    for path in documents() {
        let document = load::load(&path).unwrap_or_else(|errors| panic!("{errors}"));
        examples::check(&path, document.source()).unwrap_or_else(|errors| panic!("{errors}"));
    }
}

#[test]
fn every_fixture_document_loads_and_its_examples_are_valid() {
    for path in fixture_documents() {
        let document = load::load(&path).unwrap_or_else(|errors| panic!("{errors}"));
        // `openapi-31.yaml` and `openapi-32.yaml` are the fixtures of OpenAPI 3.1 and
        // 3.2 input, `streams.yaml` of 3.2's streamed bodies.
        assert!(
            ["3.0.", "3.1.", "3.2."]
                .iter()
                .any(|version| document.openapi.openapi.starts_with(version)),
            "{}",
            path.display()
        );
        examples::check(&path, document.source()).unwrap_or_else(|errors| panic!("{errors}"));
    }
}

#[test]
fn every_seed_sample_is_a_named_example() {
    let root = workspace_root().join("openapi");
    let examples = |name: &str, path: &str| -> Vec<String> {
        let document = load::load(&root.join(name)).unwrap_or_else(|errors| panic!("{errors}"));
        let pointer = format!(
            "/paths/{}/get/responses/200/content/application~1json/examples",
            path.replace('/', "~1")
        );
        let examples = document
            .value
            .pointer(&pointer)
            .unwrap_or_else(|| panic!("{name} has examples at {pointer}"));
        examples
            .as_object()
            .expect("examples are a map")
            .keys()
            .cloned()
            .collect()
    };
    assert!(
        examples("groove-music.yaml", "/1/user/{namespace}/profile").len() >= 4,
        "Groove's four seed samples"
    );
    assert!(!examples("xbox-presence.yaml", "/users/xuid({xuid})").is_empty());
    assert!(!examples("azure-devops-profiles.yaml", "/_apis/profile/profiles/{id}").is_empty());
    assert!(!examples("crafter-profile.yaml", "/api/1/profile/{id}").is_empty());
}

#[test]
fn an_example_that_violates_its_schema_is_refused_with_file_and_pointer() {
    let (_dir, path) = broken_copy(
        "crafter-profile.yaml",
        "createdOn: 1495748091232",
        "createdOn: yesterday",
    );
    let message = load_error(&path);
    assert!(message.contains(&format!("{}#/paths/~1api~11~1profile~1{{id}}/get/responses/200/content/application~1json/examples/", path.display())), "{message}");
    assert!(message.contains("/createdOn"), "{message}");
    assert!(message.contains("help:"), "says what to do: {message}");
}

#[test]
fn a_dangling_ref_is_refused_with_file_and_pointer() {
    let (_dir, path) = broken_copy(
        "crafter-profile.yaml",
        "$ref: '#/components/schemas/Profile'",
        "$ref: '#/components/schemas/Profil'",
    );
    let message = load_error(&path);
    assert!(message.contains(&format!("{}#/paths/~1api~11~1profile~1{{id}}/get/responses/200/content/application~1json/schema/$ref", path.display())), "{message}");
    assert!(
        message.contains("`$ref: #/components/schemas/Profil` points at nothing"),
        "{message}"
    );
}

#[test]
fn a_yaml_syntax_error_is_refused_with_line_and_column() {
    let (_dir, path) = broken_copy(
        "xbox-presence.yaml",
        "operationId: getUserPresence",
        "operationId: [getUserPresence",
    );
    let message = load_error(&path);
    let location = format!("{}:", path.display());
    assert!(message.contains(&location), "{message}");
    let after = &message[message.find(&location).expect("located") + location.len()..];
    let line: String = after.chars().take_while(char::is_ascii_digit).collect();
    assert!(
        !line.is_empty(),
        "a line number follows the file: {message}"
    );
    assert!(message.contains("invalid YAML"), "{message}");
}

#[test]
fn a_value_of_the_wrong_type_is_refused_with_its_pointer() {
    let (_dir, path) = broken_copy(
        "crafter-profile.yaml",
        "operationId: getProfile",
        "operationId: [getProfile]",
    );
    let message = load_error(&path);
    assert!(
        message.contains(&format!(
            "{}#/paths/~1api~11~1profile~1{{id}}/get",
            path.display()
        )),
        "{message}"
    );
}
