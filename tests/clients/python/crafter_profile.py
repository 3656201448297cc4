"""Calls Crafter Profile's one operation through a client generated from the published
document by openapi-python-client: its example, each documented error, and the
application's access token ID in the query (see harness.py for the settings and the
report)."""

from crafter_profile_client import Client
from crafter_profile_client.api.profiles import get_profile
from crafter_profile_client.models import ErrorResponse, Profile
from crafter_profile_client.types import Response

from harness import Harness, typed

harness = Harness("/api/1/profile/{id}", "get")


def call(base_url: str) -> Response[ErrorResponse | Profile]:
    """``GET /api/1/profile/59274dfbd4c650e226b03b65?attributeToReturn=firstName&attributeToReturn=lastName``,
    with ``accessTokenId`` in the query as the document's API key scheme says.
    openapi-python-client generates no parameter for an API key, so the client's
    ``httpx`` settings add it to every request."""
    params = {"accessTokenId": harness.credential("accessTokenId")["key"]}
    with Client(
        base_url=base_url, raise_on_unexpected_status=True, httpx_args=harness.httpx_args(params=params)
    ) as client:
        return get_profile.sync_detailed(
            "59274dfbd4c650e226b03b65", client=client, attribute_to_return=["firstName", "lastName"]
        )


def success(base_url: str) -> None:
    answer = call(base_url)
    profile = typed(answer.parsed, Profile)
    harness.expect_success(answer, "200", profile.to_dict())


def error(status: str) -> None:
    answer = call(harness.scripted_url(status))
    body = typed(answer.parsed, ErrorResponse)
    harness.expect_error(answer, status, body.to_dict())


harness.check("success", lambda: success(harness.examples_url))
for status in harness.error_statuses:
    harness.check(f"error {status}", lambda: error(status))
# The scripted server records the key it received; the Rust test compares it.
harness.check("credentials accessTokenId", lambda: success(harness.scripted_url("200")))
harness.finish()
