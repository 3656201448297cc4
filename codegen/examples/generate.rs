//! Generates one document and prints how long each stage took: a tool for finding where
//! the generator spends its time on a large document (`cargo run --release --example
//! generate -- FILE`).

use std::time::Instant;

use apigen_codegen::{emit, examples, load, lower};

fn main() {
    for file in std::env::args().skip(1) {
        let start = Instant::now();
        let mut stages = Vec::new();
        let lap = |stage: &str, stages: &mut Vec<String>| {
            stages.push(format!("{stage} {:.2?}", start.elapsed()));
        };
        let document = match load::load(std::path::Path::new(&file)) {
            Ok(document) => document,
            Err(errors) => {
                println!("{file}: rejected: {}", errors.0[0]);
                continue;
            }
        };
        lap("load", &mut stages);
        let warnings = examples::check(&document.file, &document.value)
            .err()
            .map_or_else(Vec::new, |errors| errors.0);
        if !warnings.is_empty() {
            println!("{}", apigen_codegen::error::summary(&warnings, Some(3)));
        }
        let warnings = warnings.len();
        lap("examples", &mut stages);
        let outcome = match lower::lower(&document, "generated", &file) {
            Ok(service) => {
                lap("lower", &mut stages);
                match emit::emit(&service) {
                    Ok(files) => {
                        lap("emit+format", &mut stages);
                        let lines: usize = files.iter().map(|f| f.text.lines().count()).sum();
                        format!(
                            "{} files, {lines} lines, {warnings} example warnings",
                            files.len()
                        )
                    }
                    Err(error) => format!("emitted code does not parse: {error}"),
                }
            }
            Err(errors) => format!("rejected: {}", errors.0[0]),
        };
        println!("{file}: {} (cumulative): {outcome}", stages.join(", "));
        // The same work as `generate_document` does it, examples checked on a thread of
        // their own.
        let start = Instant::now();
        let generated = apigen_codegen::generate_document(&document, &file);
        println!(
            "{file}: generate_document {:.2?} ({})",
            start.elapsed(),
            if generated.is_ok() {
                "generated"
            } else {
                "rejected"
            }
        );
    }
}
