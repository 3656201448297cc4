//! Building a call: path, query, headers, credentials and body, then sending it.

use super::error::{Error, transport};
use super::multipart::{FormPart, Multipart, form};
use super::response::{Decode, Response};
use super::retry::{RetryPolicy, is_idempotent, retryable};
use crate::credentials::{ApiKey, Basic, Bearer};
use crate::encoding::{check_header_value, encode_query_value, push_encoded};
use crate::param::ParamValue;
use crate::style::{self, Style, deep_object_pairs};
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde::Serialize;
use std::time::Duration;

/// A `reqwest` client that names the calling crate in its `User-Agent`
/// (`groove-music/0.1.0`), as generated clients use by default.
pub fn http_client(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(user_agent)
        .build()
        // Building fails only when the TLS backend cannot start; a plain client then
        // fails the same way on its first call, with the cause.
        .unwrap_or_default()
}

/// A params-struct field as a call sends it: a value, an array, or an optional one
/// (`Option`), sent only when present; so a generated method adds each parameter in
/// one line.
pub trait Given {
    /// What is sent: a value, or the items of an array.
    type Value: ?Sized;

    /// The value, when there is one.
    fn given(&self) -> Option<&Self::Value>;
}

impl<T: ParamValue> Given for T {
    type Value = T;

    fn given(&self) -> Option<&T> {
        Some(self)
    }
}

impl<T: ParamValue> Given for Vec<T> {
    type Value = [T];

    fn given(&self) -> Option<&[T]> {
        Some(self)
    }
}

impl<T: ParamValue> Given for [T] {
    type Value = [T];

    fn given(&self) -> Option<&[T]> {
        Some(self)
    }
}

impl<T: Given> Given for Option<T> {
    type Value = T::Value;

    fn given(&self) -> Option<&T::Value> {
        self.as_ref().and_then(Given::given)
    }
}

/// What every call of a generated client starts from: the connection, the base URL and
/// the retry policy, shared by all the client's methods.
#[derive(Debug, Clone)]
pub struct Core {
    /// Everything before the operations' paths.
    pub base_url: String,
    /// The connection pool calls go through.
    pub http: reqwest::Client,
    /// When a failed call is sent again.
    pub retries: RetryPolicy,
}

impl Core {
    /// A core calling `base_url`, naming `user_agent` (`groove-music/0.1.0`), never
    /// retrying.
    pub fn new(base_url: String, user_agent: &str) -> Self {
        Core {
            base_url,
            http: http_client(user_agent),
            retries: RetryPolicy::none(),
        }
    }

    /// Starts a call of `operation` (its operationId, for error messages).
    pub fn call(&self, method: Method, operation: &'static str) -> Call<'_> {
        let mut call = Call::new(&self.http, &self.base_url, method, operation);
        call.retry(self.retries);
        call
    }
}

/// The method named `name`, one the `http` crate has no constant for (OpenAPI 3.2's
/// `QUERY`, or an `additionalOperations` method such as `COPY`). Generated code names
/// only methods that lowering checked are HTTP tokens, which `Method` always accepts;
/// any other name is refused by the server as an unknown method (`405`), never sent as
/// another method.
pub fn extension_method(name: &'static str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap_or_else(|_| {
        // Not reached for a token; a name that is not one still gets a method of its
        // own, which no route serves.
        Method::from_bytes(b"INVALID-METHOD-NAME").unwrap_or_default()
    })
}

/// A path value that, if it turns out to fill its whole segment, would change which
/// resource the URL names.
struct RiskyValue {
    /// The path parameter's name.
    name: &'static str,
    /// Its text (empty, `.` or `..`).
    text: String,
}

/// Where a parameter described by `content: application/json` travels, other than the
/// path ([`Call::path_json`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonAt {
    /// In the query, percent-encoded.
    Query,
    /// In a header, as it is (a value that is not visible ASCII fails the call).
    Header,
    /// In a cookie, percent-encoded.
    Cookie,
}

/// The members of `value`, an object of scalars, each as its text (see
/// [`style::form_object_members`]).
fn object_members(value: &impl Serialize, repeated: bool) -> Result<Vec<(String, String)>, String> {
    serde_json::to_value(value)
        .map_err(|error| error.to_string())
        .and_then(|value| style::form_object_members(&value, repeated))
}

/// One request being built by a generated client method.
#[must_use = "a call does nothing until it is sent"]
pub struct Call<'a> {
    http: &'a reqwest::Client,
    operation: &'static str,
    method: Method,
    url: String,
    /// The query's `name=value` pairs so far, each encoded, joined by `&`.
    query: String,
    /// The names of query parameters that carry credentials.
    secret_query: Vec<String>,
    headers: HeaderMap,
    cookies: Vec<String>,
    secret_cookie: bool,
    body: Option<Body>,
    retry: RetryPolicy,
    risky_value: Option<RiskyValue>,
    invalid: Option<String>,
}

impl<'a> Call<'a> {
    /// Starts a call of `operation` (its operationId, for error messages) at `base_url`.
    pub fn new(
        http: &'a reqwest::Client,
        base_url: &str,
        method: Method,
        operation: &'static str,
    ) -> Self {
        Call {
            http,
            operation,
            method,
            url: with_room(base_url.trim_end_matches('/')),
            query: String::new(),
            secret_query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            secret_cookie: false,
            body: None,
            retry: RetryPolicy::none(),
            risky_value: None,
            invalid: None,
        }
    }

    /// Retries the call as `policy` says, if its method is idempotent (see
    /// [`RetryPolicy`]).
    pub fn retry(&mut self, policy: RetryPolicy) {
        self.retry = policy;
    }

    /// Appends literal text of the path template, as written in the document.
    pub fn path(&mut self, literal: &str) {
        if !literal.is_empty() {
            self.close_segment(literal.starts_with('/'));
        }
        self.url.push_str(literal);
    }

    /// Appends the value of the path parameter `name`, percent-encoded: nothing in it
    /// (`/`, `?`, `#`, `%`, a space, non-ASCII) can leave its segment.
    ///
    /// A value that would fill its whole segment while being empty, `.` or `..` fails the
    /// call: the URL would name another resource (`/items/` is not `/items/{id}`, and
    /// `..` climbs a level, even percent-encoded, in every URL parser).
    pub fn path_param(&mut self, name: &'static str, value: &impl ParamValue) {
        // A value right after another shares its segment with it.
        self.close_segment(false);
        let text = value.to_param();
        if self.url.ends_with('/') && matches!(text.as_str(), "" | "." | "..") {
            self.risky_value = Some(RiskyValue {
                name,
                text: text.clone(),
            });
        }
        push_encoded(&mut self.url, &text);
    }

    /// Appends the path parameter `name`, an array (or a single value, as `values` of
    /// one) written in `style` (`simple`, `label` or `matrix`, see [`style::write_path`]),
    /// each item percent-encoded. An array that would leave its segment empty fails the
    /// call, as [`Self::path_param`] says.
    pub fn path_styled<T: ParamValue>(
        &mut self,
        name: &'static str,
        values: &[T],
        style: Style,
        explode: bool,
    ) {
        self.close_segment(false);
        let items: Vec<String> = values.iter().map(ParamValue::to_param).collect();
        let text = style::write_path(name, style, explode, &items);
        self.push_styled(name, text);
    }

    /// Appends the written path text of the parameter `name`, noting it when it could
    /// fill its segment as an empty, `.` or `..` one (see [`Self::close_segment`]).
    fn push_styled(&mut self, name: &'static str, text: String) {
        if self.url.ends_with('/') && matches!(text.as_str(), "" | "." | "..") {
            self.risky_value = Some(RiskyValue {
                name,
                text: text.clone(),
            });
        }
        self.url.push_str(&text);
    }

    /// Appends the path parameter `name`, an object of scalars written in `style`
    /// (`simple`, `label` or `matrix`, exploded or not; see [`style::write_path_object`]),
    /// each key and value percent-encoded. A value that is not an object of scalars, or
    /// one that would leave its segment empty, makes the call fail before anything is
    /// sent.
    pub fn path_object(
        &mut self,
        name: &'static str,
        value: &impl Serialize,
        style: Style,
        explode: bool,
    ) {
        self.close_segment(false);
        match object_members(value, false) {
            Ok(members) => {
                let text = style::write_path_object(name, style, explode, &members);
                self.push_styled(name, text);
            }
            Err(error) => self.fail(format!(
                "path parameter `{name}` cannot be written as an object: {error} (nothing was sent)"
            )),
        }
    }

    /// Appends the path parameter `name` described by `content: application/json`: its
    /// JSON text, percent-encoded as any path value.
    pub fn path_json(&mut self, name: &'static str, value: &impl Serialize) {
        match serde_json::to_string(value) {
            Ok(text) => self.path_param(name, &text),
            Err(error) => self.fail(format!(
                "path parameter `{name}` does not serialize: {error} (nothing was sent)"
            )),
        }
    }

    /// Fails the call if the path value just appended fills its segment alone
    /// (`whole` when what follows starts a new segment or ends the path).
    fn close_segment(&mut self, whole: bool) {
        let Some(risky) = self.risky_value.take() else {
            return;
        };
        if !whole {
            return;
        }
        let message = if risky.text.is_empty() {
            format!(
                "the path parameter `{}` is empty, so the URL would name another resource; give it a value (nothing was sent)",
                risky.name
            )
        } else {
            format!(
                "the path parameter `{}` is `{}`, which every URL parser reads as a step in the path, not as a value, so the URL would name another resource (nothing was sent)",
                risky.name, risky.text
            )
        };
        self.fail(message);
    }

    /// Adds `name=value` to the query, when `value` is given.
    pub fn query<V: Given + ?Sized>(&mut self, name: &str, value: &V)
    where
        V::Value: ParamValue,
    {
        let Some(value) = value.given() else { return };
        let query = self.next_pair();
        push_encoded(query, name);
        query.push('=');
        push_encoded(query, &value.to_param());
    }

    /// The query, ready for one more pair.
    fn next_pair(&mut self) -> &mut String {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        &mut self.query
    }

    /// Adds an array to the query in `style` (`form`, `spaceDelimited` or
    /// `pipeDelimited`): with `explode` one `name=value` per item, without it one
    /// `name=a,b,c` (`a%20b%20c`, `a|b|c`), each item encoded, so that a separator inside
    /// an item is encoded and only the separators are literal.
    pub fn query_list<V: Given<Value = [T]> + ?Sized, T: ParamValue>(
        &mut self,
        name: &str,
        values: &V,
        (style, explode): (Style, bool),
    ) {
        let Some(values) = values.given() else { return };
        if explode {
            for value in values {
                self.query(name, value);
            }
        } else {
            let items: Vec<String> = values.iter().map(ParamValue::to_param).collect();
            let query = self.next_pair();
            push_encoded(query, name);
            query.push('=');
            query.push_str(&style::write_query_value(style, &items));
        }
    }

    /// Adds a value to the query, `style: deepObject`: one `name[key]=value` pair per
    /// member of an object, `name[a][b]=value` for a nested object and `name[a][0]=value`
    /// for an array item, `name=value` for a scalar (as an alternative of a union may
    /// be). Strings go as they are, numbers and booleans as their JSON text; null members
    /// are left out, so an object with no members sends nothing.
    ///
    /// Brackets are percent-encoded (`name%5Bkey%5D`): RFC 3986 reserves `[` and `]`
    /// for IP literals, and some servers and proxies refuse them unencoded, while every
    /// server decodes the encoded form. A value that does not serialize makes the call
    /// fail before anything is sent.
    pub fn query_deep_object(&mut self, name: &str, value: &impl Serialize) {
        match serde_json::to_value(value) {
            Ok(value) => {
                let mut pairs = Vec::new();
                deep_object_pairs(&encode_query_value(name), &value, &mut pairs);
                for pair in pairs {
                    self.next_pair().push_str(&pair);
                }
            }
            Err(error) => self.fail(format!(
                "query parameter `{name}` cannot be written: {error} (nothing was sent)"
            )),
        }
    }

    /// Makes `value`, as JSON text, the whole query string, percent-encoded (an OpenAPI
    /// 3.2 parameter `in: querystring` of `application/json` content, `name`). A value
    /// that does not serialize makes the call fail before anything is sent.
    pub fn query_string_json(&mut self, name: &str, value: &impl Serialize) {
        match serde_json::to_string(value) {
            Ok(text) => self.next_pair().push_str(&encode_query_value(&text)),
            Err(error) => self.fail(format!(
                "query string `{name}` cannot be written as JSON: {error} (nothing was sent)"
            )),
        }
    }

    /// Adds an object of scalars to the query, `style: form`: exploded, one `key=value`
    /// pair per member (`R=100&G=200`); not exploded, `name=R,100,G,200`, each key and
    /// value encoded. Null members are left out. A value that is not an object of
    /// scalars makes the call fail before anything is sent.
    pub fn query_object(&mut self, name: &str, value: &impl Serialize, explode: bool) {
        // Exploded, an array member's items are its name repeated (a 3.2 querystring's
        // form, `colors=red&colors=blue`); not exploded, they could not be told apart
        // from the keys and values alternating.
        let members = match object_members(value, explode) {
            Ok(members) => members,
            Err(error) => {
                return self.fail(format!(
                    "query parameter `{name}` cannot be written as `style: form`: {error} (nothing was sent)"
                ));
            }
        };
        if explode {
            for (key, text) in members {
                self.query(&key, &text);
            }
        } else {
            let items: Vec<String> = members.into_iter().flat_map(|(k, v)| [k, v]).collect();
            let query = self.next_pair();
            push_encoded(query, name);
            query.push('=');
            query.push_str(&style::write_query_value(Style::Form, &items));
        }
    }

    /// Sets a header, when `value` is given. A value that cannot be a header value (a CR, LF or other control
    /// character, or a character outside ASCII) makes the call fail before anything is
    /// sent.
    pub fn header<V: Given + ?Sized>(&mut self, name: &str, value: &V)
    where
        V::Value: ParamValue,
    {
        if let Some(value) = value.given() {
            self.raw_header(name, value.to_param(), false);
        }
    }

    /// Sets a header holding an array, `style: simple` (`a,b,c`). An item holding a comma
    /// makes the call fail before anything is sent: it would read back as two.
    pub fn header_list<V: Given<Value = [T]> + ?Sized, T: ParamValue>(
        &mut self,
        name: &str,
        values: &V,
    ) {
        let Some(values) = values.given() else { return };
        let items: Vec<String> = values.iter().map(ParamValue::to_param).collect();
        match style::write_header(&items) {
            Some(value) => self.raw_header(name, value, false),
            None => self.fail(format!(
                "an item of header `{name}` holds a comma, which would read back as two items (nothing was sent)"
            )),
        }
    }

    /// Sets the header `name` holding an object of scalars, `style: simple`: keys and
    /// values alternating (`R,100,G,200`), or exploded, `R=100,G=200`. A value that is
    /// not an object of scalars, or a key or value holding a comma (which would not read
    /// back), makes the call fail before anything is sent.
    pub fn header_object(&mut self, name: &str, value: &impl Serialize, explode: bool) {
        let written = object_members(value, false).and_then(|members| {
            style::write_header_object(explode, &members)
                .ok_or_else(|| "a key or value holds a comma, which would not read back".to_owned())
        });
        match written {
            Ok(text) => self.raw_header(name, text, false),
            Err(error) => self.fail(format!(
                "header `{name}` cannot be written as an object: {error} (nothing was sent)"
            )),
        }
    }

    /// Adds the parameter `name` described by `content: application/json` in the query
    /// (`at` a header or a cookie alike): its JSON text, encoded as any text value.
    pub fn json_param(&mut self, at: JsonAt, name: &str, value: &impl Serialize) {
        let text = match serde_json::to_string(value) {
            Ok(text) => text,
            Err(error) => {
                return self.fail(format!(
                    "parameter `{name}` does not serialize: {error} (nothing was sent)"
                ));
            }
        };
        match at {
            JsonAt::Query => self.query(name, &text),
            JsonAt::Header => self.header(name, &text),
            JsonAt::Cookie => self.cookie(name, &text),
        }
    }

    /// Sends `credentials` as `Authorization: Bearer <token>`.
    pub fn bearer(&mut self, credentials: &Bearer) {
        self.raw_header("authorization", credentials.header_value(), true);
    }

    /// Sends `credentials` as `Authorization: Basic <base64>`.
    pub fn basic(&mut self, credentials: &Basic) {
        self.raw_header("authorization", credentials.header_value(), true);
    }

    /// Sends an API key in the header `name`.
    pub fn api_key_header(&mut self, name: &str, credentials: &ApiKey) {
        self.raw_header(name, credentials.key.clone(), true);
    }

    /// Sends an API key as the query parameter `name`.
    pub fn api_key_query(&mut self, name: &str, credentials: &ApiKey) {
        self.secret_query.push(name.to_owned());
        self.query(name, &credentials.key);
    }

    /// Sends an API key as the cookie `name`.
    pub fn api_key_cookie(&mut self, name: &str, credentials: &ApiKey) {
        self.secret_cookie = true;
        self.cookie(name, &credentials.key);
    }

    /// Adds the cookie `name`, when `value` is given (its value percent-encoded; all cookies go in one header).
    pub fn cookie<V: Given + ?Sized>(&mut self, name: &str, value: &V)
    where
        V::Value: ParamValue,
    {
        let Some(value) = value.given() else { return };
        self.cookies
            .push(format!("{name}={}", encode_query_value(&value.to_param())));
    }

    /// Adds the cookie `name` holding an object of scalars in `style: form`: its keys and
    /// values alternating, comma-separated, each percent-encoded (`name=R,100,G,200`; a
    /// cookie is never exploded, since `R=100; G=200` would be cookies of their own).
    pub fn cookie_object(&mut self, name: &str, value: &impl Serialize) {
        let members = match object_members(value, false) {
            Ok(members) => members,
            Err(error) => {
                return self.fail(format!(
                    "cookie `{name}` cannot be written as `style: form`: {error} (nothing was sent)"
                ));
            }
        };
        let items: Vec<String> = members.into_iter().flat_map(|(k, v)| [k, v]).collect();
        self.cookies.push(format!(
            "{name}={}",
            style::write_query_value(Style::Form, &items)
        ));
    }

    /// Adds the cookie `name` holding an array, when `values` is given: its items
    /// comma-separated (`style: form`), each percent-encoded, so that a comma inside an
    /// item is encoded and only the separators are literal. (The exploded form,
    /// `name=a; name=b`, would read back as one cookie: servers keep the first.)
    pub fn cookie_list<V: Given<Value = [T]> + ?Sized, T: ParamValue>(
        &mut self,
        name: &str,
        values: &V,
    ) {
        let Some(values) = values.given() else { return };
        let items: Vec<String> = values.iter().map(ParamValue::to_param).collect();
        self.cookies.push(format!(
            "{name}={}",
            style::write_query_value(Style::Form, &items)
        ));
    }

    /// Asks for the media types `accept` (an `Accept` value such as
    /// `application/octet-stream, application/json`) instead of JSON alone.
    pub fn accept(&mut self, accept: &'static str) {
        self.raw_header("accept", accept.to_owned(), false);
    }

    /// Records that the operation needs credentials the client was not given.
    pub fn missing_credentials(&mut self, how: &str) {
        self.fail(format!("this operation needs credentials: {how}"));
    }

    /// Sets a JSON request body, sent as `application/json`.
    pub fn json(&mut self, body: &(impl Serialize + ?Sized)) {
        self.json_as("application/json", body);
    }

    /// Sets a JSON request body, sent as `media_type` (the `+json` type the document
    /// names, such as `application/merge-patch+json`).
    pub fn json_as(&mut self, media_type: &'static str, body: &(impl Serialize + ?Sized)) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.bytes_body(media_type, Bytes::from(bytes)),
            Err(error) => self.fail(format!("the request body does not serialize: {error}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` request body: one `name=value` field
    /// per member of `body` (a struct or map of scalars and arrays of scalars), an array
    /// as one field per item, absent members left out.
    pub fn form(&mut self, body: &(impl Serialize + ?Sized)) {
        match serde_html_form::to_string(body) {
            Ok(text) => self.bytes_body("application/x-www-form-urlencoded", Bytes::from(text)),
            Err(error) => self.fail(format!(
                "the request body cannot be written as form fields: {error} (nothing was sent)"
            )),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` request body whose fields may nest:
    /// objects, maps and arrays in `name[key]=value` brackets (`metadata[key]=v`,
    /// `items[0][price]=x`), as Stripe reads them; the arrays of scalars named in
    /// `repeated` as one `name=item` field per item. See [`style`].
    pub fn nested_form(&mut self, body: &(impl Serialize + ?Sized), repeated: &[&str]) {
        let pairs = serde_json::to_value(body)
            .map_err(|error| error.to_string())
            .and_then(|value| style::nested_form_pairs(&value, repeated));
        match pairs {
            Ok(pairs) => self.bytes_body(
                "application/x-www-form-urlencoded",
                Bytes::from(pairs.join("&")),
            ),
            Err(error) => self.fail(format!(
                "the request body cannot be written as form fields: {error} (nothing was sent)"
            )),
        }
    }

    /// Sets a `multipart/form-data` request body of the parts of `form` (`reqwest` writes
    /// it, with a boundary of its own).
    pub fn multipart(&mut self, form: Multipart) {
        if let Some(message) = form.invalid {
            return self.fail(message);
        }
        self.body = Some(Body::Multipart(form.parts));
    }

    /// Sets a multipart request body without a shape (see [`crate::multipart`]): `parts`
    /// between a boundary none of them holds, sent as `media_type`
    /// (`multipart/form-data`, `multipart/mixed`) with that boundary.
    pub fn multipart_parts(&mut self, media_type: &'static str, parts: &crate::multipart::Parts) {
        let boundary = parts.boundary();
        match HeaderValue::from_str(&format!("{media_type}; boundary={boundary}")) {
            Ok(content_type) => {
                self.body = Some(Body::Bytes {
                    content_type,
                    bytes: parts.write(&boundary),
                })
            }
            Err(_) => self.fail(format!(
                "the media type `{media_type}` cannot be sent as a Content-Type; correct the document (nothing was sent)"
            )),
        }
    }

    /// Sets a text request body, sent as `media_type` (`text/plain`).
    pub fn text(&mut self, media_type: &'static str, body: &str) {
        self.bytes_body(media_type, Bytes::copy_from_slice(body.as_bytes()));
    }

    /// Sets a request body of bytes, sent as `media_type` (`application/octet-stream`,
    /// `image/png`).
    pub fn bytes(&mut self, media_type: &'static str, body: &Bytes) {
        // `Bytes` clones share the buffer: nothing is copied.
        self.bytes_body(media_type, body.clone());
    }

    /// Sets a streamed request body of `media_type` (`application/jsonl`): `items`, each
    /// encoded with `codec` as the connection takes the bytes of the ones before. It
    /// can be sent once only, so a call with one is never retried. An item that does not
    /// encode, or an error among `items`, breaks the request off.
    pub fn stream<T: 'static>(
        &mut self,
        media_type: &'static str,
        items: crate::stream::Items<T>,
        codec: crate::stream::Codec<T>,
    ) {
        let body = items.encode(codec);
        // The media type with a multipart body's boundary.
        match HeaderValue::from_str(&body.content_type(media_type)) {
            Ok(content_type) => {
                self.body = Some(Body::Stream {
                    content_type,
                    body: reqwest::Body::wrap_stream(body),
                })
            }
            Err(_) => self.fail(format!(
                "the media type `{media_type}` cannot be sent as a Content-Type; correct the document (nothing was sent)"
            )),
        }
    }

    fn bytes_body(&mut self, media_type: &'static str, bytes: Bytes) {
        match HeaderValue::from_str(media_type) {
            Ok(content_type) => {
                self.body = Some(Body::Bytes {
                    content_type,
                    bytes,
                })
            }
            Err(_) => self.fail(format!(
                "the media type `{media_type}` cannot be sent as a Content-Type; correct the document (nothing was sent)"
            )),
        }
    }

    /// Sets the header `name`, or fails the call if `value` cannot be sent as it is.
    /// `sensitive` values (credentials) are kept out of HTTP/2 header compression tables
    /// and out of `Debug` output.
    fn raw_header(&mut self, name: &str, value: String, sensitive: bool) {
        let Ok(header_name) = HeaderName::try_from(name) else {
            return self.fail(format!(
                "`{name}` is not a valid header name; correct the document (nothing was sent)"
            ));
        };
        // The value itself is never quoted: it may be a secret.
        if let Err(problem) = check_header_value(&value) {
            return self.fail(format!(
                "the value of header `{name}` cannot be sent: {problem} (nothing was sent)"
            ));
        }
        match HeaderValue::try_from(value) {
            Ok(mut value) => {
                value.set_sensitive(sensitive);
                self.headers.insert(header_name, value);
            }
            Err(_) => self.fail(format!(
                "the value of header `{name}` cannot be sent (nothing was sent)"
            )),
        }
    }

    fn fail(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }

    /// Checks what was given and puts the request together, or says why it cannot be.
    /// Also returns the names of the query parameters that carry credentials, redacted
    /// from errors, and the retry policy that applies to the call.
    fn finish(mut self) -> Result<(Prepared<'a>, Vec<String>, RetryPolicy), String> {
        self.close_segment(true);
        if !self.cookies.is_empty() {
            let cookies = self.cookies.join("; ");
            self.raw_header("cookie", cookies, self.secret_cookie);
        }
        if let Some(message) = self.invalid {
            return Err(message);
        }
        let mut url = self.url;
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&self.query);
        }
        // Parsed once, here, rather than by each attempt; the message leaves the URL
        // out, as its query may hold a credential.
        let url = reqwest::Url::parse(&url).map_err(|error| {
            format!(
                "the base URL and the path do not make a URL: {error}; check the base URL the client was made with (nothing was sent)"
            )
        })?;
        let mut headers = self.headers;
        headers
            .entry(http::header::ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
        if let Some(Body::Bytes { content_type, .. } | Body::Stream { content_type, .. }) =
            &self.body
        {
            headers.insert(http::header::CONTENT_TYPE, content_type.clone());
        }
        let streamed = matches!(self.body, Some(Body::Stream { .. }));
        let retry = if is_idempotent(&self.method) && !streamed {
            self.retry
        } else {
            RetryPolicy::none()
        };
        let prepared = Prepared {
            http: self.http,
            method: self.method,
            url,
            headers,
            body: self.body,
        };
        Ok((prepared, self.secret_query, retry))
    }

    /// Sends the call, again as long as its retry policy says so, and returns the
    /// response of the last attempt, whatever its status; or the reason nothing was
    /// sent, or the transport error of the last attempt.
    ///
    /// The request is checked and put together before the returned future is first
    /// polled, so the future holds only what is sent, not the call being built.
    pub fn send<E>(self) -> impl Future<Output = Result<Response, Error<E>>> {
        let operation = self.operation;
        let prepared = self
            .finish()
            .map_err(|message| Error::InvalidRequest { operation, message });
        async move {
            let (request, secret_query, policy) = prepared?;
            let http = request.http;
            let mut waited = Duration::ZERO;
            let mut attempts = 0;
            loop {
                // The last attempt the policy allows takes the request's parts instead
                // of copying them (the only one, unless the client retries).
                if attempts + 1 >= policy.max_attempts {
                    let outcome = match request.take() {
                        Ok(request) => http.execute(request).await,
                        Err(error) => Err(error),
                    };
                    return answer(operation, outcome, secret_query);
                }
                let outcome = match request.copy() {
                    Ok(request) => http.execute(request).await,
                    Err(error) => Err(error),
                };
                attempts += 1;
                let wait = retryable(&outcome).and_then(|retryable| {
                    policy.wait_before(attempts, retryable.retry_after, waited)
                });
                let Some(wait) = wait else {
                    return answer(operation, outcome, secret_query);
                };
                waited += wait;
                // Boxed: a timer is large, and most calls never wait, so their
                // futures stay small.
                Box::pin(tokio::time::sleep(wait)).await;
            }
        }
    }
}

impl Call<'_> {
    /// Sends the call (see [`send`](Self::send)) and reads the response as `decide`
    /// says for its status: what a generated method returns. `decide` only looks at the
    /// status and picks a reader, so all the waiting happens here, once for every
    /// operation.
    pub fn send_then<T, E>(
        self,
        decide: impl FnOnce(Response) -> Decode<T, E> + Send,
    ) -> impl Future<Output = Result<T, Error<E>>> {
        let sent = self.send();
        async move { decide(sent.await?).read().await }
    }
}

/// What a call returns for the outcome of its last attempt.
#[allow(
    clippy::result_large_err,
    reason = "the error is the call's own `Error`, which `send` returns; it is built once, on a failure"
)]
fn answer<E>(
    operation: &'static str,
    outcome: Result<reqwest::Response, reqwest::Error>,
    secret_query: Vec<String>,
) -> Result<Response, Error<E>> {
    match outcome {
        Ok(inner) => Ok(Response {
            operation,
            inner,
            secret_query,
        }),
        Err(source) => Err(transport(operation, source, &secret_query)),
    }
}

/// `text` in a string with room for the path and query that follow it, so that
/// appending them seldom grows it.
fn with_room(text: &str) -> String {
    const ROOM: usize = 96;
    let mut url = String::with_capacity(text.len() + ROOM);
    url.push_str(text);
    url
}

/// A call put together, sent once per attempt.
struct Prepared<'a> {
    http: &'a reqwest::Client,
    method: Method,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Option<Body>,
}

/// A request body as given to the call.
enum Body {
    /// Sent as they are, with their media type.
    Bytes {
        content_type: HeaderValue,
        bytes: Bytes,
    },
    /// `multipart/form-data`, written anew for each attempt.
    Multipart(Vec<FormPart>),
    /// Streamed as produced: sent once, never retried (see [`Call::finish`]).
    Stream {
        content_type: HeaderValue,
        body: reqwest::Body,
    },
}

impl Prepared<'_> {
    /// The request of an attempt that may be followed by another: a copy (`Bytes`
    /// clones share the buffer, so the body is not copied).
    fn copy(&self) -> Result<reqwest::Request, reqwest::Error> {
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        match &self.body {
            Some(Body::Bytes { bytes, .. }) => *request.body_mut() = Some(bytes.clone().into()),
            Some(Body::Multipart(parts)) => return Self::form_of(self.http, request, parts),
            // Never copied: `finish` allows a streamed body one attempt.
            Some(Body::Stream { .. }) | None => {}
        }
        Ok(request)
    }

    /// The request of the last attempt, which takes the call's parts.
    fn take(self) -> Result<reqwest::Request, reqwest::Error> {
        // Made as it is sent, not through `RequestBuilder`, which would merge the
        // headers into a map of their own.
        let mut request = reqwest::Request::new(self.method, self.url);
        *request.headers_mut() = self.headers;
        match self.body {
            Some(Body::Bytes { bytes, .. }) => *request.body_mut() = Some(bytes.into()),
            Some(Body::Multipart(parts)) => return Self::form_of(self.http, request, &parts),
            Some(Body::Stream { body, .. }) => *request.body_mut() = Some(body),
            None => {}
        }
        Ok(request)
    }

    /// `request` with `parts` as its `multipart/form-data` body and the boundary in its
    /// `Content-Type`, as `reqwest` writes them.
    fn form_of(
        http: &reqwest::Client,
        request: reqwest::Request,
        parts: &[FormPart],
    ) -> Result<reqwest::Request, reqwest::Error> {
        reqwest::RequestBuilder::from_parts(http.clone(), request)
            .multipart(form(parts)?)
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(call: Call<'_>) -> Result<Prepared<'_>, String> {
        call.finish().map(|(prepared, _, _)| prepared)
    }

    fn policy(call: Call<'_>) -> RetryPolicy {
        call.finish().map(|(_, _, policy)| policy).unwrap()
    }

    /// A call with a streamed body, on a client that would retry it if it could.
    fn streamed(http: &reqwest::Client) -> Call<'_> {
        let mut call = Call::new(http, "http://h", Method::PUT, "op");
        call.retry(RetryPolicy::default());
        call.stream(
            "application/jsonl",
            crate::stream::Items::iter(vec![1, 2]),
            crate::stream::Codec::<i64>::json_lines(),
        );
        call
    }

    #[test]
    fn a_streamed_body_is_never_retried_even_where_a_call_may_be() {
        let http = reqwest::Client::new();
        let mut call = Call::new(&http, "http://h", Method::PUT, "op");
        call.retry(RetryPolicy::default());
        call.bytes("application/octet-stream", &Bytes::from_static(b"x"));
        assert_eq!(policy(call), RetryPolicy::default());

        assert_eq!(
            policy(streamed(&http)),
            RetryPolicy::none(),
            "it cannot be replayed"
        );
        assert_eq!(
            built(streamed(&http)).unwrap().headers[http::header::CONTENT_TYPE],
            "application/jsonl"
        );
    }

    #[test]
    fn a_path_value_that_would_change_the_resource_is_refused() {
        let http = reqwest::Client::new();
        let cases: [(&str, &str, bool); 6] = [
            ("/items/", "", false),
            ("/items/", "..", false),
            ("/items/", ".", false),
            ("/items(", "..", true),
            ("/items/", "...", true),
            ("/items/", "a", true),
        ];
        for (before, value, accepted) in cases {
            let mut call = Call::new(&http, "http://h", Method::GET, "op");
            call.path(before);
            call.path_param("id", &value.to_owned());
            call.path("/rest");
            let result = built(call);
            assert_eq!(
                result.is_ok(),
                accepted,
                "{before}{value}/rest: {:?}",
                result.err()
            );
        }
        let mut call = Call::new(&http, "http://h", Method::GET, "op");
        call.path("/items/");
        call.path_param("id", &"..".to_owned());
        call.path(".json");
        assert!(built(call).is_ok(), "`...json` is a plain segment");

        let mut call = Call::new(&http, "http://h", Method::GET, "op");
        call.path("/items/");
        call.path_param("id", &"..".to_owned());
        let message = built(call).err().expect("a trailing `..` is refused");
        assert!(message.contains("`id`"), "{message}");

        let mut call = Call::new(&http, "http://h", Method::GET, "op");
        call.path("/items/");
        call.path_object("filter", &serde_json::json!({}), Style::Simple, false);
        call.path("/rest");
        let message = built(call)
            .err()
            .expect("an empty object segment is refused");
        assert!(message.contains("`filter`"), "{message}");
    }

    #[test]
    fn a_base_url_that_is_not_one_fails_the_call_before_anything_is_sent() {
        let http = reqwest::Client::new();
        let mut call = Call::new(&http, "api.example.com/v1", Method::GET, "op");
        call.path("/items");
        call.api_key_query("token", &ApiKey::new("s3cret"));
        let message = built(call)
            .err()
            .expect("a URL without a scheme is refused");
        assert!(message.contains("base URL"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
    }

    #[test]
    fn header_problems_are_reported_without_the_value() {
        let http = reqwest::Client::new();
        let mut call = Call::new(&http, "http://h", Method::GET, "op");
        call.api_key_header("authorization", &ApiKey::new("s3cret\r\nX-Evil: 1"));
        let message = built(call).err().expect("a line break is refused");
        assert!(message.contains("line break"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");

        let mut call = Call::new(&http, "http://h", Method::GET, "op");
        call.header("bad name", &"x".to_owned());
        let message = built(call).err().expect("a bad header name is refused");
        assert!(message.contains("`bad name`"), "{message}");
    }
}
