//! The request builder generated clients drive, their retry policy, and the error they
//! return.
//!
//! A generated method reads like the operation it calls: it appends the path template's
//! literal parts and encoded values to a [`Call`], adds query values, headers and
//! credentials, sends it, and matches the status against the documented responses.
//!
//! Whatever a call carries as credentials stays out of what it shows: credential headers
//! are marked sensitive, error messages never quote a header value, and the URL inside a
//! transport error has its credential query values replaced by `REDACTED`.

mod call;
mod error;
mod multipart;
mod response;
mod retry;

pub use call::{Call, Core, Given, JsonAt, extension_method, http_client};
pub use error::{Error, MAX_ERROR_BODY};
pub use multipart::Multipart;
pub use response::{Answer, Decode, Response};
pub use retry::RetryPolicy;
