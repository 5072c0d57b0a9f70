"""POST /api/auth/login/ with device tokens: the account lockout cannot be aimed at its owner."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from jwtauth import devices
from jwtauth.models import DeviceToken, TokenFamily
from tests.helpers.accounts import PASSWORD, username_of
from tests.helpers.http import bearer

URL = "/api/auth/login/"
# The usernames make_user("alice") and make_user("bob") give on the selected user model.
ALICE, BOB = username_of("alice"), username_of("bob")


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, 3, tzinfo=UTC), tick=False)
    return time_machine


def attempt(
    api: Any, username: str, password: str, ip: str = "127.0.0.1", device: str | None = None
) -> Any:
    body: dict[str, Any] = {"username": username, "password": password, "transport": "body"}
    if device is not None:
        body["device_token"] = device
    return api.post(URL, body, format="json", REMOTE_ADDR=ip)


def exhaust_lockout(api: Any, username: str) -> None:
    """An attacker guessing from many addresses until the account is locked."""
    for n in range(6):
        attempt(api, username, f"guess {n}", ip=f"203.0.113.{n + 1}")
    assert attempt(api, username, PASSWORD, ip="203.0.113.99").json()["code"] == "account_locked"


def test_login_hands_out_a_device_token_in_the_body(api: Any, user: Any) -> None:
    body = attempt(api, ALICE, PASSWORD).json()
    token = body["device_token"]
    device = DeviceToken.objects.get()
    assert device.user == user and device.revoked_at is None
    assert signing.loads(token, salt=devices.SALT)["d"] == device.pk.hex
    # The token names the device; no digest or copy of it is stored.
    assert token not in str(DeviceToken.objects.values().get())


def test_browser_login_sets_an_httponly_device_cookie(browser: APIClient, user: Any) -> None:
    response = browser.post(URL, {"username": ALICE, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert "device_token" not in response.json()
    cookie = response.cookies["device_token"]
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Strict" and cookie["path"] == "/api/auth/"
    assert int(cookie["max-age"]) == 365 * 24 * 3600


def test_owner_on_a_known_device_logs_in_while_the_account_is_locked(
    api: Any, user: Any, frozen: Any
) -> None:
    device = attempt(api, ALICE, PASSWORD, ip="192.0.2.10").json()["device_token"]
    exhaust_lockout(api, ALICE)

    owner = attempt(api, ALICE, PASSWORD, ip="192.0.2.10", device=device)

    assert owner.status_code == 200
    # The same device is kept, not a new one per login.
    assert owner.json()["device_token"] and DeviceToken.objects.count() == 1
    # Without the token the owner is locked out like everyone else.
    assert attempt(api, ALICE, PASSWORD, ip="192.0.2.10").json()["code"] == "account_locked"
    # A device login did not clear the attacker's count.
    assert attempt(api, ALICE, "guess", ip="203.0.113.50").json()["code"] == "account_locked"


def test_browser_owner_logs_in_with_the_device_cookie(
    browser: APIClient, api: Any, user: Any, frozen: Any
) -> None:
    first = browser.post(URL, {"username": ALICE, "password": PASSWORD}, format="json")
    assert first.status_code == 200
    exhaust_lockout(api, ALICE)
    again = browser.post(URL, {"username": ALICE, "password": PASSWORD}, format="json")
    assert again.status_code == 200, again.content


def test_device_failures_lock_only_that_device(api: Any, user: Any, frozen: Any) -> None:
    device = attempt(api, ALICE, PASSWORD).json()["device_token"]
    for n in range(5):
        failed = attempt(api, ALICE, "wrong", ip=f"192.0.2.{n + 1}", device=device)
        assert failed.json()["code"] == "invalid_credentials"
    locked = attempt(api, ALICE, PASSWORD, ip="192.0.2.9", device=device)
    assert locked.status_code == 429 and locked.json()["code"] == "account_locked"
    assert 0 < int(locked["Retry-After"]) <= 15 * 60
    # The account itself is not locked: the device's guesses were not counted against it.
    assert attempt(api, ALICE, PASSWORD, ip="192.0.2.20").status_code == 200


def test_a_successful_device_login_clears_the_device_count(
    api: Any, user: Any, frozen: Any
) -> None:
    device = attempt(api, ALICE, PASSWORD).json()["device_token"]
    for _ in range(2):
        for n in range(4):
            attempt(api, ALICE, "wrong", ip=f"192.0.2.{n + 1}", device=device)
        assert attempt(api, ALICE, PASSWORD, ip="192.0.2.30", device=device).status_code == 200


def test_a_device_token_copied_to_another_account_counts_as_none(
    api: Any, user: Any, make_user: Any, frozen: Any
) -> None:
    make_user("bob")
    alices = attempt(api, ALICE, PASSWORD).json()["device_token"]
    exhaust_lockout(api, BOB)
    refused = attempt(api, BOB, PASSWORD, ip="192.0.2.40", device=alices)
    assert refused.status_code == 429 and refused.json()["code"] == "account_locked"


@pytest.mark.parametrize(
    "forged",
    [
        "not a token",
        "",
        "x" * 5000,
        signing.dumps({"d": "0" * 32, "u": "1"}, salt=devices.SALT, key="another secret"),
        signing.dumps({"d": "0" * 32, "u": "1"}, salt="another salt"),
    ],
)
def test_a_forged_device_token_counts_as_none(
    api: Any, user: Any, frozen: Any, forged: str
) -> None:
    exhaust_lockout(api, ALICE)
    refused = attempt(api, ALICE, PASSWORD, ip="192.0.2.41", device=forged)
    assert refused.status_code == 429 and refused.json()["code"] == "account_locked"


@pytest.mark.parametrize("odd", [7, None, ""])
def test_a_device_token_of_another_value_counts_as_none(api: Any, user: Any, odd: Any) -> None:
    body = {"username": ALICE, "password": PASSWORD, "transport": "body", "device_token": odd}
    assert api.post(URL, body, format="json").status_code == 200


@pytest.mark.parametrize("odd", [[], {}, True])
def test_a_device_token_that_is_not_text_is_a_field_error(api: Any, user: Any, odd: Any) -> None:
    body = {"username": ALICE, "password": PASSWORD, "transport": "body", "device_token": odd}
    response = api.post(URL, body, format="json")
    assert response.status_code == 400 and "device_token" in response.json()


def test_a_signed_token_of_an_unknown_device_counts_as_none(
    api: Any, user: Any, frozen: Any
) -> None:
    token = attempt(api, ALICE, PASSWORD).json()["device_token"]
    DeviceToken.objects.all().delete()
    exhaust_lockout(api, ALICE)
    assert attempt(api, ALICE, PASSWORD, device=token).json()["code"] == "account_locked"


def test_an_expired_device_token_counts_as_none(api: Any, user: Any, frozen: Any) -> None:
    token = attempt(api, ALICE, PASSWORD).json()["device_token"]
    frozen.shift(366 * 24 * 3600)
    exhaust_lockout(api, ALICE)
    assert attempt(api, ALICE, PASSWORD, device=token).json()["code"] == "account_locked"


def _revoked_after(api: Any, user: Any, frozen: Any, revoke: Any) -> None:
    session = attempt(api, ALICE, PASSWORD).json()
    revoke(session)
    assert DeviceToken.objects.get().revoked_at is not None
    exhaust_lockout(api, ALICE)
    refused = attempt(api, ALICE, PASSWORD, device=session["device_token"])
    assert refused.json()["code"] == "account_locked"


def test_logout_all_revokes_device_tokens(api: Any, user: Any, frozen: Any) -> None:
    def logout_all(session: dict[str, Any]) -> None:
        response = api.post("/api/auth/logout-all/", **bearer(session["access"]))
        assert response.status_code == 204

    _revoked_after(api, user, frozen, logout_all)


def test_password_change_revokes_device_tokens(api: Any, user: Any, frozen: Any) -> None:
    def change(session: dict[str, Any]) -> None:
        body = {"old_password": PASSWORD, "new_password": "another-long-passphrase-9"}
        response = api.post(
            "/api/auth/password/change/", body, format="json", **bearer(session["access"])
        )
        assert response.status_code == 204
        user.set_password(PASSWORD)  # back, for the owner's login below (also revokes)
        user.save()

    _revoked_after(api, user, frozen, change)


def test_password_reset_revokes_device_tokens(api: Any, user: Any, frozen: Any) -> None:
    def reset(session: dict[str, Any]) -> None:
        body = {
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "new_password": PASSWORD,
        }
        response = api.post("/api/auth/password/reset/confirm/", body, format="json")
        assert response.status_code == 204, response.content

    _revoked_after(api, user, frozen, reset)


def test_device_tokens_off_restores_the_account_lockout(
    api: Any, user: Any, frozen: Any, settings: Any
) -> None:
    device = attempt(api, ALICE, PASSWORD).json()["device_token"]
    settings.JWTAUTH = {"DEVICE_TOKENS": False}
    assert "device_token" not in attempt(api, ALICE, PASSWORD).json()
    exhaust_lockout(api, ALICE)
    assert attempt(api, ALICE, PASSWORD, device=device).json()["code"] == "account_locked"
    assert TokenFamily.objects.count() == 2
