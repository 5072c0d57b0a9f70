"""A forged X-Forwarded-For never moves a client into another rate-limit bucket."""

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.helpers.accounts import PASSWORD

URL = "/api/auth/login/"
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _frozen(time_machine: Any) -> None:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, 3, tzinfo=UTC), tick=False)


def attempt(api: Any, remote: str, forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    body = {"username": "alice", "password": PASSWORD, "transport": "body"}
    return api.post(URL, body, format="json", **extra)


def test_without_trusted_proxies_the_header_is_ignored(api: Any, user: Any) -> None:
    for n in range(10):
        assert attempt(api, "198.51.100.7", forwarded=f"203.0.113.{n}").status_code == 200
    assert attempt(api, "198.51.100.7", forwarded="203.0.113.99").status_code == 429
    assert attempt(api, "198.51.100.7").status_code == 429


def test_without_trusted_proxies_a_victims_bucket_cannot_be_drained(api: Any, user: Any) -> None:
    for _ in range(11):
        attempt(api, "198.51.100.7", forwarded="203.0.113.5")
    assert attempt(api, "203.0.113.5").status_code == 200


def test_with_one_proxy_its_entry_is_the_client(api: Any, user: Any, settings: Any) -> None:
    settings.JWTAUTH = {"TRUSTED_PROXY_COUNT": 1}
    for n in range(10):
        # The client forges the left part; the proxy appends the address it saw.
        forged = f"203.0.113.{n}, 198.51.100.7"
        assert attempt(api, PROXY, forwarded=forged).status_code == 200
    assert attempt(api, PROXY, forwarded="1.2.3.4, 198.51.100.7").status_code == 429
    assert attempt(api, PROXY, forwarded="198.51.100.8").status_code == 200


def test_with_one_proxy_a_victims_bucket_cannot_be_drained(
    api: Any, user: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"TRUSTED_PROXY_COUNT": 1}
    for _ in range(11):
        attempt(api, PROXY, forwarded="198.51.100.8, 198.51.100.7")
    assert attempt(api, PROXY, forwarded="198.51.100.8").status_code == 200


def test_with_one_proxy_a_missing_header_falls_back_to_the_peer(
    api: Any, user: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"TRUSTED_PROXY_COUNT": 1}
    for _ in range(10):
        assert attempt(api, PROXY).status_code == 200
    assert attempt(api, PROXY, forwarded="garbage").status_code == 429
