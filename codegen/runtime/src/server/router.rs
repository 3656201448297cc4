//! The pieces every generated router shares: tracing, and the panic guard.

use super::{Operation, Shared};
use axum::response::Response;

/// Runs a handler inside a `request` span naming the operation, and records the status
/// it answers with.
pub async fn traced(operation: Operation, handler: impl Future<Output = Response>) -> Response {
    use tracing::Instrument as _;
    let span = tracing::info_span!(
        "request",
        operation = operation.id,
        method = operation.method,
        path = operation.path,
        status = tracing::field::Empty
    );
    let response = handler.instrument(span.clone()).await;
    span.record("status", response.status().as_u16());
    response
}

/// Finishes a generated router: shares `shared` with every handler and turns a panic
/// into the answer `on_panic` gives (the service's own refusal, 500).
pub fn finish<S: Send + Sync + 'static>(
    routes: axum::Router<std::sync::Arc<Shared<S>>>,
    shared: std::sync::Arc<Shared<S>>,
    on_panic: fn(&S) -> Response,
) -> axum::Router {
    let service = shared.clone();
    routes
        .with_state(shared)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            move |_: Box<dyn std::any::Any + Send>| on_panic(&service.service),
        ))
}
