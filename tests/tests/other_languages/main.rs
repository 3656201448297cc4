//! Teams in other languages generate their clients from the published documents
//! (`generated/openapi/<service>.json`) and call our Rust servers: for each service,
//!
//! - TypeScript: `openapi-typescript` types the document, a program calls it with
//!   `openapi-fetch`, and `tsc --strict` checks (and compiles) the program against those
//!   types;
//! - Python: `openapi-python-client` generates a package, and `mypy --strict` checks a
//!   program together with the package;
//!
//! each into `target/other-languages/<service>/<language>/`, with the pinned versions
//! `cargo xtask test` installs. A generator or checker that fails on a document fails
//! here, with its output.
//!
//! The program (`tests/clients/<language>/`) then calls every operation over loopback:
//! the example-backed server (`cargo xtask serve`'s binary) for the success body, which
//! must decode to the document's example; and a scripted server, the generated router
//! around an implementation that answers the status the URL names, for each documented
//! error, which must arrive as the language's typed error. The scripted server records
//! the credentials it received, and this side checks that each call carried exactly the
//! credentials the program was given, where the document declares them.

mod python;
mod report;
mod scripted;
mod service;
mod typescript;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use apigen_tests::mock::Mock;
use apigen_tests::serve::{self, Recorder};
use apigen_tests::tools::{target_dir, workspace_root};
use serde_json::Value;

use report::Report;
use scripted::Received;
use service::Service;

/// A language whose clients are generated from the published documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    TypeScript,
    Python,
}

impl Language {
    /// Its folder under `target/other-languages/<service>/`.
    fn name(self) -> &'static str {
        match self {
            Language::TypeScript => "typescript",
            Language::Python => "python",
        }
    }

    /// Generates the client of `document` into `folder`, checks the service's program
    /// with it, and returns the command that runs the program.
    fn build(self, service: &Service, document: &Path, folder: &Path) -> Command {
        match self {
            Language::TypeScript => typescript::build(service, document, folder),
            Language::Python => python::build(service, document, folder),
        }
    }
}

/// Runs `command`, which `what` describes; panics with everything it printed when it
/// fails.
#[track_caller]
fn run_tool(what: &str, command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{what}: cannot run {}: {error}", shown(command)));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}{}\n(command: {})",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        shown(command),
    );
}

/// A command as a person would type it (its environment left out).
fn shown(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A secret no earlier run used, so that nothing but this run's program can have sent
/// it.
fn fresh_secret() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    format!("{:x}{nanos:x}", std::process::id())
}

/// Generates `service`'s client in `language`, runs its program against the two
/// servers, and checks the program's report and what the scripted server received.
fn check(service: &Service, language: Language) {
    let started = Instant::now();
    let document_path = workspace_root()
        .join("generated/openapi")
        .join(format!("{}.json", service.name));
    let document_text = std::fs::read_to_string(&document_path).unwrap_or_else(|error| {
        panic!(
            "the published document {} should be readable (run `cargo xtask codegen`): {error}",
            document_path.display()
        )
    });
    let document: Value = serde_json::from_str(&document_text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", document_path.display()));

    let folder: PathBuf = target_dir()
        .join("other-languages")
        .join(service.name)
        .join(language.name());
    let mut program = language.build(service, &document_path, &folder);
    let built = started.elapsed();

    let secret = fresh_secret();
    let credentials = (service.credentials)(&secret);
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let received = Recorder::<Received>::new();
    let scripted = runtime.block_on(serve::serve(scripted::router(
        service,
        &serve::Document::parse(&document_text),
        &received,
    )));
    let examples = Mock::start(service.name);

    let output = program
        .env("APIGEN_DOCUMENT", &document_path)
        .env("APIGEN_EXAMPLES_URL", &examples.url)
        .env(
            "APIGEN_SCRIPTED_URL",
            format!(
                "{}/status/{{status}}{}",
                scripted.base_url, service.base_path
            ),
        )
        .env("APIGEN_CREDENTIALS", credentials.to_string())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", shown(&program)));
    drop(examples);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let report = Report::parse(&printed);

    // Each call reached the scripted server with the credentials it was to carry.
    let expected = service::expected_checks(service, &document);
    let wanted = scripted::expected_received(service, &document, &credentials, &expected);
    let mut got = received.all();
    got.sort();
    let credentials_pass = got == wanted;
    println!(
        "{}",
        report.table_row(&expected, service.name, language.name(), credentials_pass)
    );
    println!(
        "{} x {}: built in {:.1}s, ran in {:.1}s",
        service.name,
        language.name(),
        built.as_secs_f64(),
        (started.elapsed() - built).as_secs_f64()
    );

    // Every check the document calls for ran, and passed.
    report.assert_ran_and_passed(&expected, &printed, service.name, language.name());
    assert!(
        output.status.success(),
        "the {} {} program passed every check but exited with {}:\n{printed}",
        service.name,
        language.name(),
        output.status
    );
    assert!(
        credentials_pass,
        "the scripted {} server did not receive the credentials the {} program was given, \
         where the document declares them:\n  received: {got:#?}\n  expected: {wanted:#?}\n\
         program output:\n{printed}",
        service.name,
        language.name()
    );
}

#[test]
fn a_typescript_client_generated_from_the_groove_music_document_calls_its_server() {
    check(&service::GROOVE_MUSIC, Language::TypeScript);
}

#[test]
fn a_python_client_generated_from_the_groove_music_document_calls_its_server() {
    check(&service::GROOVE_MUSIC, Language::Python);
}

#[test]
fn a_typescript_client_generated_from_the_xbox_presence_document_calls_its_server() {
    check(&service::XBOX_PRESENCE, Language::TypeScript);
}

#[test]
fn a_python_client_generated_from_the_xbox_presence_document_calls_its_server() {
    check(&service::XBOX_PRESENCE, Language::Python);
}

#[test]
fn a_typescript_client_generated_from_the_azure_devops_profiles_document_calls_its_server() {
    check(&service::AZURE_DEVOPS_PROFILES, Language::TypeScript);
}

#[test]
fn a_python_client_generated_from_the_azure_devops_profiles_document_calls_its_server() {
    check(&service::AZURE_DEVOPS_PROFILES, Language::Python);
}

#[test]
fn a_typescript_client_generated_from_the_crafter_profile_document_calls_its_server() {
    check(&service::CRAFTER_PROFILE, Language::TypeScript);
}

#[test]
fn a_python_client_generated_from_the_crafter_profile_document_calls_its_server() {
    check(&service::CRAFTER_PROFILE, Language::Python);
}
