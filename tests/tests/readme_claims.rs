//! The README's claims table (the module docs of `tests/src/lib.rs`) stays true to the
//! README and to the tests: every claim it quotes is still in the README, under a heading
//! that still exists, and every test it names is still a test in the file it names. A
//! claim reworded, a section renamed or a test renamed or removed fails here, so the
//! table is corrected in the same change.

use apigen_tests::tools::workspace_root;
use std::fs;

/// Which of the module docs' two tables a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Table {
    /// `## Proven`: each claim names the tests that prove it.
    Proven,
    /// `## Not yet proven`: each claim says why no test proves it.
    Unproven,
}

/// One row of a claims table.
#[derive(Debug)]
struct Row {
    table: Table,
    /// The line in `tests/src/lib.rs`, for the messages.
    line: usize,
    section: String,
    claim: String,
    /// `(file, function)` of each test named in the third cell (proven rows only).
    tests: Vec<(String, String)>,
}

/// The rows of the claims tables in `docs`, the text of a Rust file whose module docs
/// (`//!`) hold them; a row that does not read is a problem.
fn rows(docs: &str) -> (Vec<Row>, Vec<String>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut table = None;
    for (index, line) in docs.lines().enumerate() {
        let Some(text) = line.strip_prefix("//!") else {
            continue;
        };
        let text = text.trim();
        if let Some(heading) = text.strip_prefix("## ") {
            table = match heading.trim() {
                "Proven" => Some(Table::Proven),
                "Not yet proven" => Some(Table::Unproven),
                _ => None,
            };
            continue;
        }
        let (Some(table), Some(inner)) = (
            table,
            text.strip_prefix('|').and_then(|t| t.strip_suffix('|')),
        ) else {
            continue;
        };
        let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
        let is_separator = cells
            .iter()
            .all(|cell| cell.chars().all(|c| c == '-' || c == ':'));
        if is_separator || cells.first() == Some(&"README section") {
            continue;
        }
        let line = index + 1;
        if cells.len() != 3 {
            problems.push(format!(
                "tests/src/lib.rs:{line}: a row has 3 cells, this one has {}",
                cells.len()
            ));
            continue;
        }
        let mut tests = Vec::new();
        if table == Table::Proven {
            for reference in cells[2].split('`').skip(1).step_by(2) {
                match reference.rsplit_once("::") {
                    Some((file, name)) => tests.push((file.to_owned(), name.to_owned())),
                    None => problems.push(format!(
                        "tests/src/lib.rs:{line}: `{reference}` is not `path/to/file.rs::test_name`"
                    )),
                }
            }
            if tests.is_empty() {
                problems.push(format!(
                    "tests/src/lib.rs:{line}: a proven claim names no test"
                ));
            }
        }
        rows.push(Row {
            table,
            line,
            section: cells[0].to_owned(),
            claim: cells[1].to_owned(),
            tests,
        });
    }
    (rows, problems)
}

/// `text` with every run of white space one space, as markdown reads it.
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sections of `readme` (under `##` and `###` headings outside its code blocks): each
/// heading with the text up to the next heading, white space collapsed.
fn sections(readme: &str) -> Vec<(String, String)> {
    let mut in_code = false;
    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        match line.strip_prefix("##") {
            Some(heading) if !in_code => sections.push((
                heading.trim_start_matches('#').trim().to_owned(),
                Vec::new(),
            )),
            _ => {
                if let Some((_, text)) = sections.last_mut() {
                    text.push(line);
                }
            }
        }
    }
    sections
        .into_iter()
        .map(|(heading, text)| (heading, collapsed(&text.join("\n"))))
        .collect()
}

/// Whether `source` has a test function `name`: an `fn name(` under `#[test]` or
/// `#[tokio::test…]` (doc comments and other attributes may come between), or the
/// `#[cfg(doctest)]` item `name` whose docs are compiled as doctests.
fn has_test(source: &str, name: &str) -> bool {
    let lines: Vec<&str> = source.lines().collect();
    lines.iter().enumerate().any(|(index, line)| {
        let line = line.trim_start();
        let item = line.strip_prefix("pub ").unwrap_or(line);
        let item = item.strip_prefix("async ").unwrap_or(item);
        let is_fn = item
            .strip_prefix("fn ")
            .and_then(|rest| rest.strip_prefix(name))
            .is_some_and(|rest| rest.starts_with('(') || rest.starts_with('<'));
        let is_struct = item
            .strip_prefix("struct ")
            .and_then(|rest| rest.strip_prefix(name))
            .is_some_and(|rest| rest.starts_with(';') || rest.starts_with(' '));
        if !is_fn && !is_struct {
            return false;
        }
        lines[..index]
            .iter()
            .rev()
            .map(|line| line.trim())
            .take_while(|line| line.starts_with("#[") || line.starts_with("//"))
            .any(|attribute| {
                if is_fn {
                    attribute == "#[test]" || attribute.starts_with("#[tokio::test")
                } else {
                    attribute == "#[cfg(doctest)]"
                }
            })
    })
}

/// Every way the rows of `docs` disagree with `readme` and with the test files under the
/// workspace root.
fn problems(docs: &str, readme: &str) -> Vec<String> {
    let (rows, mut problems) = rows(docs);
    let sections = sections(readme);
    for row in &rows {
        let line = row.line;
        match sections.iter().find(|(heading, _)| *heading == row.section) {
            None => problems.push(format!(
                "tests/src/lib.rs:{line}: README.md has no section `{}`",
                row.section
            )),
            Some((_, text)) if !text.contains(&collapsed(&row.claim)) => {
                problems.push(format!(
                    "tests/src/lib.rs:{line}: README.md's section `{}` no longer says: {}",
                    row.section, row.claim
                ));
            }
            Some(_) => {}
        }
        for (file, name) in &row.tests {
            match fs::read_to_string(workspace_root().join(file)) {
                Ok(source) if has_test(&source, name) => {}
                Ok(_) => problems.push(format!(
                    "tests/src/lib.rs:{line}: {file} has no test `{name}`"
                )),
                Err(error) => problems.push(format!(
                    "tests/src/lib.rs:{line}: cannot read {file}: {error}"
                )),
            }
        }
    }
    problems
}

fn read(path: &str) -> String {
    fs::read_to_string(workspace_root().join(path))
        .unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

#[test]
fn every_claim_in_the_table_is_in_the_readme_and_every_test_it_names_exists() {
    let docs = read("tests/src/lib.rs");
    let (rows, _) = rows(&docs);
    let proven = rows.iter().filter(|row| row.table == Table::Proven).count();
    assert!(
        proven >= 30,
        "the table of proven claims has {proven} rows: did its heading change?"
    );
    let problems = problems(&docs, &read("README.md"));
    assert!(
        problems.is_empty(),
        "the claims table in tests/src/lib.rs is out of step:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_misspelled_test_a_missing_section_and_a_reworded_claim_are_each_reported() {
    let docs = "\
//! ## Proven
//!
//! | README section | claim | tests |
//! | --- | --- | --- |
//! | Calling each service | Retries are off by default | `tests/tests/client_behaviour.rs::a_client_without_retries_returns_the_first_503` |
//! | Calling each service | Retries are off by default | `tests/tests/client_behaviour.rs::a_client_without_retries_returns_the_first_50` |
//! | Calling each service | Retries are off by default | `tests/tests/client_behaviour.rs::no_error_a_call_returns_ever_shows_its_credential` |
//! | Calling each service | Retries are off by default | `tests/tests/client_behaviour.rs::start` |
//! | Calling each service | Retries are off by default | `tests/tests/nowhere.rs::a_client_without_retries_returns_the_first_503` |
//! | Calling each services | Retries are off by default | `tests/tests/client_behaviour.rs::a_client_without_retries_returns_the_first_503` |
//! | Calling each service | Retries are on by default | `tests/tests/client_behaviour.rs::a_client_without_retries_returns_the_first_503` |
//! | Benchmarks | Retries are off by default | `tests/tests/client_behaviour.rs::a_client_without_retries_returns_the_first_503` |
//! | Calling each service | Retries are off by default | no test |
//!
//! ## Not yet proven
//!
//! | README section | claim | why |
//! | --- | --- | --- |
//! | Benchmarks | measures what a user of the toolchain waits for | a measurement |
//! | Benchmarks | measures what a user of the toolchain waits for a second | a measurement |
";
    let problems = problems(docs, &read("README.md"));
    let expected = [
        "tests/src/lib.rs:6: tests/tests/client_behaviour.rs has no test `a_client_without_retries_returns_the_first_50`",
        "tests/src/lib.rs:7: tests/tests/client_behaviour.rs has no test `no_error_a_call_returns_ever_shows_its_credential`",
        // A helper is not a test.
        "tests/src/lib.rs:8: tests/tests/client_behaviour.rs has no test `start`",
        "tests/src/lib.rs:9: cannot read tests/tests/nowhere.rs",
        "tests/src/lib.rs:10: README.md has no section `Calling each services`",
        "tests/src/lib.rs:11: README.md's section `Calling each service` no longer says: Retries are on by default",
        // The claim is in the README, but under another heading.
        "tests/src/lib.rs:12: README.md's section `Benchmarks` no longer says: Retries are off by default",
        "tests/src/lib.rs:13: a proven claim names no test",
        "tests/src/lib.rs:20: README.md's section `Benchmarks` no longer says: measures what a user of the toolchain waits for a second",
    ];
    for message in expected {
        assert!(
            problems.iter().any(|problem| problem.starts_with(message)),
            "{message:?} not in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

/// The README gives the number of rules `cargo xtask diff` classes; `rules.rs` lists them
/// one per row of its table.
#[test]
fn the_number_of_diff_rules_the_readme_gives_is_the_number_listed() {
    let readme = collapsed(&read("README.md"));
    let (at, _) = readme
        .match_indices(" rules, with their family")
        .next()
        .expect("the README says how many diff rules there are");
    let said = readme[..at].rsplit(' ').next().unwrap_or_default();
    let said: usize = said
        .parse()
        .unwrap_or_else(|_| panic!("{said:?} is not a number of rules"));
    let listed = read("codegen/src/diff/rules.rs")
        .lines()
        .filter(|line| line.starts_with("//! | `"))
        .count();
    assert_eq!(
        said, listed,
        "README.md says {said} diff rules; codegen/src/diff/rules.rs lists {listed}"
    );
}
