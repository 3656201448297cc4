//! OpenAPI 3.2 input, over loopback: the safe `QUERY` method carries its search in the
//! body; `COPY` and `PURGE` (a path item's `additionalOperations`) are sent and served by
//! name, and any other method gets 405 with every method the path serves in `Allow`; a
//! parameter `in: querystring` is the whole query string, a typed value the client
//! encodes and the server decodes, refusing a malformed one with 400; a response with
//! only an `itemSchema` is bytes; `$self` references, hierarchical tags, the OAuth 2.0
//! device flow and a deprecated scheme end up in the crate's docs.

use apigen_runtime::http::StatusCode;
use apigen_runtime::{ApiKey, Bearer, reqwest};
use apigen_tests::serve::{Served, serve};
use openapi_32::operations::{
    BookFeedParams, BookFeedResponse, CopyBookParams, CopyBookResponse, FindAuthorsParams,
    FindAuthorsResponse, GetBookParams, GetBookResponse, ListBooksParams, ListBooksResponse,
    PurgeBookParams, PurgeBookResponse, SearchBooksParams, SearchBooksResponse,
};
use openapi_32::types::{AuthorQuery, Book, BookFilter, Search};
use openapi_32::{Client, Openapi32, router};
use std::sync::{Arc, Mutex};

/// A library of one book, that remembers the filters and searches it was given.
#[derive(Clone, Default)]
struct Library {
    filters: Arc<Mutex<Vec<BookFilter>>>,
    author_queries: Arc<Mutex<Vec<Option<AuthorQuery>>>>,
}

fn dispossessed() -> Book {
    Book::new("b1", "The Dispossessed").with_author("Le Guin")
}

impl Openapi32 for Library {
    async fn list_books(&self, params: ListBooksParams, _: Bearer) -> ListBooksResponse {
        self.filters.lock().unwrap().push(params.filter.clone());
        let found = (params.filter.author == "Le Guin").then(dispossessed);
        ListBooksResponse::Ok(found.into_iter().collect())
    }

    async fn search_books(
        &self,
        _: SearchBooksParams,
        body: Search,
        _: Bearer,
    ) -> SearchBooksResponse {
        let found = dispossessed().title.contains(&body.text).then(dispossessed);
        SearchBooksResponse::Ok(found.into_iter().collect())
    }

    async fn find_authors(&self, params: FindAuthorsParams, _: Bearer) -> FindAuthorsResponse {
        self.author_queries
            .lock()
            .unwrap()
            .push(params.query.clone());
        let names = params.query.map(|query| query.names).unwrap_or_default();
        FindAuthorsResponse::Ok(names.into_iter().filter(|name| name == "Le Guin").collect())
    }

    async fn get_book(&self, _: GetBookParams, _: Bearer) -> GetBookResponse {
        GetBookResponse::Ok(dispossessed())
    }

    async fn copy_book(&self, params: CopyBookParams, _: Bearer) -> CopyBookResponse {
        let mut copy = dispossessed();
        copy.id = params.destination;
        CopyBookResponse::Created(copy)
    }

    async fn purge_book(&self, _: PurgeBookParams, key: ApiKey) -> PurgeBookResponse {
        assert_eq!(key.key, "old-key");
        PurgeBookResponse::NoContent
    }

    async fn book_feed(&self, _: BookFeedParams, _: Bearer) -> BookFeedResponse {
        BookFeedResponse::Ok(apigen_runtime::stream::Items::iter([Book::new(
            "b1",
            "The Dispossessed",
        )]))
    }
}

async fn served() -> (Served, Client, Library) {
    let library = Library::default();
    let served = serve(router(library.clone())).await;
    let client = Client::with_base_url(served.base_url.clone())
        .with_oauth("token")
        .with_legacy_key("old-key");
    (served, client, library)
}

#[tokio::test]
async fn a_search_travels_as_a_query_request_with_its_body() {
    let (served, client, _) = served().await;
    let found = client
        .search_books(&SearchBooksParams::new(), &Search::new("Dispossessed"))
        .await
        .unwrap();
    assert_eq!(found, vec![dispossessed()]);
    let sent = served.take_only_request();
    assert_eq!(sent.method.as_str(), "QUERY");
    assert_eq!(sent.uri.path(), "/books");

    // GET on the same path is its own operation.
    let none = client
        .list_books(&ListBooksParams::new(BookFilter::new("Tolkien")))
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn copy_and_purge_are_sent_and_served_by_their_own_names() {
    let (served, client, _) = served().await;
    let copy = client
        .copy_book(&CopyBookParams::new("b1", "b2"))
        .await
        .unwrap();
    assert_eq!(copy.id, "b2");
    let sent = served.take_only_request();
    assert_eq!(sent.method.as_str(), "COPY");
    assert_eq!(sent.headers["destination"], "b2");

    client
        .purge_book(&PurgeBookParams::new("b1"))
        .await
        .unwrap();
    let sent = served.take_only_request();
    assert_eq!(sent.method.as_str(), "PURGE");
    assert_eq!(sent.headers["x-legacy-key"], "old-key");

    let book = client.get_book(&GetBookParams::new("b1")).await.unwrap();
    assert_eq!(book, dispossessed());
}

#[tokio::test]
async fn any_other_method_gets_405_with_every_method_the_path_serves() {
    let (served, _, _) = served().await;
    let http = reqwest::Client::new();
    for method in ["DELETE", "MOVE", "query"] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = http
            .request(method.clone(), served.url("/books/b1"))
            .bearer_auth("token")
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
        assert_eq!(response.headers()["allow"], "GET, COPY, PURGE, HEAD");
    }
    let response = http
        .request(reqwest::Method::PUT, served.url("/books"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "GET, QUERY, HEAD");
}

#[tokio::test]
async fn a_custom_method_still_asks_for_its_credentials() {
    let (served, _, _) = served().await;
    let response = reqwest::Client::new()
        .request(
            reqwest::Method::from_bytes(b"PURGE").unwrap(),
            served.url("/books/b1"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_whole_query_string_is_the_filter() {
    let (served, client, library) = served().await;
    let filter = BookFilter::new("Le Guin").with_limit(5);
    let found = client
        .list_books(&ListBooksParams::new(filter.clone()))
        .await
        .unwrap();
    assert_eq!(found, vec![dispossessed()]);
    assert_eq!(library.filters.lock().unwrap().as_slice(), [filter]);
    let sent = served.take_only_request();
    assert_eq!(sent.uri.query(), Some("author=Le%20Guin&limit=5"));
}

#[tokio::test]
async fn an_array_in_the_query_string_is_its_name_repeated() {
    let (served, client, library) = served().await;
    let genres = ["science fiction".to_owned(), "utopia".to_owned()];
    let filter = BookFilter::new("Le Guin").with_genres(genres.to_vec());
    client
        .list_books(&ListBooksParams::new(filter.clone()))
        .await
        .unwrap();
    let sent = served.take_only_request();
    assert_eq!(
        sent.uri.query(),
        Some("author=Le%20Guin&genres=science%20fiction&genres=utopia")
    );
    // Another client's query string, one genre given once, reads as a list of one.
    let response = reqwest::Client::new()
        .get(served.url("/books?genres=utopia&author=Le+Guin"))
        .bearer_auth("token")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        library.filters.lock().unwrap().as_slice(),
        [
            filter,
            BookFilter::new("Le Guin").with_genres(vec!["utopia".to_owned()])
        ]
    );
}

#[tokio::test]
async fn a_malformed_query_string_is_refused_with_400() {
    let (served, _, library) = served().await;
    for query in [
        "limit=5",
        "author=Le%20Guin&limit=many",
        "author=Le%20Guin&limit=500",
    ] {
        let response = reqwest::Client::new()
            .get(served.url(&format!("/books?{query}")))
            .bearer_auth("token")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body.is_object(), "{query}: {body}");
    }
    assert!(library.filters.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_json_query_string_travels_as_percent_encoded_json() {
    let (served, client, library) = served().await;
    let query = AuthorQuery::new(vec!["Le Guin".to_owned(), "K & R".to_owned()]).with_alive(false);
    let found = client
        .find_authors(&FindAuthorsParams::new().with_query(query.clone()))
        .await
        .unwrap();
    assert_eq!(found, ["Le Guin"]);
    let sent = served.take_only_request();
    assert_eq!(
        sent.uri.query(),
        Some("%7B%22names%22%3A%5B%22Le%20Guin%22%2C%22K%20%26%20R%22%5D%2C%22alive%22%3Afalse%7D")
    );
    // Without a query string, the optional value is absent.
    let none = client
        .find_authors(&FindAuthorsParams::new())
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(
        library.author_queries.lock().unwrap().as_slice(),
        [Some(query), None]
    );
}

#[tokio::test]
async fn a_query_string_that_is_not_the_json_expected_is_refused_with_400() {
    let (served, _, library) = served().await;
    for query in ["names=Le%20Guin", "%7B%22names%22%3A1%7D", "%7B%22names%22"] {
        let response = reqwest::Client::new()
            .get(served.url(&format!("/authors?{query}")))
            .bearer_auth("token")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body.to_string().contains("query"), "{query}: {body}");
    }
    assert!(library.author_queries.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_response_with_only_an_item_schema_is_a_stream_of_its_items() {
    let (_served, client, _) = served().await;
    let mut feed = client.book_feed(&BookFeedParams::new()).await.unwrap();
    let book = feed.next().await.expect("one book").expect("a book");
    assert_eq!(book, Book::new("b1", "The Dispossessed"));
    assert!(feed.next().await.is_none(), "one book only");
}

#[test]
fn tags_schemes_and_self_references_are_in_the_docs() {
    let lib = include_str!("../generated/openapi-32/src/lib.rs");
    assert!(lib.contains("//! - `library` (nav): The library\n//!   - `books` (nav): Books\n//!     - `maintenance` (badge): Copies and cache purges"));
    let client = include_str!("../generated/openapi-32/src/client.rs");
    assert!(client.contains("OAuth 2.0 flow `deviceAuthorization`: device authorization `https://auth.example.com/device`"));
    assert!(client.contains("authorization server metadata (RFC 8414): `https://auth.example.com/.well-known/oauth-authorization-server`"));
    assert!(
        client.contains("**Deprecated**: the document asks that this scheme no longer be used.")
    );
    // `$self`-relative references are the document's own schemas.
    let types = include_str!("../generated/openapi-32/src/types.rs");
    assert_eq!(types.matches("pub struct Book {").count(), 1);
}

#[tokio::test]
async fn the_mock_answers_other_methods_from_the_document() {
    let served = serve(router(openapi_32::mock::Mock::new())).await;
    let client = Client::with_base_url(served.base_url.clone()).with_oauth("token");
    // Made up from the schema of COPY's 201 response (found under
    // `additionalOperations`), not a default value.
    let copy = client
        .copy_book(&CopyBookParams::new("b1", "b2"))
        .await
        .unwrap();
    assert!(!copy.id.is_empty() && !copy.title.is_empty(), "{copy:?}");
    let found = client
        .search_books(&SearchBooksParams::new(), &Search::new("x"))
        .await
        .unwrap();
    assert!(!found.is_empty());
}
