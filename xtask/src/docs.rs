//! `cargo xtask docs`: the reference pages a person reads, one static HTML page per
//! service and an index, in `target/reference/`.
//!
//! Each page is rendered from the published document (`generated/openapi/<service>.json`,
//! what other teams generate from) by the pinned `@redocly/cli` (`redocly build-docs`,
//! installed under `target/tools` like the other npm tools) with `--inlineBundle`: the
//! renderer's script is inside the page, so it opens offline, from a file or from
//! `cargo xtask serve` at `/docs`, and loads nothing from another host. Beside the pages
//! the folder holds the published JSON and YAML and an `index.html` linking them all, so
//! it can be copied to any static host as it is.
//!
//! The pages are built, not checked in: they are about 2.5 MB each, nearly all of it the
//! renderer, and building them needs Node; `cargo xtask codegen --check` stays a pure
//! Rust comparison of what the documents determine.

use crate::tools::{self, Ecosystem};
use serde_json::Value;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The npm package that renders the pages (pinned in `tools::PINNED`).
const RENDERER: &str = "@redocly/cli";

/// Where the published documents are, relative to the workspace root.
const PUBLISHED: &str = "generated/openapi";

/// Why the pages could not be built; the message says what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Failure(String);

/// The folder the pages are built into: `<target>/reference`.
pub fn folder(root: &Path) -> PathBuf {
    tools::target_dir(root).join("reference")
}

/// Builds every service's page, copies the published documents beside them, and writes
/// the index; prints each page's size.
pub fn build(root: &Path) -> Result<PathBuf, Failure> {
    let services = services(root)?;
    if services.is_empty() {
        return Err(Failure(format!(
            "no published documents in {PUBLISHED}/: run `cargo xtask codegen` first"
        )));
    }
    let out = folder(root);
    fs::create_dir_all(&out).map_err(|error| io_failure("create", &out, &error))?;
    let redocly = renderer(root)?;
    for service in &services {
        let page = render(root, &redocly, service, &out)?;
        for extension in ["json", "yaml"] {
            let name = format!("{}.{extension}", service.name);
            let from = root.join(PUBLISHED).join(&name);
            fs::copy(&from, out.join(&name)).map_err(|error| io_failure("copy", &from, &error))?;
        }
        println!("docs: {} ({} bytes)", shown(root, &page), size(&page));
    }
    let index = out.join("index.html");
    write(&index, &index_page(&services))?;
    println!("docs: {} ({} bytes)", shown(root, &index), size(&index));
    println!(
        "docs: open {} in a browser, or run `cargo xtask serve <service>` and open /docs",
        index.display()
    );
    Ok(out)
}

/// The page of one service, for `cargo xtask serve`: built again when it is missing or
/// older than the published document.
pub fn page(root: &Path, service: &str) -> Result<PathBuf, Failure> {
    let found = services(root)?
        .into_iter()
        .find(|candidate| candidate.name == service)
        .ok_or_else(|| {
            Failure(format!(
                "no published document {PUBLISHED}/{service}.json: run `cargo xtask codegen`"
            ))
        })?;
    let out = folder(root);
    let page = out.join(format!("{service}.html"));
    let modified = |path: &Path| fs::metadata(path).and_then(|meta| meta.modified()).ok();
    let fresh = match (modified(&page), modified(&found.json)) {
        (Some(page), Some(document)) => page >= document,
        _ => false,
    };
    if fresh {
        return Ok(page);
    }
    fs::create_dir_all(&out).map_err(|error| io_failure("create", &out, &error))?;
    let redocly = renderer(root)?;
    render(root, &redocly, &found, &out)
}

/// One published document, as the index describes it.
struct Service {
    /// The crate's name, and the documents' file stem (`crafter-profile`).
    name: String,
    /// `generated/openapi/<name>.json`.
    json: PathBuf,
    /// `info.title`.
    title: String,
    /// `info.version`.
    version: String,
    /// The first paragraph of `info.description`.
    summary: String,
    /// Every operation: method (upper case), path, summary.
    operations: Vec<(String, String, String)>,
}

/// The published documents, by name.
fn services(root: &Path) -> Result<Vec<Service>, Failure> {
    let dir = root.join(PUBLISHED);
    let entries = fs::read_dir(&dir).map_err(|error| io_failure("list", &dir, &error))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    paths.into_iter().map(|json| service(root, json)).collect()
}

fn service(root: &Path, json: PathBuf) -> Result<Service, Failure> {
    let text = fs::read_to_string(&json).map_err(|error| io_failure("read", &json, &error))?;
    let document: Value = serde_json::from_str(&text).map_err(|error| {
        Failure(format!(
            "{} is not JSON ({error}): run `cargo xtask codegen` to write it again",
            shown(root, &json)
        ))
    })?;
    let text_at = |pointer: &str| {
        document
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let summary = text_at("/info/description")
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut operations = Vec::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in crate::operations::of_path_item(item) {
            let summary = operation
                .get("summary")
                .and_then(Value::as_str)
                .unwrap_or_default();
            operations.push((method.to_uppercase(), path.clone(), summary.to_owned()));
        }
    }
    Ok(Service {
        name: json
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default(),
        json,
        title: text_at("/info/title"),
        version: text_at("/info/version"),
        summary,
        operations,
    })
}

/// The installed `redocly` executable, installing the npm tools when needed.
fn renderer(root: &Path) -> Result<PathBuf, Failure> {
    let pinned = tools::pinned(RENDERER).ok_or_else(|| {
        Failure(format!(
            "{RENDERER} is not in PINNED (xtask/src/tools.rs): add it back, the pages need it"
        ))
    })?;
    tools::install_only(root, Ecosystem::Npm).map_err(|error| Failure(error.to_string()))?;
    let env_dir = tools::tools_dir(root).join(Ecosystem::Npm.dir_name());
    tools::installed_file(&env_dir, pinned).ok_or_else(|| {
        Failure(format!(
            "{RENDERER} has no executable in PINNED (xtask/src/tools.rs): the pages need one"
        ))
    })
}

/// Renders the page of `service` into `out/<name>.html` (through a temporary file, so
/// that a failed run leaves no half page).
fn render(root: &Path, redocly: &Path, service: &Service, out: &Path) -> Result<PathBuf, Failure> {
    let page = out.join(format!("{}.html", service.name));
    let partial = out.join(format!("{}.html.partial", service.name));
    let started = Instant::now();
    let output = Command::new(redocly)
        .current_dir(root)
        .arg("build-docs")
        .arg(&service.json)
        .arg("--inlineBundle")
        .arg("--output")
        .arg(&partial)
        .arg("--title")
        .arg(format!("{} reference", service.title))
        .args(["--lint-config", "off"])
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .map_err(|error| {
            Failure(format!(
                "could not run {}: {error}; run `cargo xtask docs` again, which installs it",
                redocly.display()
            ))
        })?;
    if !output.status.success() || !partial.is_file() {
        return Err(Failure(format!(
            "`redocly build-docs {}` failed ({}):\n{}\n{}",
            shown(root, &service.json),
            output.status,
            String::from_utf8_lossy(&output.stdout).trim(),
            String::from_utf8_lossy(&output.stderr).trim(),
        )));
    }
    let html =
        fs::read_to_string(&partial).map_err(|error| io_failure("read", &partial, &error))?;
    write(
        &partial,
        &offline(&html).map_err(|what| {
            Failure(format!(
                "the page redocly rendered from {} {what}: the renderer changed (its pin in \
             xtask/src/tools.rs); update `offline` in xtask/src/docs.rs",
                shown(root, &service.json)
            ))
        })?,
    )?;
    fs::rename(&partial, &page).map_err(|error| io_failure("rename", &partial, &error))?;
    println!(
        "docs: rendered {} in {:.1}s",
        shown(root, &page),
        started.elapsed().as_secs_f64()
    );
    Ok(page)
}

/// The host the renderer loads its logo from, the one thing an inline-bundled page
/// still fetches from the network when it opens (Redocly's `build-docs` documentation
/// says so).
const CDN: &str = "https://cdn.redoc.ly/redoc/";

/// The logos the renderer's sidebar shows under "API docs by", and what replaces each: an
/// image in the page itself (a `data:` URI), the renderer's name as text, so that the
/// attribution stays and the page loads nothing from another host.
const LOGOS: [(&str, &str); 2] = [
    (
        "logo-mini-full.svg",
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='64' height='16'%3E%3Ctext x='0' y='13' font-family='sans-serif' font-size='13' fill='%23777'%3ERedocly%3C/text%3E%3C/svg%3E",
    ),
    (
        "logo-mini.svg",
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='16' height='16'%3E%3Ctext x='2' y='13' font-family='sans-serif' font-size='13' fill='%23777'%3ER%3C/text%3E%3C/svg%3E",
    ),
];

/// `html` with the renderer's logos inlined; an error saying what is wrong when the
/// page does not refer to them as expected, or refers to the CDN for something else.
fn offline(html: &str) -> Result<String, String> {
    let mut html = html.to_owned();
    for (logo, inline) in LOGOS {
        let url = format!("{CDN}{logo}");
        if !html.contains(&url) {
            return Err(format!("no longer refers to its logo {url}"));
        }
        html = html.replace(&url, inline);
    }
    match html.find(CDN) {
        Some(at) => Err(format!(
            "still refers to {CDN}: `{}`",
            html[at..].chars().take(80).collect::<String>()
        )),
        None => Ok(html),
    }
}

/// The index: each service with its version, summary, operations, and links to its page
/// and documents. Written here, without a renderer: it is small, and its bytes depend on
/// the documents only.
fn index_page(services: &[Service]) -> String {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>API reference</title>\n<style>\n\
         body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }\n\
         code { font-size: 0.95em; }\n\
         .method { font-weight: bold; text-transform: uppercase; }\n\
         </style>\n</head>\n<body>\n<h1>API reference</h1>\n\
         <p>One page per service, rendered from the published OpenAPI documents; each \
         document is here in JSON and YAML too.</p>\n",
    );
    for service in services {
        let name = escape(&service.name);
        // Infallible: writing to a String.
        let _ = write!(
            html,
            "<section id=\"{name}\">\n<h2><a href=\"{name}.html\">{}</a> <small>version {}</small></h2>\n<p>{}</p>\n<ul>\n",
            escape(&service.title),
            escape(&service.version),
            code_spans(&escape(&service.summary)),
        );
        for (method, path, summary) in &service.operations {
            let _ = writeln!(
                html,
                "<li><span class=\"method\">{}</span> <code>{}</code>: {}</li>",
                escape(method),
                escape(path),
                code_spans(&escape(summary)),
            );
        }
        let _ = write!(
            html,
            "</ul>\n<p><a href=\"{name}.html\">Reference</a> · <a href=\"{name}.json\">{name}.json</a> · <a href=\"{name}.yaml\">{name}.yaml</a></p>\n</section>\n"
        );
    }
    html.push_str("</body>\n</html>\n");
    html
}

/// `text` as HTML text or attribute value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Markdown's code spans (`` `text` ``) of `html` (already escaped) as `<code>`
/// elements; text with an unpaired backtick is left as it is.
fn code_spans(html: &str) -> String {
    let parts: Vec<&str> = html.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len());
    for (index, part) in parts.iter().enumerate() {
        if index % 2 == 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    fs::write(path, text).map_err(|error| io_failure("write", path, &error))
}

fn size(path: &Path) -> u64 {
    fs::metadata(path).map(|meta| meta.len()).unwrap_or(0)
}

/// `path` relative to the workspace root, for messages.
fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn io_failure(action: &str, path: &Path, error: &std::io::Error) -> Failure {
    Failure(format!(
        "could not {action} {}: {error}; check the permissions of the folder, then run the \
         command again",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_renderer_logos_are_inlined_and_any_other_cdn_url_is_refused() {
        let page = "src:e?`https://cdn.redoc.ly/redoc/logo-mini-full.svg`:`https://cdn.redoc.ly/redoc/logo-mini.svg`";
        let inlined = offline(page).expect("both logos inlined");
        assert!(!inlined.contains("cdn.redoc.ly"), "{inlined}");
        assert_eq!(
            inlined.matches("data:image/svg+xml,").count(),
            2,
            "{inlined}"
        );

        let more = format!("{page} fetch(`https://cdn.redoc.ly/redoc/fonts.css`)");
        let error = offline(&more).expect_err("another CDN URL");
        assert!(error.contains("fonts.css"), "{error}");

        let error = offline("no logo").expect_err("a page without the logos");
        assert!(error.contains("logo-mini-full.svg"), "{error}");
    }

    #[test]
    fn the_index_escapes_what_the_documents_say() {
        let service = Service {
            name: "shop".to_owned(),
            json: PathBuf::from("generated/openapi/shop.json"),
            title: "Shop <API>".to_owned(),
            version: "1 & 2".to_owned(),
            summary: "Sells \"things\".".to_owned(),
            operations: vec![(
                "GET".to_owned(),
                "/items/{id}".to_owned(),
                "Get an <item>".to_owned(),
            )],
        };
        let html = index_page(&[service]);
        assert!(html.contains("Shop &lt;API&gt;"), "{html}");
        assert!(html.contains("version 1 &amp; 2"), "{html}");
        assert!(html.contains("Sells &quot;things&quot;."), "{html}");
        assert!(
            html.contains(
                "<span class=\"method\">GET</span> <code>/items/{id}</code>: Get an &lt;item&gt;"
            ),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"shop.html\">Reference</a>"),
            "{html}"
        );
        assert!(!html.contains("http"), "links stay relative: {html}");
        assert_eq!(
            code_spans("reads `a` and `b`"),
            "reads <code>a</code> and <code>b</code>"
        );
        assert_eq!(code_spans("one ` alone"), "one ` alone");
    }
}
