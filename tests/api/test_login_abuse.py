"""POST /api/auth/login/: per-IP rate limit and per-account lockout."""

from datetime import UTC, datetime
from typing import Any

import pytest

from jwtauth.models import TokenFamily
from tests.helpers.accounts import PASSWORD, username_of

URL = "/api/auth/login/"
ALICE = username_of("alice")
BOB = username_of("bob")


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, 3, tzinfo=UTC), tick=False)
    return time_machine


def attempt(api: Any, username: str, password: str, ip: str = "127.0.0.1", **extra: Any) -> Any:
    body = {"username": username, "password": password, "transport": "body"} | extra
    return api.post(URL, body, format="json", REMOTE_ADDR=ip)


def test_ten_logins_per_ip_then_rate_limited(api: Any, user: Any, frozen: Any) -> None:
    for _ in range(10):
        assert attempt(api, ALICE, PASSWORD).status_code == 200
    refused = attempt(api, ALICE, PASSWORD)
    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "Too many requests. Try again later.",
        "code": "rate_limited",
    }
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 15 * 60
    assert TokenFamily.objects.count() == 10
    assert attempt(api, ALICE, PASSWORD, ip="192.0.2.7").status_code == 200
    frozen.shift(wait - 1)
    assert attempt(api, ALICE, PASSWORD).status_code == 429
    frozen.shift(1)
    assert attempt(api, ALICE, PASSWORD).status_code == 200


def test_malformed_attempts_count_too(api: Any, user: Any, frozen: Any) -> None:
    for _ in range(10):
        assert api.post(URL, {}, format="json").status_code == 400
    assert attempt(api, ALICE, PASSWORD).status_code == 429


def test_five_failures_lock_the_account_from_every_ip(api: Any, user: Any, frozen: Any) -> None:
    for n in range(5):
        failed = attempt(api, ALICE, "wrong", ip=f"192.0.2.{n + 1}")
        assert failed.status_code == 401 and failed.json()["code"] == "invalid_credentials"
    locked = attempt(api, ALICE, PASSWORD, ip="198.51.100.1")
    assert locked.status_code == 429
    assert locked.json()["code"] == "account_locked"
    wait = int(locked["Retry-After"])
    assert 0 < wait <= 15 * 60
    assert not TokenFamily.objects.exists()
    assert attempt(api, BOB, PASSWORD, ip="198.51.100.1").status_code == 401  # others unaffected
    frozen.shift(wait - 1)
    assert attempt(api, ALICE, PASSWORD, ip="198.51.100.2").json()["code"] == "account_locked"
    frozen.shift(1)
    assert attempt(api, ALICE, PASSWORD, ip="198.51.100.2").status_code == 200


def test_username_and_email_share_the_account_bucket(api: Any, user: Any, frozen: Any) -> None:
    for n in range(3):
        attempt(api, ALICE, "wrong", ip=f"192.0.2.{n + 1}")
    for n in range(2):
        api.post(
            URL,
            {"email": "ALICE@example.com", "password": "wrong"},
            format="json",
            REMOTE_ADDR=f"192.0.3.{n}",
        )
    locked = api.post(URL, {"email": "alice@example.com", "password": PASSWORD}, format="json")
    assert locked.status_code == 429 and locked.json()["code"] == "account_locked"


def test_unknown_accounts_lock_like_real_ones(api: Any, user: Any, frozen: Any) -> None:
    for n in range(5):
        assert attempt(api, "ghost", "wrong", ip=f"192.0.2.{n + 1}").status_code == 401
    ghost = attempt(api, "ghost", "wrong", ip="198.51.100.1")
    for n in range(5):
        attempt(api, ALICE, "wrong", ip=f"192.0.4.{n + 1}")
    real = attempt(api, ALICE, "wrong", ip="198.51.100.2")
    assert ghost.status_code == real.status_code == 429
    assert ghost.json() == real.json()


def test_success_resets_the_failure_count(api: Any, user: Any, frozen: Any) -> None:
    for n in range(4):
        attempt(api, ALICE, "wrong", ip=f"192.0.2.{n + 1}")
    assert attempt(api, ALICE, PASSWORD, ip="198.51.100.1").status_code == 200
    for n in range(4):
        assert attempt(api, ALICE, "wrong", ip=f"192.0.5.{n + 1}").status_code == 401
    assert attempt(api, ALICE, PASSWORD, ip="198.51.100.1").status_code == 200


def test_failure_limit_is_configurable(api: Any, user: Any, frozen: Any, settings: Any) -> None:
    settings.JWTAUTH = {"LOGIN_FAILURE_RATE": "2/h"}
    attempt(api, ALICE, "wrong")
    attempt(api, ALICE, "wrong")
    locked = attempt(api, ALICE, PASSWORD)
    assert locked.json()["code"] == "account_locked"
    wait = int(locked["Retry-After"])
    assert 0 < wait <= 3600
    frozen.shift(wait)
    assert attempt(api, ALICE, PASSWORD).status_code == 200


def test_lockout_can_be_turned_off(api: Any, user: Any, frozen: Any, settings: Any) -> None:
    settings.JWTAUTH = {"ACCOUNT_LOCKOUT": False}
    for n in range(8):
        assert attempt(api, ALICE, "wrong", ip=f"192.0.2.{n + 1}").status_code == 401
    assert attempt(api, ALICE, PASSWORD).status_code == 200


def test_limits_can_be_turned_off(api: Any, user: Any, frozen: Any, settings: Any) -> None:
    settings.JWTAUTH = {"RATELIMIT_ENABLED": False}
    for _ in range(12):
        assert attempt(api, ALICE, "wrong").status_code == 401
    assert attempt(api, ALICE, PASSWORD).status_code == 200
