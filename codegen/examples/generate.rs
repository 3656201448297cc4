//! Generates one document and prints how long each stage took and the process's peak
//! resident memory after it: a tool for finding where the generator spends its time and
//! memory on a large document (`cargo run --release --example generate -- FILE`).

use std::time::Instant;

use apigen_codegen::{emit, examples, load, lower, publish};

fn main() {
    for file in std::env::args().skip(1) {
        let start = Instant::now();
        let mut stages = Vec::new();
        let mut last = start;
        let mut lap = |stage: &str, stages: &mut Vec<String>| {
            let now = Instant::now();
            stages.push(format!(
                "{stage} {:.2?}{}",
                now - last,
                peak().map_or_else(String::new, |peak| format!(" (peak {peak} MB)"))
            ));
            last = now;
        };
        let document = match load::load(std::path::Path::new(&file)) {
            Ok(document) => document,
            Err(errors) => {
                println!("{file}: rejected: {}", errors.0[0]);
                continue;
            }
        };
        lap("load", &mut stages);
        let warnings = examples::check(&document.file, document.source())
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
                        let lines: usize = files
                            .iter()
                            .filter(|f| f.path.ends_with(".rs"))
                            .map(|f| f.text.lines().count())
                            .sum();
                        format!(
                            "{} files, {lines} lines of Rust, {warnings} example warnings",
                            files.len()
                        )
                    }
                    Err(error) => format!("emitted code does not parse: {error}"),
                }
            }
            Err(errors) => format!("rejected: {}", errors.0[0]),
        };
        println!("{file}: {}: {outcome}", stages.join(", "));
        // The same work as `cargo xtask codegen` does it: examples checked beside
        // lowering and emitting, and the document published.
        let start = Instant::now();
        let generated = apigen_codegen::generate_document(&document, &file);
        let published = generated
            .as_ref()
            .ok()
            .map(|generated| publish::documents(generated, std::path::Path::new(&file)));
        println!(
            "{file}: generate_document and publish {:.2?} ({})",
            start.elapsed(),
            match published {
                Some(Ok(_)) => "generated",
                Some(Err(_)) => "not published",
                None => "rejected",
            }
        );
    }
}

/// The process's peak resident memory so far, in MB, where the system says it (Linux).
fn peak() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024)
}
