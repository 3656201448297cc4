"""Calls Xbox Live presence's one operation through a client generated from the
published document by openapi-python-client: its example, each documented error (none
has a body), and the ``XBL3.0`` key in ``Authorization`` (see harness.py for the
settings and the report)."""

from typing import Any

from xbox_presence_client import AuthenticatedClient
from xbox_presence_client.api.presence import get_user_presence
from xbox_presence_client.models import PresenceLevel, PresenceRecord
from xbox_presence_client.types import Response

from harness import Harness, typed

harness = Harness("/users/xuid({xuid})", "get")


def call(base_url: str) -> Response[Any | PresenceRecord]:
    """``GET /users/xuid(2533274790395904)?level=all`` with the ``xblAuth`` key as the
    whole ``Authorization`` header (no prefix), as the document's API key scheme says."""
    client = AuthenticatedClient(
        base_url=base_url,
        token=harness.credential("xblAuth")["key"],
        prefix="",
        raise_on_unexpected_status=True,
        httpx_args=harness.httpx_args(),
    )
    with client:
        return get_user_presence.sync_detailed(
            2533274790395904,
            client=client,
            level=PresenceLevel.ALL,
            x_xbl_contract_version="3",
            accept_language="en-US",
        )


def success(base_url: str) -> None:
    answer = call(base_url)
    presence = typed(answer.parsed, PresenceRecord)
    harness.expect_success(answer, "200", presence.to_dict())


def error(status: str) -> None:
    answer = call(harness.scripted_url(status))
    # The document gives these statuses no body: the client decodes none.
    harness.expect_error(answer, status, answer.parsed)


harness.check("success", lambda: success(harness.examples_url))
for status in harness.error_statuses:
    harness.check(f"error {status}", lambda: error(status))
# The scripted server records the key it received; the Rust test compares it.
harness.check("credentials xblAuth", lambda: success(harness.scripted_url("200")))
harness.finish()
