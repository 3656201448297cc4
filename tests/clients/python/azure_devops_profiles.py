"""Calls Azure DevOps Profiles' one operation through a client generated from the
published document by openapi-python-client: its example, each documented error, and
both of its security alternatives, an OAuth 2.0 access token and basic authentication
with a personal access token (see harness.py for the settings and the report)."""

import httpx

from azure_devops_profiles_client import AuthenticatedClient, Client
from azure_devops_profiles_client.api.profiles import get_profile
from azure_devops_profiles_client.models import ApiError, CoreProfileAttributeName, Profile
from azure_devops_profiles_client.types import Response

from harness import Harness, typed

harness = Harness("/_apis/profile/profiles/{id}", "get")


def client(base_url: str, scheme: str) -> AuthenticatedClient | Client:
    """A client sending the credentials of one security alternative of the document."""
    credential = harness.credential(scheme)
    if scheme == "oauth2":
        return AuthenticatedClient(
            base_url=base_url,
            token=credential["token"],
            raise_on_unexpected_status=True,
            httpx_args=harness.httpx_args(),
        )
    auth = httpx.BasicAuth(credential["user"], credential["password"])
    return Client(
        base_url=base_url, raise_on_unexpected_status=True, httpx_args=harness.httpx_args(auth=auth)
    )


def call(base_url: str, scheme: str = "oauth2") -> Response[ApiError | Profile]:
    """``GET /_apis/profile/profiles/me?api-version=7.1&details=true&coreAttributes=Email,Avatar``."""
    with client(base_url, scheme) as authenticated:
        return get_profile.sync_detailed(
            "me",
            client=authenticated,
            api_version="7.1",
            details=True,
            core_attributes=[CoreProfileAttributeName.EMAIL, CoreProfileAttributeName.AVATAR],
        )


def success(base_url: str, scheme: str = "oauth2") -> None:
    answer = call(base_url, scheme)
    profile = typed(answer.parsed, Profile)
    harness.expect_success(answer, "200", profile.to_dict())


def error(status: str) -> None:
    answer = call(harness.scripted_url(status))
    body = typed(answer.parsed, ApiError)
    harness.expect_error(answer, status, body.to_dict())


harness.check("success", lambda: success(harness.examples_url))
for status in harness.error_statuses:
    harness.check(f"error {status}", lambda: error(status))
# The scripted server records the credentials it received; the Rust test compares them.
for scheme in ("oauth2", "basicAuth"):
    harness.check(f"credentials {scheme}", lambda: success(harness.scripted_url("200"), scheme))
harness.finish()
