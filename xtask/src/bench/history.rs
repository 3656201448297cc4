//! The breaking-change check on real history: `cargo xtask diff` between two published
//! versions of GitHub's description (`@octokit/openapi` 22.0.0 and 23.0.2, about 12 MB
//! each, 1,108 and 1,223 operations), timed like generation (whole process, median wall
//! time, peak memory), with the changes it finds counted by class and by rule.

use super::documents::{OCTOKIT_BEFORE, fetch};
use super::generation::RUNS;
use super::measure::{self, Ending, Measured};
use super::{Failure, Paths};
use std::collections::BTreeMap;
use std::process::Command;

/// The name `--only` takes to run this step alone.
pub const NAME: &str = "history";

/// The diff of two published versions of one large document.
pub struct History {
    /// The versions compared, as the table says them.
    pub compared: String,
    /// Each timed run.
    pub runs: Vec<Measured>,
    /// Changes per class (`breaks-clients`, `breaks-implementations`, `compatible`).
    pub classes: BTreeMap<String, u64>,
    /// Changes per rule, most frequent first (rule, class, count).
    pub rules: Vec<(String, String, u64)>,
}

impl History {
    /// The median wall time of the runs, in seconds.
    pub fn seconds(&self) -> f64 {
        measure::median(&self.runs.iter().map(|run| run.seconds).collect::<Vec<_>>())
    }

    /// The largest peak memory of the runs, in bytes.
    pub fn peak_bytes(&self) -> u64 {
        self.runs
            .iter()
            .map(|run| run.peak_bytes)
            .max()
            .unwrap_or(0)
    }
}

/// Diffs GitHub's description at the two pinned versions with our release `xtask`.
///
/// The diff exits 1 when something breaks clients, as it should between these two
/// versions: only a crash, a refusal to read (exit 2) or an unreadable report fails.
pub fn run(paths: &Paths) -> Result<History, Failure> {
    let (old_package, old_version) = OCTOKIT_BEFORE;
    let old = fetch(
        &paths.root,
        "github-before",
        OCTOKIT_BEFORE,
        "package/generated/api.github.com.json",
    )?;
    let new = fetch(
        &paths.root,
        "github",
        super::documents::OCTOKIT,
        "package/generated/api.github.com.json",
    )?;
    let xtask = paths.target.join("release/xtask");
    let mut command = Command::new(&xtask);
    command
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"]);
    let mut runs = Vec::new();
    for run in 0..RUNS {
        let log = paths.logs.join(format!("diff-github-{run}.log"));
        let measured = measure::measure(&command, &log)?;
        match measured.ending {
            Ending::Success | Ending::Failed(1) => runs.push(measured),
            ending => {
                return Err(format!(
                    "`cargo xtask diff` on GitHub's {old_version} and {} {} (see {})",
                    super::documents::OCTOKIT.1,
                    ending.describe(),
                    log.display()
                ));
            }
        }
    }
    // The report itself, read from stdout alone (the logs hold stderr too).
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", xtask.display()))?;
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("`cargo xtask diff --format json` wrote no JSON report: {e}"))?;
    let classes = report["summary"]
        .as_object()
        .ok_or("the diff report has no `summary`")?
        .iter()
        .map(|(class, count)| (class.clone(), count.as_u64().unwrap_or(0)))
        .collect();
    let mut rules: BTreeMap<(String, String), u64> = BTreeMap::new();
    for change in report["changes"]
        .as_array()
        .ok_or("the diff report has no `changes`")?
    {
        let rule = change["rule"].as_str().unwrap_or("?").to_owned();
        let class = change["class"].as_str().unwrap_or("?").to_owned();
        *rules.entry((rule, class)).or_default() += 1;
    }
    let mut rules: Vec<(String, String, u64)> = rules
        .into_iter()
        .map(|((rule, class), count)| (rule, class, count))
        .collect();
    rules.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    Ok(History {
        compared: format!(
            "GitHub's description, `{old_package}` {old_version} → {}",
            super::documents::OCTOKIT.1
        ),
        runs,
        classes,
        rules,
    })
}
