//! Python: `openapi-python-client` generates a client package from the published
//! document, `mypy --strict` checks the service's program
//! (`tests/clients/python/<service>.py`) together with the package, and the tools'
//! virtual environment, which has the libraries the package imports, runs it.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use apigen_tests::tools::{mypy, openapi_python_client, ruff, venv_python, workspace_root};

use crate::run_tool;
use crate::service::Service;

/// Generates the client package of `document` into `folder`, checks the service's
/// program with it, and returns the command that runs the program.
pub fn build(service: &Service, document: &Path, folder: &Path) -> Command {
    let module = service.name.replace('-', "_");
    let package = format!("{module}_client");
    fs::create_dir_all(folder)
        .unwrap_or_else(|error| panic!("cannot create {}: {error}", folder.display()));

    // The package's name, chosen rather than derived from the document's title, so the
    // program can import it.
    let config = folder.join("openapi-python-client.yaml");
    fs::write(&config, format!("package_name_override: {package}\n"))
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", config.display()));
    // `--overwrite` replaces the package whole; `--fail-on-warning` turns a part of the
    // document it skips into a failure.
    run_tool(
        &format!("openapi-python-client on {}", document.display()),
        Command::new(openapi_python_client())
            .arg("generate")
            .arg("--path")
            .arg(document)
            .args(["--meta", "none", "--overwrite", "--fail-on-warning"])
            .arg("--config")
            .arg(&config)
            .arg("--output-path")
            .arg(folder.join(&package))
            // Its post-generation hooks run `ruff` from PATH.
            .env("PATH", path_with(&ruff())),
    );

    let sources = workspace_root().join("tests/clients/python");
    let settings = fs::read_to_string(sources.join("mypy.ini"))
        .unwrap_or_else(|error| panic!("cannot read tests/clients/python/mypy.ini: {error}"));
    let mypy_ini = folder.join("mypy.ini");
    fs::write(&mypy_ini, settings.replace("{package}", &package))
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", mypy_ini.display()));
    let program = sources.join(format!("{module}.py"));
    run_tool(
        &format!(
            "mypy --strict on tests/clients/python/{module}.py with the package generated from {}",
            document.display()
        ),
        Command::new(mypy())
            .arg("--config-file")
            .arg(&mypy_ini)
            .arg("--cache-dir")
            .arg(folder.join(".mypy_cache"))
            .arg(&program)
            .arg(sources.join("harness.py"))
            .env("MYPYPATH", search_path(&[folder, &sources])),
    );

    let mut python = Command::new(venv_python());
    python
        .arg(&program)
        .env("PYTHONPATH", search_path(&[folder]))
        // No `__pycache__` in the source tree.
        .env("PYTHONDONTWRITEBYTECODE", "1");
    python
}

/// `PATH` with the folder of `executable` first.
fn path_with(executable: &Path) -> OsString {
    let folder = executable
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(folder).chain(std::env::split_paths(&rest)))
        .unwrap_or_else(|error| panic!("cannot build PATH: {error}"))
}

/// A search path (`MYPYPATH`, `PYTHONPATH`) of `folders`.
fn search_path(folders: &[&Path]) -> OsString {
    std::env::join_paths(folders.iter().map(PathBuf::from))
        .unwrap_or_else(|error| panic!("cannot build a search path: {error}"))
}
