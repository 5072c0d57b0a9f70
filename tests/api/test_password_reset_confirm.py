"""POST /api/auth/password/reset/confirm/."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from jwtauth import ratelimits
from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.accounts import PASSWORD, wait_for_reset_mail
from tests.helpers.http import bearer

URL = "/api/auth/password/reset/confirm/"
NEW = "a-brand-new-passphrase-77"


def link_for(user: Any) -> dict[str, str]:
    return {
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def confirm(api: Any, link: dict[str, str], new: str = NEW) -> Any:
    return api.post(URL, link | {"new_password": new}, format="json")


def test_confirm_sets_the_password_and_revokes_every_session(
    api: Any, user: Any, login: Any
) -> None:
    first, second = login(user), login(user)
    response = confirm(api, link_for(user))
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    for pair in (first, second):
        me = api.get("/api/auth/me/", **bearer(pair["access"]))
        assert me.status_code == 401 and me.json()["code"] == "token_revoked"
        assert api.post("/api/auth/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    reasons = set(TokenFamily.objects.values_list("revoke_reason", flat=True))
    assert reasons == {RevokeReason.PASSWORD_CHANGE}
    assert login(user, password=NEW)["access"]


def test_link_from_the_mail_works_once(api: Any, user: Any) -> None:
    api.post("/api/auth/password/reset/", {"email": "alice@example.com"}, format="json")
    wait_for_reset_mail()
    query = mail.outbox[0].body.split("?", 1)[1].split()[0]
    link = dict(part.split("=", 1) for part in query.split("&"))
    assert confirm(api, link).status_code == 204
    again = confirm(api, link, new="yet-another-passphrase-88")
    assert again.status_code == 400
    assert again.json()["code"] == "token_invalid"
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_expired_token_is_refused(api: Any, user: Any, time_machine: Any, settings: Any) -> None:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, 3, tzinfo=UTC), tick=False)
    link = link_for(user)
    time_machine.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))
    response = confirm(api, link)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "This password reset link is invalid, used or expired.",
        "code": "token_invalid",
    }
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_token_works_until_the_timeout(
    api: Any, user: Any, time_machine: Any, settings: Any
) -> None:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, 3, tzinfo=UTC), tick=False)
    link = link_for(user)
    time_machine.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT))
    assert confirm(api, link).status_code == 204


def test_token_of_another_user_is_refused(api: Any, user: Any, make_user: Any) -> None:
    other = make_user("bob")
    link = link_for(user) | {"uid": urlsafe_base64_encode(force_bytes(other.pk))}
    assert confirm(api, link).json()["code"] == "token_invalid"


@pytest.mark.parametrize(
    "uid",
    [
        "!!!",
        "bm90LWEtbnVtYmVy",  # "not-a-number"
        urlsafe_base64_encode(b"999999"),
        urlsafe_base64_encode(b"99999999999999999999999999"),
        urlsafe_base64_encode(b"\xff\xfe"),
    ],
)
def test_bad_uid_is_refused(api: Any, user: Any, uid: str) -> None:
    response = confirm(api, link_for(user) | {"uid": uid})
    assert response.status_code == 400
    assert response.json()["code"] == "token_invalid"


def test_blank_uid_is_a_field_error(api: Any, user: Any) -> None:
    response = confirm(api, link_for(user) | {"uid": ""})
    assert response.status_code == 400
    assert list(response.json()) == ["uid"]


def test_garbage_token_is_refused(api: Any, user: Any) -> None:
    response = confirm(api, link_for(user) | {"token": "1-deadbeef"})
    assert response.status_code == 400 and response.json()["code"] == "token_invalid"


@pytest.mark.parametrize("new", ["short", "password123", "98765432109876", "alice-example"])
def test_validators_apply_and_the_link_stays_usable(api: Any, user: Any, new: str) -> None:
    link = link_for(user)
    response = confirm(api, link, new=new)
    assert response.status_code == 400
    assert list(response.json()) == ["new_password"]
    assert confirm(api, link).status_code == 204


@pytest.mark.django_db
def test_missing_fields_are_field_errors(api: Any) -> None:
    response = api.post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"uid", "token", "new_password"}


def test_reset_unlocks_the_account(api: Any, user: Any, login: Any) -> None:
    for _ in range(5):
        ratelimits.attempt("alice")
    assert confirm(api, link_for(user)).status_code == 204
    assert login(user, password=NEW)["access"]
