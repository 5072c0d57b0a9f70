"""POST /api/auth/password/change/."""

from datetime import UTC, datetime
from typing import Any

import pytest

from jwtauth import tokens
from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer

URL = "/api/auth/password/change/"
NEW = "a-brand-new-passphrase-77"


def change(api: Any, access: str, old: str = PASSWORD, new: str = NEW) -> Any:
    body = {"old_password": old, "new_password": new}
    return api.post(URL, body, format="json", **bearer(access))


def test_change_keeps_this_session_and_revokes_the_others(api: Any, user: Any, login: Any) -> None:
    other = login(user)
    mine = login(user)
    response = change(api, mine["access"])
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert api.get("/api/auth/me/", **bearer(mine["access"])).status_code == 200
    assert api.post("/api/auth/refresh/", {"refresh": mine["refresh"]}).status_code == 200
    revoked = api.get("/api/auth/me/", **bearer(other["access"]))
    assert revoked.status_code == 401 and revoked.json()["code"] == "token_revoked"
    assert api.post("/api/auth/refresh/", {"refresh": other["refresh"]}).status_code == 401
    families = {str(f.pk): f for f in TokenFamily.objects.filter(user=user)}
    assert families[tokens.verify_access(mine["access"])["sid"]].revoked_at is None
    assert [f.revoke_reason for f in families.values() if f.revoked_at] == [
        RevokeReason.PASSWORD_CHANGE
    ]


def test_new_password_logs_in_and_old_does_not(api: Any, user: Any, login: Any) -> None:
    change(api, login(user)["access"])
    assert login(user, password=NEW)["access"]
    old = api.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    assert old.status_code == 401


def test_wrong_old_password_is_a_field_error(api: Any, user: Any, login: Any) -> None:
    response = change(api, login(user)["access"], old="not-it")
    assert response.status_code == 400
    assert list(response.json()) == ["old_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert TokenFamily.objects.filter(revoked_at__isnull=False).count() == 0


def test_wrong_old_passwords_lock_the_account(
    api: Any, user: Any, login: Any, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, 3, tzinfo=UTC), tick=False)
    access = login(user)["access"]
    for _ in range(5):
        assert change(api, access, old="guess").status_code == 400
    locked = change(api, access)
    assert locked.status_code == 429
    assert locked.json()["code"] == "account_locked"
    assert int(locked["Retry-After"]) > 0
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("new", ["short", "password123", "98765432109876", "alice-example"])
def test_validators_apply_to_the_new_password(api: Any, user: Any, login: Any, new: str) -> None:
    response = change(api, login(user)["access"], new=new)
    assert response.status_code == 400
    assert list(response.json()) == ["new_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_missing_fields_are_field_errors(api: Any, user: Any, login: Any) -> None:
    response = api.post(URL, {}, format="json", **bearer(login(user)["access"]))
    assert response.status_code == 400
    assert set(response.json()) == {"old_password", "new_password"}


@pytest.mark.django_db
def test_needs_a_bearer_token(api: Any) -> None:
    response = api.post(URL, {"old_password": PASSWORD, "new_password": NEW}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_cannot_change(api: Any, user: Any, login: Any) -> None:
    pair = login(user)
    api.post("/api/auth/logout/", {"refresh": pair["refresh"]}, format="json")
    response = change(api, pair["access"])
    assert response.status_code == 401 and response.json()["code"] == "token_revoked"
