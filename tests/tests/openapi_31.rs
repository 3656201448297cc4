//! OpenAPI 3.1 input, over loopback: a record using every 3.1 schema construct (type
//! lists, `const`, tuples, exclusive bounds, base64 content, boolean schemas, `$defs`,
//! a described `$ref`, `dependentRequired`) goes from the generated client to the generated server and back
//! exactly as JSON says; `null` and absent stay apart; the server refuses what the
//! schemas rule out with 400; a binary body travels as bytes; a `mutualTLS` requirement
//! asks for no credential; a subscriber receives the API's webhooks through their own
//! trait and router, typed and checked like operations.

use apigen_runtime::client::Error;
use apigen_runtime::http::StatusCode;
use apigen_runtime::{Base64, bytes::Bytes, reqwest};
use apigen_tests::serve::{Served, serve};
use openapi_31::operations::{
    PutRecordParams, PutRecordResponse, RecordChangedParams, RecordChangedResponse, UploadParams,
    UploadResponse,
};
use openapi_31::types::{Owner, Record, RecordChangedBody, RecordKind, RecordLabel, RecordShape};
use openapi_31::{Client, Openapi31, Openapi31Webhooks, router, webhooks_router};
use serde_json::{Value, json};

/// A service that stores nothing and answers every body with itself.
struct Echo;

impl Openapi31 for Echo {
    async fn put_record(
        &self,
        _: PutRecordParams,
        body: Record,
        _: apigen_runtime::ApiKey,
    ) -> PutRecordResponse {
        PutRecordResponse::Ok(body)
    }

    async fn upload(&self, _: UploadParams, body: Bytes) -> UploadResponse {
        UploadResponse::Ok(body)
    }
}

async fn served() -> (Served, Client) {
    let served = serve(router(Echo)).await;
    let client = Client::with_base_url(served.base_url.clone()).with_api_key("secret");
    (served, client)
}

/// Sends `body` as JSON to `/records` with the API key, and returns the status and the
/// answer's JSON.
async fn raw(served: &Served, body: Value) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(served.url("/records"))
        .header("X-Api-Key", "secret")
        .json(&body)
        .send()
        .await
        .expect("the loopback server answers");
    let status = response.status();
    let body = response.json().await.expect("the answer is JSON");
    (status, body)
}

fn minimal() -> Value {
    json!({"id": "r1", "kind": "record", "score": 0.5, "point": [1, 2]})
}

#[tokio::test]
async fn a_record_with_every_3_1_construct_comes_back_as_sent() {
    let (_served, client) = served().await;
    let record = Record::new("r1", RecordKind::Record, 0.25, (3, -4))
        .with_nickname(Some("Rex".to_owned()))
        .with_label(RecordLabel::Integer(7))
        .with_owner(Owner::new("Ann"))
        .with_manager(None)
        .with_payload(Base64(b"hello".to_vec()))
        .with_anything(json!({"free": ["form"]}))
        .with_shape(RecordShape::Circle);
    let back = client
        .put_record(&PutRecordParams::new(), &record)
        .await
        .unwrap();
    assert_eq!(back, record);

    // On the wire: the tuple is an array, the bytes base64 text, the null a null.
    let wire = serde_json::to_value(&record).unwrap();
    assert_eq!(wire["point"], json!([3, -4]));
    assert_eq!(wire["payload"], json!("aGVsbG8="));
    assert_eq!(wire["manager"], Value::Null);
    assert_eq!(wire["label"], json!(7));
    assert!(wire.get("legacy").is_none());

    let text = record
        .clone()
        .with_label(RecordLabel::String("seven".to_owned()));
    assert_eq!(
        client
            .put_record(&PutRecordParams::new(), &text)
            .await
            .unwrap(),
        text
    );
}

#[tokio::test]
async fn null_and_absent_stay_apart_through_a_round_trip() {
    let (served, _) = served().await;
    let mut with_null = minimal();
    with_null["nickname"] = Value::Null;
    with_null["manager"] = Value::Null;
    let (status, answer) = raw(&served, with_null.clone()).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer, with_null);
    let read: Record = serde_json::from_value(answer).unwrap();
    assert_eq!(read.nickname, Some(None));
    assert_eq!(read.manager, Some(None));

    let (status, answer) = raw(&served, minimal()).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer, minimal());
    let read: Record = serde_json::from_value(answer).unwrap();
    assert_eq!(read.nickname, None);
}

#[tokio::test]
async fn values_the_3_1_schema_rules_out_are_refused_with_400() {
    let (served, _) = served().await;
    let refused = [
        ("kind", json!("other"), "const"),
        ("score", json!(0), "exclusiveMinimum"),
        ("score", json!(1), "exclusiveMaximum"),
        ("point", json!([1, 2, 3]), "prefixItems with items: false"),
        ("point", json!([1, "two"]), "prefixItems"),
        ("legacy", json!("anything"), "the false schema"),
        ("label", json!(true), "type: [string, integer]"),
        ("payload", json!("not base64!"), "contentEncoding: base64"),
        ("shape", json!("triangle"), "an enum in $defs"),
        (
            "discount",
            json!(10),
            "dependentRequired: a discount needs its coupon",
        ),
    ];
    for (member, value, construct) in refused {
        let mut body = minimal();
        body[member] = value;
        let (status, problem) = raw(&served, body).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{construct}: {member} accepted: {problem}"
        );
    }
    // With its coupon, the discount is accepted.
    let mut body = minimal();
    body["discount"] = json!(10);
    body["coupon"] = json!("SPRING");
    let (status, answer) = raw(&served, body.clone()).await;
    assert_eq!((status, answer), (StatusCode::OK, body));
    // And the client refuses the same when it reads them (a bad tuple, say).
    let mut bad = minimal();
    bad["point"] = json!([1]);
    assert!(serde_json::from_value::<Record>(bad).is_err());
}

#[tokio::test]
async fn a_binary_body_travels_as_bytes_and_mutual_tls_asks_for_no_credential() {
    let (served, _) = served().await;
    // No API key: `upload` asks only for mutual TLS, which the connection carries.
    let client = Client::with_base_url(served.base_url.clone());
    let picture = Bytes::from_static(b"\x89PNG\r\n\x1a\n");
    assert_eq!(
        client.upload(&UploadParams::new(), &picture).await.unwrap(),
        picture
    );
    // `putRecord` still needs its key: the client says so before sending, the server
    // answers a request without it with 401.
    let refused = client
        .put_record(
            &PutRecordParams::new(),
            &Record::new("r1", RecordKind::Record, 0.5, (1, 2)),
        )
        .await;
    assert!(
        matches!(refused, Err(Error::InvalidRequest { .. })),
        "{refused:?}"
    );
    let response = reqwest::Client::new()
        .post(served.url("/records"))
        .json(&minimal())
        .send()
        .await
        .expect("the loopback server answers");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[test]
fn a_webhook_body_is_a_type_of_the_crate() {
    let body: RecordChangedBody = serde_json::from_value(json!({
        "record": minimal(),
        "changedAt": "2026-12-06T10:00:00+01:00"
    }))
    .unwrap();
    assert_eq!(body.record.id, "r1");
    assert_eq!(body.changed_at.to_rfc3339(), "2026-12-06T10:00:00+01:00");
}

#[test]
fn the_crate_embeds_the_document_as_written() {
    let document: Value = serde_json::from_str(openapi_31::OPENAPI_JSON).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document["components"]["securitySchemes"]["clientCertificate"]["type"],
        "mutualTLS"
    );
}

/// A subscriber of the API's webhooks: it keeps what it receives.
struct Subscriber {
    received: tokio::sync::mpsc::UnboundedSender<RecordChangedBody>,
}

impl Openapi31Webhooks for Subscriber {
    async fn record_changed(
        &self,
        _: RecordChangedParams,
        body: RecordChangedBody,
    ) -> RecordChangedResponse {
        self.received.send(body).expect("the test is listening");
        RecordChangedResponse::NoContent
    }
}

#[tokio::test]
async fn a_subscriber_receives_the_record_changed_webhook_typed_and_refuses_a_malformed_one() {
    let (received, mut receiving) = tokio::sync::mpsc::unbounded_channel();
    // The subscriber registered `https://…/hooks/recordChanged` with the API.
    let hooks = webhooks_router(Subscriber { received });
    let served = serve(apigen_runtime::axum::Router::new().nest("/hooks", hooks)).await;
    let send = |body: Value| {
        reqwest::Client::new()
            .post(served.url("/hooks/recordChanged"))
            .json(&body)
            .send()
    };

    // What the API sends arrives typed, its date-time as the API wrote it.
    let response = send(json!({"record": minimal(), "changedAt": "2026-12-06T10:00:00+01:00"}))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let body = receiving
        .recv()
        .await
        .expect("the webhook reached the trait");
    assert_eq!(body.record.id, "r1");
    assert_eq!(body.changed_at.to_string(), "2026-12-06T10:00:00+01:00");

    // A webhook without its required `changedAt` is refused before the trait sees it.
    let response = send(json!({"record": minimal()})).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["status"], json!(400), "{problem}");
    assert!(receiving.try_recv().is_err(), "the trait was not called");

    // The webhooks router receives webhooks only: the API's own operations are not there.
    let response = reqwest::Client::new()
        .post(served.url("/hooks/records"))
        .json(&minimal())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
