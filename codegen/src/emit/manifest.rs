//! `Cargo.toml` of a generated crate. It is TOML, not Rust, so it is written as text;
//! every value from the document goes through [`toml_string`].

use crate::format::header;
use crate::model::Service;

/// The crate manifest.
pub fn manifest(service: &Service, mock: bool, tag_features: &str) -> String {
    let description = toml_string(&format!(
        "{} (generated from {})",
        service.title, service.source
    ));
    format!(
        r#"{header}[package]
name = {name}
description = {description}
version = "0.1.0"
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish = false

[lib]
# Descriptions from the document are prose, not Rust examples.
doctest = false

[features]
default = ["client", "server"]
client = ["apigen-runtime/client"]
server = ["apigen-runtime/server"]
{tag_features}{mock}
[dependencies]
apigen-runtime = {{ path = {runtime}, default-features = false }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[lints]
workspace = true
"#,
        header = header(&service.source, "#"),
        name = toml_string(&service.crate_name),
        runtime = toml_string(&service.runtime_path),
        tag_features = tag_features,
        mock = if mock {
            mock_section(&service.crate_name)
        } else {
            String::new()
        },
    )
}

/// The `mock` feature and the binary that serves it.
fn mock_section(crate_name: &str) -> String {
    let bin = format!("{crate_name}-mock");
    format!(
        "# An implementation answering from the document's examples, its server, and the round\n# trip of the examples through the client (`<crate>-mock --round-trip`).\nmock = [\"server\", \"client\", \"apigen-runtime/mock\"]\n\n[[bin]]\nname = {}\npath = {}\nrequired-features = [\"mock\"]\n",
        toml_string(&bin),
        toml_string(&format!("src/bin/{bin}.rs")),
    )
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
