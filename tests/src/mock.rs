//! The example-backed servers: each service's `<service>-mock` binary, the very program
//! `cargo xtask serve` runs (built by `cargo xtask test`), started on a free loopback
//! port for tools and clients that are not Rust.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::tools::workspace_binary;

/// A running `<service>-mock`, stopped when dropped.
#[derive(Debug)]
pub struct Mock {
    child: Child,
    /// The URL it serves at: `http://127.0.0.1:<port>` followed by the document's server
    /// path (e.g. `/crafter-profile`), the base URL to give a client.
    pub url: String,
}

impl Mock {
    /// Starts `<service>-mock` on a free loopback port and reads the URL it serves at
    /// from the first line it prints.
    ///
    /// # Panics
    /// When the binary is not built, does not start, or does not say where it serves.
    #[track_caller]
    pub fn start(service: &str) -> Mock {
        let mut child = Command::new(workspace_binary(&format!("{service}-mock")))
            .args(["--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("the {service} mock starts: {error}"));
        let stdout = child
            .stdout
            .take()
            .expect("the mock's standard output is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the mock says where it serves");
        let url = line
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_owned();
        // Built before the assertion, so that a failed start still stops the child.
        let mock = Mock { child, url };
        assert!(
            mock.url.starts_with("http://127.0.0.1:"),
            "unexpected first line from the {service} mock: {line:?}"
        );
        mock
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
