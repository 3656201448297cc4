//! The four services as the clients in other languages see them: one operation each,
//! the credentials their programs are given, and the checks their documents call for.

use apigen_runtime::axum::Router;
use apigen_tests::serve::{Document, Recorder};
use serde_json::{Value, json};

use crate::scripted::{self, Received};

/// A published service.
#[derive(Debug)]
pub struct Service {
    /// The document's name, `generated/openapi/<name>.json`.
    pub name: &'static str,
    /// The path of its one operation.
    pub path: &'static str,
    /// The method of its one operation, lower-case as in the document.
    pub method: &'static str,
    /// The path of the document's server URL, which the generated router is nested
    /// under (the crate's `BASE_PATH`).
    pub base_path: &'static str,
    /// The credentials a program is to send, by security scheme, made from a secret:
    /// `{"<scheme>": {"token" | "key" | "user" and "password": …}}`, the shape the
    /// scripted server records them in.
    pub credentials: fn(&str) -> Value,
    /// The scripted server's router answering `status`, or `None` when it has no
    /// answer for that status.
    pub scripted: fn(&str, &Document, &Recorder<Received>) -> Option<Router>,
}

pub const GROOVE_MUSIC: Service = Service {
    name: "groove-music",
    path: "/1/user/{namespace}/profile",
    method: "get",
    base_path: groove_music::server::BASE_PATH,
    credentials: |secret| json!({ "bearerAuth": { "token": secret } }),
    scripted: scripted::groove_music,
};

pub const XBOX_PRESENCE: Service = Service {
    name: "xbox-presence",
    path: "/users/xuid({xuid})",
    method: "get",
    base_path: xbox_presence::server::BASE_PATH,
    // The form the document describes: `XBL3.0 x=<userhash>;<token>`.
    credentials: |secret| json!({ "xblAuth": { "key": format!("XBL3.0 x=8131;{secret}") } }),
    scripted: scripted::xbox_presence,
};

pub const AZURE_DEVOPS_PROFILES: Service = Service {
    name: "azure-devops-profiles",
    path: "/_apis/profile/profiles/{id}",
    method: "get",
    base_path: azure_devops_profiles::server::BASE_PATH,
    // A personal access token with an empty user name, as the document allows.
    credentials: |secret| {
        json!({
            "oauth2": { "token": format!("oauth-{secret}") },
            "basicAuth": { "user": "", "password": format!("pat-{secret}") },
        })
    },
    scripted: scripted::azure_devops_profiles,
};

pub const CRAFTER_PROFILE: Service = Service {
    name: "crafter-profile",
    path: "/api/1/profile/{id}",
    method: "get",
    base_path: crafter_profile::server::BASE_PATH,
    credentials: |secret| json!({ "accessTokenId": { "key": secret } }),
    scripted: scripted::crafter_profile,
};

/// The operation's documented statuses, in document order.
pub fn statuses(service: &Service, document: &Value) -> Vec<String> {
    operation(service, document)["responses"]
        .as_object()
        .map(|responses| responses.keys().cloned().collect())
        .unwrap_or_default()
}

/// The operation's security alternatives, each as the scheme it names (the four
/// services need one scheme per alternative), in document order.
pub fn security_schemes(service: &Service, document: &Value) -> Vec<String> {
    let security = operation(service, document)
        .get("security")
        .or_else(|| document.get("security"));
    security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().cloned())
        .collect()
}

/// The checks a program must report for the document: `success`, `error <status>` for
/// each documented status that is not 2xx, and `credentials <scheme>` for each
/// security alternative.
pub fn expected_checks(service: &Service, document: &Value) -> Vec<String> {
    let mut checks = vec!["success".to_owned()];
    checks.extend(
        statuses(service, document)
            .into_iter()
            .filter(|status| !status.starts_with('2'))
            .map(|status| format!("error {status}")),
    );
    checks.extend(
        security_schemes(service, document)
            .into_iter()
            .map(|scheme| format!("credentials {scheme}")),
    );
    checks
}

#[track_caller]
fn operation<'a>(service: &Service, document: &'a Value) -> &'a Value {
    document
        .get("paths")
        .and_then(|paths| paths.get(service.path))
        .and_then(|item| item.get(service.method))
        .unwrap_or_else(|| {
            panic!(
                "the published {} document has no operation {} {}",
                service.name,
                service.method.to_uppercase(),
                service.path
            )
        })
}
