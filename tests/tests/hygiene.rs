//! A document whose parameters, properties, operations and security schemes take the
//! names the generated code uses itself (`tests/openapi/hygiene.yaml`): the crate
//! compiles (it is a workspace member, under clippy like the others), and over loopback
//! every value reaches the service under its own name. An operation named like a method
//! the client or the trait already has gets the next free name (`reject` → `reject2`).

use apigen_tests::serve::{Recorder, serve};
use hygiene::operations::{
    BaseUrlParams, BaseUrlResponse, NewParams, NewResponse, RejectParams, RejectResponse,
    RouterParams, RouterResponse,
};
use hygiene::server::RejectCredentials;
use hygiene::types::Thing;
use hygiene::{Client, Hygiene, router};

/// Records what `reject2` receives and answers with a `Thing` built from it.
#[derive(Clone, Default)]
struct Fake {
    received: Recorder<(RejectParams, RejectCredentials)>,
    created: Recorder<(NewParams, Option<Thing>)>,
    routed: Recorder<RouterParams>,
}

impl Hygiene for Fake {
    async fn reject2(
        &self,
        params: RejectParams,
        credentials: RejectCredentials,
    ) -> RejectResponse {
        self.received.push((params.clone(), credentials));
        let mut thing = Thing::default();
        thing.self_ = params.self_;
        thing.value = params.input;
        thing.new = params.body;
        RejectResponse::Ok(thing)
    }

    async fn new2(
        &self,
        params: NewParams,
        body: Option<Thing>,
        _: hygiene::server::NewCredentials,
    ) -> NewResponse {
        self.created.push((params, body));
        NewResponse::NoContent
    }

    async fn router(
        &self,
        params: RouterParams,
        _: hygiene::server::RouterCredentials,
    ) -> RouterResponse {
        self.routed.push(params);
        RouterResponse::NoContent
    }

    async fn base_url2(
        &self,
        _: BaseUrlParams,
        _: hygiene::server::BaseUrlCredentials,
    ) -> BaseUrlResponse {
        BaseUrlResponse::NoContent
    }
}

#[tokio::test]
async fn parameters_named_like_the_generated_code_s_own_locals_arrive_under_their_names() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url).with_http("token");
    let params = RejectParams::new("svc")
        .with_request("req")
        .with_input("in")
        .with_checker("chk")
        .with_value(3)
        .with_params("par")
        .with_credentials("cred")
        .with_shared("sh")
        .with_client("cl")
        .with_reject("rej")
        .with_new("nw")
        .with_base_url("bu")
        .with_http("ht")
        .with_retries("re")
        .with_self_("me")
        .with_body("bd")
        .with_response("rs");

    let thing = client.reject2(&params).await.expect("the call succeeds");

    let [(received, credentials)] = <[_; 1]>::try_from(fake.received.take()).expect("one call");
    assert_eq!(
        received, params,
        "every parameter reaches the service as sent"
    );
    assert!(matches!(credentials, RejectCredentials::Http(_)));
    assert_eq!(thing.self_.as_deref(), Some("me"));
    assert_eq!(thing.value.as_deref(), Some("in"));
    assert_eq!(thing.new.as_deref(), Some("bd"));
}

#[tokio::test]
async fn a_parameter_named_input_is_still_checked_against_its_own_constraints() {
    let served = serve(router(Fake::default())).await;
    let client = Client::with_base_url(&served.base_url).with_client("key");
    // `checker` has minLength 1 and `value` minimum 1: both are refused, by name.
    let params = RejectParams::new("svc").with_checker("").with_value(0);
    match client.reject2(&params).await {
        Err(apigen_runtime::client::Error::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status.as_u16(), 400);
            let problem = String::from_utf8_lossy(&body);
            assert!(
                problem.contains("checker") && problem.contains("value"),
                "{problem}"
            );
        }
        other => panic!("expected a 400, got {other:?}"),
    }
}

#[tokio::test]
async fn a_query_parameter_named_body_and_the_request_body_stay_apart() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url).with_http("token");
    let mut thing = Thing::default();
    thing.value = Some("in the body".to_owned());
    client
        .new2(&NewParams::new().with_body("in the query"), Some(&thing))
        .await
        .expect("the call succeeds");
    let [(params, body)] = <[_; 1]>::try_from(fake.created.take()).expect("one call");
    assert_eq!(params.body.as_deref(), Some("in the query"));
    assert_eq!(body, Some(thing));
}

#[tokio::test]
async fn every_format_the_type_table_maps_travels_as_a_query_parameter() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url).with_http("token");
    let params = RouterParams::new()
        .with_i32(-7)
        .with_i64(-(1 << 40))
        .with_u32(u32::MAX)
        .with_u64(u64::MAX)
        .with_f32(0.5)
        .with_f64(-2.25)
        .with_flag(true)
        .with_day(apigen_runtime::chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date"))
        .with_at("2026-12-06T03:40:00+01:00".parse().expect("a time"))
        .with_id(apigen_runtime::uuid::Uuid::from_u128(0x2533_2747_9039_5904))
        .with_bytes(apigen_runtime::Base64(vec![0, 1, 254, 255]));
    client.router(&params).await.expect("the call succeeds");
    assert_eq!(fake.routed.take(), [params]);
}
