//! Schemathesis, a tool nobody here wrote, fuzzes each example-backed server (the very
//! binary `cargo xtask serve` runs) against its document: no 5xx, no answer the document
//! does not describe, no invalid request accepted, no valid one refused.

use apigen_tests::mock::Mock;
use apigen_tests::tools::{schemathesis, workspace_root};
use std::process::Command;

/// The checks run: schemathesis's defaults, response-schema conformance, and whether
/// the server refuses invalid data and accepts valid data. (`ignored_auth` is left out:
/// the router hands credentials to the service, which decides whether they are valid,
/// and a mock accepts any.)
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
response_headers_conformance,response_schema_conformance,negative_data_rejection,\
positive_data_acceptance";

fn fuzz(service: &str, headers: &[&str]) {
    let mock = Mock::start(service);
    let document = workspace_root()
        .join("openapi")
        .join(format!("{service}.yaml"));
    // Schemathesis writes a `.schemathesis/` folder where it runs: not in the repository.
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let mut command = Command::new(schemathesis());
    command.current_dir(scratch.path());
    command
        .arg("run")
        .arg(&document)
        .args(["--url", &mock.url, "--checks", CHECKS])
        // Bounded: a few hundred cases per operation, at most 40 seconds a service.
        .args([
            "--max-examples",
            "200",
            "--max-time",
            "40",
            "--generation-deterministic",
        ])
        .args(["--workers", "1"]);
    for header in headers {
        command.args(["-H", header]);
    }
    let output = command.output().expect("schemathesis runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "schemathesis found problems in the {service} server:\n{report}"
    );
    assert!(
        generated(&report) > 0,
        "schemathesis generated no test case:\n{report}"
    );
}

/// The number in schemathesis's summary line `N generated, …`.
fn generated(report: &str) -> u64 {
    report
        .lines()
        .find_map(|line| {
            line.trim()
                .split_once(" generated")
                .and_then(|(count, _)| count.parse().ok())
        })
        .unwrap_or(0)
}

#[test]
fn schemathesis_finds_nothing_wrong_with_the_groove_music_server() {
    fuzz("groove-music", &["Authorization: Bearer a-user-token"]);
}

#[test]
fn schemathesis_finds_nothing_wrong_with_the_xbox_presence_server() {
    fuzz("xbox-presence", &["Authorization: XBL3.0 x=1234;a-token"]);
}

#[test]
fn schemathesis_finds_nothing_wrong_with_the_azure_devops_profiles_server() {
    fuzz(
        "azure-devops-profiles",
        &["Authorization: Bearer an-oauth-token"],
    );
}

#[test]
fn schemathesis_finds_nothing_wrong_with_the_crafter_profile_server() {
    fuzz("crafter-profile", &[]);
}
