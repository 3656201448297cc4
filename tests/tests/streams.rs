//! Streamed bodies (OpenAPI 3.2 `itemSchema`), over loopback: a service's items reach
//! the generated client typed and in order, each as soon as it is written (the first
//! before the service has produced the last); Server-Sent Events keep their event type
//! and id; JSON Lines and JSON text sequences carry one item each; a malformed line or
//! event reaches the caller as an error item that ends the stream, never a panic; and a
//! reader that stops reading holds the service back instead of making the server buffer
//! the rest of the stream.
//!
//! Streamed request bodies the same way round: readings the generated client sends
//! arrive typed and in order at the service, the first before the client has produced
//! the last; a malformed line reaches the service as an error item, and the answer is
//! the one the service chose; a body of the wrong type is refused with 415.
//!
//! `multipart/mixed` with an `itemSchema` the same, both ways: one JSON part per item,
//! between delimiters of a boundary the writer names in the `Content-Type`; a part
//! reaches the reader as soon as its closing delimiter does; a malformed part is an
//! error item that ends the stream; a request whose `Content-Type` names no boundary
//! is refused with 400.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use apigen_runtime::axum::{self, routing::get};
use apigen_runtime::http::StatusCode;
use apigen_runtime::reqwest;
use apigen_runtime::stream::{self, Event, Items, Stream};
use apigen_tests::serve::{Served, serve};
use streams::operations::{
    AuditTrailParams, AuditTrailResponse, ExportLogsParams, ExportLogsResponse,
    ImportReadingsParams, ImportReadingsResponse, RecordReadingsParams, RecordReadingsResponse,
    TailLogParams, TailLogResponse, WatchNoticesParams, WatchNoticesResponse, WatchQuotesParams,
    WatchQuotesResponse, WatchTicksParams, WatchTicksResponse,
};
use streams::types::{
    AuditTrailOkItem, ImportReadingsOkBody, LogLine, LogLineLevel, Reading, RecordReadingsOkBody,
    RecordReadingsUnprocessableEntityBody, Tick,
};
use streams::{Client, Streams, router, router_with};
use tokio::sync::{Mutex, mpsc, oneshot};

/// How long a test waits for something that must happen promptly.
const PROMPTLY: Duration = Duration::from_secs(10);

/// The items a channel receives, as a stream: a service sends each when the test says.
struct Channel<T>(mpsc::Receiver<T>);

impl<T> Stream for Channel<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}

/// Endless log lines, counting how many the server pulled.
struct Counting(Arc<AtomicUsize>);

impl Stream for Counting {
    type Item = LogLine;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<LogLine>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Poll::Ready(Some(LogLine::new(
            LogLineLevel::Info,
            format!("line {n} {}", "x".repeat(200)),
        )))
    }
}

/// A market: ticks the test feeds through a channel, fixed quotes, notices, logs and
/// audit records.
#[derive(Default)]
struct Market {
    /// The ticks of the next `watch_ticks`, fed by the test.
    ticks: Mutex<Option<mpsc::Receiver<Event<Tick>>>>,
    /// When set, `tail_log` streams endless lines and counts them here.
    endless: Option<Arc<AtomicUsize>>,
    /// The readings `record_readings` received, in order.
    readings: Arc<Mutex<Vec<Reading>>>,
    /// Sent once `record_readings` or `import_readings` has received its first
    /// reading.
    first_received: Mutex<Option<oneshot::Sender<()>>>,
    /// The log lines of the next `export_logs`, fed by the test (two fixed ones
    /// otherwise).
    exports: Mutex<Option<mpsc::Receiver<LogLine>>>,
    /// The error `import_readings` ended on, if it did.
    import_error: Arc<Mutex<Option<String>>>,
}

impl Market {
    /// Keeps a reading, telling the test of the first.
    async fn keep(&self, reading: Reading) {
        self.readings.lock().await.push(reading);
        if let Some(first) = self.first_received.lock().await.take() {
            let _ = first.send(());
        }
    }
}

fn tick(symbol: &str, price: f64) -> Tick {
    Tick::new(symbol, price)
}

impl Streams for Market {
    async fn watch_ticks(&self, params: WatchTicksParams) -> WatchTicksResponse {
        assert_eq!(params.symbol, "ACME");
        let ticks = self.ticks.lock().await.take().expect("one call");
        WatchTicksResponse::Ok(Items::new(Channel(ticks)))
    }

    async fn watch_quotes(&self, _: WatchQuotesParams) -> WatchQuotesResponse {
        WatchQuotesResponse::Ok(Items::iter(vec![
            Event::new(tick("ACME", 1.5)).with_event("quote"),
            Event::new(tick("INIT", 2.25)),
        ]))
    }

    async fn watch_notices(&self, _: WatchNoticesParams) -> WatchNoticesResponse {
        WatchNoticesResponse::Ok(Items::iter(vec![
            Event::new("market opens\nin five minutes".to_owned()).with_id("n1"),
            Event::new(String::new()).with_event("heartbeat"),
        ]))
    }

    async fn tail_log(&self, _: TailLogParams) -> TailLogResponse {
        match &self.endless {
            Some(count) => TailLogResponse::Ok(Items::new(Counting(Arc::clone(count)))),
            None => TailLogResponse::Ok(Items::iter(vec![
                LogLine::new(LogLineLevel::Info, "started"),
                LogLine::new(LogLineLevel::Warn, "disk at 91%"),
            ])),
        }
    }

    async fn audit_trail(&self, _: AuditTrailParams) -> AuditTrailResponse {
        AuditTrailResponse::Ok(Items::iter(
            (1..=3).map(|seq| AuditTrailOkItem::new(seq, format!("change {seq}"))),
        ))
    }

    async fn record_readings(
        &self,
        _: RecordReadingsParams,
        mut readings: Items<Reading>,
    ) -> RecordReadingsResponse {
        let (mut count, mut sum) = (0, 0.0);
        while let Some(reading) = readings.next().await {
            match reading {
                Ok(reading) => {
                    count += 1;
                    sum += reading.value;
                    self.keep(reading).await;
                }
                // This service's choice: keep what came, say what did not decode.
                Err(error) => {
                    return RecordReadingsResponse::UnprocessableEntity(
                        RecordReadingsUnprocessableEntityBody::new(count, error.to_string()),
                    );
                }
            }
        }
        RecordReadingsResponse::Ok(RecordReadingsOkBody::new(count, sum))
    }

    async fn export_logs(&self, _: ExportLogsParams) -> ExportLogsResponse {
        match self.exports.lock().await.take() {
            Some(lines) => ExportLogsResponse::Ok(Items::new(Channel(lines))),
            None => ExportLogsResponse::Ok(Items::iter(vec![
                LogLine::new(LogLineLevel::Info, "started"),
                LogLine::new(LogLineLevel::Error, "part\r\n--of a line"),
            ])),
        }
    }

    async fn import_readings(
        &self,
        _: ImportReadingsParams,
        mut readings: Items<Reading>,
    ) -> ImportReadingsResponse {
        let mut count = 0;
        while let Some(reading) = readings.next().await {
            match reading {
                Ok(reading) => {
                    count += 1;
                    self.keep(reading).await;
                }
                Err(error) => {
                    *self.import_error.lock().await = Some(error.to_string());
                    break;
                }
            }
        }
        ImportReadingsResponse::Ok(ImportReadingsOkBody::new(count))
    }
}

fn reading(sensor: &str, value: f64) -> Reading {
    Reading::new(sensor, value)
}

async fn served(market: Market) -> (Served, Client) {
    let served = serve(router(market)).await;
    let client = Client::with_base_url(served.base_url.clone());
    (served, client)
}

/// Every item of a stream that must end well.
async fn all<T: 'static>(mut items: Items<T>) -> Vec<T> {
    let mut all = Vec::new();
    while let Some(item) = tokio::time::timeout(PROMPTLY, items.next())
        .await
        .expect("the stream goes on")
    {
        all.push(item.expect("every item decodes"));
    }
    all
}

#[tokio::test]
async fn a_client_receives_the_first_tick_before_the_service_has_produced_the_last() {
    let (feed, ticks) = mpsc::channel(1);
    let market = Market {
        ticks: Mutex::new(Some(ticks)),
        ..Market::default()
    };
    let (_served, client) = served(market).await;
    let mut stream = client
        .watch_ticks(&WatchTicksParams::new("ACME"))
        .await
        .unwrap();

    feed.send(
        Event::new(tick("ACME", 10.5))
            .with_event("tick")
            .with_id("1"),
    )
    .await
    .unwrap();
    // The service has not produced the second tick: the first must arrive all the same.
    let first = tokio::time::timeout(PROMPTLY, stream.next())
        .await
        .expect("the first tick arrives while the stream is still open")
        .unwrap()
        .unwrap();
    assert_eq!(
        first,
        Event::new(tick("ACME", 10.5))
            .with_event("tick")
            .with_id("1")
    );

    feed.send(Event::new(tick("ACME", 10.75))).await.unwrap();
    drop(feed);
    let rest = all(stream).await;
    assert_eq!(
        rest,
        [Event::new(tick("ACME", 10.75))],
        "in order, then the end"
    );
}

#[tokio::test]
async fn event_data_travels_as_json_or_as_text_as_the_item_schema_says() {
    let (_served, client) = served(Market::default()).await;
    let quotes = all(client
        .watch_quotes(&WatchQuotesParams::new())
        .await
        .unwrap())
    .await;
    assert_eq!(
        quotes,
        [
            Event::new(tick("ACME", 1.5)).with_event("quote"),
            Event::new(tick("INIT", 2.25)),
        ],
        "`contentMediaType: application/json` data is read as its `contentSchema`"
    );
    let notices = all(client
        .watch_notices(&WatchNoticesParams::new())
        .await
        .unwrap())
    .await;
    assert_eq!(
        notices,
        [
            Event::new("market opens\nin five minutes".to_owned()).with_id("n1"),
            Event::new(String::new()).with_event("heartbeat"),
        ],
        "text data keeps its line breaks (one `data:` line each) and may be empty"
    );
}

#[tokio::test]
async fn json_lines_and_json_text_sequences_carry_one_typed_item_each() {
    let (served, client) = served(Market::default()).await;
    let lines = all(client.tail_log(&TailLogParams::new()).await.unwrap()).await;
    assert_eq!(
        lines,
        [
            LogLine::new(LogLineLevel::Info, "started"),
            LogLine::new(LogLineLevel::Warn, "disk at 91%"),
        ]
    );
    let records = all(client.audit_trail(&AuditTrailParams::new()).await.unwrap()).await;
    assert_eq!(records.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3]);

    // On the wire: the media type of the document, one item per line or record.
    let response = reqwest::get(served.url("/logs")).await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/jsonl");
    assert_eq!(
        response.text().await.unwrap(),
        "{\"level\":\"info\",\"message\":\"started\"}\n{\"level\":\"warn\",\"message\":\"disk at 91%\"}\n"
    );
    let response = reqwest::get(served.url("/audit")).await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/json-seq");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .starts_with("\u{1e}{\"seq\":1,\"change\":\"change 1\"}\n\u{1e}")
    );
}

/// A server written by hand that answers `/logs` and `/ticks` with `body`.
async fn serving(media: &'static str, body: &'static str) -> (Served, Client) {
    let answer = move || async move { ([("content-type", media)], body) };
    let served = serve(
        axum::Router::new()
            .route("/logs", get(answer))
            .route("/exports", get(answer))
            .route("/ticks", get(answer)),
    )
    .await;
    let client = Client::with_base_url(served.base_url.clone());
    (served, client)
}

#[tokio::test]
async fn a_malformed_line_reaches_the_caller_as_an_error_item_that_ends_the_stream() {
    let (_served, client) = serving(
        "application/jsonl",
        "{\"level\":\"info\",\"message\":\"ok\"}\n\n{\"level\":\"info\",\"text\":\"?\"}\n{\"level\":\"info\",\"message\":\"after\"}\n",
    )
    .await;
    let mut lines = client.tail_log(&TailLogParams::new()).await.unwrap();
    assert_eq!(
        lines.next().await.unwrap().unwrap(),
        LogLine::new(LogLineLevel::Info, "ok")
    );
    let error = lines.next().await.unwrap().unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, stream::Error::Item { index: 1, .. }),
        "{error:?}"
    );
    assert!(
        message.contains("item 1 of the stream does not decode: missing field `message`"),
        "{message}"
    );
    assert!(
        lines.next().await.is_none(),
        "nothing follows a malformed item"
    );
}

#[tokio::test]
async fn a_malformed_event_reaches_the_caller_as_an_error_item() {
    let (_served, client) = serving(
        "text/event-stream",
        ": a comment\r\nevent: tick\r\ndata: {\"symbol\":\"ACME\",\r\ndata: \"price\":3}\r\n\r\ndata: {\"symbol\":\"ACME\"}\n\n",
    )
    .await;
    let mut ticks = client
        .watch_ticks(&WatchTicksParams::new("ACME"))
        .await
        .unwrap();
    assert_eq!(
        ticks.next().await.unwrap().unwrap(),
        Event::new(tick("ACME", 3.0)).with_event("tick"),
        "comments skipped, data lines joined, CRLF read"
    );
    let error = ticks.next().await.unwrap().unwrap_err();
    assert!(
        error.to_string().contains("missing field `price`"),
        "{error}"
    );
    assert!(ticks.next().await.is_none());
}

#[tokio::test]
async fn a_reader_that_stops_reading_holds_the_service_back() {
    let produced = Arc::new(AtomicUsize::new(0));
    let market = Market {
        endless: Some(Arc::clone(&produced)),
        ..Market::default()
    };
    let (_served, client) = served(market).await;
    let mut lines = client.tail_log(&TailLogParams::new()).await.unwrap();
    lines.next().await.unwrap().unwrap();
    // The reader stops; the socket buffers fill, and then the server must stop pulling.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stalled = produced.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let later = produced.load(Ordering::SeqCst);
    assert_eq!(stalled, later, "the service was pulled while nobody read");
    // Each line is some 240 bytes: what is ahead is what the socket buffers hold, not
    // an endless stream.
    assert!(stalled < 200_000, "{stalled} lines ahead of the reader");
    // Reading again pulls the service again.
    for _ in 0..stalled + 10 {
        lines.next().await.unwrap().unwrap();
    }
    assert!(produced.load(Ordering::SeqCst) > later);
}

#[tokio::test]
async fn readings_sent_by_the_client_arrive_typed_and_in_order() {
    let market = Market::default();
    let received = Arc::clone(&market.readings);
    let (_served, client) = served(market).await;
    let sent = vec![
        reading("north", 1.5),
        reading("south", -2.0),
        reading("north", 4.25),
    ];
    let summary = client
        .record_readings(&RecordReadingsParams::new(), Items::iter(sent.clone()))
        .await
        .unwrap();
    assert_eq!(summary, RecordReadingsOkBody::new(3, 3.75));
    assert_eq!(*received.lock().await, sent);

    let summary = client
        .record_readings(&RecordReadingsParams::new(), Items::iter(Vec::new()))
        .await
        .unwrap();
    assert_eq!(
        summary,
        RecordReadingsOkBody::new(0, 0.0),
        "an empty stream is a stream"
    );
}

#[tokio::test]
async fn the_service_receives_the_first_reading_before_the_client_has_produced_the_last() {
    let (first_received, released) = oneshot::channel();
    let market = Market {
        first_received: Mutex::new(Some(first_received)),
        ..Market::default()
    };
    let received = Arc::clone(&market.readings);
    let (_served, client) = served(market).await;
    let (feed, readings) = mpsc::channel(1);
    // The sensor takes its second reading only once the service has the first: were
    // the body buffered whole before the service ran, this would never end.
    let sensor = tokio::spawn(async move {
        feed.send(reading("north", 1.0)).await.unwrap();
        tokio::time::timeout(PROMPTLY, released)
            .await
            .expect("the service receives the first reading while the body is still open")
            .unwrap();
        feed.send(reading("north", 2.0)).await.unwrap();
    });
    let summary = tokio::time::timeout(
        PROMPTLY,
        client.record_readings(&RecordReadingsParams::new(), Items::new(Channel(readings))),
    )
    .await
    .expect("the call ends once the sensor has sent its last reading")
    .unwrap();
    sensor.await.unwrap();
    assert_eq!(summary, RecordReadingsOkBody::new(2, 3.0));
    assert_eq!(
        *received.lock().await,
        [reading("north", 1.0), reading("north", 2.0)]
    );
}

/// Sends `body` to `/readings` as `content_type`, as a client other than the generated
/// one would.
async fn post_readings(
    served: &Served,
    content_type: &str,
    body: &'static str,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(served.url("/readings"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("the loopback server answers")
}

#[tokio::test]
async fn a_malformed_reading_reaches_the_service_as_an_error_item_and_it_answers() {
    let market = Market::default();
    let received = Arc::clone(&market.readings);
    let (served, _client) = served(market).await;
    let response = post_readings(
        &served,
        "application/jsonl",
        "{\"sensor\":\"north\",\"value\":1}\n\n{\"sensor\":\"north\",\"valeu\":2}\n{\"sensor\":\"north\",\"value\":3}\n",
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the answer the service chose"
    );
    let answer: RecordReadingsUnprocessableEntityBody = response.json().await.unwrap();
    assert_eq!(answer.kept, 1);
    assert!(
        answer
            .message
            .contains("item 1 of the stream does not decode: missing field `value`"),
        "{}",
        answer.message
    );
    assert_eq!(
        *received.lock().await,
        [reading("north", 1.0)],
        "nothing after the malformed line reaches the service"
    );
}

#[tokio::test]
async fn readings_of_the_wrong_media_type_are_refused_with_415() {
    let market = Market::default();
    let received = Arc::clone(&market.readings);
    let (served, _client) = served(market).await;
    let response = post_readings(
        &served,
        "application/json",
        "[{\"sensor\":\"north\",\"value\":1}]",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let problem = response.text().await.unwrap();
    assert!(problem.contains("application/jsonl"), "{problem}");
    assert!(
        received.lock().await.is_empty(),
        "the service is not called"
    );
}

#[tokio::test]
async fn the_body_limit_bounds_each_item_not_a_streamed_body_as_a_whole() {
    // A stream may rightly go on for as long as its writer has items: 1000 readings
    // travel through a server whose limit would refuse a body of a tenth of them.
    let market = Market::default();
    let served = serve(router_with(
        market,
        apigen_runtime::server::Config { body_limit: 4096 },
    ))
    .await;
    let client = Client::with_base_url(served.base_url.clone());
    let sent: Vec<Reading> = (0..1000).map(|n| reading("north", f64::from(n))).collect();
    let summary = client
        .record_readings(&RecordReadingsParams::new(), Items::iter(sent))
        .await
        .unwrap();
    assert_eq!(summary, RecordReadingsOkBody::new(1000, 499_500.0));
}

#[tokio::test]
async fn multipart_mixed_parts_carry_one_typed_item_each() {
    let (served, client) = served(Market::default()).await;
    let lines = all(client.export_logs(&ExportLogsParams::new()).await.unwrap()).await;
    assert_eq!(
        lines,
        [
            LogLine::new(LogLineLevel::Info, "started"),
            LogLine::new(LogLineLevel::Error, "part\r\n--of a line"),
        ],
        "a line break in an item is escaped JSON, never a delimiter"
    );

    // On the wire: a boundary the server chose, named in the Content-Type.
    let response = reqwest::get(served.url("/exports")).await.unwrap();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let boundary = content_type
        .strip_prefix("multipart/mixed; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    assert_eq!(
        response.text().await.unwrap(),
        format!(
            "--{boundary}\r\nContent-Type: application/json\r\n\r\n{{\"level\":\"info\",\"message\":\"started\"}}\r\n\
             --{boundary}\r\nContent-Type: application/json\r\n\r\n{{\"level\":\"error\",\"message\":\"part\\r\\n--of a line\"}}\r\n\
             --{boundary}--\r\n"
        )
    );
}

#[tokio::test]
async fn a_client_receives_the_first_part_before_the_service_has_produced_the_last() {
    let (feed, lines) = mpsc::channel(1);
    let market = Market {
        exports: Mutex::new(Some(lines)),
        ..Market::default()
    };
    let (_served, client) = served(market).await;
    let mut parts = client.export_logs(&ExportLogsParams::new()).await.unwrap();
    feed.send(LogLine::new(LogLineLevel::Info, "first"))
        .await
        .unwrap();
    // The service has not produced the second line: the first must arrive all the same.
    let first = tokio::time::timeout(PROMPTLY, parts.next())
        .await
        .expect("the first part arrives while the body is still open")
        .unwrap()
        .unwrap();
    assert_eq!(first, LogLine::new(LogLineLevel::Info, "first"));
    feed.send(LogLine::new(LogLineLevel::Debug, "second"))
        .await
        .unwrap();
    drop(feed);
    assert_eq!(
        all(parts).await,
        [LogLine::new(LogLineLevel::Debug, "second")],
        "in order, then the end"
    );
}

#[tokio::test]
async fn a_malformed_part_reaches_the_caller_as_an_error_item_that_ends_the_stream() {
    let (_served, client) = serving(
        "multipart/mixed; boundary=\"b\"",
        "--b\r\nContent-Type: application/json\r\n\r\n{\"level\":\"info\",\"message\":\"ok\"}\r\n--b\r\n\r\n{\"level\":\"info\"}\r\n--b\r\n\r\n{\"level\":\"info\",\"message\":\"after\"}\r\n--b--\r\n",
    )
    .await;
    let mut lines = client.export_logs(&ExportLogsParams::new()).await.unwrap();
    assert_eq!(
        lines.next().await.unwrap().unwrap(),
        LogLine::new(LogLineLevel::Info, "ok")
    );
    let error = lines.next().await.unwrap().unwrap_err();
    assert!(
        matches!(error, stream::Error::Item { index: 1, .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("missing field `message`"),
        "{error}"
    );
    assert!(
        lines.next().await.is_none(),
        "nothing follows a malformed part"
    );
}

#[tokio::test]
async fn a_body_that_stops_before_its_closing_delimiter_is_an_error_not_a_shorter_stream() {
    let (_served, client) = serving(
        "multipart/mixed; boundary=b",
        "--b\r\n\r\n{\"level\":\"info\",\"message\":\"ok\"}\r\n--b\r\n\r\n{\"level\":\"in",
    )
    .await;
    let mut lines = client.export_logs(&ExportLogsParams::new()).await.unwrap();
    lines.next().await.unwrap().unwrap();
    let error = lines.next().await.unwrap().unwrap_err();
    assert!(error.to_string().contains("closing delimiter"), "{error}");
}

#[tokio::test]
async fn readings_sent_as_parts_arrive_typed_and_in_order_the_first_before_the_last_is_made() {
    let (first_received, released) = oneshot::channel();
    let market = Market {
        first_received: Mutex::new(Some(first_received)),
        ..Market::default()
    };
    let received = Arc::clone(&market.readings);
    let (_served, client) = served(market).await;
    let (feed, readings) = mpsc::channel(1);
    let sensor = tokio::spawn(async move {
        feed.send(reading("north", 1.0)).await.unwrap();
        tokio::time::timeout(PROMPTLY, released)
            .await
            .expect("the service receives the first part while the body is still open")
            .unwrap();
        feed.send(reading("south", 2.5)).await.unwrap();
        feed.send(reading("north", 3.0)).await.unwrap();
    });
    let answer = tokio::time::timeout(
        PROMPTLY,
        client.import_readings(&ImportReadingsParams::new(), Items::new(Channel(readings))),
    )
    .await
    .expect("the call ends once the sensor has sent its last reading")
    .unwrap();
    sensor.await.unwrap();
    assert_eq!(answer, ImportReadingsOkBody::new(3));
    assert_eq!(
        *received.lock().await,
        [
            reading("north", 1.0),
            reading("south", 2.5),
            reading("north", 3.0)
        ]
    );
}

/// Sends `body` to `/imports` as `content_type`, as a client other than the generated
/// one would.
async fn post_imports(
    served: &Served,
    content_type: &str,
    body: &'static str,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(served.url("/imports"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("the loopback server answers")
}

#[tokio::test]
async fn a_malformed_part_reaches_the_service_as_an_error_item() {
    let market = Market::default();
    let error = Arc::clone(&market.import_error);
    let received = Arc::clone(&market.readings);
    let (served, _client) = served(market).await;
    let response = post_imports(
        &served,
        "multipart/mixed; boundary=x",
        "--x\r\n\r\n{\"sensor\":\"a\",\"value\":1}\r\n--x\r\nContent-Type: text/csv\r\n\r\na,2\r\n--x\r\n\r\n{\"sensor\":\"a\",\"value\":3}\r\n--x--",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK, "the service's answer");
    assert_eq!(*received.lock().await, [reading("a", 1.0)]);
    let error = error.lock().await.clone().expect("an error item");
    assert!(
        error.contains(
            "item 1 of the stream does not decode: its Content-Type is \"text/csv\", not JSON"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_multipart_request_that_names_no_boundary_is_refused_with_400() {
    let market = Market::default();
    let received = Arc::clone(&market.readings);
    let (served, _client) = served(market).await;
    let response = post_imports(
        &served,
        "multipart/mixed",
        "--x\r\n\r\n{\"sensor\":\"a\",\"value\":1}\r\n--x--",
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let problem = response.text().await.unwrap();
    assert!(problem.contains("no boundary"), "{problem}");
    let response = post_imports(
        &served,
        "application/jsonl",
        "{\"sensor\":\"a\",\"value\":1}",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        received.lock().await.is_empty(),
        "the service is not called"
    );
}
