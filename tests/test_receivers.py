"""Account changes end sessions: password change by any path, deactivation, deletion."""

from typing import Any

import jwt
import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.management.commands import changepassword
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from jwtauth import families
from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer

NEW_PASSWORD = "another-horse-battery-staple"


class CheapPBKDF2(PBKDF2PasswordHasher):
    iterations = 1


def sid(tokens: dict[str, Any]) -> str:
    return jwt.decode(tokens["access"], options={"verify_signature": False})["sid"]


def status_of(api: APIClient, tokens: dict[str, Any]) -> tuple[int, str | None]:
    response = api.get("/api/auth/me/", **bearer(tokens["access"]))
    return response.status_code, response.json().get("code")


def reasons(user: Any) -> set[str]:
    return set(TokenFamily.objects.filter(user=user).values_list("revoke_reason", flat=True))


def test_set_password_and_save_revokes_every_session(
    api: APIClient, user: Any, make_user: Any, login: Any
) -> None:
    sessions = [login(user), login(user)]
    bystander = login(make_user())

    user.set_password(NEW_PASSWORD)
    user.save()

    assert reasons(user) == {RevokeReason.PASSWORD_CHANGE}
    for tokens in sessions:
        assert status_of(api, tokens) == (401, "token_revoked")
        refresh = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")
        assert refresh.json()["code"] == "token_revoked"
    assert status_of(api, bystander) == (200, None)


def test_a_session_carried_over_with_keep_session_survives(
    api: APIClient, user: Any, login: Any
) -> None:
    kept, other = login(user), login(user)

    user.set_password(NEW_PASSWORD)
    with transaction.atomic():
        assert families.keep_session(user=user, session_id=sid(kept)) == 1
        user.save()

    assert status_of(api, other) == (401, "token_revoked")
    assert status_of(api, kept) == (200, None)
    refreshed = api.post("/api/auth/refresh/", {"refresh": kept["refresh"]}, format="json")
    assert refreshed.status_code == 200
    assert TokenFamily.objects.get(pk=sid(kept)).revoked_at is None


def test_admin_password_form_revokes(api: APIClient, user: Any, login: Any) -> None:
    tokens = login(user)
    form = AdminPasswordChangeForm(
        user, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert form.is_valid(), form.errors

    form.save()

    assert status_of(api, tokens) == (401, "token_revoked")
    assert reasons(user) == {RevokeReason.PASSWORD_CHANGE}


def test_changepassword_command_revokes(
    api: APIClient, user: Any, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = login(user)
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": NEW_PASSWORD)

    call_command("changepassword", user.username, stdout=None)

    assert status_of(api, tokens) == (401, "token_revoked")
    assert reasons(user) == {RevokeReason.PASSWORD_CHANGE}


def test_a_hash_upgrade_at_login_is_not_a_password_change(
    api: APIClient, user: Any, login: Any, settings: Any
) -> None:
    tokens = login(user)
    settings.PASSWORD_HASHERS = [
        "tests.test_receivers.CheapPBKDF2",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    login(user)  # check_password() rehashes and saves the password

    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$1$")
    assert status_of(api, tokens) == (200, None)
    assert reasons(user) == {""}


def test_other_saves_do_not_revoke(api: APIClient, user: Any, login: Any) -> None:
    tokens = login(user)

    user.email = "new@example.com"
    user.save()
    user.save(update_fields=["last_login"])

    assert status_of(api, tokens) == (200, None)
    assert reasons(user) == {""}


def test_deactivation_revokes_every_session(
    api: APIClient, user: Any, make_user: Any, login: Any
) -> None:
    sessions = [login(user), login(user)]
    bystander = login(make_user())

    user.is_active = False
    user.save()

    assert reasons(user) == {RevokeReason.DEACTIVATED}
    for tokens in sessions:
        assert status_of(api, tokens) == (401, "token_revoked")
    assert status_of(api, bystander) == (200, None)


def test_deactivation_with_update_fields_revokes(api: APIClient, user: Any, login: Any) -> None:
    tokens = login(user)

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert status_of(api, tokens) == (401, "token_revoked")


def test_saving_an_inactive_user_again_checks_once_and_revokes_nothing_more(
    user: Any, login: Any, django_assert_num_queries: Any
) -> None:
    login(user)
    user.is_active = False
    user.save()

    with django_assert_num_queries(2):  # the was-it-active check, the UPDATE
        user.save()
    with django_assert_num_queries(1):  # an untouched is_active is not checked
        user.save(update_fields=["last_login"])


def test_deleting_the_user_kills_its_access_tokens(
    api: APIClient, user: Any, make_user: Any, login: Any
) -> None:
    tokens = login(user)
    bystander = login(make_user())

    user.delete()

    assert status_of(api, tokens) == (401, "token_revoked")
    assert not TokenFamily.objects.filter(pk=sid(tokens)).exists()
    assert status_of(api, bystander) == (200, None)


def test_creating_a_user_revokes_nothing(make_user: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):  # the INSERT alone
        make_user("bob", password=PASSWORD)


def test_an_attribute_on_the_user_names_no_session_to_keep(
    api: APIClient, user: Any, login: Any
) -> None:
    # The hidden attribute of earlier versions is gone: keep_session() is the one way.
    kept = login(user)
    user.set_password(NEW_PASSWORD)
    user.jwtauth_keep_session_id = sid(kept)
    user.save()
    assert status_of(api, kept) == (401, "token_revoked")
