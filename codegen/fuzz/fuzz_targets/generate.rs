//! Arbitrary bytes through the whole generator: parse as a document, then lower and emit
//! (`apigen_codegen::generate_document`, the pipeline `cargo xtask codegen` runs).
//!
//! A document is untrusted input to the generator (the conformance corpus is other
//! people's documents), so the contract checked here is: whatever the bytes, generation
//! returns `Ok` or located `Err`s, and never panics, overflows the stack or loops. On top
//! of that, three cheap oracles:
//!
//! - an error that calls itself an internal error (the generator emitted code that does not
//!   parse) is a bug, not a verdict on the document;
//! - `Errors` is never empty, and every error displays;
//! - output is deterministic: generating the same document twice gives the same files.
//!
//! Run it with `cargo xtask fuzz [SECONDS]` (see `xtask/src/fuzz.rs`).

#![no_main]

use apigen_codegen::{generate_document, load};
use libfuzzer_sys::{Corpus, fuzz_target};
use std::path::Path;

fuzz_target!(|bytes: &[u8]| -> Corpus {
    // Documents are text; the loader reads files as UTF-8 and refuses anything else
    // before parsing, so other bytes test nothing of ours.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Corpus::Reject;
    };
    // The extension picks the parser. Choosing it from the text, rather than from a
    // selector byte, keeps every corpus file a plain document a person can open: a JSON
    // object goes to serde_json, the rest to the YAML parser (the seeds include JSON
    // documents behind a YAML comment, so the YAML parser sees JSON's flow style too).
    let file = if text.trim_start().starts_with('{') {
        Path::new("fuzz.json")
    } else {
        Path::new("fuzz.yaml")
    };
    let document = match load::parse(file, text) {
        Ok(document) => document,
        Err(errors) => {
            check_errors(&errors);
            return Corpus::Keep;
        }
    };
    match generate_document(&document, "openapi/fuzz.yaml") {
        Ok(generated) => {
            // Only documents that generate are generated twice: they are a small share
            // of the inputs, so the check costs little of the fuzzer's speed.
            let again = generate_document(&document, "openapi/fuzz.yaml");
            assert!(
                again.as_ref() == Ok(&generated),
                "the same document generated different output"
            );
        }
        Err(errors) => check_errors(&errors),
    }
    Corpus::Keep
});

/// What every refusal must be: at least one error, each one printable, none of them the
/// generator admitting a bug of its own.
fn check_errors(errors: &apigen_codegen::Errors) {
    assert!(!errors.0.is_empty(), "generation failed with no error");
    // Displaying exercises the locating of pointers and positions in messages.
    let shown = errors.to_string();
    // `generate_document` words the one error that is the generator's fault this way
    // (codegen/src/lib.rs); the message then says what the compiler would have said.
    assert!(
        !errors
            .0
            .iter()
            .any(|error| error.message.starts_with("internal error")),
        "the generator refused its own output:\n{shown}"
    );
}
