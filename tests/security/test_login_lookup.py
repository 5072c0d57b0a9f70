"""A username containing "@" is a username: login looks an account up by the field sent.

``username`` finds a username, ``email`` an email address, and ``identifier`` (one field for
both) a username first. Guesses count against the account that was looked up, never another.
"""

from typing import Any

import pytest

from jwtauth import tokens
from tests.helpers.accounts import PASSWORD

URL = "/api/auth/login/"
A_PASSWORD = "first-account-password-1"
B_PASSWORD = "second-account-password-2"


@pytest.fixture
def accounts(make_user: Any) -> tuple[Any, Any]:
    first = make_user("alice@corp.example", password=A_PASSWORD, email="alice@home.example")
    second = make_user("bob", password=B_PASSWORD, email="alice@corp.example")
    return first, second


def _login(api: Any, address: str = "192.0.2.1", **data: str) -> Any:
    return api.post(URL, {**data, "transport": "body"}, format="json", REMOTE_ADDR=address)


def _subject(response: Any) -> str:
    assert response.status_code == 200, response.content
    return tokens.verify_access(response.json()["access"])["sub"]


@pytest.mark.django_db
def test_each_field_finds_its_own_account(api: Any, accounts: tuple[Any, Any]) -> None:
    first, second = accounts
    response = _login(api, username="alice@corp.example", password=A_PASSWORD)
    assert _subject(response) == str(first.pk)
    refused = _login(api, username="alice@corp.example", password=B_PASSWORD)
    assert refused.status_code == 401
    assert _subject(_login(api, email="alice@corp.example", password=B_PASSWORD)) == str(second.pk)
    assert _login(api, email="alice@corp.example", password=A_PASSWORD).status_code == 401


@pytest.mark.django_db
def test_in_the_identifier_field_an_exact_username_wins(
    api: Any, accounts: tuple[Any, Any]
) -> None:
    first, second = accounts
    response = _login(api, identifier="alice@corp.example", password=A_PASSWORD)
    assert _subject(response) == str(first.pk)
    assert _login(api, identifier="alice@corp.example", password=B_PASSWORD).status_code == 401
    # No username matches: the email does.
    response = _login(api, identifier="ALICE@home.example", password=A_PASSWORD)
    assert _subject(response) == str(first.pk)
    assert _subject(_login(api, identifier="bob", password=B_PASSWORD)) == str(second.pk)


@pytest.mark.django_db
def test_guesses_by_username_count_against_that_account_only(
    api: Any, accounts: tuple[Any, Any]
) -> None:
    for n in range(5):
        wrong = _login(api, f"192.0.2.{n + 10}", username="alice@corp.example", password="x")
        assert wrong.status_code == 401
    locked = _login(api, username="alice@corp.example", password=A_PASSWORD)
    assert (locked.status_code, locked.json()["code"]) == (429, "account_locked")
    assert _login(api, email="alice@corp.example", password=B_PASSWORD).status_code == 200


@pytest.mark.django_db
def test_guesses_for_an_unknown_email_never_lock_a_username_equal_to_it(
    api: Any, make_user: Any
) -> None:
    carol = make_user("carol@corp.example", email="carol@home.example")
    for n in range(6):
        _login(api, f"192.0.2.{n + 10}", email="carol@corp.example", password="x")

    assert _subject(_login(api, username="carol@corp.example", password=PASSWORD)) == str(carol.pk)


@pytest.mark.django_db
def test_an_unknown_email_is_refused_like_a_wrong_password(api: Any, make_user: Any) -> None:

    make_user("dave@corp.example", email="dave@home.example")
    # No account has this email; the account whose *username* it is must not answer.
    response = _login(api, email="dave@corp.example", password=PASSWORD)
    assert (response.status_code, response.json()["code"]) == (401, "invalid_credentials")
