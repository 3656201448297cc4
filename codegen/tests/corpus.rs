//! Real documents that once were refused generate now: Stripe's (every object and array
//! of its form bodies and queries in `deepObject` brackets) and Oxide's Nexus. They are
//! not part of this repository (`/work/shared/corpus`, or the folder named by
//! `APIGEN_CORPUS`); where they are absent the test says so and checks nothing.

use std::path::PathBuf;

fn corpus() -> PathBuf {
    std::env::var_os("APIGEN_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        PathBuf::from,
    )
}

#[test]
fn stripe_and_nexus_generate_without_a_refusal() {
    for name in ["stripe-spec3-2022-04.json", "progenitor-nexus.json"] {
        let file = corpus().join(name);
        if !file.exists() {
            eprintln!("{} is absent: not checked", file.display());
            continue;
        }
        let generated = apigen_codegen::generate(&file, name)
            .unwrap_or_else(|errors| panic!("{name} is refused:\n{errors}"));
        assert!(
            generated.files.iter().any(|f| f.path == "src/client.rs"),
            "{name}"
        );
    }
}
