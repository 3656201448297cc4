//! Each request the generated router serves runs in a `request` span that names the
//! operation and records the status it was answered with: what an operator's logs and
//! traces show.

use apigen_runtime::ApiKey;
use apigen_tests::serve::{raw_get, serve};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::{LookupSpan, Registry};
use xbox_presence::operations::{GetUserPresenceParams, GetUserPresenceResponse};
use xbox_presence::types::PresenceRecord;

struct Fake;

impl xbox_presence::XboxPresence for Fake {
    async fn get_user_presence(
        &self,
        _: GetUserPresenceParams,
        _: ApiKey,
    ) -> GetUserPresenceResponse {
        GetUserPresenceResponse::Ok(PresenceRecord::default())
    }
}

/// Every field of every `request` span, as `name=value`, in the order they were set.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<Vec<String>>>>);

/// Which span of `Spans` a span id is (kept in the span's extensions).
struct Index(usize);

struct Fields<'a>(&'a mut Vec<String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push(format!("{}={value}", field.name()));
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Spans {
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, context: Context<'_, S>) {
        if attributes.metadata().name() != "request" {
            return;
        }
        let mut fields = Vec::new();
        attributes.record(&mut Fields(&mut fields));
        let mut spans = self.0.lock().expect("the span log is not poisoned");
        spans.push(fields);
        if let Some(span) = context.span(id) {
            span.extensions_mut().insert(Index(spans.len() - 1));
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, context: Context<'_, S>) {
        let Some(span) = context.span(id) else { return };
        let extensions = span.extensions();
        let Some(Index(index)) = extensions.get::<Index>() else {
            return;
        };
        let mut spans = self.0.lock().expect("the span log is not poisoned");
        values.record(&mut Fields(&mut spans[*index]));
    }
}

#[tokio::test]
async fn every_request_runs_in_a_span_naming_its_operation_and_status() {
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(Registry::default().with(spans.clone()));
    let served = serve(xbox_presence::router(Fake)).await;
    let headers = [
        ("authorization", "XBL3.0 x=1;t"),
        ("x-xbl-contract-version", "3"),
        ("accept-language", "en-US"),
    ];

    assert_eq!(
        raw_get(&served.url("/users/xuid(1)"), &headers)
            .await
            .status,
        200
    );
    assert_eq!(
        raw_get(&served.url("/users/xuid(abc)"), &headers)
            .await
            .status,
        400
    );

    let spans = spans
        .0
        .lock()
        .expect("the span log is not poisoned")
        .clone();
    let expected = |status: &str| {
        vec![
            "operation=getUserPresence".to_owned(),
            "method=GET".to_owned(),
            "path=/users/xuid({xuid})".to_owned(),
            format!("status={status}"),
        ]
    };
    assert_eq!(spans, [expected("200"), expected("400")]);
}
