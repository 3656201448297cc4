//! A service publishes its own description only when its author asks for it: the
//! generated `router` serves the document's operations and nothing else; merged with the
//! crate's `document_router()`, the service also answers `GET /openapi.json` and
//! `GET /openapi.yaml` with the document the crate embeds, the very bytes published in
//! `generated/openapi/` for other languages, over loopback.

use apigen_runtime::ApiKey;
use apigen_runtime::http::{StatusCode, header};
use apigen_runtime::reqwest;
use apigen_tests::serve::{self, raw_get};
use apigen_tests::tools::workspace_root;
use xbox_presence::operations::{GetUserPresenceParams, GetUserPresenceResponse};
use xbox_presence::types::{PresenceRecord, PresenceRecordState};

/// A presence service that says everyone is online.
struct Presence;

impl xbox_presence::XboxPresence for Presence {
    async fn get_user_presence(
        &self,
        params: GetUserPresenceParams,
        _credentials: ApiKey,
    ) -> GetUserPresenceResponse {
        GetUserPresenceResponse::Ok(
            PresenceRecord::new()
                .with_xuid(params.xuid.to_string())
                .with_state(PresenceRecordState::Online),
        )
    }
}

/// The published file `generated/openapi/<name>`.
fn published(name: &str) -> String {
    let path = workspace_root().join("generated/openapi").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{} should exist: {error}", path.display()))
}

fn content_type(response: &serve::RawResponse) -> &str {
    response
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_service_that_merges_the_document_router_serves_its_document_as_json_and_yaml() {
    let served =
        serve::serve(xbox_presence::router(Presence).merge(xbox_presence::document_router())).await;

    let json = raw_get(&served.url("/openapi.json"), &[]).await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(content_type(&json), "application/json");
    let text = String::from_utf8_lossy(&json.body);
    assert_eq!(text, published("xbox-presence.json"), "the published JSON");
    let document: serde_json::Value =
        serde_json::from_str(&text).expect("the served document is JSON");
    assert_eq!(document["openapi"], "3.0.3");
    assert!(
        document["paths"]["/users/xuid({xuid})"]["get"].is_object(),
        "the document describes the operation the service serves"
    );

    let yaml = raw_get(&served.url("/openapi.yaml"), &[]).await;
    assert_eq!(yaml.status, StatusCode::OK);
    assert_eq!(content_type(&yaml), "application/yaml");
    assert_eq!(
        String::from_utf8_lossy(&yaml.body),
        published("xbox-presence.yaml"),
        "the published YAML"
    );

    // The operations are served as before, beside the document.
    let record = xbox_presence::Client::with_base_url(&served.base_url)
        .with_xbl_auth("XBL3.0 x=1234;token")
        .get_user_presence(&GetUserPresenceParams::new(
            2533274790395904,
            "3".to_owned(),
            "en-US".to_owned(),
        ))
        .await
        .expect("the operation still answers");
    assert_eq!(record.state, Some(PresenceRecordState::Online));
}

#[tokio::test]
async fn the_generated_router_alone_does_not_serve_the_document() {
    let served = serve::serve(xbox_presence::router(Presence)).await;
    for path in ["/openapi.json", "/openapi.yaml"] {
        let response = raw_get(&served.url(path), &[]).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "GET {path} without document_router(): {:?}",
            String::from_utf8_lossy(&response.body)
        );
    }
}

#[tokio::test]
async fn the_document_answers_head_and_refuses_other_methods_with_405_and_allow() {
    let served = serve::serve(xbox_presence::document_router()).await;
    let client = reqwest::Client::new();

    let head = client
        .head(served.url("/openapi.json"))
        .send()
        .await
        .expect("HEAD reaches the server");
    assert_eq!(head.status(), StatusCode::OK);

    let post = client
        .post(served.url("/openapi.json"))
        .body("{}")
        .send()
        .await
        .expect("POST reaches the server");
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = post
        .headers()
        .get(header::ALLOW)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(allow.contains("GET"), "Allow: {allow:?}");
}

#[tokio::test]
async fn every_crate_serves_the_documents_it_publishes() {
    let routers = [
        (
            "azure-devops-profiles",
            azure_devops_profiles::document_router(),
        ),
        ("crafter-profile", crafter_profile::document_router()),
        ("groove-music", groove_music::document_router()),
        ("xbox-presence", xbox_presence::document_router()),
    ];
    for (name, router) in routers {
        let served = serve::serve(router).await;
        for extension in ["json", "yaml"] {
            let response = raw_get(&served.url(&format!("/openapi.{extension}")), &[]).await;
            assert_eq!(response.status, StatusCode::OK, "{name} .{extension}");
            assert_eq!(
                String::from_utf8_lossy(&response.body),
                published(&format!("{name}.{extension}")),
                "{name} serves the published {extension}"
            );
        }
    }
    assert_eq!(
        crafter_profile::OPENAPI_YAML,
        published("crafter-profile.yaml"),
        "the embedded YAML is the published one"
    );
}
