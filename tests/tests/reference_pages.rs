//! The reference pages a person reads: `cargo xtask docs` renders one static HTML page per
//! service from its published document, and an index, into `target/reference/`
//! (`cargo xtask test` builds them before the tests). `cargo xtask serve <service>` runs
//! the service's example-backed server with `--docs <page>`: it serves the page at
//! `/docs` and the document at `/openapi.json` and `/openapi.yaml`.
//!
//! Each page is opened from that server in a real headless Chromium, at the deep link of
//! each operation, with every host but 127.0.0.1 unresolvable and the browser's network
//! log kept: the DOM after the page's script ran must show the operation's method, path
//! and summary, and the page must have asked for nothing from another host.

use apigen_tests::tools::{chromium, reference_pages, workspace_binary, workspace_root};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One operation of a published document, as its reference page should show it.
#[derive(Debug)]
struct Operation {
    method: String,
    path: String,
    summary: String,
    operation_id: String,
    tag: String,
}

/// The operations of `generated/openapi/<service>.json`.
fn operations(service: &str) -> Vec<Operation> {
    let document = published_json(service);
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let Some(operation_id) = operation["operationId"].as_str() else {
                continue;
            };
            let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
            operations.push(Operation {
                method: method.clone(),
                path: path.clone(),
                summary: text(&operation["summary"]),
                operation_id: operation_id.to_owned(),
                tag: text(&operation["tags"][0]),
            });
        }
    }
    assert!(!operations.is_empty(), "{service} has operations");
    operations
}

fn published_json(service: &str) -> Value {
    let text = published(&format!("{service}.json"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{service}.json: {error}"))
}

fn published(name: &str) -> String {
    let path = workspace_root().join("generated/openapi").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The services: every published document.
fn services() -> Vec<String> {
    let mut services: Vec<String> = std::fs::read_dir(workspace_root().join("generated/openapi"))
        .expect("generated/openapi/ lists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter_map(|path| Some(path.file_stem()?.to_string_lossy().into_owned()))
        .collect();
    services.sort();
    assert_eq!(services.len(), 4, "the four services: {services:?}");
    services
}

fn page(service: &str) -> PathBuf {
    reference_pages().join(format!("{service}.html"))
}

#[test]
fn the_index_links_every_service_page_and_its_documents() {
    let folder = reference_pages();
    let index = std::fs::read_to_string(folder.join("index.html")).expect("the index");
    for service in services() {
        for file in [
            format!("{service}.html"),
            format!("{service}.json"),
            format!("{service}.yaml"),
        ] {
            assert!(
                index.contains(&format!("href=\"{file}\"")),
                "the index links {file}"
            );
            assert!(folder.join(&file).is_file(), "{file} is beside the index");
        }
        for extension in ["json", "yaml"] {
            let name = format!("{service}.{extension}");
            let copied = std::fs::read_to_string(folder.join(&name)).expect("the copy");
            assert!(
                copied == published(&name),
                "target/reference/{name} is not the published document: run `cargo xtask docs`"
            );
        }
        for operation in operations(&service) {
            assert!(
                index.contains(&operation.path),
                "the index lists {} {}",
                operation.method,
                operation.path
            );
        }
    }
}

/// The tags that load something when the page opens, and the attributes that say from
/// where.
const LOADING: [(&str, &[&str]); 9] = [
    ("script", &["src"]),
    ("link", &["href"]),
    ("img", &["src", "srcset"]),
    ("iframe", &["src"]),
    ("source", &["src", "srcset"]),
    ("video", &["src", "poster"]),
    ("audio", &["src"]),
    ("embed", &["src"]),
    ("object", &["data"]),
];

/// Every absolute URL the markup of `html` loads from (tags of [`LOADING`], CSS `url()`
/// and `@import`): the checks a reader of the file can make without a browser.
fn external_loads(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let absolute = |value: &str| {
        let value = value.trim_start_matches(['"', '\'', ' ']);
        value.starts_with("http:") || value.starts_with("https:") || value.starts_with("//")
    };
    let mut found = Vec::new();
    for (tag, attributes) in LOADING {
        let open = format!("<{tag} ");
        let mut from = 0;
        while let Some(at) = lower[from..].find(&open) {
            let start = from + at;
            let end = lower[start..]
                .find('>')
                .map_or(lower.len(), |end| start + end);
            let markup = &lower[start..end];
            for attribute in attributes {
                let key = format!(" {attribute}=");
                if let Some(value) = markup.find(&key).map(|at| &markup[at + key.len()..])
                    && absolute(value)
                {
                    found.push(html[start..end.min(start + 200)].to_owned());
                }
            }
            from = end;
        }
    }
    for marker in ["url(", "@import"] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(marker) {
            let start = from + at + marker.len();
            if absolute(lower[start..].trim_start_matches("url(")) {
                found.push(html[start - marker.len()..(start + 100).min(html.len())].to_owned());
            }
            from = start;
        }
    }
    found
}

#[test]
fn no_page_refers_to_a_resource_on_another_host() {
    let folder = reference_pages();
    let mut pages: Vec<PathBuf> = services().iter().map(|service| page(service)).collect();
    pages.push(folder.join("index.html"));
    for page in pages {
        let html = std::fs::read_to_string(&page).expect("the page");
        let found = external_loads(&html);
        assert!(
            found.is_empty(),
            "{} loads from another host: {found:#?}",
            page.display()
        );
        assert!(
            !html.contains("cdn.redoc.ly"),
            "{} still names the renderer's CDN",
            page.display()
        );
    }
}

#[test]
fn the_scan_for_external_resources_finds_them() {
    // The check above can fail: each of these loads from another host.
    for html in [
        "<script src=\"https://cdn.example.com/redoc.js\"></script>",
        "<link rel=\"stylesheet\" href=\"https://fonts.example.com/css\">",
        "<img alt=\"logo\" src='//cdn.example.com/logo.svg'>",
        "<style>body { background: url(\"https://example.com/bg.png\") }</style>",
        "<style>@import \"https://example.com/theme.css\";</style>",
    ] {
        assert_eq!(external_loads(html).len(), 1, "{html}");
    }
    for html in [
        "<a href=\"https://redocly.com/\">API docs by Redocly</a>",
        "<img src=\"data:image/svg+xml,%3Csvg%3E%3C/svg%3E\">",
        "<script>var u = 'https://example.com/';</script>",
        "<link rel=\"icon\" href=\"favicon.ico\">",
    ] {
        assert!(external_loads(html).is_empty(), "{html}");
    }
}

/// An example-backed server, the binary `cargo xtask serve` runs, stopped when dropped.
struct Served {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    origin: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `<service>-mock --addr 127.0.0.1:0 [--docs <page>]` and reads where it serves.
fn serve(service: &str, docs: Option<&Path>) -> Served {
    let mut command = Command::new(workspace_binary(&format!("{service}-mock")));
    command.args(["--addr", "127.0.0.1:0"]);
    if let Some(page) = docs {
        command.arg("--docs").arg(page);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("the {service} server starts: {error}"));
    let stdout = child.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the server says where it serves");
    let url = line.split_whitespace().last().unwrap_or_default();
    let origin = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .map(|host| format!("http://{host}"))
        .unwrap_or_else(|| panic!("unexpected first line from the server: {line:?}"));
    Served { child, origin }
}

/// `GET url`: the status, the `Content-Type`, the body.
fn get(url: &str) -> (u16, String, Vec<u8>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let response = apigen_tests::serve::raw_get(url, &[]).await;
        let content_type = response
            .headers
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (
            response.status.as_u16(),
            content_type,
            response.body.to_vec(),
        )
    })
}

#[test]
fn serve_publishes_the_document_and_the_reference_page_beside_the_examples() {
    for service in services() {
        let served = serve(&service, Some(&page(&service)));
        let (status, content_type, body) = get(&format!("{}/openapi.json", served.origin));
        assert_eq!((status, content_type.as_str()), (200, "application/json"));
        assert!(
            body == published(&format!("{service}.json")).into_bytes(),
            "{service} JSON"
        );

        let (status, content_type, body) = get(&format!("{}/openapi.yaml", served.origin));
        assert_eq!((status, content_type.as_str()), (200, "application/yaml"));
        assert!(
            body == published(&format!("{service}.yaml")).into_bytes(),
            "{service} YAML"
        );

        let (status, content_type, body) = get(&format!("{}/docs", served.origin));
        assert_eq!(status, 200, "{service} /docs");
        assert!(content_type.starts_with("text/html"), "{content_type}");
        assert!(
            body == std::fs::read(page(&service)).expect("the page"),
            "{service}: /docs serves the page built by `cargo xtask docs`"
        );
    }
    // Without a page there is no /docs, and the document is still served.
    let served = serve("crafter-profile", None);
    assert_eq!(get(&format!("{}/docs", served.origin)).0, 404);
    assert_eq!(get(&format!("{}/openapi.json", served.origin)).0, 200);
}

/// What Chromium made of one URL: the DOM after the page's script ran, and the URLs the
/// page asked for (from its network log).
struct Rendered {
    dom: String,
    requests: Vec<String>,
}

/// Opens `url` in headless Chromium with every host but 127.0.0.1 unresolvable, and
/// returns the DOM once the page is idle (virtual time, so a slow machine waits longer in
/// real time but the page sees the same), with the requests the page made.
fn render(url: &str) -> Rendered {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let net_log = scratch.path().join("net-log.json");
    let dom = scratch.path().join("dom.html");
    let errors = scratch.path().join("stderr.txt");
    let file = |path: &Path| {
        std::fs::File::create(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    };
    let mut child = Command::new(chromium())
        .arg("--headless")
        // The tests may run as root (CI containers), where Chromium refuses its sandbox;
        // the page is our own, served from loopback.
        .arg("--no-sandbox")
        .arg("--disable-gpu")
        .arg(format!(
            "--user-data-dir={}",
            scratch.path().join("profile").display()
        ))
        .arg("--no-first-run")
        .arg("--disable-background-networking")
        .arg("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
        .arg(format!("--log-net-log={}", net_log.display()))
        .arg("--virtual-time-budget=15000")
        .arg("--dump-dom")
        .arg(url)
        // Files, not pipes: the DOM is megabytes, and a full pipe would stall the browser.
        .stdout(file(&dom))
        .stderr(file(&errors))
        .spawn()
        .unwrap_or_else(|error| panic!("Chromium starts: {error}"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("Chromium can be waited for") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Chromium did not finish rendering {url} within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let read = |path: &Path| {
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    };
    assert!(
        status.success(),
        "Chromium failed on {url}: {}",
        read(&errors)
    );
    Rendered {
        dom: read(&dom),
        requests: page_requests(&read(&net_log), "http://127.0.0.1"),
    }
}

/// The URLs requested on behalf of pages of `site`, from a Chromium network log (the
/// browser's own traffic, such as its clock check, has another isolation key).
fn page_requests(log: &str, site: &str) -> Vec<String> {
    let log: Value = serde_json::from_str(log).expect("the network log is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    assert!(start_job.is_number(), "the log names its event types");
    log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|event| event["type"] == start_job)
        .map(|event| &event["params"])
        .filter(|params| {
            params["network_isolation_key"]
                .as_str()
                .is_some_and(|key| key.starts_with(site))
        })
        .filter_map(|params| params["url"].as_str().map(str::to_owned))
        .collect()
}

/// The visible text of `dom`: without scripts, styles and tags, entities decoded,
/// whitespace collapsed.
fn visible_text(dom: &str) -> String {
    let mut text = String::new();
    let mut rest = dom;
    while let Some(at) = rest.find('<') {
        text.push_str(&rest[..at]);
        text.push(' ');
        rest = &rest[at..];
        let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            "</script>"
        } else if lower.starts_with("<style") {
            "</style>"
        } else {
            ">"
        };
        rest = match rest.find(skip_to) {
            Some(end) => &rest[end + skip_to.len()..],
            None => "",
        };
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Opens the page of `service` from its server at each operation's deep link, and checks
/// the DOM after the page's script ran shows the operation's method, path and summary,
/// and that the page asked nothing of another host.
fn assert_renders_every_operation(service: &str) {
    let served = serve(service, Some(&page(service)));
    for operation in operations(service) {
        // The deep link every Redoc version reads; the page's script routes to it.
        let url = format!(
            "{}/docs#tag/{}/operation/{}",
            served.origin, operation.tag, operation.operation_id
        );
        let rendered = render(&url);
        let text = visible_text(&rendered.dom);
        let lower = text.to_lowercase();
        let shown = format!("{} {}", operation.method, operation.path).to_lowercase();
        assert!(
            lower.contains(&shown),
            "{url}: the page shows `{shown}` (method and path) once rendered; its text:\n{text}"
        );
        assert!(
            !operation.summary.is_empty() && text.contains(&operation.summary),
            "{url}: the page shows the summary `{}`; its text:\n{text}",
            operation.summary
        );
        assert!(
            rendered
                .requests
                .iter()
                .any(|request| request.starts_with(&served.origin)),
            "the network log records the page itself: {:?}",
            rendered.requests
        );
        let elsewhere: Vec<&String> = rendered
            .requests
            .iter()
            .filter(|request| !request.starts_with(&served.origin))
            .collect();
        assert!(
            elsewhere.is_empty(),
            "{url}: the page asked another host for {elsewhere:?}"
        );
    }
}

#[test]
fn the_azure_devops_profiles_page_renders_every_operation_in_a_browser() {
    assert_renders_every_operation("azure-devops-profiles");
}

#[test]
fn the_crafter_profile_page_renders_every_operation_in_a_browser() {
    assert_renders_every_operation("crafter-profile");
}

#[test]
fn the_groove_music_page_renders_every_operation_in_a_browser() {
    assert_renders_every_operation("groove-music");
}

#[test]
fn the_xbox_presence_page_renders_every_operation_in_a_browser() {
    assert_renders_every_operation("xbox-presence");
}
