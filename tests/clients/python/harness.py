"""What every Python client program shares: the run's settings, the published
document's examples and statuses, the comparison of decoded bodies with examples, and
the report the Rust test reads.

The Rust test (``tests/tests/other_languages/``) generates a client package from the
published document with openapi-python-client, checks this file, one service's program
and that package with ``mypy --strict``, and runs the program with:

- ``APIGEN_DOCUMENT``: the published document (``generated/openapi/<service>.json``);
- ``APIGEN_EXAMPLES_URL``: the base URL of the example-backed server (``cargo xtask serve``);
- ``APIGEN_SCRIPTED_URL``: the base URL of the scripted server, with ``{status}`` where
  the status it is to answer goes;
- ``APIGEN_CREDENTIALS``: JSON, the credentials to send for each security scheme of the
  document, by scheme name (``{"bearerAuth": {"token": "..."}}``).

The program prints one line per check, ``PASS <check>`` or ``FAIL <check>: <why>``, and
exits with 1 when any failed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from typing import Any, NoReturn, Protocol, TypeVar
from urllib.parse import parse_qsl, quote

import httpx

T = TypeVar("T")


class Answer(Protocol):
    """What the generated ``sync_detailed`` functions return (``types.Response``)."""

    @property
    def status_code(self) -> HTTPStatus: ...

    @property
    def content(self) -> bytes: ...


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise SystemExit(f"{name} is not set: run this program through the Rust test")
    return value


class Harness:
    """One operation of a published document, and the checks of a run against it."""

    def __init__(self, path: str, method: str) -> None:
        with open(_required("APIGEN_DOCUMENT"), encoding="utf-8") as file:
            self._document: dict[str, Any] = json.load(file)
        self.examples_url = _required("APIGEN_EXAMPLES_URL")
        self._scripted_template = _required("APIGEN_SCRIPTED_URL")
        self._credentials: dict[str, dict[str, str]] = json.loads(
            _required("APIGEN_CREDENTIALS")
        )
        operation = self._document.get("paths", {}).get(path, {}).get(method)
        if not isinstance(operation, dict):
            raise SystemExit(f"the document has no operation {method.upper()} {path}")
        self._operation: dict[str, Any] = operation
        self._failed = 0

    def scripted_url(self, status: str) -> str:
        """The base URL of the scripted server answering ``status``."""
        return self._scripted_template.replace("{status}", status)

    def credential(self, scheme: str) -> dict[str, str]:
        """The credentials to send for the security scheme ``scheme``."""
        try:
            return self._credentials[scheme]
        except KeyError:
            raise AssertionError(f"APIGEN_CREDENTIALS has nothing for the scheme {scheme}") from None

    @property
    def error_statuses(self) -> list[str]:
        """The documented statuses of the operation that are not 2xx, in document order."""
        return [status for status in self._operation["responses"] if not status.startswith("2")]

    def example(self, status: str) -> Any:
        """The first example of the JSON body of the response ``status``, or None when the
        response has no body. (The example-backed server answers with the first example.)"""
        response = self._follow(self._operation["responses"][status])
        if "content" not in response:
            return None
        media = self._follow(response["content"]["application/json"])
        if "example" in media:
            return media["example"]
        first = next(iter(media["examples"].values()))
        return self._follow(first)["value"]

    def check(self, name: str, body: Callable[[], None]) -> None:
        """Runs one check and reports it; a raised exception is its failure."""
        try:
            body()
        except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the run
            self._failed += 1
            why = f"{type(error).__name__}: {error}".replace("\n", " | ")
            print(f"FAIL {name}: {why}", flush=True)
        else:
            print(f"PASS {name}", flush=True)

    def expect_success(self, answer: Answer, status: str, decoded: Any) -> None:
        """The operation succeeded with ``status`` and its decoded body (the generated
        model's ``to_dict()``) is the example's."""
        expect_status(answer, status)
        expect_same(decoded, self.example(status))

    def expect_error(self, answer: Answer, status: str, decoded: Any) -> None:
        """The operation failed with ``status``, the documented body decoded by the
        generated model to the example's values (None when the status has no body)."""
        expect_status(answer, status)
        expected = self.example(status)
        if expected is None:
            if decoded is not None or answer.content:
                raise AssertionError(f"expected no body, got {answer.content!r}")
            return
        expect_same(decoded, expected)

    def httpx_args(self, **more: Any) -> dict[str, Any]:
        """``httpx_args`` for a generated client: ``more``, and a request hook that sends
        the operation's ``explode: false`` query arrays as the document says.

        openapi-python-client ignores ``explode: false`` (its issue #197) and repeats the
        parameter for each item (``a=1&a=2``); the document's ``style: form, explode:
        false`` is one comma-separated value (``a=1,2``). The hook joins them."""
        unexploded = {
            parameter["name"]
            for parameter in map(self._follow, self._operation.get("parameters", []))
            if parameter.get("in") == "query"
            and parameter.get("style", "form") == "form"
            and parameter.get("explode") is False
        }

        def join_unexploded(request: httpx.Request) -> None:
            pairs = parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)
            joined: dict[str, list[str]] = {}
            for name, value in pairs:
                if name in unexploded:
                    joined.setdefault(name, []).append(value)
            if not joined:
                return
            query: list[str] = []
            for name, value in pairs:
                if name not in unexploded:
                    query.append(f"{quote(name, safe='')}={quote(value, safe='')}")
                elif name in joined:
                    values = ",".join(quote(item, safe="") for item in joined.pop(name))
                    query.append(f"{quote(name, safe='')}={values}")
            request.url = request.url.copy_with(query="&".join(query).encode("ascii"))

        hooks = more.pop("event_hooks", {})
        hooks = {**hooks, "request": [*hooks.get("request", []), join_unexploded]}
        return {**more, "event_hooks": hooks}

    def finish(self) -> NoReturn:
        """Ends the run: exit status 1 when a check failed."""
        sys.exit(0 if self._failed == 0 else 1)

    def _follow(self, value: Any) -> Any:
        """Follows local ``$ref``s."""
        for _ in range(16):
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return value
            node: Any = self._document
            for key in value["$ref"].removeprefix("#/").split("/"):
                node = node[key.replace("~1", "/").replace("~0", "~")]
            value = node
        raise AssertionError("too many `$ref`s in a row")


def expect_status(answer: Answer, status: str) -> None:
    """The answer came with ``status``."""
    if answer.status_code != HTTPStatus(int(status)):
        raise AssertionError(
            f"expected {status}, got {int(answer.status_code)}: {answer.content!r}"
        )


def typed(value: object, kind: type[T]) -> T:
    """``value``, which the generated client decoded, as the documented type ``kind``."""
    if not isinstance(value, kind):
        raise AssertionError(f"expected a {kind.__name__}, the client decoded {value!r}")
    return value


_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


def _same_date_time(actual: str, expected: str) -> bool:
    """Whether both are RFC 3339 date-times of the same instant with the same offset."""
    if not (_DATE_TIME.match(actual) and _DATE_TIME.match(expected)):
        return False
    first = datetime.fromisoformat(actual.upper().replace("Z", "+00:00"))
    second = datetime.fromisoformat(expected.upper().replace("Z", "+00:00"))
    return first == second and first.utcoffset() == second.utcoffset()


def expect_same(actual: Any, expected: Any) -> None:
    """Raises, listing every difference at its JSON pointer, unless ``actual`` is
    ``expected``: the same members (in any order), the same items in the same order,
    the same scalars.

    Two rules, both limits of the Rust server that answers (issue 12, item 2), accepted
    here on purpose and nowhere else:

    - date-times compare as instants with their offset: ``Z`` and ``+00:00`` are one
      offset (the server's date-time type writes ``Z`` for both, and Python's
      ``isoformat()`` writes ``+00:00``);
    - a member whose example value is ``null`` may be absent (the server writes an
      absent and a null optional member alike, as absent).
    """
    differences: list[str] = []
    _compare(actual, expected, "", differences)
    if differences:
        raise AssertionError(
            "the decoded body differs from the document's example: " + "; ".join(differences)
        )


def _compare(actual: Any, expected: Any, at: str, differences: list[str]) -> None:
    if isinstance(actual, dict) and isinstance(expected, dict):
        for key, value in expected.items():
            here = f"{at}/{key.replace('~', '~0').replace('/', '~1')}"
            if key in actual:
                _compare(actual[key], value, here, differences)
            elif value is not None:
                differences.append(f"{here}: missing (expected {json.dumps(value)})")
        for key, value in actual.items():
            if key not in expected:
                differences.append(f"{at}/{key}: not in the example (found {value!r})")
    elif isinstance(actual, list) and isinstance(expected, list) and len(actual) == len(expected):
        for index, (item, expected_item) in enumerate(zip(actual, expected, strict=True)):
            _compare(item, expected_item, f"{at}/{index}", differences)
    elif isinstance(actual, str) and isinstance(expected, str) and _same_date_time(actual, expected):
        pass
    elif not _same_scalar(actual, expected):
        differences.append(
            f"{at or '/'}: found {json.dumps(actual, default=repr)}, expected {json.dumps(expected)}"
        )


def _same_scalar(actual: Any, expected: Any) -> bool:
    """JSON equality of scalars: ``true`` is not ``1`` (as Python's ``True == 1`` would
    have it), and ``1`` is ``1.0``."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(actual, int | float) and isinstance(expected, int | float):
        return actual == expected
    return type(actual) is type(expected) and bool(actual == expected)
