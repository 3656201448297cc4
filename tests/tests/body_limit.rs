//! How a generated router reads a request body, over raw TCP on loopback
//! (`PUT /blobs/{name}` of `tests/openapi/media-types.yaml`, with a body limit of 1 KiB):
//! a body larger than `Config::body_limit` is refused with 413 and its problem body
//! whether it declares its length or arrives in chunks, and a body that stops arriving
//! (the client closes or resets the connection before its end) is a malformed request,
//! refused with 400 when an answer can still be sent, never reported as too large.

use std::time::Duration;

use apigen_runtime::axum::response::Response;
use apigen_runtime::bytes::Bytes;
use apigen_runtime::http::StatusCode;
use apigen_runtime::server::{Config, Rejection};
use apigen_tests::serve::{Recorder, Served, serve};
use media_types::operations::{
    CreateNoteResponse, PutBlobParams, PutBlobResponse, PutDocumentParams, PutDocumentResponse,
    SubscribeResponse, UploadAvatarMultipart, UploadAvatarResponse,
};
use media_types::types::{Note, NoteInput, Subscription};
use media_types::{MediaTypes, router_with};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIMIT: usize = 1024;

/// A blob store that records the blobs it stores and the statuses it refuses with.
#[derive(Clone, Default)]
struct Fake {
    stored: Recorder<usize>,
    refused: Recorder<StatusCode>,
}

impl MediaTypes for Fake {
    async fn create_note(
        &self,
        _: media_types::operations::CreateNoteParams,
        body: NoteInput,
    ) -> CreateNoteResponse {
        let mut note = Note::new(1, body.title);
        note.pinned = body.pinned;
        CreateNoteResponse::Created(note)
    }

    async fn subscribe(
        &self,
        _: media_types::operations::SubscribeParams,
        body: Subscription,
    ) -> SubscribeResponse {
        SubscribeResponse::Ok(body)
    }

    async fn upload_avatar(
        &self,
        _: media_types::operations::UploadAvatarParams,
        _: UploadAvatarMultipart,
    ) -> UploadAvatarResponse {
        UploadAvatarResponse::Created(Default::default())
    }

    async fn put_document(
        &self,
        _: PutDocumentParams,
        body: Option<String>,
    ) -> PutDocumentResponse {
        PutDocumentResponse::Ok(body.unwrap_or_default())
    }

    async fn put_blob(&self, _: PutBlobParams, body: Bytes) -> PutBlobResponse {
        self.stored.push(body.len());
        PutBlobResponse::Ok(body)
    }

    async fn upload_attachments(
        &self,
        _: media_types::operations::UploadAttachmentsParams,
        _: apigen_runtime::multipart::Parts,
    ) -> media_types::operations::UploadAttachmentsResponse {
        media_types::operations::UploadAttachmentsResponse::Ok(Default::default())
    }

    async fn send_bundle(
        &self,
        _: media_types::operations::SendBundleParams,
        _: Option<apigen_runtime::multipart::Parts>,
    ) -> media_types::operations::SendBundleResponse {
        media_types::operations::SendBundleResponse::Ok(Default::default())
    }

    /// Every refusal passes here, whether or not the client is still there to read it.
    fn reject(&self, rejection: Rejection) -> Response {
        self.refused.push(rejection.status);
        rejection.into_problem_response()
    }
}

async fn start() -> (Served, Fake) {
    let fake = Fake::default();
    let served = serve(router_with(fake.clone(), Config { body_limit: LIMIT })).await;
    (served, fake)
}

/// Opens a connection to the server and sends the head of `PUT /blobs/a` with the
/// extra header `framing` (`Content-Length: n` or `Transfer-Encoding: chunked`).
async fn put_head(served: &Served, framing: &str) -> TcpStream {
    let address = served.base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address)
        .await
        .expect("the loopback server accepts connections");
    let head = format!(
        "PUT /blobs/a HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/octet-stream\r\n{framing}\r\n\r\n"
    );
    stream
        .write_all(head.as_bytes())
        .await
        .expect("the head is sent");
    stream
}

/// `size` bytes as one chunk of a chunked body.
fn chunk(size: usize) -> Vec<u8> {
    let mut chunk = format!("{size:x}\r\n").into_bytes();
    chunk.extend(std::iter::repeat_n(b'x', size));
    chunk.extend(b"\r\n");
    chunk
}

/// The end of a chunked body.
const LAST_CHUNK: &[u8] = b"0\r\n\r\n";

/// An answer read off the socket.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    #[track_caller]
    fn problem(&self) -> Value {
        assert!(
            self.head
                .to_ascii_lowercase()
                .contains("\r\ncontent-type: application/problem+json\r\n"),
            "a refusal is an RFC 9457 problem: {self:?}"
        );
        serde_json::from_slice(&self.body).expect("the problem is JSON")
    }
}

/// Reads the one answer on `stream`, stopping at the end of its body (`Content-Length`)
/// or when the server closes the connection; `None` when it closed without answering.
async fn read_answer(stream: &mut TcpStream) -> Option<Answer> {
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer))
            .await
            .expect("the server answers or closes within 10 s");
        // A reset after the answer was written ends it as a close would.
        let read = read.unwrap_or(0);
        received.extend_from_slice(&buffer[..read]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&received[..end + 4]).into_owned();
            let length = head.lines().find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            });
            let body = &received[end + 4..];
            if read == 0 || length.is_some_and(|length| body.len() >= length) {
                let status = head
                    .split(' ')
                    .nth(1)
                    .and_then(|code| code.parse::<u16>().ok())
                    .and_then(|code| StatusCode::from_u16(code).ok())
                    .unwrap_or_else(|| panic!("an HTTP status line: {head:?}"));
                return Some(Answer {
                    status,
                    head,
                    body: body.to_vec(),
                });
            }
        }
        if read == 0 {
            assert!(
                received.is_empty(),
                "the connection closed in the middle of an answer: {:?}",
                String::from_utf8_lossy(&received)
            );
            return None;
        }
    }
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_gets_413_with_its_problem_though_it_declared_no_length() {
    let (served, fake) = start().await;
    let mut stream = put_head(&served, "transfer-encoding: chunked").await;
    let mut body = Vec::new();
    for _ in 0..3 {
        body.extend(chunk(LIMIT / 2));
    }
    body.extend(LAST_CHUNK);
    stream.write_all(&body).await.expect("the body is sent");

    let answer = read_answer(&mut stream).await.expect("an answer");

    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{answer:?}");
    let problem = answer.problem();
    assert_eq!(problem["status"], 413);
    assert_eq!(problem["errors"][0]["in"], "body");
    assert_eq!(
        problem["errors"][0]["message"],
        format!("the body is larger than {LIMIT} bytes")
    );
    assert!(fake.stored.all().is_empty(), "the service is not called");
}

#[tokio::test]
async fn a_chunked_body_of_exactly_the_limit_is_read_whole() {
    let (served, fake) = start().await;
    let mut stream = put_head(&served, "transfer-encoding: chunked").await;
    let mut body = chunk(LIMIT / 2);
    body.extend(chunk(LIMIT / 2));
    body.extend(LAST_CHUNK);
    stream.write_all(&body).await.expect("the body is sent");

    let answer = read_answer(&mut stream).await.expect("an answer");

    assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    assert_eq!(answer.body.len(), LIMIT);
    assert_eq!(fake.stored.all(), [LIMIT]);
}

/// The client half-closes its side after `sent` (a body cut short): the server can
/// still answer on the other half.
async fn answer_to_a_body_cut_short(framing: &str, sent: &[u8]) -> (Option<Answer>, Fake) {
    let (served, fake) = start().await;
    let mut stream = put_head(&served, framing).await;
    stream
        .write_all(sent)
        .await
        .expect("the start of the body is sent");
    stream.shutdown().await.expect("the client closes its side");
    (read_answer(&mut stream).await, fake)
}

#[track_caller]
fn assert_refused_as_malformed(answer: Option<Answer>, fake: &Fake) {
    assert_eq!(fake.refused.all(), [StatusCode::BAD_REQUEST]);
    let answer = answer.expect("the server answers the half that is still open");
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{answer:?}");
    let problem = answer.problem();
    assert_eq!(problem["errors"][0]["in"], "body");
    let message = problem["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("the body could not be read whole"),
        "{problem}"
    );
    assert!(fake.stored.all().is_empty(), "the service is not called");
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_gets_400_not_413() {
    let (answer, fake) = answer_to_a_body_cut_short("content-length: 100", &[b'x'; 10]).await;
    assert_refused_as_malformed(answer, &fake);
}

#[tokio::test]
async fn a_chunked_body_cut_off_in_a_chunk_gets_400_not_413() {
    let (answer, fake) =
        answer_to_a_body_cut_short("transfer-encoding: chunked", &chunk(100)[..50]).await;
    assert_refused_as_malformed(answer, &fake);
}

#[tokio::test]
async fn a_connection_reset_in_the_middle_of_a_body_is_not_reported_as_too_large() {
    let (served, fake) = start().await;
    let stream = put_head(&served, "content-length: 100").await;
    // Wait until the router is reading the body, so the reset interrupts the read.
    for _ in 0..100 {
        if !served.requests().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stream
        .set_zero_linger()
        .expect("the socket takes SO_LINGER 0, which makes closing it a reset");
    drop(stream);
    // Nobody is left to read an answer: what the router decided is what it told
    // `reject`.
    for _ in 0..100 {
        if !fake.refused.all().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(fake.refused.all(), [StatusCode::BAD_REQUEST]);
    assert!(fake.stored.all().is_empty());
}
