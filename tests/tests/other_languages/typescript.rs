//! TypeScript: `openapi-typescript` turns the published document into `schema.d.ts`,
//! the service's program (`tests/clients/typescript/<service>.ts`) calls the service
//! with `openapi-fetch` typed by it, and `tsc --strict` checks the program against those
//! types and compiles it for Node.

use std::fs;
use std::path::Path;
use std::process::Command;

use apigen_tests::tools::{node_modules, openapi_typescript, tsc, workspace_root};

use crate::run_tool;
use crate::service::Service;

/// Generates the client types of `document` into `folder`, compiles the service's
/// program there, and returns the command that runs it with Node.
pub fn build(service: &Service, document: &Path, folder: &Path) -> Command {
    // Every input is written again below; `out/` is kept for tsc (see below).
    fs::create_dir_all(folder)
        .unwrap_or_else(|error| panic!("cannot create {}: {error}", folder.display()));
    link_node_modules(folder);

    run_tool(
        &format!("openapi-typescript on {}", document.display()),
        Command::new(openapi_typescript())
            .arg(document)
            .arg("--output")
            .arg(folder.join("schema.d.ts")),
    );

    let sources = workspace_root().join("tests/clients/typescript");
    let program = format!("{}.ts", service.name);
    for file in ["harness.ts", "tsconfig.json", program.as_str()] {
        fs::copy(sources.join(file), folder.join(file)).unwrap_or_else(|error| {
            panic!(
                "cannot copy {} to {}: {error}",
                sources.join(file).display(),
                folder.display()
            )
        });
    }
    // Node runs the compiled programs as ES modules (top-level `await`).
    fs::write(folder.join("package.json"), "{ \"type\": \"module\" }\n")
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", folder.display()));

    run_tool(
        &format!(
            "tsc --strict on tests/clients/typescript/{program} with the types of {}",
            document.display()
        ),
        Command::new(tsc())
            .arg("--project")
            .arg(folder)
            .arg("--strict")
            .args(["--pretty", "false"])
            // Checking `@types/node` is most of the work, and the same every run: tsc
            // keeps what it checked with its output, and checks and emits again what
            // changed (everything, when `out/` is gone).
            .arg("--incremental")
            .arg("--tsBuildInfoFile")
            .arg(folder.join("out/tsconfig.tsbuildinfo")),
    );

    let mut node = Command::new("node");
    node.arg(folder.join("out").join(format!("{}.js", service.name)));
    node
}

/// Node and `tsc` look for packages in the `node_modules` folders above a file: one in
/// `target/other-languages/` (a link to the pinned tools') serves every program.
fn link_node_modules(folder: &Path) {
    let Some(above) = folder.ancestors().nth(2) else {
        panic!("{} has no folder two levels up", folder.display());
    };
    let link = above.join("node_modules");
    let target = node_modules();
    if fs::read_link(&link).is_ok_and(|found| found == target) {
        return;
    }
    // A stale link or folder (the tools moved): replace it. Another test may be doing
    // the same at the same moment, so a link that appeared meanwhile is fine.
    let _ = fs::remove_file(&link);
    #[cfg(unix)]
    let linked = std::os::unix::fs::symlink(&target, &link);
    #[cfg(windows)]
    let linked = std::os::windows::fs::symlink_dir(&target, &link);
    if let Err(error) = linked
        && fs::read_link(&link).map_or(true, |found| found != target)
    {
        panic!(
            "cannot link {} to {}: {error}",
            link.display(),
            target.display()
        );
    }
}
