//! `cargo xtask conformance PATH...` on a few documents: each is generated into the
//! scratch workspace, checked by cargo, and reported in a row of the table; the last line
//! sums them up. (The default corpus, a few hundred public documents, is run by hand:
//! its table is `docs/conformance.md`.)

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_owned()
}

#[test]
fn conformance_reports_what_compiles_and_where_each_refusal_points() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("conformance")
        // A document with every construct the fifth-document test uses, a service split
        // across files (only its root is a document; its parts are skipped), a dangling
        // reference, and a Swagger 2.0 document.
        .arg(fixtures.join("inventory.yaml"))
        .arg(root().join("codegen/tests/fixtures/split"))
        .arg(fixtures.join("conformance"))
        .output()
        .expect("xtask runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");

    let row = |document: &str| {
        stdout
            .lines()
            .find(|line| line.starts_with(document))
            .unwrap_or_else(|| panic!("no row for {document}:\n{stdout}"))
    };
    assert!(row("inventory.yaml").contains("compiled"), "{stdout}");
    assert!(row("service.yaml").contains("compiled"), "{stdout}");
    assert!(row("dangling.yaml").contains("rejected"), "{stdout}");
    // The refusal names the place in the document and what is wrong there.
    assert!(
        stdout.contains(
            "dangling.yaml: #/paths/~1things/get/responses/200/content/application~1json/schema/$ref: `$ref: #/components/schemas/Thing` points at nothing"
        ),
        "{stdout}"
    );
    // A Swagger 2.0 document is read like the others and counted apart; files that are
    // no document of a version the generator reads (the split service's parts) are
    // skipped.
    assert!(row("notes.json").contains("compiled"), "{stdout}");
    assert!(
        stdout.contains(
            "Swagger 2.0: compiled 1 of 1 (100.0%; 0 with warnings, 0 rejected, 0 crashed)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "OpenAPI 3.0: compiled 2 of 3 (66.7%; 0 with warnings, 1 rejected, 0 crashed)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("skipped 2 documents that are not OpenAPI 3.0, 3.1, 3.2 or Swagger 2.0"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().last(),
        Some("conformance: compiled 3 of 4 documents (0 with warnings, 1 rejected, 0 crashed)"),
        "{stdout}"
    );
}

#[test]
fn conformance_round_trips_each_example_through_the_generated_server_and_client() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/round-trip.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("conformance")
        .arg(&fixture)
        .output()
        .expect("xtask runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // One example comes back unchanged, one changed by its Rust type (a member the schema
    // does not declare is dropped; its instant written `+00:00` comes back as written),
    // one not at all (it breaks its own schema).
    assert!(
        stdout.contains(
            "round trip: 1 documents (1 with response examples), 3 operations: 1 came back as their example, 1 lossy, 1 failed, 0 without a response example; 0 crashed"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "1  a member the schema does not declare is dropped (e.g. round-trip.yaml: getLoan at /renewals)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("1  the response example does not fit its Rust type (e.g. round-trip.yaml: addShelf: 201: invalid type: string \"many\", expected i64"),
        "{stdout}"
    );
}
