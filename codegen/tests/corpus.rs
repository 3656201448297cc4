//! Real documents that once were refused generate now: Stripe's (every object and array
//! of its form bodies and queries in `deepObject` brackets), Oxide's Nexus (unsigned
//! integer parameters), and the rest of the copies in `tests/corpus/` (whether their
//! crates compile is `cargo xtask conformance`'s part: they are in its default corpus).

use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus")
}

#[test]
fn every_document_of_the_copied_corpus_generates_without_a_refusal() {
    let mut documents: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("tests/corpus is part of the repository")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "json" || ext == "yaml")
        })
        .collect();
    documents.sort();
    let names: Vec<String> = documents
        .iter()
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for needed in ["stripe-spec3-2022-04.json", "progenitor-nexus.json"] {
        assert!(
            names.iter().any(|name| name == needed),
            "{needed} is missing: {names:?}"
        );
    }
    for (file, name) in documents.iter().zip(&names) {
        let generated = apigen_codegen::generate(file, name)
            .unwrap_or_else(|errors| panic!("{name} is refused:\n{errors}"));
        assert!(
            generated.files.iter().any(|f| f.path == "src/client.rs"),
            "{name}"
        );
    }
}
