//! The panic guard of a generated router: a panic in the service (or anywhere in
//! answering a request) becomes the service's own refusal (500), and the server keeps
//! serving.
//!
//! `tower_http::catch_panic` does this too, but boxes every response body into a type
//! of its own, which axum then boxes again into its `Body`: two allocations per request
//! that this guard, answering with axum's `Response` as it is, does not make.

use axum::extract::Request;
use axum::response::{IntoResponse as _, Response};
use std::convert::Infallible;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

/// Wraps every route in [`Guard`], answering a panic with `answer`.
#[derive(Clone)]
pub(super) struct GuardLayer<F> {
    pub(super) answer: F,
}

impl<S, F: Clone> tower::Layer<S> for GuardLayer<F> {
    type Service = Guard<S, F>;

    fn layer(&self, inner: S) -> Self::Service {
        Guard {
            inner,
            answer: self.answer.clone(),
        }
    }
}

/// A service whose panics, when called or while answering, become `answer()`.
#[derive(Clone)]
pub(super) struct Guard<S, F> {
    inner: S,
    answer: F,
}

impl<S, F> tower::Service<Request> for Guard<S, F>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
    F: Fn() -> Response + Clone,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Guarded<S::Future, F>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => Guarded::Running {
                future,
                answer: self.answer.clone(),
            },
            Err(_) => Guarded::Panicked {
                answer: Some((self.answer)()),
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The answer of a [`Guard`]ed service, or its refusal if answering panics.
    #[project = GuardedProjection]
    pub(super) enum Guarded<Fut, F> {
        /// The service is answering.
        Running { #[pin] future: Fut, answer: F },
        /// The service panicked when called: this is the answer.
        Panicked { answer: Option<Response> },
    }
}

impl<Fut, F> Future for Guarded<Fut, F>
where
    Fut: Future<Output = Result<Response, Infallible>>,
    F: Fn() -> Response,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            GuardedProjection::Running { future, answer } => {
                match catch_unwind(AssertUnwindSafe(|| future.poll(context))) {
                    Ok(polled) => polled,
                    Err(_) => Poll::Ready(Ok(answer())),
                }
            }
            GuardedProjection::Panicked { answer } => {
                // Polled again after answering (which axum does not do): a bare 500.
                Poll::Ready(Ok(answer.take().unwrap_or_else(|| {
                    http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
                })))
            }
        }
    }
}
