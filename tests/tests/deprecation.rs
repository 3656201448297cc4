//! Deprecated operations (`tests/openapi/deprecation.yaml`): the client method and the
//! trait method of a deprecated operation carry `#[deprecated]`, with the operation's
//! description as the note, so a caller is warned; the service still implements it
//! without a warning, the generated router calls it without one, and the call works
//! end to end. A deprecated parameter stays an ordinary field (documented as deprecated),
//! so that a caller who leaves it out is not warned.
//!
//! The warnings themselves are checked by the compiler: each call of a deprecated method
//! below is under `#[expect(deprecated)]`, which fails the lint run (`clippy -D warnings`)
//! if the method is not deprecated, and the whole crate, the generated one included,
//! builds without a warning.

use apigen_tests::serve::{Recorder, serve};
use deprecation::operations::{
    GetUserParams, GetUserResponse, GetUserV1Params, GetUserV1Response, PurgeUsersResponse,
};
use deprecation::types::User;
use deprecation::{Client, Deprecation, router};

#[derive(Clone, Default)]
struct Fake {
    calls: Recorder<&'static str>,
}

fn user(id: String) -> User {
    User::new(id).with_name("Ada".to_owned())
}

impl Deprecation for Fake {
    async fn get_user_v1(&self, params: GetUserV1Params) -> GetUserV1Response {
        self.calls.push("getUserV1");
        GetUserV1Response::Ok(user(params.id))
    }

    async fn purge_users(
        &self,
        _: deprecation::operations::PurgeUsersParams,
    ) -> PurgeUsersResponse {
        self.calls.push("purgeUsers");
        PurgeUsersResponse::NoContent
    }

    async fn get_user(&self, params: GetUserParams) -> GetUserResponse {
        self.calls.push("getUser");
        GetUserResponse::Ok(user(params.id))
    }
}

#[tokio::test]
async fn a_deprecated_operation_warns_its_callers_and_still_works() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let client = Client::with_base_url(&served.base_url);
    // A deprecated parameter is a plain field: leaving it out warns nobody.
    let params = GetUserV1Params::new("7".to_owned());
    #[expect(deprecated, reason = "the operation is deprecated: the call must warn")]
    let old = client.get_user_v1(&params).await.expect("still served");
    assert_eq!(old, user("7".to_owned()));
    #[expect(
        deprecated,
        reason = "deprecated without a description: a bare `#[deprecated]`"
    )]
    client
        .purge_users(&deprecation::operations::PurgeUsersParams::new())
        .await
        .expect("still served");
    let new = client
        .get_user(&GetUserParams::new("7".to_owned()))
        .await
        .expect("served");
    assert_eq!(new, old);
    assert_eq!(fake.calls.take(), ["getUserV1", "purgeUsers", "getUser"]);
}

#[test]
fn the_note_of_the_warning_is_the_operation_description() {
    let note = r#"#[deprecated(note = "Use `getUser` (`GET /v2/users/{id}`) instead.")]"#;
    for (module, source) in [
        (
            "client",
            include_str!("../generated/deprecation/src/client.rs"),
        ),
        (
            "server",
            include_str!("../generated/deprecation/src/server.rs"),
        ),
    ] {
        assert_eq!(source.matches(note).count(), 1, "{module}.rs: {note}");
        assert_eq!(
            source.matches("#[deprecated]").count(),
            1,
            "{module}.rs: `purgeUsers` has no description"
        );
    }
    let operations = include_str!("../generated/deprecation/src/operations.rs");
    // The field is read by every server, so only the setter warns: whoever sends the
    // parameter, not whoever leaves it out.
    assert_eq!(
        operations.matches("#[deprecated").count(),
        1,
        "only the setter of a deprecated parameter is marked"
    );
    assert!(operations.contains("#[deprecated]\n    #[must_use]\n    pub fn with_legacy_format("));
    assert!(operations.contains("**Deprecated** by the document"));
}
