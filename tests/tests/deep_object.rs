//! Query parameters with `style: deepObject` (`filter[color]=red&filter[minStock]=3`),
//! through the runtime a generated client and server use: a `Call` writes the object,
//! an `Input` reads it back. No seed document has such a parameter, so these tests drive
//! the runtime directly, the way a generated `listItems` method and handler do.

use std::convert::Infallible;

use apigen_runtime::axum::extract::Request;
use apigen_runtime::axum::response::Response;
use apigen_runtime::axum::{Router, routing::get};
use apigen_runtime::client::Call;
use apigen_runtime::http::{Method, StatusCode};
use apigen_runtime::reqwest;
use apigen_runtime::server::{Config, Input, Operation, json_response};
use apigen_tests::serve::{Served, names_parameter, raw_get, serve};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The filter of a `listItems` operation, as a generated struct would be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_stock: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    in_stock: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    size: Option<Size>,
}

/// A nested object: `filter[size][min]=1.5`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Size {
    min: f64,
}

const LIST_ITEMS: Operation = Operation {
    id: "listItems",
    method: "GET",
    path: "/items",
};

/// A handler that reads `filter` as a generated one does and answers with what it read
/// (`null` when absent), or with the problems.
async fn echo_filter(request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let mut input = Input::new(LIST_ITEMS, parts, &Config::default()).await;
    // As a generated handler does: a value that could not be read refuses the request.
    let Some(filter) = input.query_deep_object::<Filter>("filter") else {
        return input.into_rejection().into_problem_response();
    };
    if input.has_problems() {
        return input.into_rejection().into_problem_response();
    }
    json_response(200, &filter)
}

async fn server() -> Served {
    serve(Router::new().route("/items", get(echo_filter))).await
}

/// Sends `filter` as the generated client does, and reads back what the server read.
async fn round_trip(served: &Served, filter: &Filter) -> Option<Filter> {
    let http = reqwest::Client::new();
    let mut call = Call::new(&http, &served.base_url, Method::GET, "listItems");
    call.path("/items");
    call.query_deep_object("filter", filter);
    call.send_then(|response| {
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Option<Filter>, Infallible>()
    })
    .await
    .expect("the loopback server answers with the filter as JSON")
}

#[tokio::test]
async fn a_filter_with_a_string_an_integer_and_a_boolean_reaches_the_server_equal() {
    let served = server().await;
    let filter = Filter {
        color: Some("red".to_owned()),
        min_stock: Some(3),
        in_stock: Some(true),
        size: None,
    };
    assert_eq!(round_trip(&served, &filter).await, Some(filter));
    let request = served.take_only_request();
    assert_eq!(
        request.query(),
        "filter%5Bcolor%5D=red&filter%5BminStock%5D=3&filter%5BinStock%5D=true",
        "one pair per member, brackets encoded, absent members left out"
    );
}

#[tokio::test]
async fn nested_members_and_reserved_characters_survive_the_trip() {
    let served = server().await;
    let filter = Filter {
        color: Some("a&b=c [x] é+%".to_owned()),
        min_stock: Some(-7),
        in_stock: Some(false),
        size: Some(Size { min: 1.5 }),
    };
    assert_eq!(round_trip(&served, &filter).await, Some(filter));
    let request = served.take_only_request();
    assert!(
        request.query_names().contains(&"filter%5Bsize%5D%5Bmin%5D"),
        "a nested member is `filter[size][min]`: {}",
        request.query()
    );
}

#[tokio::test]
async fn a_server_reads_literal_brackets_and_treats_no_pair_as_absent() {
    let served = server().await;
    let literal = raw_get(
        &served.url("/items?filter[color]=blue&filter[inStock]=false&filter[size][min]=2"),
        &[],
    )
    .await;
    assert_eq!(literal.status, StatusCode::OK);
    assert_eq!(
        literal.json(),
        json!({"color": "blue", "inStock": false, "size": {"min": 2.0}})
    );
    let absent = raw_get(&served.url("/items?other=1"), &[]).await;
    assert_eq!(absent.status, StatusCode::OK);
    assert_eq!(absent.json(), json!(null));
}

#[tokio::test]
async fn a_filter_with_text_where_a_number_belongs_is_refused_naming_filter() {
    let served = server().await;
    let refused = raw_get(&served.url("/items?filter[minStock]=abc"), &[]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let body = refused.json();
    assert_eq!(body["errors"][0]["in"], "query", "{body}");
    assert_eq!(body["errors"][0]["name"], "filter", "{body}");
    assert!(names_parameter(&body, "filter"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|message| message.starts_with("`filter[minStock]`: ")),
        "the message names the member at fault: {body}"
    );
}

#[tokio::test]
async fn malformed_deep_object_pairs_are_refused_naming_filter() {
    let served = server().await;
    for query in [
        "filter=red",
        "filter[color]=red&filter[color]=blue",
        "filter[color=red",
        "filter[]=red",
        "filter[inStock]=maybe",
    ] {
        let refused = raw_get(&served.url(&format!("/items?{query}")), &[]).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{query}");
        let body = refused.json();
        assert_eq!(body["errors"][0]["name"], "filter", "{query}: {body}");
    }
}
