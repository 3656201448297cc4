//! `bench-stream ITEMS`: the streaming figure of `cargo xtask bench`. Serves the
//! generated router of `tests/openapi/streams.yaml` on loopback, its `GET /ticks`
//! answering ITEMS small ticks as Server-Sent Events (JSON data, an event type and an
//! id each), and reads them all with the generated client, checking each arrives typed
//! and in order; prints `{"items": N, "seconds": S}` (from the call to the last item).
//! Server and client share one process and a two-thread runtime.

use apigen_runtime::axum;
use apigen_runtime::stream::{Event, Items};
use std::process::ExitCode;
use std::time::Instant;
use streams::operations::{
    AuditTrailParams, AuditTrailResponse, ExportLogsParams, ExportLogsResponse,
    ImportReadingsParams, ImportReadingsResponse, RecordReadingsParams, RecordReadingsResponse,
    TailLogParams, TailLogResponse, WatchNoticesParams, WatchNoticesResponse, WatchQuotesParams,
    WatchQuotesResponse, WatchTicksParams, WatchTicksResponse,
};
use streams::types::{ImportReadingsOkBody, Reading, RecordReadingsOkBody, Tick};

/// A market of `ITEMS` ticks; its other streams are empty.
struct Ticks(u64);

impl streams::Streams for Ticks {
    async fn watch_ticks(&self, params: WatchTicksParams) -> WatchTicksResponse {
        let symbol = params.symbol;
        WatchTicksResponse::Ok(Items::iter((0..self.0).map(move |n| {
            Event::new(Tick::new(symbol.clone(), n as f64))
                .with_event("tick")
                .with_id(n.to_string())
        })))
    }

    async fn watch_quotes(&self, _: WatchQuotesParams) -> WatchQuotesResponse {
        WatchQuotesResponse::Ok(Items::iter(Vec::new()))
    }

    async fn watch_notices(&self, _: WatchNoticesParams) -> WatchNoticesResponse {
        WatchNoticesResponse::Ok(Items::iter(Vec::new()))
    }

    async fn tail_log(&self, _: TailLogParams) -> TailLogResponse {
        TailLogResponse::Ok(Items::iter(Vec::new()))
    }

    async fn audit_trail(&self, _: AuditTrailParams) -> AuditTrailResponse {
        AuditTrailResponse::Ok(Items::iter(Vec::new()))
    }

    async fn record_readings(
        &self,
        _: RecordReadingsParams,
        _: Items<Reading>,
    ) -> RecordReadingsResponse {
        RecordReadingsResponse::Ok(RecordReadingsOkBody::new(0, 0.0))
    }

    async fn export_logs(&self, _: ExportLogsParams) -> ExportLogsResponse {
        ExportLogsResponse::Ok(Items::iter(Vec::new()))
    }

    async fn import_readings(
        &self,
        _: ImportReadingsParams,
        _: Items<Reading>,
    ) -> ImportReadingsResponse {
        ImportReadingsResponse::Ok(ImportReadingsOkBody::new(0))
    }
}

async fn run(items: u64) -> Result<f64, String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move { axum::serve(listener, streams::router(Ticks(items))).await });
    let client = streams::Client::with_base_url(format!("http://{address}"));
    let started = Instant::now();
    let mut ticks = client
        .watch_ticks(&WatchTicksParams::new("ACME"))
        .await
        .map_err(|e| e.to_string())?;
    let mut count = 0;
    while let Some(tick) = ticks.next().await {
        let tick = tick.map_err(|e| e.to_string())?;
        if tick.data.price != count as f64 || tick.id.as_deref() != Some(&count.to_string()) {
            return Err(format!("tick {count} arrived as {tick:?}"));
        }
        count += 1;
    }
    if count != items {
        return Err(format!("{count} of {items} ticks arrived"));
    }
    Ok(started.elapsed().as_secs_f64())
}

fn main() -> ExitCode {
    let items = std::env::args().nth(1).and_then(|n| n.parse().ok());
    let Some(items) = items else {
        eprintln!("usage: bench-stream ITEMS");
        return ExitCode::FAILURE;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    let result = runtime
        .map_err(|e| e.to_string())
        .and_then(|runtime| runtime.block_on(run(items)));
    match result {
        Ok(seconds) => {
            println!(
                "{}",
                serde_json::json!({"items": items, "seconds": seconds})
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("bench-stream: {message}");
            ExitCode::FAILURE
        }
    }
}
