//! What every generated router shares: the handler that serves one operation (tracing,
//! body reading, refusal and response), the answers for unknown paths and methods, and
//! the panic guard. A generated crate adds only what is specific to each operation: how
//! its credentials, parameters and body are extracted, and which method it calls.

use super::input::{Input, read_body};
use super::rejection::Rejection;
use super::response::with_allow;
use super::{Operation, Shared};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
use std::sync::Arc;

/// The state extractor of a generated handler.
pub type State<S> = axum::extract::State<Arc<Shared<S>>>;

/// The `request` span of one request of `operation`; its `status` is recorded when the
/// response is known.
fn request_span(operation: Operation) -> tracing::Span {
    tracing::info_span!(
        "request",
        operation = operation.id,
        method = operation.method,
        path = operation.path,
        status = tracing::field::Empty
    )
}

/// `response`, its status recorded in `span`.
fn answered(span: &tracing::Span, response: Response) -> Response {
    span.record("status", response.status().as_u16());
    response
}

/// The `credentials` of [`handle`] for an operation that needs none.
pub fn no_credentials(_: &Input) -> Result<(), Rejection> {
    Ok(())
}

/// What a generated handler returns: the future of its response.
pub type Handled = std::pin::Pin<Box<dyn Future<Output = Response> + Send>>;

/// How an operation's request body is read before its values are extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyRead {
    /// The operation takes no body: none is read.
    None,
    /// The body is read whole (within the body limit) for the extraction to decode.
    Whole,
    /// The body is read whole and split into its `multipart/form-data` parts.
    Multipart,
    /// The body is not read before the service is called: it is a stream of items
    /// (OpenAPI 3.2 `itemSchema`), decoded as they arrive while the service runs. The
    /// body limit does not apply to it as a whole, since a stream may rightly go on for
    /// as long as its writer has items: each item is bounded instead, by
    /// [`crate::stream::MAX_ITEM`], so that the server never holds more than one
    /// unfinished item.
    Stream,
}

/// Serves one operation: in a `request` span, reads the request's values, refuses it
/// through the service's `reject` (credentials first, then a body over the limit, then
/// every problem at once), or passes what `extract` returns to `call` and answers with
/// what the service returns.
///
/// - `credentials` takes the request's credentials, or the rejection when it has none;
/// - `extract` reads and checks parameters and body, recording every problem in the
///   input; `None` (or any problem) refuses the request;
/// - `call` calls the service method.
///
/// The future comes back boxed, so that it is proven `Send` here, once for every
/// operation, rather than in each generated handler: for a crate of a thousand
/// operations that proof (of this whole future, per operation) was most of what `cargo
/// check` spent on the server. axum boxes a handler's future anyway.
pub fn handle<S, C, A, Fut>(
    shared: Arc<Shared<S>>,
    request: axum::extract::Request,
    operation: Operation,
    body: BodyRead,
    credentials: impl FnOnce(&Input) -> Result<C, Rejection> + Send + 'static,
    extract: impl FnOnce(&mut Input) -> Option<A> + Send + 'static,
    call: impl FnOnce(Arc<Shared<S>>, A, C) -> Fut + Send + 'static,
) -> Handled
where
    S: Send + Sync + 'static,
    C: Send + 'static,
    A: Send + 'static,
    Fut: Future<Output: IntoResponse> + Send + 'static,
{
    use tracing::Instrument as _;
    let span = request_span(operation);
    let status = span.clone();
    // One future, instrumented and boxed as it is made: a wrapper future around it
    // would copy it once more (it is most of a request's memory) on its first poll.
    Box::pin(
        async move {
            let refuse = |shared: &Shared<S>, rejection| {
                answered(&status, (shared.reject)(&shared.service, rejection))
            };
            let (parts, request_body) = request.into_parts();
            let limit = (body != BodyRead::Stream).then_some(shared.config.body_limit);
            let mut input = Input::read(operation, parts, limit).await;
            let credentials = match credentials(&input) {
                Ok(credentials) => credentials,
                Err(rejection) => return refuse(&shared, rejection),
            };
            if body == BodyRead::Stream {
                input.streamed = Some(request_body);
            } else if body != BodyRead::None {
                match read_body(operation, request_body, shared.config.body_limit).await {
                    Ok(bytes) => input.body = bytes,
                    Err(rejection) => return refuse(&shared, rejection),
                }
                if body == BodyRead::Multipart {
                    input.prepare_multipart().await;
                }
            }
            let arguments = extract(&mut input);
            match arguments {
                Some(arguments) if !input.has_problems() => answered(
                    &status,
                    call(shared, arguments, credentials).await.into_response(),
                ),
                _ => refuse(&shared, input.into_rejection()),
            }
        }
        .instrument(span),
    )
}

/// A generated handler: the service's shared state and the request, to the future of
/// its response. Routes take handlers as this function pointer rather than each as its
/// own function type, so that axum's `Handler` machinery (its trait proof, its boxing
/// into a route) is compiled once per service instead of once per operation: for a
/// crate of a thousand operations, seconds of `cargo check` and more of `cargo build`.
pub type Handler<S> = fn(State<S>, axum::extract::Request) -> Handled;

/// The methods one path serves: each handler under its method filter.
fn served<S: Send + Sync + 'static>(
    handlers: &[(MethodFilter, Handler<S>)],
) -> MethodRouter<Arc<Shared<S>>> {
    handlers
        .iter()
        .fold(MethodRouter::new(), |served, &(filter, handler)| {
            served.on(filter, handler)
        })
}

/// The methods of one path (`handlers`, each under its method filter), answering any
/// other method with 405 and the methods it does serve (`allow`) in `Allow`.
pub fn methods<S: Send + Sync + 'static>(
    handlers: &[(MethodFilter, Handler<S>)],
    allow: &'static str,
) -> MethodRouter<Arc<Shared<S>>> {
    served(handlers).fallback(
        move |axum::extract::State(shared): State<S>, method: http::Method| async move {
            let rejection = Rejection::method_not_allowed(&method, allow);
            with_allow((shared.reject)(&shared.service, rejection), allow)
        },
    )
}

/// The text of an `Allow` header: the methods compiled in, of `allow` (each method with
/// whether it was).
fn compiled(allow: &[(&'static str, bool)]) -> Arc<str> {
    let allow: Vec<&str> = allow
        .iter()
        .filter(|(_, compiled)| *compiled)
        .map(|(method, _)| *method)
        .collect();
    allow.join(", ").into()
}

/// [`methods`], for a path whose methods are compiled under different cargo features:
/// `allow` lists each method with whether it was compiled in.
pub fn methods_of<S: Send + Sync + 'static>(
    handlers: &[(MethodFilter, Handler<S>)],
    allow: &[(&'static str, bool)],
) -> MethodRouter<Arc<Shared<S>>> {
    let allow = compiled(allow);
    served(handlers).fallback(
        move |axum::extract::State(shared): State<S>, method: http::Method| async move {
            let rejection = Rejection::method_not_allowed(&method, &allow);
            with_allow((shared.reject)(&shared.service, rejection), &allow)
        },
    )
}

/// [`methods_of`], for a path that also serves methods axum's router has no place for
/// (OpenAPI 3.2's `QUERY`, and `additionalOperations` such as `COPY` or `PURGE`):
/// `extension` is given every request of another method than `handlers` serve, serves
/// those of its methods, and gives back the others, which are answered 405 with `allow`
/// (each method with whether it was compiled in) in `Allow`.
pub fn methods_with<S, F, Fut>(
    handlers: &[(MethodFilter, Handler<S>)],
    allow: &[(&'static str, bool)],
    extension: F,
) -> MethodRouter<Arc<Shared<S>>>
where
    S: Send + Sync + 'static,
    F: Fn(State<S>, axum::extract::Request) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Response, axum::extract::Request>> + Send + 'static,
{
    let allow = compiled(allow);
    served(handlers).fallback(
        move |state: State<S>, request: axum::extract::Request| async move {
            let shared = state.0.clone();
            match extension(state, request).await {
                Ok(response) => response,
                Err(request) => {
                    let rejection = Rejection::method_not_allowed(request.method(), &allow);
                    with_allow((shared.reject)(&shared.service, rejection), &allow)
                }
            }
        },
    )
}

/// Whether the request path `path` fits the operation's path `template` in the text
/// around its values (`{name}:cancel`). axum captures a segment holding a value whole,
/// so operations of one method whose templates differ only there (Google's
/// `/v1/{name}:signBlob` and `/v1/{name}:signJwt`) share one route, and the router
/// picks among them with this. Literal text is taken as written or percent-encoded,
/// as the handlers read it.
pub fn fits(path: &str, template: &str) -> bool {
    use crate::encoding::encode_path_value;
    let around = |raw: &str, literal: &str, at_start: bool| {
        let encoded = encode_path_value(literal);
        if at_start {
            raw.starts_with(literal) || raw.starts_with(encoded.as_str())
        } else {
            raw.ends_with(literal) || raw.ends_with(encoded.as_str())
        }
    };
    let mut segments = path.trim_start_matches('/').split('/');
    template.trim_start_matches('/').split('/').all(|expected| {
        let Some(raw) = segments.next() else {
            return false;
        };
        match (expected.find('{'), expected.rfind('}')) {
            (Some(open), Some(close)) => {
                let (prefix, suffix) = (&expected[..open], &expected[close + 1..]);
                raw.len() > prefix.len() + suffix.len()
                    && around(raw, prefix, true)
                    && around(raw, suffix, false)
            }
            _ => true,
        }
    })
}

/// Whether `request` carries each of an operation's selectors: its required parameters
/// that allow one value, `headers` (lower-case names) and `query`, as `(name, value)`.
/// Operations that share a route and a method are told apart by them (AWS's JSON
/// services name the operation in an `X-Amz-Target` header and all share `POST /`).
pub fn carries(
    request: &axum::extract::Request,
    headers: &[(&str, &str)],
    query: &[(&str, &str)],
) -> bool {
    let in_headers = headers.iter().all(|(name, value)| {
        request
            .headers()
            .get_all(*name)
            .iter()
            .any(|sent| sent.as_bytes() == value.as_bytes())
    });
    if !in_headers {
        return false;
    }
    if query.is_empty() {
        return true;
    }
    let sent =
        crate::encoding::parse_query(request.uri().query().unwrap_or_default()).unwrap_or_default();
    query.iter().all(|(name, value)| {
        sent.iter()
            .any(|(sent_name, sent_value)| sent_name == name && sent_value == value)
    })
}

/// `router` served under `base_path` (a generated crate's `BASE_PATH`), as OpenAPI
/// joins a server URL and a path: `/api/v1` + `/` is `/api/v1/`, which axum's
/// `Router::nest` alone does not route (it serves the nested `/` at `/api/v1` only).
/// Both are served here.
pub fn mount(base_path: &str, router: axum::Router) -> axum::Router {
    let base_path = base_path.trim_end_matches('/');
    if base_path.is_empty() {
        return router;
    }
    let root = router.clone();
    axum::Router::new().nest(base_path, router).route(
        &format!("{base_path}/"),
        axum::routing::any(move |mut request: axum::extract::Request| {
            use tower::ServiceExt as _;
            let root = root.clone();
            async move {
                let query = request.uri().query().map(|query| format!("?{query}"));
                let rooted = format!("/{}", query.unwrap_or_default());
                if let Ok(uri) = rooted.parse() {
                    *request.uri_mut() = uri;
                }
                match root.oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                }
            }
        }),
    )
}

/// A path no operation serves, refused by the service.
pub async fn not_found<S: Send + Sync + 'static>(
    axum::extract::State(shared): State<S>,
    uri: http::Uri,
) -> Response {
    let rejection = Rejection::not_found(uri.path(), shared.operations);
    (shared.reject)(&shared.service, rejection)
}

/// Finishes a generated router: shares `shared` with every handler and turns a panic
/// into the service's own refusal (500).
pub fn finish<S: Send + Sync + 'static>(
    routes: axum::Router<Arc<Shared<S>>>,
    shared: Shared<S>,
) -> axum::Router {
    let shared = Arc::new(shared);
    let guard = shared.clone();
    routes
        .fallback(not_found::<S>)
        .with_state(shared)
        .layer(super::guard::GuardLayer {
            answer: move || (guard.reject)(&guard.service, Rejection::service_failed()),
        })
}

#[cfg(test)]
mod tests {
    use super::{carries, fits};

    #[test]
    fn a_request_carries_the_selectors_it_sends() {
        let request = axum::extract::Request::builder()
            .uri("/?Action=Delete&Version=2010-08-01")
            .header("x-amz-target", "Service.Delete")
            .body(axum::body::Body::empty())
            .unwrap();
        assert!(carries(
            &request,
            &[("x-amz-target", "Service.Delete")],
            &[]
        ));
        assert!(!carries(
            &request,
            &[("x-amz-target", "Service.Create")],
            &[]
        ));
        assert!(carries(&request, &[], &[("Action", "Delete")]));
        assert!(!carries(&request, &[], &[("Action", "Create")]));
        assert!(!carries(
            &request,
            &[("x-amz-target", "Service.Delete")],
            &[("Action", "Create")]
        ));
        assert!(carries(&request, &[], &[]), "no selectors: any request");
    }

    #[test]
    fn a_path_fits_the_template_whose_text_surrounds_its_value() {
        let sign = "/v1/{name}:signBlob";
        let jwt = "/v1/{name}:signJwt";
        let path = "/v1/projects%2Fp%2FserviceAccounts%2Fa:signJwt";
        assert!(fits(path, jwt));
        assert!(!fits(path, sign));
        assert!(
            fits("/v1/a%3AsignBlob", sign),
            "an encoded suffix is read too"
        );
        assert!(!fits("/v1/:signBlob", sign), "the value is not empty");
        assert!(fits("/users/xuid(42)", "/users/xuid({xuid})"));
        assert!(!fits("/users/gt(42)", "/users/xuid({xuid})"));
    }
}
