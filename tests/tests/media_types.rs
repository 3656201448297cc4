//! Request bodies of every media type, over loopback (`tests/openapi/media-types.yaml`):
//! a client sends a note as JSON though the document lists text and a form first, a
//! subscription as form fields, an avatar as `multipart/form-data` with a binary image,
//! a document as text and a blob as bytes, and parts without a shape (Codat's
//! `schema: {}`, `multipart/mixed`) as a list of parts; the service receives each typed
//! and equal.
//! A body of the wrong type is refused with 415 and a malformed form or multipart body
//! with 400, through the service's `reject`, never with a 500.

use apigen_runtime::axum::response::Response;
use apigen_runtime::bytes::Bytes;
use apigen_runtime::http::{StatusCode, header};
use apigen_runtime::multipart::{Part, Parts};
use apigen_runtime::reqwest;
use apigen_runtime::server::Rejection;
use apigen_tests::serve::{Recorder, Served, names_parameter, serve};
use media_types::operations::{
    CreateNoteResponse, PutBlobParams, PutBlobResponse, PutDocumentParams, PutDocumentResponse,
    SendBundleParams, SendBundleResponse, SubscribeResponse, UploadAttachmentsParams,
    UploadAttachmentsResponse, UploadAvatarMultipart, UploadAvatarResponse,
};
use media_types::types::{AvatarReceipt, Crop, Note, NoteInput, PartsReceipt, Subscription, Topic};
use media_types::{Client, MediaTypes, router};
use serde_json::{Value, json};

/// A body the service received, typed.
#[derive(Debug, Clone, PartialEq)]
enum Received {
    Note(NoteInput),
    Subscription(Subscription),
    Avatar(UploadAvatarMultipart),
    Document(String, Option<String>),
    Blob(String, Bytes),
    Parts(Parts),
}

/// One line per part: `name;file name;content type;size`.
fn receipt(parts: &Parts) -> PartsReceipt {
    PartsReceipt::new(
        parts
            .parts
            .iter()
            .map(|part| {
                format!(
                    "{};{};{};{}",
                    part.name,
                    part.file_name.as_deref().unwrap_or_default(),
                    part.content_type.as_deref().unwrap_or_default(),
                    part.bytes.len()
                )
            })
            .collect(),
    )
}

/// The service: records each body and answers with what it read.
#[derive(Clone, Default)]
struct Fake {
    received: Recorder<Received>,
    refused: Recorder<StatusCode>,
}

impl MediaTypes for Fake {
    async fn create_note(
        &self,
        _: media_types::operations::CreateNoteParams,
        body: NoteInput,
    ) -> CreateNoteResponse {
        self.received.push(Received::Note(body.clone()));
        let mut note = Note::new(1, body.title);
        note.pinned = body.pinned;
        CreateNoteResponse::Created(note)
    }

    async fn subscribe(
        &self,
        _: media_types::operations::SubscribeParams,
        body: Subscription,
    ) -> SubscribeResponse {
        self.received.push(Received::Subscription(body.clone()));
        SubscribeResponse::Ok(body)
    }

    async fn upload_avatar(
        &self,
        _: media_types::operations::UploadAvatarParams,
        body: UploadAvatarMultipart,
    ) -> UploadAvatarResponse {
        self.received.push(Received::Avatar(body.clone()));
        let size = |bytes: &Bytes| i64::try_from(bytes.len()).expect("a small file");
        let mut receipt = AvatarReceipt::new(
            body.user_id,
            size(&body.image),
            body.thumbnails.iter().flatten().map(size).collect(),
            body.tags.unwrap_or_default(),
        );
        receipt.caption = body.caption;
        receipt.crop = body.crop;
        UploadAvatarResponse::Created(receipt)
    }

    async fn put_document(
        &self,
        params: PutDocumentParams,
        body: Option<String>,
    ) -> PutDocumentResponse {
        self.received
            .push(Received::Document(params.name, body.clone()));
        PutDocumentResponse::Ok(body.unwrap_or_default())
    }

    async fn put_blob(&self, params: PutBlobParams, body: Bytes) -> PutBlobResponse {
        self.received
            .push(Received::Blob(params.name, body.clone()));
        PutBlobResponse::Ok(body)
    }

    async fn upload_attachments(
        &self,
        _: UploadAttachmentsParams,
        body: Parts,
    ) -> UploadAttachmentsResponse {
        self.received.push(Received::Parts(body.clone()));
        UploadAttachmentsResponse::Ok(receipt(&body))
    }

    async fn send_bundle(&self, _: SendBundleParams, body: Option<Parts>) -> SendBundleResponse {
        let body = body.unwrap_or_default();
        self.received.push(Received::Parts(body.clone()));
        SendBundleResponse::Ok(receipt(&body))
    }

    /// Refusals go through here, whatever their status: the test sees which came.
    fn reject(&self, rejection: Rejection) -> Response {
        self.refused.push(rejection.status);
        rejection.into_problem_response()
    }
}

async fn start() -> (Served, Fake) {
    let fake = Fake::default();
    (serve(router(fake.clone())).await, fake)
}

/// An answer to a hand-written request.
struct Answer {
    status: StatusCode,
    content_type: String,
    body: Bytes,
}

impl Answer {
    #[track_caller]
    fn problem(&self) -> Value {
        assert_eq!(
            self.content_type, "application/problem+json",
            "a refusal is an RFC 9457 problem: {:?}",
            self.body
        );
        serde_json::from_slice(&self.body).expect("the problem is JSON")
    }
}

/// Sends `method path` with `body` declared as `content_type` (none when `None`), as a
/// client other than the generated one would.
async fn send(
    served: &Served,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Answer {
    let method = method.parse().expect("a method");
    let mut request = reqwest::Client::new()
        .request(method, served.url(path))
        .body(body);
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    let response = request.send().await.expect("the loopback server answers");
    Answer {
        status: response.status(),
        content_type: response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        body: response.bytes().await.expect("the answer reads"),
    }
}

#[tokio::test]
async fn a_note_goes_as_json_though_the_document_lists_text_and_a_form_first() {
    let (served, fake) = start().await;
    let client = Client::with_base_url(&served.base_url);
    let input = NoteInput::new("Groceries".to_owned()).with_pinned(true);
    let note = client
        .create_note(&media_types::operations::CreateNoteParams::new(), &input)
        .await
        .expect("the note is created");
    assert_eq!(note.title, "Groceries");
    assert_eq!(fake.received.take(), [Received::Note(input)]);
    let request = served.take_only_request();
    assert_eq!(request.header("content-type"), "application/json");

    // The server reads the body the way the client sends it, and only that way.
    let form = send(
        &served,
        "POST",
        "/notes",
        Some("application/x-www-form-urlencoded"),
        "title=Groceries",
    )
    .await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let problem = form.problem();
    assert_eq!(problem["status"], 415);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("application/json")),
        "the refusal says what to send: {problem}"
    );
    assert!(
        fake.received.take().is_empty(),
        "the service was not called"
    );
    assert_eq!(fake.refused.take(), [StatusCode::UNSUPPORTED_MEDIA_TYPE]);
}

#[tokio::test]
async fn a_subscription_travels_as_form_fields_with_one_field_per_topic() {
    let (served, fake) = start().await;
    let client = Client::with_base_url(&served.base_url);
    let subscription = Subscription::new("ada+news@example.org".to_owned())
        .with_topics(vec![Topic::News, Topic::Security])
        .with_frequency(7)
        .with_confirmed(false);
    let echoed = client
        .subscribe(
            &media_types::operations::SubscribeParams::new(),
            &subscription,
        )
        .await
        .expect("the subscription is read");
    assert_eq!(echoed, subscription);
    assert_eq!(fake.received.take(), [Received::Subscription(subscription)]);
    let request = served.take_only_request();
    assert_eq!(
        request.header("content-type"),
        "application/x-www-form-urlencoded"
    );

    // An HTML form, as a browser writes it: `+` for spaces, repeated fields, fields
    // in any order.
    let browser = send(
        &served,
        "POST",
        "/subscriptions",
        Some("application/x-www-form-urlencoded"),
        "topics=releases&email=grace%40example.org&topics=news&frequency=3",
    )
    .await;
    assert_eq!(browser.status, StatusCode::OK, "{:?}", browser.body);
    assert_eq!(
        fake.received.take(),
        [Received::Subscription(
            Subscription::new("grace@example.org".to_owned())
                .with_topics(vec![Topic::Releases, Topic::News])
                .with_frequency(3)
        )]
    );
}

#[tokio::test]
async fn a_malformed_form_is_refused_with_400_naming_the_field() {
    let (served, fake) = start().await;
    let form = Some("application/x-www-form-urlencoded");
    let cases = [
        ("email=a%40b&frequency=often", "frequency"),
        ("email=a%40b&frequency=9", "frequency"),
        ("email=a%40b&topics=weather", "topics"),
        ("email=not-an-address", "email"),
        ("frequency=3", "email"),
        ("email=%ZZ", ""),
    ];
    for (body, field) in cases {
        let answer = send(&served, "POST", "/subscriptions", form, body).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{body}: {:?}",
            answer.body
        );
        let problem = answer.problem();
        assert!(
            field.is_empty()
                || names_parameter(&problem, field)
                || problem.to_string().contains(field),
            "{body}: the refusal names `{field}`: {problem}"
        );
    }
    let json = send(
        &served,
        "POST",
        "/subscriptions",
        Some("application/json"),
        r#"{"email":"a@b"}"#,
    )
    .await;
    assert_eq!(json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        fake.received.take().is_empty(),
        "the service was not called"
    );
    assert_eq!(
        fake.refused.take().len(),
        cases.len() + 1,
        "every refusal went through `reject`"
    );
}

/// The start of a PNG file: bytes that are not UTF-8.
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff,
];

#[tokio::test]
async fn an_avatar_travels_as_multipart_with_its_image_as_bytes() {
    let (served, fake) = start().await;
    let client = Client::with_base_url(&served.base_url);
    let upload = UploadAvatarMultipart::new(42, Bytes::from_static(PNG))
        .with_thumbnails(vec![
            Bytes::from_static(b"small"),
            Bytes::from_static(&[0xfe; 3]),
        ])
        .with_caption("me, in \"Paris\"".to_owned())
        .with_tags(vec!["holiday".to_owned(), "2024".to_owned()])
        .with_crop(Crop::new(1, 2, 30));
    let receipt = client
        .upload_avatar(&media_types::operations::UploadAvatarParams::new(), &upload)
        .await
        .expect("the avatar is uploaded");
    assert_eq!(receipt.image_bytes, 13);
    assert_eq!(receipt.thumbnail_bytes, [5, 3]);
    assert_eq!(fake.received.take(), [Received::Avatar(upload)]);
    let request = served.take_only_request();
    assert!(
        request
            .header("content-type")
            .starts_with("multipart/form-data; boundary="),
        "{}",
        request.header("content-type")
    );

    // Only what is required.
    let minimal = UploadAvatarMultipart::new(7, Bytes::new());
    client
        .upload_avatar(
            &media_types::operations::UploadAvatarParams::new(),
            &minimal,
        )
        .await
        .expect("an empty image is an image");
    assert_eq!(fake.received.take(), [Received::Avatar(minimal)]);
}

/// A multipart body written by hand, as `curl -F` would.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, content) in parts {
        body.extend_from_slice(b"--XyZ\r\n");
        match file {
            Some(file) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: image/png\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--XyZ--\r\n");
    body
}

const MULTIPART: Option<&str> = Some("multipart/form-data; boundary=XyZ");

#[tokio::test]
async fn a_multipart_body_written_by_another_client_is_read_in_any_order() {
    let (served, fake) = start().await;
    let body = multipart(&[
        ("tags", None, b"a"),
        ("image", Some("me.png"), PNG),
        ("unknown", None, b"ignored"),
        ("tags", None, b"b"),
        ("userId", None, b"9"),
        ("crop", None, br#"{"x":0,"y":0,"size":1}"#),
    ]);
    let answer = send(&served, "POST", "/avatars", MULTIPART, body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    assert_eq!(
        fake.received.take(),
        [Received::Avatar(
            UploadAvatarMultipart::new(9, Bytes::from_static(PNG))
                .with_tags(vec!["a".to_owned(), "b".to_owned()])
                .with_crop(Crop::new(0, 0, 1))
        )]
    );
}

#[tokio::test]
async fn a_malformed_multipart_body_is_refused_with_400_never_500() {
    let (served, fake) = start().await;
    let image: (&str, Option<&str>, &[u8]) = ("image", Some("me.png"), PNG);
    let cases: Vec<(Option<&str>, Vec<u8>, &str)> = vec![
        (MULTIPART, b"no boundary anywhere".to_vec(), ""),
        (
            MULTIPART,
            b"--XyZ\r\nContent-Disposition: form-data; name=\"userId\"\r\n\r\n1".to_vec(),
            "",
        ),
        (
            Some("multipart/form-data"),
            multipart(&[("userId", None, b"1"), image]),
            "",
        ),
        (MULTIPART, multipart(&[("userId", None, b"1")]), "image"),
        (
            MULTIPART,
            multipart(&[("userId", None, b"one"), image]),
            "userId",
        ),
        (
            MULTIPART,
            multipart(&[("userId", None, b"0"), image]),
            "userId",
        ),
        (
            MULTIPART,
            multipart(&[("userId", None, b"1"), ("userId", None, b"2"), image]),
            "userId",
        ),
        (
            MULTIPART,
            multipart(&[
                ("userId", None, b"1"),
                image,
                ("caption", None, &[b'x'; 21]),
            ]),
            "caption",
        ),
        (
            MULTIPART,
            multipart(&[("userId", None, b"1"), image, ("caption", None, &[0xff])]),
            "caption",
        ),
        (
            MULTIPART,
            multipart(&[("userId", None, b"1"), image, ("crop", None, b"{\"x\":1}")]),
            "crop",
        ),
        (MULTIPART, Vec::new(), ""),
    ];
    for (content_type, body, part) in &cases {
        let text = String::from_utf8_lossy(body).into_owned();
        let answer = send(&served, "POST", "/avatars", *content_type, body.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{content_type:?} {text:?}: {:?}",
            answer.body
        );
        let problem = answer.problem();
        assert!(
            part.is_empty() || names_parameter(&problem, part),
            "{text:?}: the refusal names `{part}`: {problem}"
        );
    }
    let json = send(&served, "POST", "/avatars", Some("application/json"), "{}").await;
    assert_eq!(json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        fake.received.take().is_empty(),
        "the service was not called"
    );
    assert_eq!(fake.refused.take().len(), cases.len() + 1);
}

#[tokio::test]
async fn a_document_travels_as_text_and_may_be_left_out() {
    let (served, fake) = start().await;
    let client = Client::with_base_url(&served.base_url);
    let params = PutDocumentParams::new("readme".to_owned());
    let text = "héllo\nwörld, {\"not\": json}";
    let stored = client
        .put_document(&params, Some(text))
        .await
        .expect("the document is stored");
    assert_eq!(stored, text);
    let request = served.take_only_request();
    assert_eq!(request.header("content-type"), "text/plain");
    assert_eq!(
        request.header("accept"),
        "text/*",
        "the answer is text, not JSON"
    );
    let empty = client
        .put_document(&params, None)
        .await
        .expect("no body is a body left out");
    assert_eq!(empty, "");
    assert_eq!(
        fake.received.take(),
        [
            Received::Document("readme".to_owned(), Some(text.to_owned())),
            Received::Document("readme".to_owned(), None),
        ]
    );

    let utf16 = send(
        &served,
        "PUT",
        "/documents/x",
        Some("text/plain"),
        vec![0xff, 0xfe],
    )
    .await;
    assert_eq!(utf16.status, StatusCode::BAD_REQUEST);
    let json = send(
        &served,
        "PUT",
        "/documents/x",
        Some("application/json"),
        "\"x\"",
    )
    .await;
    assert_eq!(json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let charset = send(
        &served,
        "PUT",
        "/documents/x",
        Some("Text/Plain; charset=utf-8"),
        "x",
    )
    .await;
    assert_eq!(
        charset.status,
        StatusCode::OK,
        "media types are compared by essence"
    );
}

#[tokio::test]
async fn a_blob_travels_as_bytes_of_any_listed_type() {
    let (served, fake) = start().await;
    let client = Client::with_base_url(&served.base_url);
    let params = PutBlobParams::new("raw".to_owned());
    let bytes = Bytes::from_static(&[0, 159, 146, 150, 255]);
    let stored = client.put_blob(&params, &bytes).await.expect("stored");
    assert_eq!(stored, bytes);
    let request = served.take_only_request();
    assert_eq!(
        request.header("content-type"),
        "application/octet-stream",
        "the first type of the kind the document lists"
    );
    assert_eq!(request.header("accept"), "application/octet-stream");
    let png = send(&served, "PUT", "/blobs/pic", Some("image/png"), PNG).await;
    assert_eq!(
        png.status,
        StatusCode::OK,
        "another type the document lists"
    );
    assert_eq!(png.body, PNG);
    let empty = send(
        &served,
        "PUT",
        "/blobs/none",
        Some("application/octet-stream"),
        Vec::new(),
    )
    .await;
    assert_eq!(
        empty.status,
        StatusCode::OK,
        "an empty body that declares its type is empty bytes"
    );
    assert_eq!(
        fake.received.take(),
        [
            Received::Blob("raw".to_owned(), bytes),
            Received::Blob("pic".to_owned(), Bytes::from_static(PNG)),
            Received::Blob("none".to_owned(), Bytes::new()),
        ]
    );

    let text = send(&served, "PUT", "/blobs/x", Some("text/plain"), "x").await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let absent = send(&served, "PUT", "/blobs/x", None, Vec::new()).await;
    assert_eq!(
        absent.status,
        StatusCode::BAD_REQUEST,
        "the body is required"
    );
    assert_eq!(absent.problem()["status"], json!(400));
    assert!(fake.received.take().is_empty());
}

fn attachments() -> Parts {
    Parts::new()
        .with(Part::text("note", "Receipt for March, \"paid\""))
        .with(Part::file(
            "file",
            "march.pdf",
            "application/pdf",
            &b"%PDF-1.7\r\n--XyZ\r\n"[..],
        ))
        .with(Part::file("file", "photo.png", "image/png", PNG))
}

#[tokio::test]
async fn parts_without_a_shape_travel_as_real_multipart_and_arrive_equal() {
    let (served, fake) = start().await;
    let client = Client::with_base_url(&served.base_url);
    let answer = client
        .upload_attachments(&UploadAttachmentsParams::new(), &attachments())
        .await
        .expect("the parts are read");
    assert_eq!(answer, receipt(&attachments()));
    assert_eq!(fake.received.take(), [Received::Parts(attachments())]);
    let request = served.take_only_request();
    assert!(
        request
            .header("content-type")
            .starts_with("multipart/form-data; boundary="),
        "{}",
        request.header("content-type")
    );
}

#[tokio::test]
async fn a_multipart_mixed_bundle_travels_as_multipart_mixed() {
    let (served, fake) = start().await;
    let client = Client::with_base_url(&served.base_url);
    client
        .send_bundle(&SendBundleParams::new(), Some(&attachments()))
        .await
        .expect("the bundle is read");
    assert_eq!(fake.received.take(), [Received::Parts(attachments())]);
    assert!(
        served
            .take_only_request()
            .header("content-type")
            .starts_with("multipart/mixed; boundary=")
    );
    // Parts written by another client, one without a name (as `multipart/mixed` allows).
    let body = b"--b1\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--b1\r\nContent-Disposition: form-data; name=\"second\"\r\n\r\n2\r\n--b1--\r\n";
    let answer = send(
        &served,
        "POST",
        "/bundles",
        Some("multipart/mixed; boundary=\"b1\""),
        &body[..],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let received = fake.received.take();
    let [Received::Parts(parts)] = &received[..] else {
        panic!("{received:?}");
    };
    assert_eq!(parts.parts.len(), 2);
    assert_eq!(parts.parts[0].name, "");
    assert_eq!(parts.parts[0].content_type.as_deref(), Some("text/plain"));
    assert_eq!(parts.get("second").and_then(Part::as_text), Some("2"));
}

#[tokio::test]
async fn malformed_parts_without_a_shape_are_refused_with_400_never_500() {
    let (served, fake) = start().await;
    let cases: [(Option<&str>, &[u8]); 4] = [
        (MULTIPART, b"no boundary anywhere"),
        (
            MULTIPART,
            b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
        ),
        (
            Some("multipart/form-data"),
            b"--XyZ\r\n\r\n1\r\n--XyZ--\r\n",
        ),
        (MULTIPART, b""),
    ];
    for (content_type, body) in cases {
        let answer = send(&served, "POST", "/attachments", content_type, body).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{content_type:?} {:?}: {:?}",
            String::from_utf8_lossy(body),
            answer.body
        );
        answer.problem();
    }
    let json = send(
        &served,
        "POST",
        "/attachments",
        Some("application/json"),
        "{}",
    )
    .await;
    assert_eq!(json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        fake.received.take().is_empty(),
        "the service was not called"
    );
}
