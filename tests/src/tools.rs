//! Where the tests find the pinned external tools (validators, linters, a mock server).
//!
//! `cargo xtask test` installs them (see `xtask/src/tools.rs`, which pins their versions)
//! under `<target>/tools`: PyPI packages in the virtual environment `venv/`, npm packages
//! in `node/`. A test that needs a tool asks for it here; when the tool is missing the
//! test fails, never skips, and says how to get it.

use std::env;
use std::path::{Path, PathBuf};

/// The workspace root: the folder above this crate's.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    match manifest_dir.parent() {
        Some(root) => root.to_path_buf(),
        None => panic!(
            "the tests crate {} has no parent folder",
            manifest_dir.display()
        ),
    }
}

/// The workspace's target folder: `$CARGO_TARGET_DIR` when set (a relative value is taken
/// relative to the workspace root), else `<workspace root>/target`; the same rule as the
/// installer's in `xtask/src/tools.rs`.
pub fn target_dir() -> PathBuf {
    let root = workspace_root();
    match env::var_os("CARGO_TARGET_DIR") {
        // `join` keeps an absolute value as it is.
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// The folder the pinned tools are installed into: `<target>/tools`.
pub fn tools_dir() -> PathBuf {
    target_dir().join("tools")
}

/// The `openapi-spec-validator` executable (PyPI package `openapi-spec-validator`).
///
/// # Panics
/// When it is not installed, with a message that says how to install it.
#[track_caller]
pub fn openapi_spec_validator() -> PathBuf {
    let bin = if cfg!(windows) {
        "Scripts/openapi-spec-validator.exe"
    } else {
        "bin/openapi-spec-validator"
    };
    installed("openapi-spec-validator", tools_dir().join("venv").join(bin))
}

/// The `schemathesis` executable (PyPI package `schemathesis`).
///
/// # Panics
/// When it is not installed, with a message that says how to install it.
#[track_caller]
pub fn schemathesis() -> PathBuf {
    let bin = if cfg!(windows) {
        "Scripts/schemathesis.exe"
    } else {
        "bin/schemathesis"
    };
    installed("schemathesis", tools_dir().join("venv").join(bin))
}

/// A binary of the workspace built by `cargo xtask test` (such as the `<crate>-mock`
/// servers `cargo xtask serve` runs).
///
/// # Panics
/// When it is not built, with a message that says how to build it.
#[track_caller]
pub fn workspace_binary(name: &str) -> PathBuf {
    installed(name, target_dir().join("debug").join(name))
}

/// The `redocly` executable (npm package `@redocly/cli`).
///
/// # Panics
/// When it is not installed, with a message that says how to install it.
#[track_caller]
pub fn redocly() -> PathBuf {
    let bin = if cfg!(windows) {
        "redocly.cmd"
    } else {
        "redocly"
    };
    installed(
        "redocly (@redocly/cli)",
        tools_dir().join("node/node_modules/.bin").join(bin),
    )
}

/// The `prism` executable (npm package `@stoplight/prism-cli`), a mock server that
/// answers from an OpenAPI document and validates the requests it receives.
///
/// # Panics
/// When it is not installed, with a message that says how to install it.
#[track_caller]
pub fn prism() -> PathBuf {
    let bin = if cfg!(windows) { "prism.cmd" } else { "prism" };
    installed(
        "prism (@stoplight/prism-cli)",
        tools_dir().join("node/node_modules/.bin").join(bin),
    )
}

/// The `openapi-typescript` executable (npm package `openapi-typescript`), which turns
/// an OpenAPI document into TypeScript types for `openapi-fetch`.
///
/// # Panics
/// When it is not installed, with a message that says how to install it.
#[track_caller]
pub fn openapi_typescript() -> PathBuf {
    installed("openapi-typescript", npm_executable("openapi-typescript"))
}

/// The TypeScript compiler `tsc` (npm package `typescript`).
///
/// # Panics
/// When it is not installed, with a message that says how to install it.
#[track_caller]
pub fn tsc() -> PathBuf {
    installed("tsc (typescript)", npm_executable("tsc"))
}

/// The `node_modules` folder of the npm tools, once it holds the libraries that
/// TypeScript client programs import and compile against: `openapi-fetch` and
/// `@types/node`.
///
/// # Panics
/// When one of them is not installed, with a message that says how to install it.
#[track_caller]
pub fn node_modules() -> PathBuf {
    let folder = tools_dir().join("node/node_modules");
    for library in ["openapi-fetch", "@types/node"] {
        installed(library, folder.join(library).join("package.json"));
    }
    folder
}

/// The `openapi-python-client` executable (PyPI package `openapi-python-client`).
///
/// # Panics
/// When it is not installed, with a message that says how to install it.
#[track_caller]
pub fn openapi_python_client() -> PathBuf {
    installed(
        "openapi-python-client",
        venv_executable("openapi-python-client"),
    )
}

/// The `mypy` executable (PyPI package `mypy`).
///
/// # Panics
/// When it is not installed, with a message that says how to install it.
#[track_caller]
pub fn mypy() -> PathBuf {
    installed("mypy", venv_executable("mypy"))
}

/// The `ruff` executable (PyPI package `ruff`), which `openapi-python-client` runs from
/// `PATH` to tidy what it generates.
///
/// # Panics
/// When it is not installed, with a message that says how to install it.
#[track_caller]
pub fn ruff() -> PathBuf {
    installed("ruff", venv_executable("ruff"))
}

/// The Python interpreter of the tools' virtual environment, where generated Python
/// clients find the libraries they import (`httpx`, `attrs`).
///
/// # Panics
/// When it is not installed, with a message that says how to install it.
#[track_caller]
pub fn venv_python() -> PathBuf {
    installed(
        "python (the tools' virtual environment)",
        venv_executable("python"),
    )
}

/// Where the virtual environment puts the executable `name`.
fn venv_executable(name: &str) -> PathBuf {
    if cfg!(windows) {
        tools_dir().join("venv/Scripts").join(format!("{name}.exe"))
    } else {
        tools_dir().join("venv/bin").join(name)
    }
}

/// Where npm puts the executable `name` of an installed package.
fn npm_executable(name: &str) -> PathBuf {
    let bin = tools_dir().join("node/node_modules/.bin");
    if cfg!(windows) {
        bin.join(format!("{name}.cmd"))
    } else {
        bin.join(name)
    }
}

/// `path` if it exists; otherwise panics, naming the tool and how to install it.
#[track_caller]
fn installed(tool: &str, path: PathBuf) -> PathBuf {
    if !path.is_file() {
        panic!(
            "{tool} is not installed: {} does not exist. Run `cargo xtask test`, which \
             installs it (with the other pinned tools, under {}) and then runs the tests.",
            path.display(),
            tools_dir().display(),
        );
    }
    path
}

/// The headless browser the reference-page tests run: `APIGEN_CHROMIUM` when set, else
/// `chromium` on `PATH` (Debian's package), the rule of `xtask/src/browser.rs`, whose
/// installer `cargo xtask test` runs.
///
/// # Panics
/// When there is none, with a message that says how to get one.
#[track_caller]
pub fn chromium() -> PathBuf {
    if let Some(path) = env::var_os("APIGEN_CHROMIUM").filter(|path| !path.is_empty()) {
        return installed("Chromium (APIGEN_CHROMIUM)", PathBuf::from(path));
    }
    let found = env::var_os("PATH").and_then(|path| {
        env::split_paths(&path)
            .map(|folder| folder.join("chromium"))
            .find(|candidate| candidate.is_file())
    });
    match found {
        Some(path) => path,
        None => panic!(
            "Chromium is not installed: `chromium` is not on PATH and APIGEN_CHROMIUM is not \
             set. Run `cargo xtask test`, which installs Debian's `chromium` package when it \
             is missing (or install Chromium yourself and set APIGEN_CHROMIUM to it)."
        ),
    }
}

/// The reference pages `cargo xtask docs` builds (`cargo xtask test` builds them before
/// the tests): `<target>/reference`.
///
/// # Panics
/// When they are not built, with a message that says how to build them.
#[track_caller]
pub fn reference_pages() -> PathBuf {
    let folder = target_dir().join("reference");
    if !folder.join("index.html").is_file() {
        panic!(
            "the reference pages are not built: {} has no index.html. Run `cargo xtask docs` \
             (`cargo xtask test` runs it before the tests).",
            folder.display()
        );
    }
    folder
}
