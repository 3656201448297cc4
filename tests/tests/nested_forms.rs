//! Values that nest where OpenAPI 3.0 writes text (`tests/openapi/nested-forms.yaml`), as
//! Stripe sends them: form bodies whose objects and arrays travel in `name[key]=value`
//! brackets (`encoding` style `deepObject`), and deepObject query values of any shape.
//! Over loopback, the generated client sends them and the generated server reads them
//! back equal; a body written by hand the way Stripe's own libraries write it is read too.

use apigen_tests::serve::{Recorder, serve};
use nested_forms::operations::{
    CreateSessionParams, CreateSessionResponse, FindColorParams, FindColorResponse,
    GetAccountParams, GetAccountResponse, GetFileParams, GetFileResponse, GetPreferencesParams,
    GetPreferencesResponse, ListItemsParams, ListItemsResponse,
};
use nested_forms::types::{
    Customer, CustomerAddress, Filter, FilterPrice, GetPreferencesDisplay, LineItem,
    ListItemsMarksItem, Rgb, SessionForm,
};
use nested_forms::{Client, NestedForms, router};
use std::collections::BTreeMap;

/// Records what the service receives and answers with it.
#[derive(Clone, Default)]
struct Fake {
    colors: Recorder<FindColorParams>,
    sessions: Recorder<SessionForm>,
    listed: Recorder<ListItemsParams>,
    preferences: Recorder<GetPreferencesParams>,
}

impl NestedForms for Fake {
    async fn create_session(
        &self,
        _: CreateSessionParams,
        body: SessionForm,
    ) -> CreateSessionResponse {
        self.sessions.push(body.clone());
        CreateSessionResponse::Ok(body)
    }

    async fn list_items(&self, params: ListItemsParams) -> ListItemsResponse {
        self.listed.push(params.clone());
        ListItemsResponse::Ok(params.filter.unwrap_or_default())
    }

    async fn find_color(&self, params: FindColorParams) -> FindColorResponse {
        self.colors.push(params.clone());
        FindColorResponse::Ok(params.rgb.unwrap_or_default())
    }

    async fn get_file(&self, params: GetFileParams) -> GetFileResponse {
        GetFileResponse::Ok(vec![params.id, params.ext])
    }

    async fn get_account(
        &self,
        _: GetAccountParams,
        credentials: apigen_runtime::Bearer,
    ) -> GetAccountResponse {
        GetAccountResponse::Ok(credentials.token)
    }

    async fn get_preferences(&self, params: GetPreferencesParams) -> GetPreferencesResponse {
        self.preferences.push(params.clone());
        GetPreferencesResponse::Ok(params.langs.unwrap_or_default())
    }
}

fn session() -> SessionForm {
    SessionForm::new("payment")
        .with_tags(vec!["a b".to_owned(), "c&d".to_owned()])
        .with_customer(
            Customer::new().with_email("ada@example.com").with_address(
                CustomerAddress::new()
                    .with_city("Paris [5e]")
                    .with_postal_code("75005"),
            ),
        )
        .with_line_items(vec![
            LineItem::new("price_1").with_quantity(2),
            LineItem::new("price_2"),
        ])
        .with_metadata(BTreeMap::from([
            ("order id".to_owned(), "7".to_owned()),
            ("0".to_owned(), "a key that looks like an index".to_owned()),
        ]))
        .with_expand(vec!["customer".to_owned()])
}

#[tokio::test]
async fn a_stripe_like_form_body_with_a_nested_object_indexed_items_and_metadata_arrives_equal() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url);
    let sent = session();
    let answered = client
        .create_session(&CreateSessionParams::new(), &sent)
        .await
        .expect("the server reads the form");
    assert_eq!(answered, sent);
    assert_eq!(fake.sessions.take(), [sent]);
}

#[tokio::test]
async fn a_form_body_written_the_way_stripe_writes_it_is_read() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let body = "mode=subscription&line_items[0][price]=price_1&line_items[0][quantity]=3\
        &line_items[1][price]=price_2&metadata[plan]=gold&customer[address][city]=Lyon\
        &expand[0]=customer&expand[1]=line_items&tags=x&tags=y";
    let response = reqwest_post(&served.url("/v1/checkout/sessions"), body).await;
    assert_eq!(response.0, 200, "{}", response.1);
    let read = fake.sessions.take().remove(0);
    assert_eq!(read.mode, "subscription");
    let items = read.line_items.expect("items");
    assert_eq!(
        (
            items[0].price.as_str(),
            items[0].quantity,
            items[1].quantity
        ),
        ("price_1", Some(3), None)
    );
    assert_eq!(read.metadata.expect("metadata")["plan"], "gold");
    let city = read.customer.and_then(|c| c.address).and_then(|a| a.city);
    assert_eq!(city.as_deref(), Some("Lyon"));
    assert_eq!(read.expand.expect("expand"), ["customer", "line_items"]);
    assert_eq!(read.tags.expect("tags"), ["x", "y"]);
}

#[tokio::test]
async fn a_nested_form_member_that_does_not_read_is_named_in_the_400() {
    let served = serve(router(Fake::default())).await;
    let response = reqwest_post(
        &served.url("/v1/checkout/sessions"),
        "mode=x&line_items[0][price]=p&line_items[0][quantity]=many",
    )
    .await;
    assert_eq!(response.0, 400);
    assert!(
        response.1.contains("line_items[0][quantity]"),
        "{}",
        response.1
    );
}

#[tokio::test]
async fn a_deep_object_query_with_a_nested_object_and_arrays_arrives_equal() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url);
    let filter = Filter::new()
        .with_color("red")
        .with_sizes(vec![38, 40])
        .with_price(FilterPrice::new().with_gte(10).with_lt(20));
    let params = ListItemsParams::new()
        .with_filter(filter.clone())
        .with_expand(vec!["a".to_owned(), "b".to_owned()]);
    let answered = client
        .list_items(&params)
        .await
        .expect("the server reads the query");
    assert_eq!(answered, filter);
    assert_eq!(fake.listed.take(), [params]);
    let sent = served.take_only_request();
    assert!(
        sent.query().contains("filter%5Bsizes%5D%5B1%5D=40")
            && sent.query().contains("expand%5B0%5D=a"),
        "arrays are indexed: {}",
        sent.query()
    );
}

#[tokio::test]
async fn a_cookie_array_travels_comma_separated_and_an_item_may_hold_a_comma() {
    let served = serve(router(Fake::default())).await;
    let client = Client::with_base_url(&served.base_url);
    let langs = vec!["fr".to_owned(), "en, US".to_owned()];
    let read = client
        .get_preferences(&GetPreferencesParams::new().with_langs(langs.clone()))
        .await
        .expect("the server reads the cookie");
    assert_eq!(read, langs);
    assert_eq!(
        served.take_only_request().header("cookie"),
        "langs=fr,en%2C%20US",
        "one cookie, items comma-separated, a comma inside an item encoded"
    );
}

#[tokio::test]
async fn an_operation_secured_by_an_undefined_scheme_takes_a_bearer_token_for_it() {
    let served = serve(router(Fake::default())).await;
    let client = Client::with_base_url(&served.base_url).with_partner_key("tok_1");
    let read = client
        .get_account(&GetAccountParams::new())
        .await
        .expect("the server reads the token");
    assert_eq!(read, "tok_1");
    assert_eq!(
        served.take_only_request().header("authorization"),
        "Bearer tok_1"
    );
    let without = Client::with_base_url(&served.base_url)
        .get_account(&GetAccountParams::new())
        .await;
    assert!(without.is_err(), "no token, no call");
}

#[tokio::test]
async fn form_style_query_objects_travel_as_member_pairs_or_alternating_keys_and_values() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url);
    let params = FindColorParams::new()
        .with_rgb(Rgb::new().with_r(100).with_g(200))
        .with_labels(BTreeMap::from([
            ("name".to_owned(), "sky blue".to_owned()),
            ("tone".to_owned(), "light".to_owned()),
        ]));
    let read = client
        .find_color(&params)
        .await
        .expect("the server reads both");
    assert_eq!(read, Rgb::new().with_r(100).with_g(200));
    assert_eq!(fake.colors.take(), [params]);
    assert_eq!(
        served.take_only_request().query(),
        "R=100&G=200&labels=name,sky%20blue,tone,light"
    );
    let odd = apigen_tests::serve::raw_get(&served.url("/v1/colors?labels=a,b,c"), &[]).await;
    assert_eq!(
        odd.status, 400,
        "an odd number of items has a key without a value"
    );
}

#[tokio::test]
async fn path_parameters_that_touch_are_told_apart_by_the_first_one_s_pattern() {
    let served = serve(router(Fake::default())).await;
    let client = Client::with_base_url(&served.base_url);
    let read = client
        .get_file(&GetFileParams::new("00ff", ".tar.gz"))
        .await
        .expect("the server splits the segment");
    assert_eq!(read, ["00ff", ".tar.gz"]);
    assert_eq!(served.take_only_request().path(), "/v1/files/00ff.tar.gz");
    let unmatched = apigen_tests::serve::raw_get(&served.url("/v1/files/xyz.json"), &[]).await;
    assert_eq!(
        unmatched.status, 404,
        "no id of four hex digits starts the segment"
    );
}

/// Posts `body` as a form, as a client other than the generated one would: the status
/// and the answer's text.
async fn reqwest_post(url: &str, body: &'static str) -> (u16, String) {
    let response = apigen_runtime::reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("the loopback server answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// Optional object parameters the caller leaves out are absent, not malformed: the
/// server serves the call. (The router once refused them with a 400 that named no
/// problem, which every Stripe `GET` hit: Stripe's `expand` is an optional deepObject.)
#[tokio::test]
async fn optional_deep_object_and_form_object_parameters_may_be_left_out() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url);
    let listed = client
        .list_items(&ListItemsParams::new())
        .await
        .expect("a list without filter or expand is served");
    assert_eq!(listed, Default::default());
    assert_eq!(fake.listed.take(), [ListItemsParams::new()]);
    let color = client
        .find_color(&FindColorParams::new())
        .await
        .expect("a color without rgb or labels is served");
    assert_eq!(color, Rgb::new());
}

/// A query parameter OpenAPI leaves undefined in `style: form` (an array of objects, as
/// Mastodon's `timeline`) travels in deepObject brackets, and arrives equal.
#[tokio::test]
async fn an_array_of_objects_in_form_style_travels_in_brackets() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url);
    let marks: Vec<ListItemsMarksItem> = serde_json::from_value(serde_json::json!([
        {"id": 1, "label": "home"},
        {"id": 2}
    ]))
    .unwrap();
    let params = ListItemsParams::new().with_marks(marks.clone());
    client
        .list_items(&params)
        .await
        .expect("the server reads the marks");
    assert_eq!(fake.listed.take(), [params]);
    assert_eq!(
        served.take_only_request().query(),
        "marks%5B0%5D%5Bid%5D=1&marks%5B0%5D%5Blabel%5D=home&marks%5B1%5D%5Bid%5D=2"
    );
}

/// An object of scalars in a cookie travels as `style: form` says for one value: keys
/// and values alternating, comma-separated (a cookie is never exploded).
#[tokio::test]
async fn a_cookie_object_travels_as_alternating_keys_and_values() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url);
    let display: GetPreferencesDisplay =
        serde_json::from_value(serde_json::json!({"theme": "dark, high", "size": 12})).unwrap();
    let params = GetPreferencesParams::new().with_display(display);
    client
        .get_preferences(&params)
        .await
        .expect("the server reads the cookie");
    assert_eq!(fake.preferences.take(), [params]);
    assert_eq!(
        served.take_only_request().header("cookie"),
        "display=theme,dark%2C%20high,size,12"
    );
}
