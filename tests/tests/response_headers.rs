//! Responses with documented headers, and an operation of many statuses, over loopback
//! (`tests/openapi/response-headers.yaml`): the service answers with typed headers, the
//! router writes them, and the client reads them back beside the body; a client gets
//! each of 200, 201, a `4XX` range and `default` as its own variant. A response that
//! lacks a required header, or whose header does not read, is an `Error::Header`.

use apigen_runtime::axum::Router;
use apigen_runtime::client::Error;
use apigen_runtime::http::{StatusCode, header};
use apigen_runtime::{reqwest, uuid};
use apigen_tests::serve::{Served, answering, serve};
use response_headers::operations::{
    CreateItemCreatedHeaders, CreateItemError, CreateItemOkHeaders, CreateItemResponse,
    CreateItemStatus4xxHeaders, DeleteItemNoContentHeaders, DeleteItemParams, DeleteItemResponse,
    GetItemError, GetItemNotModifiedHeaders, GetItemOkHeaders, GetItemParams, GetItemResponse,
};
use response_headers::types::{Item, ItemInput, Problem};
use response_headers::{Client, ResponseHeaders, router};

/// The request id of every refusal.
const REQUEST_ID: &str = "6f1c7e4e-8a5b-4d0f-9e57-1f0b9c3a2d11";

fn item(id: i64, name: &str) -> Item {
    Item::new(id, name.to_owned())
}

fn problem(title: &str) -> Problem {
    Problem::new(title.to_owned())
}

/// The answer of the service to an item named `name`: each name picks a status.
fn answer_for(name: &str) -> CreateItemResponse {
    match name {
        "existing" => CreateItemResponse::Ok(
            item(1, name),
            CreateItemOkHeaders::new()
                .with_x_rate_limit_remaining(9)
                .with_e_tag("\"v1\"".to_owned()),
        ),
        "new" => CreateItemResponse::Created(
            item(2, name),
            CreateItemCreatedHeaders::new("/items/2".to_owned())
                .with_x_rate_limit_remaining(8)
                .with_x_tags(vec!["red".to_owned(), "round".to_owned()]),
        ),
        "untagged" => CreateItemResponse::Created(
            item(3, name),
            CreateItemCreatedHeaders::new("/items/3".to_owned()).with_x_tags(Vec::new()),
        ),
        "taken" => CreateItemResponse::Status4xx {
            status: StatusCode::CONFLICT,
            body: problem("taken"),
            headers: CreateItemStatus4xxHeaders::new()
                .with_x_request_id(uuid::Uuid::parse_str(REQUEST_ID).expect("a UUID")),
        },
        "teapot" => CreateItemResponse::Status4xx {
            status: StatusCode::IM_A_TEAPOT,
            body: problem("teapot"),
            headers: CreateItemStatus4xxHeaders::default(),
        },
        "injected" => CreateItemResponse::Created(
            item(4, name),
            CreateItemCreatedHeaders::new("/items/4\r\nSet-Cookie: stolen=1".to_owned()),
        ),
        _ => CreateItemResponse::Default {
            status: StatusCode::SERVICE_UNAVAILABLE,
            body: problem("down"),
        },
    }
}

struct Fake;

impl ResponseHeaders for Fake {
    async fn create_item(
        &self,
        _: response_headers::operations::CreateItemParams,
        body: ItemInput,
    ) -> CreateItemResponse {
        answer_for(&body.name)
    }

    async fn get_item(&self, params: GetItemParams) -> GetItemResponse {
        match params.id {
            1 => GetItemResponse::Ok(
                item(1, "existing"),
                GetItemOkHeaders::new("\"v1\"".to_owned()),
            ),
            2 => GetItemResponse::NotModified(GetItemNotModifiedHeaders::new("\"v2\"".to_owned())),
            _ => GetItemResponse::NotFound(problem("no such item")),
        }
    }

    async fn delete_item(&self, params: DeleteItemParams) -> DeleteItemResponse {
        DeleteItemResponse::NoContent(DeleteItemNoContentHeaders::new(
            i32::try_from(params.id).expect("a small id"),
        ))
    }
}

async fn start() -> (Served, Client) {
    let served = serve(router(Fake)).await;
    let client = Client::with_base_url(&served.base_url);
    (served, client)
}

fn input(name: &str) -> ItemInput {
    ItemInput::new(name.to_owned())
}

#[tokio::test]
async fn a_client_gets_200_201_a_4xx_range_and_default_each_as_its_own_variant() {
    let (_served, client) = start().await;
    for name in ["existing", "new", "untagged"] {
        let answer = client
            .create_item(
                &response_headers::operations::CreateItemParams::new(),
                &input(name),
            )
            .await
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(answer, answer_for(name), "{name}");
    }
    for name in ["taken", "teapot", "anything else"] {
        let expected = match answer_for(name) {
            CreateItemResponse::Status4xx {
                status,
                body,
                headers,
            } => CreateItemError::Status4xx {
                status,
                body,
                headers,
            },
            CreateItemResponse::Default { status, body } => {
                CreateItemError::Default { status, body }
            }
            other => panic!("{name} is a success: {other:?}"),
        };
        match client
            .create_item(
                &response_headers::operations::CreateItemParams::new(),
                &input(name),
            )
            .await
        {
            Err(Error::Api(error)) => assert_eq!(error, expected, "{name}"),
            other => panic!("{name}: expected the documented error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_router_writes_each_documented_header_on_the_wire() {
    let (served, _client) = start().await;
    let response = reqwest::Client::new()
        .post(served.url("/items"))
        .json(&serde_json::json!({"name": "new"}))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::CREATED);
    let headers = response.headers();
    assert_eq!(headers[header::LOCATION], "/items/2");
    assert_eq!(headers["x-rate-limit-remaining"], "8");
    assert_eq!(
        headers["x-tags"], "red,round",
        "an array is comma-separated"
    );
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
}

#[tokio::test]
async fn a_single_success_with_headers_returns_the_body_and_its_headers() {
    let (_served, client) = start().await;
    let (found, headers) = client
        .get_item(&GetItemParams::new(1))
        .await
        .expect("item 1 exists");
    assert_eq!(found, item(1, "existing"));
    assert_eq!(headers.e_tag, "\"v1\"");

    match client.get_item(&GetItemParams::new(2)).await {
        Err(Error::Api(GetItemError::NotModified(headers))) => assert_eq!(headers.e_tag, "\"v2\""),
        other => panic!("expected 304 with its ETag, got {other:?}"),
    }
    match client.get_item(&GetItemParams::new(3)).await {
        Err(Error::Api(GetItemError::NotFound(body))) => assert_eq!(body.title, "no such item"),
        other => panic!("expected 404, got {other:?}"),
    }
    let deleted = client
        .delete_item(&DeleteItemParams::new(5))
        .await
        .expect("deleted");
    assert_eq!(
        deleted,
        DeleteItemNoContentHeaders::new(5),
        "a response without body returns its headers"
    );
}

#[tokio::test]
async fn a_missing_required_header_or_one_that_does_not_read_is_a_header_error() {
    let served = serve(answering(
        StatusCode::CREATED,
        "application/json",
        r#"{"id":2,"name":"new"}"#,
    ))
    .await;
    let client = Client::with_base_url(&served.base_url);
    match client
        .create_item(
            &response_headers::operations::CreateItemParams::new(),
            &input("new"),
        )
        .await
    {
        Err(Error::Header { name, status, .. }) => {
            assert_eq!(name, "location");
            assert_eq!(status, StatusCode::CREATED);
        }
        other => panic!("expected a missing Location to fail, got {other:?}"),
    }

    let lying = Router::new().fallback(|| async {
        (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::HeaderName::from_static("x-rate-limit-remaining"),
                    "lots",
                ),
            ],
            r#"{"id":1,"name":"existing"}"#,
        )
    });
    let served = serve(lying).await;
    let client = Client::with_base_url(&served.base_url);
    match client
        .create_item(
            &response_headers::operations::CreateItemParams::new(),
            &input("existing"),
        )
        .await
    {
        Err(error @ Error::Header { name, .. }) => {
            assert_eq!(name, "x-rate-limit-remaining");
            let message = error.to_string();
            assert!(message.contains("32-bit integer"), "{message}");
            assert!(
                !message.contains("lots"),
                "values are not quoted: {message}"
            );
        }
        other => panic!("expected an unreadable header to fail, got {other:?}"),
    }
}

#[tokio::test]
async fn a_header_value_http_cannot_carry_makes_the_answer_a_500() {
    let (served, client) = start().await;
    let response = reqwest::Client::new()
        .post(served.url("/items"))
        .json(&serde_json::json!({"name": "injected"}))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        response.headers().get(header::SET_COOKIE).is_none(),
        "nothing was injected"
    );
    assert!(matches!(
        client.create_item(&response_headers::operations::CreateItemParams::new(), &input("injected")).await,
        Err(Error::Api(CreateItemError::Default { status, .. })) if status == StatusCode::INTERNAL_SERVER_ERROR
    ));
    // The server goes on serving.
    assert!(
        client
            .create_item(
                &response_headers::operations::CreateItemParams::new(),
                &input("new")
            )
            .await
            .is_ok()
    );
}
