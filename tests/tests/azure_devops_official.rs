//! Microsoft's own description of Profiles - Get (Swagger 2.0, `tests/openapi/azure-devops-official.json`,
//! MIT, licence beside it) generates a client that calls our `azure-devops-profiles`
//! server: what we publish and what Azure DevOps publishes describe one service.

use apigen_runtime::Bearer;
use apigen_tests::serve::{Recorder, serve};
use azure_devops_official::operations::ProfilesGetParams;
use azure_devops_profiles::operations::{GetProfileParams, GetProfileResponse};
use azure_devops_profiles::server::GetProfileCredentials;
use azure_devops_profiles::{AzureDevopsProfiles, router};
use serde_json::{Value, json};

/// An OAuth 2.0 access token.
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzY3AiOiJ2c28ucHJvZmlsZSJ9.c2ln";

/// Our document's `withCoreAttributes` example: a profile with its core attributes.
fn profile() -> Value {
    json!({
        "id": "d6245f20-2af8-44f4-9451-8107cb2767db",
        "coreRevision": 1647,
        "revision": 1647,
        "timeStamp": "2014-05-12T22:23:07.727+00:00",
        "profileState": "custom",
        "coreAttributes": {
            "Email": {
                "descriptor": {"attributeName": "Email", "containerName": "Core"},
                "revision": 1647,
                "timeStamp": "2014-05-12T22:23:07.727+00:00",
                "value": "fabrikamfiber16@hotmail.com"
            }
        }
    })
}

/// Our service, answering every profile with [`profile`] and recording each call.
#[derive(Clone, Default)]
struct Fake {
    calls: Recorder<(GetProfileParams, GetProfileCredentials)>,
}

impl AzureDevopsProfiles for Fake {
    async fn get_profile(
        &self,
        params: GetProfileParams,
        credentials: GetProfileCredentials,
    ) -> GetProfileResponse {
        self.calls.push((params, credentials));
        GetProfileResponse::Ok(serde_json::from_value(profile()).expect("the example is a profile"))
    }
}

#[tokio::test]
async fn the_official_description_s_client_reads_our_server_s_profile() {
    let fake = Fake::default();
    let served = serve(router(fake.clone())).await;
    let official =
        azure_devops_official::Client::with_base_url(&served.base_url).with_oauth2(TOKEN);
    let read = official
        .profiles_get(&ProfilesGetParams::new("me", "7.1").with_details(true))
        .await
        .expect("our server answers the official client");
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        profile(),
        "every member, time stamps as written, comes back in the official types"
    );
    let calls = fake.calls.take();
    let [(params, credentials)] = calls.as_slice() else {
        panic!("one call: {calls:?}");
    };
    assert_eq!(params.id, "me");
    assert_eq!(params.details, Some(true));
    assert_eq!(params.api_version, "7.1");
    assert!(
        matches!(credentials, GetProfileCredentials::Oauth2(token) if *token == Bearer::new(TOKEN)),
        "{credentials:?}"
    );
}
