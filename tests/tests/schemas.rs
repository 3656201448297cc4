//! The type mapping, over loopback: values of every schema construct the `schemas`
//! fixture holds (a discriminated `oneOf`, an untagged one, merged `allOf`s, maps,
//! enums of strings and integers, every format, awkward names, recursive types) go
//! from the generated client to the generated server and back, exactly as JSON says,
//! and the server refuses what the schemas rule out.

use apigen_runtime::client::Error;
use apigen_runtime::http::StatusCode;
use apigen_runtime::reqwest;
use apigen_tests::serve::{Served, answering, serve};
use schemas::operations::{
    AdoptPetResponse, CompareParams, CompareResponse, DrawShapeResponse, EchoEverythingResponse,
    PlantTreeResponse, ReplaceForestResponse,
};
use schemas::types::{
    Caption, Cat, Circle, CompareOkBody, Dog, DogBark, Everything, EverythingLevel, Garden, Lizard,
    Node, Pet, Shape, Tree,
};
use schemas::{Client, Schemas, router};
use serde_json::{Value, json};

/// A service that answers every body with itself: what arrives is what leaves.
struct Echo;

impl Schemas for Echo {
    async fn adopt_pet(
        &self,
        _: schemas::operations::AdoptPetParams,
        body: Pet,
    ) -> AdoptPetResponse {
        AdoptPetResponse::Ok(body)
    }

    async fn draw_shape(
        &self,
        _: schemas::operations::DrawShapeParams,
        body: Shape,
    ) -> DrawShapeResponse {
        DrawShapeResponse::Ok(body)
    }

    async fn echo_everything(
        &self,
        _: schemas::operations::EchoEverythingParams,
        body: Everything,
    ) -> EchoEverythingResponse {
        EchoEverythingResponse::Ok(body)
    }

    async fn plant_tree(
        &self,
        _: schemas::operations::PlantTreeParams,
        body: Garden,
    ) -> PlantTreeResponse {
        PlantTreeResponse::Ok(body)
    }

    async fn replace_forest(
        &self,
        _: schemas::operations::ReplaceForestParams,
        body: Option<Vec<Tree>>,
    ) -> ReplaceForestResponse {
        ReplaceForestResponse::Ok(body.unwrap_or_default())
    }

    async fn compare(&self, params: CompareParams) -> CompareResponse {
        CompareResponse::Ok(CompareOkBody::new(params.base, params.head))
    }
}

async fn served() -> (Served, Client) {
    let served = serve(router(Echo)).await;
    let client = Client::with_base_url(served.base_url.clone());
    (served, client)
}

/// Sends `body` as JSON text to `path` with `method`, and returns the status and the
/// answer's JSON.
async fn raw(
    served: &Served,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .request(method, served.url(path))
        .json(&body)
        .send()
        .await
        .expect("the loopback server answers");
    let status = response.status();
    let body = response.json().await.expect("the answer is JSON");
    (status, body)
}

#[tokio::test]
async fn a_pet_travels_tagged_by_its_discriminator() {
    let (served, client) = served().await;
    let cat = Pet::Cat(Cat::new("kitten".to_owned(), "Tom".to_owned()).with_lives(9));
    assert_eq!(
        client
            .adopt_pet(&schemas::operations::AdoptPetParams::new(), &cat)
            .await
            .unwrap(),
        cat
    );

    // The wire: the tag is the property; a mapping value or the schema's name picks the
    // alternative.
    let (status, answer) = raw(
        &served,
        reqwest::Method::POST,
        "/pets",
        json!({"petType": "dog", "bark": "loud"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer, json!({"petType": "dog", "bark": "loud"}));
    let dog: Pet = serde_json::from_value(answer).unwrap();
    assert_eq!(
        dog,
        Pet::Dog(Dog::new("dog".to_owned()).with_bark(DogBark::Loud))
    );

    // Lizard's schema has no `petType`: the tag is written all the same.
    let lizard = Pet::Lizard(Lizard::new().with_colour("green".to_owned()));
    assert_eq!(
        serde_json::to_value(&lizard).unwrap(),
        json!({"petType": "Lizard", "colour": "green"})
    );
    assert_eq!(
        client
            .adopt_pet(&schemas::operations::AdoptPetParams::new(), &lizard)
            .await
            .unwrap(),
        lizard
    );
}

#[tokio::test]
async fn an_unknown_tag_is_kept_by_clients_and_refused_by_servers() {
    let dragon = json!({"petType": "dragon", "fire": true});
    let read: Pet = serde_json::from_value(dragon.clone()).unwrap();
    assert_eq!(read, Pet::Unknown(dragon.clone()));
    assert_eq!(serde_json::to_value(&read).unwrap(), dragon);

    let (served, _) = served().await;
    let (status, problem) = raw(&served, reqwest::Method::POST, "/pets", dragon).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let text = problem.to_string();
    assert!(
        text.contains("/petType") && text.contains("dragon"),
        "{problem}"
    );

    // A known tag whose object breaks its schema is refused too (a cat needs a name).
    let (status, problem) = raw(
        &served,
        reqwest::Method::POST,
        "/pets",
        json!({"petType": "cat"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
}

#[tokio::test]
async fn an_untagged_one_of_is_told_apart_by_the_shape_of_its_json() {
    let (_served, client) = served().await;
    for shape in [
        Shape::String("square".to_owned()),
        Shape::Array(vec![1.0, 2.5]),
        Shape::Circle(Circle::new(2.0)),
    ] {
        assert_eq!(
            client
                .draw_shape(&schemas::operations::DrawShapeParams::new(), &shape)
                .await
                .unwrap(),
            shape
        );
    }
    // A negative radius breaks `minimum: 0`, inside the union.
    let refused = client
        .draw_shape(
            &schemas::operations::DrawShapeParams::new(),
            &Shape::Circle(Circle::new(-1.0)),
        )
        .await;
    assert!(
        matches!(
            refused,
            Err(Error::UnexpectedStatus {
                status: StatusCode::BAD_REQUEST,
                ..
            })
        ),
        "{refused:?}"
    );
}

#[tokio::test]
async fn every_construct_round_trips_exactly_through_client_and_server() {
    let (served, client) = served().await;
    let text = json!({
        "id": "d6245f20-2af8-44f4-9451-8107cb2767db",
        "type": "keyword",
        "2fa": true,
        "e-mail": "ada@example.com",
        "E_mail": "ADA@EXAMPLE.COM",
        "created": "2024-03-01T12:30:00Z",
        "day": "2024-03-01",
        "small": -5,
        "big": 9_007_199_254_740_993_i64,
        "huge": 18_446_744_073_709_551_615_u64,
        "ratio": 0.5,
        "precise": 0.1,
        "blob": "aGkhPw==",
        "note": "a note",
        "counts": {"a": 1, "b": 2},
        "free": {"anything": [1, "two", null]},
        "level": "unknown",
        "priority": 2,
        "owner": {"name": "Ada", "at": "2024-03-01T12:30:00Z"},
        "pet": {"petType": "cat", "name": "Tom"},
        "inline": {"deep": {"value": "v"}},
        "old": "still here"
    });
    let everything: Everything = serde_json::from_value(text.clone()).unwrap();
    // Names: a keyword, a leading digit, a symbol, two names that collide in snake case,
    // and a value `unknown` that collides with the enums' fallback.
    assert_eq!(everything.r#type, "keyword");
    assert_eq!(everything.n2fa, Some(true));
    assert_eq!(everything.e_mail.as_deref(), Some("ada@example.com"));
    assert_eq!(everything.e_mail2.as_deref(), Some("ADA@EXAMPLE.COM"));
    assert_eq!(everything.level, Some(EverythingLevel::Unknown2));
    assert_eq!(everything.huge, Some(u64::MAX));
    assert_eq!(
        everything.blob.as_ref().map(AsRef::as_ref),
        Some(&b"hi!?"[..])
    );
    assert_eq!(
        everything.owner.as_ref().map(|o| o.name.as_str()),
        Some("Ada")
    );
    assert_eq!(
        everything.pet.as_ref().map(|p| p.name.as_str()),
        Some("Tom")
    );

    let echoed = client
        .echo_everything(
            &schemas::operations::EchoEverythingParams::new(),
            &everything,
        )
        .await
        .unwrap();
    assert_eq!(echoed, everything);
    assert_eq!(serde_json::to_value(&echoed).unwrap(), text);

    // The integer enum is enforced by the server.
    let mut five = text.clone();
    five["priority"] = json!(5);
    let (status, problem) = raw(&served, reqwest::Method::PUT, "/everything", five).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem.to_string().contains("/priority"), "{problem}");
    // So is the closed string enum.
    let mut other = text.clone();
    other["level"] = json!("medium");
    let (status, _) = raw(&served, reqwest::Method::PUT, "/everything", other).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// The `id` of the values of `Everything` that need no other.
const ID: &str = "d6245f20-2af8-44f4-9451-8107cb2767db";

#[tokio::test]
async fn a_client_keeps_an_enum_value_the_document_does_not_list_and_a_server_refuses_it() {
    // A server newer than the document answers a `level` it does not list: the client
    // reads the answer all the same, and writes the value back as it came.
    let newer = serve(answering(
        StatusCode::OK,
        "application/json",
        r#"{"id": "d6245f20-2af8-44f4-9451-8107cb2767db", "type": "keyword", "level": "medium"}"#,
    ))
    .await;
    let everything = Client::with_base_url(newer.base_url.clone())
        .echo_everything(
            &schemas::operations::EchoEverythingParams::new(),
            &serde_json::from_value(json!({"id": ID, "type": "keyword", "level": "low"})).unwrap(),
        )
        .await
        .expect("an unlisted enum value decodes");
    assert_eq!(
        everything.level,
        Some(EverythingLevel::Unknown("medium".to_owned()))
    );
    assert_eq!(
        serde_json::to_value(&everything).unwrap(),
        json!({"id": ID, "type": "keyword", "level": "medium"})
    );

    // The enum is closed: the generated server refuses the same value in a request.
    let (_served, client) = served().await;
    match client
        .echo_everything(
            &schemas::operations::EchoEverythingParams::new(),
            &everything,
        )
        .await
    {
        Err(Error::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status, StatusCode::BAD_REQUEST);
            let problem = String::from_utf8_lossy(&body);
            assert!(problem.contains("/level"), "{problem}");
        }
        other => panic!("the server should refuse `medium` for `level`: {other:?}"),
    }
}

#[tokio::test]
async fn a_pattern_means_what_ecma_262_says_so_its_digits_are_ascii_only() {
    // `digits` has the pattern `^\d+$`: ECMA-262's `\d` is [0-9], where the `regex`
    // crate's takes any Unicode digit, such as the Arabic-Indic three.
    let (served, _) = served().await;
    let with_digits = |digits: &str| json!({"id": "d6245f20-2af8-44f4-9451-8107cb2767db", "type": "t", "digits": digits});
    for ascii in ["3", "0123456789"] {
        let (status, echoed) = raw(
            &served,
            reqwest::Method::PUT,
            "/everything",
            with_digits(ascii),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{ascii}: {echoed}");
        assert_eq!(echoed["digits"], ascii);
    }
    for other in ["٣", "3٣", "３", "३"] {
        let (status, problem) = raw(
            &served,
            reqwest::Method::PUT,
            "/everything",
            with_digits(other),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{other}: {problem}");
        assert!(
            problem.to_string().contains("/digits")
                && problem
                    .to_string()
                    .contains(r"must match the pattern ^\\d+$"),
            "{other}: {problem}"
        );
    }
}

#[tokio::test]
async fn recursive_schemas_nest_as_deep_as_the_data() {
    let (_served, client) = served().await;
    let garden = Garden::new(Tree(vec![Tree(vec![]), Tree(vec![Tree(vec![])])])).with_root(
        Node::new().with_name("root".to_owned()).with_children(vec![
            Node::new()
                .with_name("leaf".to_owned())
                .with_parent(Box::new(Node::new().with_name("root".to_owned()))),
        ]),
    );
    assert_eq!(
        serde_json::to_value(&garden.tree).unwrap(),
        json!([[], [[]]])
    );
    assert_eq!(
        client
            .plant_tree(&schemas::operations::PlantTreeParams::new(), &garden)
            .await
            .unwrap(),
        garden
    );
}

#[tokio::test]
async fn an_optional_array_body_is_lent_as_a_slice() {
    let (_served, client) = served().await;
    let forest = [Tree(vec![]), Tree(vec![Tree(vec![])])];
    assert_eq!(
        client
            .replace_forest(
                &schemas::operations::ReplaceForestParams::new(),
                Some(&forest)
            )
            .await
            .unwrap(),
        forest
    );
    assert_eq!(
        client
            .replace_forest(&schemas::operations::ReplaceForestParams::new(), None)
            .await
            .unwrap(),
        []
    );
}

#[tokio::test]
async fn two_parameters_share_a_path_segment_split_by_its_literal_text() {
    let (served, client) = served().await;
    let params = CompareParams::new("main".to_owned(), "feature/x y".to_owned());
    let answer = client.compare(&params).await.unwrap();
    assert_eq!(
        (answer.base.as_str(), answer.head.as_str()),
        ("main", "feature/x y")
    );
    // Each value is encoded on its own; the separator is written as is.
    assert_eq!(
        served.take_only_request().path(),
        "/compare/main...feature%2Fx%20y"
    );

    // A segment without the separator names no resource.
    let response = reqwest::get(served.url("/compare/main..feature"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn integer_bounds_past_what_an_f64_holds_are_enforced_exactly() {
    // `serial` is at most 2^53 + 1 and `quota` at most 2^64 - 2: as f64 values each
    // bound is its neighbour too. The bound itself comes back; one past it is refused.
    let (served, _) = served().await;
    let with = |key: &str, value: u64| json!({"id": "d6245f20-2af8-44f4-9451-8107cb2767db", "type": "t", key: value});
    for (key, bound) in [
        ("serial", 9_007_199_254_740_993_u64),
        ("quota", 18_446_744_073_709_551_614),
    ] {
        let (status, echoed) = raw(
            &served,
            reqwest::Method::PUT,
            "/everything",
            with(key, bound),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{key} = {bound}: {echoed}");
        assert_eq!(echoed[key], bound);

        let (status, problem) = raw(
            &served,
            reqwest::Method::PUT,
            "/everything",
            with(key, bound + 1),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{key} = {}: {problem}",
            bound + 1
        );
        let problem = problem.to_string();
        assert!(
            problem.contains(&format!("/{key}"))
                && problem.contains(&format!("must be at most {bound}")),
            "{problem}"
        );
    }
}

#[tokio::test]
async fn a_reference_with_a_description_beside_it_keeps_its_min_length() {
    // `label` (a property) and `after` (a query parameter) are both
    // `allOf: [$ref Label, {description}]`, and `Label` is at least 3 characters long.
    let (served, client) = served().await;
    let everything =
        Everything::new(ID.parse().unwrap(), "t".to_owned()).with_label("abc".to_owned());
    let params = schemas::operations::EchoEverythingParams::new().with_after("xyz".to_owned());
    assert_eq!(
        client.echo_everything(&params, &everything).await.unwrap(),
        everything
    );

    let (status, problem) = raw(
        &served,
        reqwest::Method::PUT,
        "/everything",
        json!({"id": ID, "type": "t", "label": "ab"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert!(
        problem.to_string().contains("/label")
            && problem
                .to_string()
                .contains("must be at least 3 characters long"),
        "{problem}"
    );

    let (status, problem) = raw(
        &served,
        reqwest::Method::PUT,
        "/everything?after=ab",
        json!({"id": ID, "type": "t"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert!(
        problem.to_string().contains("after")
            && problem
                .to_string()
                .contains("must be at least 3 characters long"),
        "{problem}"
    );
}

/// A component marked `nullable` may be null wherever it is used: `null` and absent
/// both come back as sent (GitHub's `suspended_by: nullable-simple-user` is null in
/// most of its examples; the generated type once refused the value).
#[tokio::test]
async fn a_component_that_may_be_null_comes_back_null() {
    let (_served, client) = served().await;
    for text in [
        json!({"id": ID, "type": "keyword", "stand_in": null}),
        json!({"id": ID, "type": "keyword", "stand_in": {"name": "Bob"}}),
        json!({"id": ID, "type": "keyword"}),
    ] {
        let everything: Everything = serde_json::from_value(text.clone()).unwrap();
        let echoed = client
            .echo_everything(
                &schemas::operations::EchoEverythingParams::new(),
                &everything,
            )
            .await
            .unwrap();
        assert_eq!(serde_json::to_value(&echoed).unwrap(), text);
    }
}

/// An absent required member is refused, naming it, unless its type may be null: then,
/// as serde's derive reads it, absent is null (`Caption.label`, a nullable component).
#[test]
fn an_absent_required_member_is_refused_unless_it_may_be_null() {
    let caption: Caption = serde_json::from_value(json!({"text": "hello"})).unwrap();
    assert_eq!((caption.label, caption.text.as_str()), (None, "hello"));
    let caption: Caption = serde_json::from_value(json!({"label": "l", "text": ""})).unwrap();
    assert_eq!(caption.label.as_deref(), Some("l"));
    let missing = serde_json::from_value::<Caption>(json!({"label": null})).unwrap_err();
    assert_eq!(missing.to_string(), "missing field `text`");
    let twice = serde_json::from_str::<Caption>(r#"{"text": "a", "text": "b"}"#).unwrap_err();
    assert!(
        twice.to_string().starts_with("duplicate field `text`"),
        "{twice}"
    );
}
