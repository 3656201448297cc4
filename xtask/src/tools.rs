//! The pinned external tools the tests run (validators, linters, a mock server), and
//! their installer.
//!
//! Every tool is pinned to an exact version in [`PINNED`] and installed from its own
//! registry, PyPI or npm, into the workspace's target folder, never globally:
//!
//! - PyPI packages into a virtual environment, `target/tools/venv` (made with
//!   `python3 -m venv`, filled with its own pip);
//! - npm packages into `target/tools/node` (`npm install --prefix target/tools/node`).
//!
//! The test side (`tests/src/tools.rs`) looks for the executables at the same places,
//! with the same rule for the target folder ([`target_dir`]).
//!
//! Installing is idempotent and cheap when done: each environment keeps a stamp file
//! listing the pins it was built from. An environment whose stamp matches [`PINNED`] and
//! whose executables are all there is left alone; any other is deleted and built again
//! from scratch, so nothing of an older pin stays behind, and an install
//! that was interrupted (it writes the stamp last) is redone on the next run.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;
use std::{env, fmt, fs, thread};

/// Every external tool the tests need, pinned to an exact version.
///
/// To add a tool, add a row; the next `cargo xtask test` rebuilds the environment of
/// that row's ecosystem. Keep `tests/src/tools.rs` in step: it has one function per
/// tool that returns the path of its executable.
pub const PINNED: &[Pinned] = &[
    Pinned {
        ecosystem: Ecosystem::PyPi,
        name: "openapi-spec-validator",
        version: "0.9.0",
        bin: Some("openapi-spec-validator"),
    },
    Pinned {
        ecosystem: Ecosystem::PyPi,
        name: "schemathesis",
        version: "4.32.5",
        bin: Some("schemathesis"),
    },
    Pinned {
        ecosystem: Ecosystem::Npm,
        name: "@redocly/cli",
        version: "2.77.0",
        bin: Some("redocly"),
    },
    Pinned {
        ecosystem: Ecosystem::Npm,
        name: "@stoplight/prism-cli",
        version: "5.16.0",
        bin: Some("prism"),
    },
    // The clients in other languages (tests/tests/other_languages/): generators, the
    // libraries their code runs on, and the checkers it must pass.
    Pinned {
        ecosystem: Ecosystem::Npm,
        name: "openapi-typescript",
        version: "7.13.0",
        bin: Some("openapi-typescript"),
    },
    Pinned {
        ecosystem: Ecosystem::Npm,
        name: "openapi-fetch",
        version: "0.17.0",
        bin: None,
    },
    Pinned {
        ecosystem: Ecosystem::Npm,
        name: "typescript",
        version: "5.9.3",
        bin: Some("tsc"),
    },
    Pinned {
        ecosystem: Ecosystem::Npm,
        name: "@types/node",
        version: "20.19.43",
        bin: None,
    },
    Pinned {
        ecosystem: Ecosystem::PyPi,
        name: "openapi-python-client",
        version: "0.29.1",
        bin: Some("openapi-python-client"),
    },
    Pinned {
        ecosystem: Ecosystem::PyPi,
        name: "mypy",
        version: "2.4.1",
        bin: Some("mypy"),
    },
    // openapi-python-client formats what it generates with ruff, found on PATH.
    Pinned {
        ecosystem: Ecosystem::PyPi,
        name: "ruff",
        version: "0.17.6",
        bin: Some("ruff"),
    },
];

/// The peers `cargo xtask bench --peers` compares the generator with, from PyPI: not
/// needed by the tests, so kept out of [`PINNED`] and in an environment of their own,
/// [`PEERS_VENV`]. (`cargo-progenitor` comes from crates.io: see [`CargoTool`].)
pub const PEERS: &[Pinned] = &[Pinned {
    ecosystem: Ecosystem::PyPi,
    // The PyPI package bundles the openapi-generator jar of the same version, run with the
    // `java` on PATH.
    name: "openapi-generator-cli",
    version: "7.26.0",
    bin: Some("openapi-generator-cli"),
}];

/// The folder under `target/tools` the [`PEERS`] are installed into.
const PEERS_VENV: &str = "peers-venv";

/// How many trailing lines of a failed command's stderr an error quotes.
const STDERR_TAIL_LINES: usize = 20;

/// The name of the stamp file kept in each environment's folder.
const STAMP_FILE: &str = "apigen-pinned.txt";

/// A package registry, and the kind of environment its packages are installed into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ecosystem {
    /// The Python Package Index: installed with pip into the virtual environment
    /// `target/tools/venv`.
    PyPi,
    /// The npm registry: installed with npm under `target/tools/node`.
    Npm,
}

impl Ecosystem {
    /// Every ecosystem, in the order they are installed.
    const ALL: [Ecosystem; 2] = [Ecosystem::PyPi, Ecosystem::Npm];

    /// The environment's folder under `target/tools`.
    pub fn dir_name(self) -> &'static str {
        match self {
            Ecosystem::PyPi => "venv",
            Ecosystem::Npm => "node",
        }
    }

    /// Where the environment puts the executables of its packages.
    fn executable(self, env_dir: &Path, bin: &str) -> PathBuf {
        match (self, cfg!(windows)) {
            (Ecosystem::PyPi, false) => env_dir.join("bin").join(bin),
            (Ecosystem::PyPi, true) => env_dir.join("Scripts").join(format!("{bin}.exe")),
            (Ecosystem::Npm, false) => env_dir.join("node_modules/.bin").join(bin),
            (Ecosystem::Npm, true) => env_dir.join("node_modules/.bin").join(format!("{bin}.cmd")),
        }
    }

    /// Files besides the packages' executables that a working environment has: a virtual
    /// environment whose interpreter has gone (Python upgraded or removed) must be rebuilt.
    fn runtime_files(self, env_dir: &Path) -> Vec<PathBuf> {
        match self {
            Ecosystem::PyPi => vec![self.executable(env_dir, "python")],
            Ecosystem::Npm => Vec::new(),
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ecosystem::PyPi => "PyPI",
            Ecosystem::Npm => "npm",
        })
    }
}

/// One external tool: a package of a registry, pinned to an exact version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pinned {
    /// The registry the package comes from.
    pub ecosystem: Ecosystem,
    /// The package's name in that registry, e.g. `@redocly/cli`.
    pub name: &'static str,
    /// The exact version installed, e.g. `2.77.0`.
    pub version: &'static str,
    /// The name of the executable the package installs and the tests run, e.g. `redocly`;
    /// `None` for a library the tests' programs import (e.g. `openapi-fetch`).
    pub bin: Option<&'static str>,
}

impl Pinned {
    /// The requirement as its installer takes it: `name==version` for pip,
    /// `name@version` for npm.
    pub fn spec(&self) -> String {
        match self.ecosystem {
            Ecosystem::PyPi => format!("{}=={}", self.name, self.version),
            Ecosystem::Npm => format!("{}@{}", self.name, self.version),
        }
    }
}

impl fmt::Display for Pinned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.spec(), self.ecosystem)
    }
}

/// Why the tools could not be installed; each message says what failed and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    /// A program the installer runs (`python3`, `npm`) is not on `PATH`.
    #[error(
        "`{program}` was not found on PATH (needed to run `{command}`): install it and put \
         it on PATH (the tests need Python 3 with pip and its `venv` module, and Node.js \
         with npm; CI has Python 3.11 and Node.js 20), then run `cargo xtask test` again"
    )]
    ProgramNotFound {
        /// The program that is missing.
        program: String,
        /// The whole command that was to be run.
        command: String,
    },
    /// A program could be neither started nor waited for, for a reason other than being
    /// absent (e.g. not executable).
    #[error(
        "could not run `{command}`: {error}; check that `{program}` is a working \
         executable, then run `cargo xtask test` again"
    )]
    Spawn {
        /// The program that could not be run.
        program: String,
        /// The whole command that was to be run.
        command: String,
        /// What the operating system said.
        error: io::Error,
    },
    /// A program ran and failed.
    #[error(
        "`{command}` failed with {status}; the last lines of its stderr:\n{stderr_tail}\n{hint}"
    )]
    CommandFailed {
        /// The command that failed.
        command: String,
        /// How it ended.
        status: ExitStatus,
        /// The last lines it wrote to stderr.
        stderr_tail: String,
        /// What to do about it.
        hint: &'static str,
    },
    /// The installer succeeded, yet an executable the tests run (or a library's
    /// `package.json`) is not where it should be.
    #[error(
        "installing {package} succeeded, but its file `{}` is not there: check that the \
         `bin` of its row in PINNED (xtask/src/tools.rs) names an executable the package \
         installs (or is `None` for a library), then run `cargo xtask test` again",
        path.display()
    )]
    MissingExecutable {
        /// The package, as `spec (ecosystem)`.
        package: String,
        /// Where its executable was expected.
        path: PathBuf,
    },
    /// Reading, writing or deleting something under the tools folder failed.
    #[error(
        "could not {action} `{}`: {error}; check the permissions of the target folder, \
         or delete it, then run `cargo xtask test` again",
        path.display()
    )]
    Io {
        /// What was being done, e.g. "delete the stale environment".
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        error: io::Error,
    },
}

/// The workspace's target folder: `$CARGO_TARGET_DIR` when set (a relative value is taken
/// relative to the workspace root), else `<workspace_root>/target`.
///
/// `tests/src/tools.rs` applies the same rule, so the tests find what this module installs.
pub fn target_dir(workspace_root: &Path) -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        // `join` keeps an absolute value as it is.
        Some(dir) if !dir.is_empty() => workspace_root.join(dir),
        _ => workspace_root.join("target"),
    }
}

/// The folder the pinned tools are installed into: `<target>/tools`.
pub fn tools_dir(workspace_root: &Path) -> PathBuf {
    target_dir(workspace_root).join("tools")
}

/// A file that a pinned package has once installed in the environment `env_dir`: its
/// executable; for an npm library, its `package.json`. `None` for a Python library,
/// whose folder depends on the interpreter's version (pip's success is the evidence).
pub fn installed_file(env_dir: &Path, tool: &Pinned) -> Option<PathBuf> {
    match (tool.bin, tool.ecosystem) {
        (Some(bin), ecosystem) => Some(ecosystem.executable(env_dir, bin)),
        (None, Ecosystem::Npm) => Some(
            env_dir
                .join("node_modules")
                .join(tool.name)
                .join("package.json"),
        ),
        (None, Ecosystem::PyPi) => None,
    }
}

/// Installs every tool of [`PINNED`] under [`tools_dir`], unless it is already installed
/// at its pinned version; prints what it installs.
///
/// Needs `python3` (with its `venv` module) and `npm` on `PATH`, and access to PyPI and
/// the npm registry when something is to be installed.
pub fn install(workspace_root: &Path) -> Result<(), ToolError> {
    for ecosystem in Ecosystem::ALL {
        let pins: Vec<&Pinned> = PINNED
            .iter()
            .filter(|tool| tool.ecosystem == ecosystem)
            .collect();
        if !pins.is_empty() {
            let env_dir = tools_dir(workspace_root).join(ecosystem.dir_name());
            install_environment(workspace_root, &env_dir, ecosystem, &pins)?;
        }
    }
    Ok(())
}

/// Installs the tools of one ecosystem only, as [`install`] does for every ecosystem (for
/// a command that needs one tool, such as `cargo xtask docs` and Redocly).
pub fn install_only(workspace_root: &Path, ecosystem: Ecosystem) -> Result<(), ToolError> {
    let pins: Vec<&Pinned> = PINNED
        .iter()
        .filter(|tool| tool.ecosystem == ecosystem)
        .collect();
    let env_dir = tools_dir(workspace_root).join(ecosystem.dir_name());
    install_environment(workspace_root, &env_dir, ecosystem, &pins)
}

/// The row of [`PINNED`] for the package `name`.
pub fn pinned(name: &str) -> Option<&'static Pinned> {
    PINNED.iter().find(|tool| tool.name == name)
}

/// Installs the [`PEERS`] under `target/tools/peers-venv` unless they are already
/// installed at their pinned versions; returns the path of each one's executable, in
/// the order of [`PEERS`].
pub fn install_peers(workspace_root: &Path) -> Result<Vec<PathBuf>, ToolError> {
    let env_dir = tools_dir(workspace_root).join(PEERS_VENV);
    let pins: Vec<&Pinned> = PEERS.iter().collect();
    install_environment(workspace_root, &env_dir, Ecosystem::PyPi, &pins)?;
    Ok(PEERS
        .iter()
        .filter_map(|tool| installed_file(&env_dir, tool))
        .collect())
}

/// A tool from crates.io, installed with `cargo install --locked` under
/// `target/tools/cargo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CargoTool {
    /// The crate's name, e.g. `oha`.
    pub name: &'static str,
    /// The exact version installed.
    pub version: &'static str,
    /// The executable it installs.
    pub bin: &'static str,
}

/// Installs `tool` under `target/tools/cargo` unless cargo's own record of that folder
/// (`.crates.toml`) says it is there at its version; returns its executable.
pub fn cargo_install(workspace_root: &Path, tool: &CargoTool) -> Result<PathBuf, ToolError> {
    let prefix = tools_dir(workspace_root).join("cargo");
    let bin = prefix.join("bin").join(tool.bin);
    let record = prefix.join(".crates.toml");
    let listed = format!("\"{} {} (", tool.name, tool.version);
    let installed = fs::read_to_string(&record).is_ok_and(|text| text.contains(&listed));
    if installed && bin.exists() {
        return Ok(bin);
    }
    let shown_prefix = prefix.strip_prefix(workspace_root).unwrap_or(&prefix);
    println!(
        "tools: installing {} {} (crates.io) into {}",
        tool.name,
        tool.version,
        shown_prefix.display()
    );
    let started = Instant::now();
    let mut command = crate::cargo::command();
    command
        .args(["install", "--quiet", "--locked", "--version"])
        .arg(format!("={}", tool.version))
        .arg("--root")
        .arg(&prefix)
        .arg(tool.name);
    run(
        command,
        "cargo could not install the pinned tool from crates.io: check that crates.io can \
         be reached and that the pinned version exists, then run the command again",
    )?;
    if !bin.exists() {
        return Err(ToolError::MissingExecutable {
            package: format!("{} {} (crates.io)", tool.name, tool.version),
            path: bin,
        });
    }
    println!(
        "tools: installed {} {} (crates.io) in {:.1}s",
        tool.name,
        tool.version,
        started.elapsed().as_secs_f64()
    );
    Ok(bin)
}

/// Makes the environment `env_dir` of one ecosystem hold exactly `pins`, rebuilding it
/// unless its stamp says it already does.
fn install_environment(
    workspace_root: &Path,
    env_dir: &Path,
    ecosystem: Ecosystem,
    pins: &[&Pinned],
) -> Result<(), ToolError> {
    let env_dir = env_dir.to_owned();
    let shown_dir = env_dir.strip_prefix(workspace_root).unwrap_or(&env_dir);
    let listed = pins
        .iter()
        .map(|tool| tool.spec())
        .collect::<Vec<_>>()
        .join(", ");
    let stamp_path = env_dir.join(STAMP_FILE);
    let mut stamp = stamp_contents(pins);
    if ecosystem == Ecosystem::PyPi {
        // A change of the transitive pins rebuilds the environment too.
        stamp.push_str(
            &fs::read_to_string(workspace_root.join(PIP_CONSTRAINTS)).unwrap_or_default(),
        );
    }

    let files: Vec<(&Pinned, PathBuf)> = pins
        .iter()
        .filter_map(|tool| Some((*tool, installed_file(&env_dir, tool)?)))
        .collect();
    let up_to_date = fs::read_to_string(&stamp_path).is_ok_and(|found| found == stamp)
        && files
            .iter()
            .map(|(_, file)| file)
            .chain(&ecosystem.runtime_files(&env_dir))
            .all(|file| file.exists());
    if up_to_date {
        println!(
            "tools: {listed} ({ecosystem}) already installed in {}",
            shown_dir.display()
        );
        return Ok(());
    }

    println!(
        "tools: installing {listed} ({ecosystem}) into {}",
        shown_dir.display()
    );
    let started = Instant::now();
    if env_dir.exists() {
        fs::remove_dir_all(&env_dir).map_err(|error| ToolError::Io {
            action: "delete the stale environment",
            path: env_dir.clone(),
            error,
        })?;
    }
    match ecosystem {
        Ecosystem::PyPi => install_pypi(&env_dir, &workspace_root.join(PIP_CONSTRAINTS), pins)?,
        Ecosystem::Npm => install_npm(&env_dir, pins)?,
    }
    for (tool, path) in files {
        if !path.exists() {
            return Err(ToolError::MissingExecutable {
                package: tool.to_string(),
                path,
            });
        }
    }
    // Written last: an environment without it is rebuilt by the next run.
    fs::write(&stamp_path, stamp).map_err(|error| ToolError::Io {
        action: "write the stamp file",
        path: stamp_path,
        error,
    })?;
    println!(
        "tools: installed {listed} ({ecosystem}) in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What an environment's stamp file holds once it has `pins` installed.
fn stamp_contents(pins: &[&Pinned]) -> String {
    let mut stamp = String::from(
        "# Installed by `cargo xtask test` from PINNED in xtask/src/tools.rs; \
         delete this file to force a reinstall.\n",
    );
    for tool in pins {
        stamp.push_str(&format!("{tool}\n"));
    }
    stamp
}

/// Every package of the Python environment, pinned: `PINNED` names only the tools, and
/// their own dependencies would otherwise float (a fresh machine once resolved versions
/// that worded a validator's errors differently).
const PIP_CONSTRAINTS: &str = "xtask/pip-constraints.txt";

/// Creates the virtual environment `env_dir` and pip-installs `pins` into it, every
/// dependency at the version `constraints` names.
fn install_pypi(env_dir: &Path, constraints: &Path, pins: &[&Pinned]) -> Result<(), ToolError> {
    let python = if cfg!(windows) { "python" } else { "python3" };
    let mut venv = Command::new(python);
    venv.args(["-m", "venv"]).arg(env_dir);
    run(
        venv,
        "Python could not create the virtual environment: make sure `python3 -m venv DIR` \
         works (on Debian or Ubuntu, install the `python3-venv` package), then run \
         `cargo xtask test` again",
    )?;

    let mut pip = Command::new(Ecosystem::PyPi.executable(env_dir, "python"));
    pip.args([
        "-m",
        "pip",
        "install",
        "--no-input",
        "--disable-pip-version-check",
        "--constraint",
    ])
    .arg(constraints)
    .args(pins.iter().map(|tool| tool.spec()));
    run(
        pip,
        "pip could not install the pinned packages from PyPI: check that PyPI can be \
         reached (network, proxy, pip configuration) and that each pinned version exists \
         (PINNED in xtask/src/tools.rs), then run `cargo xtask test` again",
    )
}

/// Installs `pins` with npm into `env_dir/node_modules`.
fn install_npm(env_dir: &Path, pins: &[&Pinned]) -> Result<(), ToolError> {
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let mut command = Command::new(npm);
    command
        .arg("install")
        .arg("--prefix")
        .arg(env_dir)
        .args(["--no-audit", "--no-fund", "--save-exact"])
        .args(pins.iter().map(|tool| tool.spec()));
    run(
        command,
        "npm could not install the pinned packages from the npm registry: check that the \
         registry can be reached (network, proxy, .npmrc) and that each pinned version \
         exists (PINNED in xtask/src/tools.rs), then run `cargo xtask test` again",
    )
}

/// Runs `command` with its stdout shown as it comes and its stderr both shown and kept,
/// so that a failure can quote its last lines.
fn run(mut command: Command, hint: &'static str) -> Result<(), ToolError> {
    let shown = describe(&command);
    let program = command.get_program().to_string_lossy().into_owned();
    println!("tools: $ {shown}");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => ToolError::ProgramNotFound {
                program: program.clone(),
                command: shown.clone(),
            },
            _ => ToolError::Spawn {
                program: program.clone(),
                command: shown.clone(),
                error,
            },
        })?;

    let tee = child.stderr.take().map(|stderr| {
        thread::spawn(move || {
            let mut tail = VecDeque::with_capacity(STDERR_TAIL_LINES);
            for line in BufReader::new(stderr).split(b'\n') {
                let Ok(line) = line else { break };
                let line = String::from_utf8_lossy(&line).trim_end().to_owned();
                // Best effort: a closed stderr of our own must not stop the install.
                let _ = writeln!(io::stderr(), "{line}");
                if tail.len() == STDERR_TAIL_LINES {
                    tail.pop_front();
                }
                tail.push_back(line);
            }
            Vec::from(tail).join("\n")
        })
    });
    let status = child.wait().map_err(|error| ToolError::Spawn {
        program,
        command: shown.clone(),
        error,
    })?;
    let stderr_tail = tee
        .and_then(|tee| tee.join().ok())
        .filter(|tail| !tail.trim().is_empty())
        .unwrap_or_else(|| "(nothing)".to_owned());

    if status.success() {
        Ok(())
    } else {
        Err(ToolError::CommandFailed {
            command: shown,
            status,
            stderr_tail,
            hint,
        })
    }
}

/// A command as a person would type it.
fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
