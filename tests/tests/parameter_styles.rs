//! Parameter styles beyond the query's `form`, over loopback
//! (`tests/openapi/parameter-styles.yaml`): arrays in path segments (`simple`, `label`,
//! `matrix`, exploded or not), in headers and in the query (`spaceDelimited`,
//! `pipeDelimited`), single `label` and `matrix` values, and a cookie (plain, or quoted
//! as RFC 6265 allows, with any spacing), objects of scalars in path segments and
//! headers, and values described by `content` (JSON text, plain text). The client writes each as
//! OpenAPI says, the router reads back what the client wrote (and what another client
//! writes), and refuses what does not read with 400 naming the parameter.

use apigen_runtime::client::Error;
use apigen_runtime::http::StatusCode;
use apigen_tests::serve::{Recorder, Served, names_parameter, raw_get, serve};
use parameter_styles::operations::{
    DeleteItemParams, DeleteItemResponse, DescribeRootParams, DescribeRootResponse, GetBadgeParams,
    GetBadgeResponse, GetPaletteParams, GetPaletteResponse, GetPointParams, GetPointResponse,
    ListItemsParams, ListItemsResponse, PutItemParams, PutItemResponse, SignWithKeyParams,
    SignWithKeyResponse, VerifyWithKeyParams, VerifyWithKeyResponse,
};
use parameter_styles::types::{
    Badge, Color, DeleteItemXAmzTarget, Filter, GetPointOkBody, ListItemsAction, PutItemXAmzTarget,
    Served as ServedBy,
};
use parameter_styles::{Client, ParameterStyles, router};

/// The service: records what it read.
#[derive(Clone, Default)]
struct Fake {
    palettes: Recorder<GetPaletteParams>,
    points: Recorder<GetPointParams>,
    badges: Recorder<GetBadgeParams>,
}

impl ParameterStyles for Fake {
    async fn get_palette(&self, params: GetPaletteParams) -> GetPaletteResponse {
        self.palettes.push(params);
        GetPaletteResponse::Ok(Default::default())
    }

    async fn get_point(&self, params: GetPointParams) -> GetPointResponse {
        self.points.push(params.clone());
        GetPointResponse::Ok(GetPointOkBody::new(params.x, params.y))
    }

    async fn get_badge(&self, params: GetBadgeParams) -> GetBadgeResponse {
        self.badges.push(params);
        GetBadgeResponse::Ok(Default::default())
    }

    async fn describe_root(&self, _: DescribeRootParams) -> DescribeRootResponse {
        DescribeRootResponse::Ok(ServedBy::new("describeRoot", ""))
    }

    async fn sign_with_key(&self, params: SignWithKeyParams) -> SignWithKeyResponse {
        SignWithKeyResponse::Ok(ServedBy::new("signWithKey", params.name))
    }

    async fn verify_with_key(&self, params: VerifyWithKeyParams) -> VerifyWithKeyResponse {
        VerifyWithKeyResponse::Ok(ServedBy::new("verifyWithKey", params.name))
    }

    async fn put_item(&self, _: PutItemParams) -> PutItemResponse {
        PutItemResponse::Ok(ServedBy::new("putItem", ""))
    }

    async fn delete_item(&self, _: DeleteItemParams) -> DeleteItemResponse {
        DeleteItemResponse::Ok(ServedBy::new("deleteItem", ""))
    }

    async fn list_items(&self, _: ListItemsParams) -> ListItemsResponse {
        ListItemsResponse::Ok(ServedBy::new("listItems", ""))
    }
}

async fn start() -> (Served, Client, Fake) {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url);
    (served, client, fake)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|&item| item.to_owned()).collect()
}

fn palette() -> GetPaletteParams {
    GetPaletteParams::new(
        vec![1, -2, 3],
        vec![Color::Red, Color::Green],
        strings(&["a b", "c;d"]),
        strings(&["x", "y"]),
        strings(&["p", "q=r"]),
        vec![1, 20],
    )
    .with_spaced(strings(&["one", "two"]))
    .with_piped(vec![Color::Red, Color::Blue])
    .with_x_tags(strings(&["t1", "t 2"]))
}

#[tokio::test]
async fn every_style_reaches_the_server_equal_and_is_written_as_openapi_says() {
    let (served, client, fake) = start().await;
    client
        .get_palette(&palette())
        .await
        .expect("the palette is read");
    assert_eq!(fake.palettes.take(), [palette()]);
    let request = served.take_only_request();
    assert_eq!(
        request.path(),
        "/palettes/1,-2,3/.red,green/;matrix=a%20b,c%3Bd/.x.y/;matrixExploded=p;matrixExploded=q%3Dr"
    );
    assert_eq!(request.query_values("spaced"), ["one%20two"]);
    assert_eq!(request.query_values("piped"), ["red|blue"]);
    assert_eq!(request.header("x-sizes"), "1,20");
    assert_eq!(request.header("x-tags"), "t1,t 2");
}

#[tokio::test]
async fn a_single_label_or_matrix_value_is_read_whole() {
    let (served, client, fake) = start().await;
    let point = client
        .get_point(&GetPointParams::new(1.5, -2))
        .await
        .expect("the point is read");
    assert_eq!(point, GetPointOkBody::new(1.5, -2));
    assert_eq!(served.take_only_request().path(), "/points/.1.5/;y=-2");
    assert_eq!(fake.points.take(), [GetPointParams::new(1.5, -2)]);
}

#[tokio::test]
async fn a_cookie_travels_percent_encoded_and_is_read_back() {
    let (served, client, fake) = start().await;
    let params = GetPointParams::new(1.0, 2).with_unit("light years");
    client.get_point(&params).await.expect("the point is read");
    assert_eq!(
        served.take_only_request().header("cookie"),
        "unit=light%20years"
    );
    assert_eq!(fake.points.take(), [params]);
}

#[tokio::test]
async fn a_quoted_cookie_or_one_spaced_oddly_is_read_as_browsers_and_servers_send_it() {
    let (served, _client, fake) = start().await;
    let cases: [(&[&str], &str); 5] = [
        (
            &[r#"theme=dark;unit="light years" ; other=1"#],
            "light years",
        ),
        (&[r#"unit="a%3Bb""#], "a;b"),
        (&["  unit = parsecs  ;theme=dark"], "parsecs"),
        (&["junk; =nameless; unit=au"], "au"),
        // HTTP/2 sends each cookie in a header of its own.
        (&["theme=dark", "unit=furlongs"], "furlongs"),
    ];
    for (headers, expected) in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|value| ("cookie", *value)).collect();
        let answer = raw_get(&served.url("/points/.1/;y=2"), &headers).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{headers:?}: {:?}",
            answer.body
        );
        let read = fake.points.take();
        assert_eq!(
            read[0].unit.as_deref(),
            Some(expected),
            "{headers:?} should give the cookie `unit` the value {expected:?}"
        );
    }
}

#[tokio::test]
async fn the_server_reads_what_another_client_writes() {
    let (served, _client, fake) = start().await;
    // In the path, an encoded separator is part of an item (RFC 6570); in the query, a
    // separator may arrive encoded, and a space as `+`; one header over two lines.
    let answer = raw_get(
        &served.url("/palettes/7,8/.blue/;matrix=so%2Clo/.only/;matrixExploded=one?spaced=a+b&piped=green%7Cred"),
        &[("X-Sizes", "3, 4"), ("X-Sizes", "5")],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    assert_eq!(
        fake.palettes.take(),
        [GetPaletteParams::new(
            vec![7, 8],
            vec![Color::Blue],
            strings(&["so,lo"]),
            strings(&["only"]),
            strings(&["one"]),
            vec![3, 4, 5]
        )
        .with_spaced(strings(&["a", "b"]))
        .with_piped(vec![Color::Green, Color::Red])]
    );
}

#[tokio::test]
async fn a_value_that_does_not_read_in_its_style_is_refused_naming_it() {
    let (served, _client, fake) = start().await;
    let good = "/palettes/1/.red/;matrix=a/.x/;matrixExploded=p";
    let cases = [
        ("/palettes/1/red/;matrix=a/.x/;matrixExploded=p", "labels"),
        (
            "/palettes/1/.purple/;matrix=a/.x/;matrixExploded=p",
            "labels",
        ),
        ("/palettes/1,x/.red/;matrix=a/.x/;matrixExploded=p", "ids"),
        ("/palettes/1/.red/;other=a/.x/;matrixExploded=p", "matrix"),
        ("/palettes/1/.red/matrix=a/.x/;matrixExploded=p", "matrix"),
        (
            "/palettes/1/.red/;matrix=a/.x/;matrixExploded=p;other=q",
            "matrixExploded",
        ),
        (
            "/palettes/1/.red/;matrix=a/.x/;matrixExploded=p?piped=red|mauve",
            "piped",
        ),
    ];
    for (path, name) in cases {
        let answer = raw_get(&served.url(path), &[("x-sizes", "1")]).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{path}: {:?}",
            answer.body
        );
        assert!(
            names_parameter(&answer.json(), name),
            "{path}: the refusal names `{name}`: {}",
            answer.json()
        );
    }
    for (sizes, why) in [
        (None, "required"),
        (Some("1,-1"), "minimum"),
        (Some(""), "minItems"),
    ] {
        let headers: Vec<(&str, &str)> =
            sizes.map(|sizes| ("x-sizes", sizes)).into_iter().collect();
        let answer = raw_get(&served.url(good), &headers).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{why}: {:?}",
            answer.body
        );
        assert!(
            names_parameter(&answer.json(), "x-sizes"),
            "{why}: {}",
            answer.json()
        );
    }
    assert!(
        fake.palettes.take().is_empty(),
        "the service was not called"
    );
    let point = raw_get(&served.url("/points/1.5/;y=2"), &[]).await;
    assert_eq!(point.status, StatusCode::BAD_REQUEST);
    assert!(names_parameter(&point.json(), "x"));
}

#[tokio::test]
async fn a_client_refuses_arrays_that_would_not_read_back() {
    let (served, client, _fake) = start().await;
    let cases = [
        (palette().with_x_tags(strings(&["a,b"])), "x-tags"),
        (
            {
                let mut params = palette();
                params.ids = Vec::new();
                params
            },
            "ids",
        ),
        (
            {
                let mut params = palette();
                params.labels_exploded = Vec::new();
                params
            },
            "labelsExploded",
        ),
    ];
    for (params, name) in cases {
        match client.get_palette(&params).await {
            Err(Error::InvalidRequest { message, .. }) => {
                assert!(message.contains(&format!("`{name}`")), "{message}")
            }
            other => panic!("{name}: expected the call to be refused, got {other:?}"),
        }
    }
    assert!(served.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_router_mounted_under_a_base_path_reads_styled_segments_the_same() {
    let fake = Fake::default();
    let mounted = apigen_runtime::server::mount("/api/v1", router(fake.clone()));
    let served = serve(mounted).await;
    let client = Client::with_base_url(format!("{}/api/v1", served.base_url));
    client
        .get_palette(&palette())
        .await
        .expect("the palette is read");
    assert_eq!(fake.palettes.take(), [palette()]);
    let point = client
        .get_point(&GetPointParams::new(-0.25, 3))
        .await
        .expect("the point is read");
    assert_eq!(point, GetPointOkBody::new(-0.25, 3));
    // The operation at `/` is at `/api/v1/`, as OpenAPI joins server URL and path
    // (axum's `nest` alone answers it 404).
    let root = client
        .describe_root(&DescribeRootParams::new())
        .await
        .expect("the root is served");
    assert_eq!(root, ServedBy::new("describeRoot", ""));
}

/// Google publishes custom methods as `/v1/{name}:verb`: one method, several operations
/// whose paths differ only after the value. The router must serve each (and build at
/// all: axum refuses two POST handlers on one route), and answer 404 for a verb no
/// operation has.
#[tokio::test]
async fn operations_told_apart_only_by_the_text_after_a_value_are_each_served() {
    let (served, client, _) = start().await;
    let name = "projects/p/keys/k:1";
    let signed = client
        .sign_with_key(&SignWithKeyParams::new(name))
        .await
        .expect("signWithKey is served");
    assert_eq!(signed, ServedBy::new("signWithKey", name));
    let verified = client
        .verify_with_key(&VerifyWithKeyParams::new(name))
        .await
        .expect("verifyWithKey is served");
    assert_eq!(verified, ServedBy::new("verifyWithKey", name));

    let other = apigen_runtime::reqwest::Client::new()
        .post(served.url("/keys/k:rotate"))
        .send()
        .await
        .expect("the loopback server answers");
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

/// AWS's JSON services publish every operation at `POST /`, named by an `X-Amz-Target`
/// header, and APIs.guru's documents write that as `/#X-Amz-Target=Service.Operation`
/// (a fragment, which HTTP never sends). Each operation is still served and called: at
/// `/`, chosen by its required parameter of one value; a target no operation has is 404,
/// and `GET /` without the query protocol's `Action` is the root's own operation.
#[tokio::test]
async fn operations_sharing_a_url_are_told_apart_by_their_one_value_parameters() {
    let (served, client, _) = start().await;
    let put = client
        .put_item(&PutItemParams::new(PutItemXAmzTarget::StorePutItem))
        .await
        .expect("putItem is served");
    assert_eq!(put, ServedBy::new("putItem", ""));
    let deleted = client
        .delete_item(&DeleteItemParams::new(
            DeleteItemXAmzTarget::StoreDeleteItem,
        ))
        .await
        .expect("deleteItem is served");
    assert_eq!(deleted, ServedBy::new("deleteItem", ""));
    let listed = client
        .list_items(&ListItemsParams::new(ListItemsAction::ListItems))
        .await
        .expect("listItems is served");
    assert_eq!(listed, ServedBy::new("listItems", ""));
    let root = client
        .describe_root(&DescribeRootParams::new())
        .await
        .expect("describeRoot is served");
    assert_eq!(root, ServedBy::new("describeRoot", ""));

    let other = apigen_runtime::reqwest::Client::new()
        .post(served.url("/"))
        .header("X-Amz-Target", "Store.Rotate")
        .send()
        .await
        .expect("the loopback server answers");
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

fn ann() -> Badge {
    Badge::new("Ann").with_role("admin")
}

fn badge() -> GetBadgeParams {
    GetBadgeParams::new(
        ann(),
        ann().with_level(3),
        Badge::new("Bo, Jr.").with_role("a=b;c"),
        Filter::new(strings(&["red", "a b/c"])).with_since(2020),
    )
    .with_x_badge(ann())
    .with_x_badge_exploded(ann().with_level(7))
    .with_x_filter(Filter::new(strings(&["x"])))
    .with_filter(Filter::new(strings(&["q&r"])).with_since(1999))
    .with_x_note("plain text")
}

#[tokio::test]
async fn objects_in_the_path_and_headers_are_written_as_the_style_table_says_and_read_back() {
    let (served, client, fake) = start().await;
    client.get_badge(&badge()).await.expect("the badge is read");
    assert_eq!(fake.badges.take(), [badge()]);
    let request = served.take_only_request();
    assert_eq!(
        request.path(),
        "/badges/name,Ann,role,admin/.name=Ann.role=admin.level=3/;matrixBadge=name,Bo%2C%20Jr.,role,a%3Db%3Bc/%7B%22tags%22%3A%5B%22red%22%2C%22a%20b%2Fc%22%5D%2C%22since%22%3A2020%7D"
    );
    assert_eq!(request.header("x-badge"), "name,Ann,role,admin");
    assert_eq!(
        request.header("x-badge-exploded"),
        "name=Ann,role=admin,level=7"
    );
    assert_eq!(request.header("x-filter"), r#"{"tags":["x"]}"#);
    assert_eq!(request.header("x-note"), "plain text");
    assert_eq!(
        request.query_values("filter"),
        ["%7B%22tags%22%3A%5B%22q%26r%22%5D%2C%22since%22%3A1999%7D"]
    );
}

#[tokio::test]
async fn objects_and_json_values_written_by_another_client_are_read() {
    let (served, _client, fake) = start().await;
    let answer = raw_get(
        &served.url("/badges/role,admin,name,Ann/.name=Ann/;matrixBadge=name,Bo/%7B%22tags%22:[]%7D?filter=%7B%22tags%22%3A%5B%5D%7D"),
        &[
            ("x-badge", "name, Ann"),
            ("x-badge-exploded", "name=Ann"),
            ("x-badge-exploded", "role=admin"),
            ("x-filter", r#"{"tags": ["x"], "since": 2}"#),
        ],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    assert_eq!(
        fake.badges.take(),
        [GetBadgeParams::new(
            ann(),
            Badge::new("Ann"),
            Badge::new("Bo"),
            Filter::new(Vec::new())
        )
        .with_x_badge(Badge::new("Ann"))
        .with_x_badge_exploded(ann())
        .with_x_filter(Filter::new(strings(&["x"])).with_since(2))
        .with_filter(Filter::new(Vec::new()))]
    );
}

/// Header lines of a hand-written request.
type Headers<'a> = &'a [(&'a str, &'a str)];

#[tokio::test]
async fn a_malformed_object_or_json_value_is_refused_with_400_naming_it() {
    let (served, _client, fake) = start().await;
    let good = "/badges/name,Ann/.name=Ann/;matrixBadge=name,Ann/%7B%22tags%22:[]%7D";
    let cases: [(&str, Headers, &str); 9] = [
        (
            "/badges/name/.name=Ann/;matrixBadge=name,Ann/%7B%22tags%22:[]%7D",
            &[],
            "badge",
        ),
        (
            "/badges/role,admin/.name=Ann/;matrixBadge=name,Ann/%7B%22tags%22:[]%7D",
            &[],
            "badge",
        ),
        (
            "/badges/name,Ann/name=Ann/;matrixBadge=name,Ann/%7B%22tags%22:[]%7D",
            &[],
            "labelBadge",
        ),
        (
            "/badges/name,Ann/.name=Ann.level=high/;matrixBadge=name,Ann/%7B%22tags%22:[]%7D",
            &[],
            "labelBadge",
        ),
        (
            "/badges/name,Ann/.name=Ann/;other=name,Ann/%7B%22tags%22:[]%7D",
            &[],
            "matrixBadge",
        ),
        (
            "/badges/name,Ann/.name=Ann/;matrixBadge=name,Ann/%7Btags%7D",
            &[],
            "where",
        ),
        (good, &[("x-badge", "name,Ann,role")], "x-badge"),
        (
            good,
            &[("x-badge-exploded", "name:Ann")],
            "x-badge-exploded",
        ),
        (good, &[("x-filter", r#"{"tags": "x"}"#)], "x-filter"),
    ];
    for (path, headers, name) in cases {
        let answer = raw_get(&served.url(path), headers).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{path} {headers:?}: {:?}",
            answer.body
        );
        assert!(
            names_parameter(&answer.json(), name),
            "{path} {headers:?}: the refusal names `{name}`: {}",
            answer.json()
        );
    }
    let answer = raw_get(&served.url(&format!("{good}?filter=%7Bnot%20json")), &[]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{:?}", answer.body);
    assert!(
        names_parameter(&answer.json(), "filter"),
        "{}",
        answer.json()
    );
    assert!(fake.badges.take().is_empty(), "the service was not called");
}

#[tokio::test]
async fn a_client_refuses_a_header_object_that_would_not_read_back() {
    let (served, client, _fake) = start().await;
    let params = badge().with_x_badge(Badge::new("Bo, Jr."));
    match client.get_badge(&params).await {
        Err(Error::InvalidRequest { message, .. }) => {
            assert!(message.contains("`x-badge`"), "{message}")
        }
        other => panic!("expected the call to be refused, got {other:?}"),
    }
    assert!(served.requests().is_empty(), "nothing was sent");
}
