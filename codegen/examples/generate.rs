//! Generates one document and prints how long each stage took: a tool for finding where
//! the generator spends its time on a large document (`cargo run --release --example
//! generate -- FILE`).

use std::time::Instant;

fn main() {
    for file in std::env::args().skip(1) {
        let path = std::path::Path::new(&file);
        let start = Instant::now();
        let document = apigen_codegen::load::load(path);
        let loaded = start.elapsed();
        let result = document.map(|document| apigen_codegen::generate_document(&document, &file));
        let total = start.elapsed();
        let outcome = match result {
            Ok(Ok(krate)) => format!("{} files", krate.files.len()),
            Ok(Err(errors)) | Err(errors) => format!("rejected: {}", errors.0[0].message),
        };
        println!("{file}: load {loaded:.2?}, total {total:.2?}: {outcome}");
    }
}
