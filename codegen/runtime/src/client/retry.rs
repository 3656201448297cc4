//! When a failed call is sent again: the policy, and what may be retried.

use http::{Method, StatusCode};
use std::hash::BuildHasher;
use std::time::{Duration, SystemTime};

/// When a generated client sends a call again after a failure that may pass.
///
/// A call is retried only when its method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS,
/// TRACE: sending it twice does what sending it once does), and only after an answer
/// that says "later" (429 Too Many Requests, 503 Service Unavailable) or a connection
/// that could not be opened (so the request never reached the service). Any other
/// answer, and every answer to a POST or PATCH, is returned as it is.
///
/// The wait before a retry is what the answer's `Retry-After` asks for (seconds, or an
/// HTTP date, counted from the answer's `Date` when it has one, else from the client's
/// clock); without one it starts at `initial_backoff` and doubles each time, up to
/// `max_backoff`. The last answer is returned instead of waiting when the attempts are
/// used up, when `Retry-After` asks for more than `max_backoff`, or when the wait would
/// take the call's waiting past `max_total_delay`.
///
/// Generated clients do not retry unless told to (`Client::with_retries`), because only
/// the caller knows whether a repeated call is welcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a call is sent at most, the first time included: `1` never retries.
    pub max_attempts: u32,
    /// The wait before the first retry when the answer says nothing of when to retry;
    /// each further retry waits twice as long as the one before.
    pub initial_backoff: Duration,
    /// The longest wait before one retry. An answer whose `Retry-After` asks for longer is
    /// returned instead of waited for.
    pub max_backoff: Duration,
    /// The most one call waits between its attempts, all retries together.
    pub max_total_delay: Duration,
    /// Whether each doubled wait is drawn at random between half and all of itself, so
    /// that clients failing together do not all retry at the same moment. A `Retry-After`
    /// the service asked for is always honoured as it is.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, waits of about 250 ms then 500 ms (never more than 10 s each, 30 s
    /// in all), with jitter.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_total_delay: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every call is sent once. What generated clients use by default.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (1 for the second attempt) of a call that
    /// has waited `waited` so far, or `None` when the policy says to stop. `retry_after`
    /// is what the answer asked for, if anything.
    pub(super) fn wait_before(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        waited: Duration,
    ) -> Option<Duration> {
        if retry >= self.max_attempts {
            return None;
        }
        let wait = match retry_after {
            Some(asked) if asked > self.max_backoff => return None,
            Some(asked) => asked,
            None if self.jitter => jittered(self.backoff(retry)),
            None => self.backoff(retry),
        };
        (waited.saturating_add(wait) <= self.max_total_delay).then_some(wait)
    }

    /// `initial_backoff` doubled `retry - 1` times, at most `max_backoff`.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// A random wait between half and all of `wait`.
fn jittered(wait: Duration) -> Duration {
    // Every `RandomState` is seeded afresh, which is randomness enough to spread retries
    // without a dependency on a random number generator.
    let random = std::collections::hash_map::RandomState::new().hash_one(0u8);
    let fraction = (random >> 11) as f64 / (1u64 << 53) as f64;
    wait.mul_f64(0.5 + fraction / 2.0)
}

/// Whether sending a request with `method` twice has the effect of sending it once
/// (RFC 9110 §9.2.2), so that a retry cannot do anything twice. `QUERY` (OpenAPI 3.2's
/// safe method with a body) is safe, hence idempotent; other extension methods are not
/// known to be.
pub(super) fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
        || method.as_str() == "QUERY"
}

/// Reads a `Retry-After` value: a number of seconds, or an HTTP date (a date already
/// past means now). `None` for anything else.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A failed attempt that may pass if tried again.
pub(super) struct Retryable {
    /// How long the service asked to wait, if it said.
    pub(super) retry_after: Option<Duration>,
}

/// Whether `outcome` is worth another attempt: a 429 or 503 answer, or a connection
/// that was never opened.
pub(super) fn retryable(outcome: &Result<reqwest::Response, reqwest::Error>) -> Option<Retryable> {
    match outcome {
        Ok(response)
            if response.status() == StatusCode::TOO_MANY_REQUESTS
                || response.status() == StatusCode::SERVICE_UNAVAILABLE =>
        {
            let header = |name| {
                response
                    .headers()
                    .get(name)
                    .and_then(|value| value.to_str().ok())
            };
            // A date is read against the server's clock, which wrote it, when the answer
            // says what time it was there: a client whose clock is off still waits what
            // was asked.
            let now = header(http::header::DATE)
                .and_then(|date| httpdate::parse_http_date(date).ok())
                .unwrap_or_else(SystemTime::now);
            let retry_after =
                header(http::header::RETRY_AFTER).and_then(|value| retry_after(value, now));
            Some(Retryable { retry_after })
        }
        Err(error) if error.is_connect() => Some(Retryable { retry_after: None }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_retried_as_a_safe_method_and_unknown_methods_are_not() {
        let method = |name: &str| Method::from_bytes(name.as_bytes()).unwrap();
        assert!(is_idempotent(&method("QUERY")));
        assert!(!is_idempotent(&method("COPY")));
        assert!(!is_idempotent(&Method::POST));
    }

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            max_total_delay: Duration::from_secs(1),
            jitter: false,
        }
    }

    #[test]
    fn waits_double_from_the_initial_backoff_up_to_the_cap() {
        let policy = policy();
        let waits: Vec<_> = (1..5)
            .map(|retry| policy.wait_before(retry, None, Duration::ZERO))
            .collect();
        let ms = |n| Some(Duration::from_millis(n));
        assert_eq!(waits, [ms(100), ms(200), ms(350), ms(350)]);
    }

    #[test]
    fn attempts_stop_at_max_attempts() {
        let policy = policy();
        assert!(policy.wait_before(4, None, Duration::ZERO).is_some());
        assert_eq!(policy.wait_before(5, None, Duration::ZERO), None);
        assert_eq!(
            RetryPolicy::none().wait_before(1, None, Duration::ZERO),
            None
        );
    }

    #[test]
    fn a_retry_after_is_honoured_unless_it_asks_too_much() {
        let policy = policy();
        let asked = Duration::from_millis(300);
        assert_eq!(
            policy.wait_before(1, Some(asked), Duration::ZERO),
            Some(asked)
        );
        assert_eq!(
            policy.wait_before(1, Some(Duration::ZERO), Duration::ZERO),
            Some(Duration::ZERO)
        );
        assert_eq!(
            policy.wait_before(1, Some(Duration::from_secs(60)), Duration::ZERO),
            None,
            "a wait longer than max_backoff returns the answer instead"
        );
    }

    #[test]
    fn the_total_wait_is_capped() {
        let policy = policy();
        assert_eq!(
            policy.wait_before(2, None, Duration::from_millis(800)),
            Some(Duration::from_millis(200))
        );
        assert_eq!(
            policy.wait_before(2, None, Duration::from_millis(801)),
            None
        );
    }

    #[test]
    fn jitter_keeps_a_wait_between_half_and_all_of_it() {
        let policy = RetryPolicy {
            jitter: true,
            ..policy()
        };
        for _ in 0..100 {
            let wait = policy
                .wait_before(2, None, Duration::ZERO)
                .expect("a second retry is allowed");
            assert!(
                (Duration::from_millis(100)..=Duration::from_millis(200)).contains(&wait),
                "{wait:?}"
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let secs = |n| Some(Duration::from_secs(n));
        assert_eq!(retry_after("120", now), secs(120));
        assert_eq!(retry_after(" 0 ", now), secs(0));
        assert_eq!(retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now), secs(30));
        // RFC 9110 asks recipients to read the two obsolete date forms too.
        assert_eq!(retry_after("Sunday, 06-Nov-94 08:50:07 GMT", now), secs(30));
        assert_eq!(retry_after("Sun Nov  6 08:50:07 1994", now), secs(30));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            secs(0),
            "a date already past means now"
        );
        assert_eq!(retry_after("-1", now), None);
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn only_idempotent_methods_are_retried() {
        for method in ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"] {
            assert!(is_idempotent(&method.parse().unwrap()), "{method}");
        }
        for method in ["POST", "PATCH", "CONNECT"] {
            assert!(!is_idempotent(&method.parse().unwrap()), "{method}");
        }
    }
}
