"""IPv4 clients seen through IPv6 (a server on ``[::]``, 6to4, NAT64, Teredo) keep their own
rate-limit bucket and are shown by their IPv4 address in the sessions list."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import RequestFactory

from jwtauth.clientip import client_ip
from jwtauth.ratelimits import ip_key
from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer


@pytest.fixture(autouse=True)
def _frozen(time_machine: Any) -> None:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, 3, tzinfo=UTC), tick=False)


def _from(remote: str) -> Any:
    return RequestFactory().get("/", REMOTE_ADDR=remote)


@pytest.mark.parametrize(
    ("seen", "client"),
    [
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("::ffff:c633:6407", "198.51.100.7"),
        ("2002:c633:6407::1", "198.51.100.7"),
        ("2002:c633:6407:5::9", "198.51.100.7"),
        ("64:ff9b::198.51.100.7", "198.51.100.7"),
        # Teredo: server 65.54.227.120, client 192.0.2.45 (obfuscated as 3fff:fdd2).
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "192.0.2.45"),
    ],
)
def test_the_ipv4_client_is_the_address_and_the_bucket(seen: str, client: str) -> None:
    assert client_ip(_from(seen)) == client
    assert ip_key(_from(seen)) == ip_key(_from(client)) == client


def test_mapped_clients_do_not_share_a_bucket() -> None:
    keys = {ip_key(_from(f"::ffff:198.51.100.{n}")) for n in range(1, 21)}
    assert len(keys) == 20


def test_plain_ipv6_is_still_bucketed_by_64() -> None:
    assert ip_key(_from("2001:db8:1:2::1")) == ip_key(_from("2001:db8:1:2:ffff::9"))


def _login(api: Any, user: Any, remote: str) -> Any:
    body = {"username": user.username, "password": PASSWORD, "transport": "body"}
    return api.post("/api/auth/login/", body, format="json", REMOTE_ADDR=remote)


@pytest.mark.django_db
def test_one_mapped_client_cannot_exhaust_the_login_limit_of_the_others(
    api: Any, user: Any
) -> None:
    for _ in range(10):
        assert _login(api, user, "::ffff:198.51.100.7").status_code == 200
    assert _login(api, user, "::ffff:198.51.100.7").status_code == 429
    assert _login(api, user, "::ffff:198.51.100.8").status_code == 200


@pytest.mark.django_db
def test_the_sessions_list_shows_the_ipv4_address(api: Any, user: Any) -> None:
    access = _login(api, user, "::ffff:203.0.113.9").json()["access"]
    sessions = api.get("/api/auth/sessions/", **bearer(access)).json()
    assert [session["ip"] for session in sessions] == ["203.0.113.9"]
