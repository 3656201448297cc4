"""Calls Groove Music's one operation through a client generated from the published
document by openapi-python-client: its example, each documented error, and the bearer
token (see harness.py for the settings and the report)."""

from groove_music_client import AuthenticatedClient
from groove_music_client.api.profile import get_user_profile
from groove_music_client.models import ErrorResponse, GetUserProfileNamespace, UserProfileResponse
from groove_music_client.types import Response

from harness import Harness, typed

harness = Harness("/1/user/{namespace}/profile", "get")


def call(base_url: str) -> Response[ErrorResponse | UserProfileResponse]:
    """``GET /1/user/music/profile`` with a user token, as the document's ``bearerAuth`` says."""
    client = AuthenticatedClient(
        base_url=base_url,
        token=harness.credential("bearerAuth")["token"],
        raise_on_unexpected_status=True,
        httpx_args=harness.httpx_args(),
    )
    with client:
        return get_user_profile.sync_detailed(
            GetUserProfileNamespace.MUSIC, client=client, language="en", country="US"
        )


def success(base_url: str) -> None:
    answer = call(base_url)
    profile = typed(answer.parsed, UserProfileResponse)
    harness.expect_success(answer, "200", profile.to_dict())


def error(status: str) -> None:
    answer = call(harness.scripted_url(status))
    body = typed(answer.parsed, ErrorResponse)
    harness.expect_error(answer, status, body.to_dict())


harness.check("success", lambda: success(harness.examples_url))
for status in harness.error_statuses:
    harness.check(f"error {status}", lambda: error(status))
# The scripted server records the token it received; the Rust test compares it.
harness.check("credentials bearerAuth", lambda: success(harness.scripted_url("200")))
harness.finish()
