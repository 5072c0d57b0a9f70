"""Login and password reset answer alike, and do the same work, for unknown accounts."""

from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.tokens import default_token_generator
from django.core import mail

from tests.helpers.accounts import PASSWORD, wait_for_reset_mail

LOGIN = "/api/auth/login/"
RESET = "/api/auth/password/reset/"


class CountingHasher(MD5PasswordHasher):
    """MD5 that counts how often a password is hashed or checked."""

    calls = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting(settings: Any) -> type[CountingHasher]:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    return CountingHasher


def answer(response: Any) -> tuple[int, Any, str | None, str | None]:
    return (
        response.status_code,
        response.json(),
        response.get("WWW-Authenticate"),
        response.get("Content-Type"),
    )


@pytest.mark.parametrize(
    ("unknown", "known"),
    [
        ({"username": "ghost"}, {"username": "alice"}),
        ({"email": "ghost@example.com"}, {"email": "alice@example.com"}),
    ],
)
def test_unknown_user_and_wrong_password_answer_alike(
    api: Any, make_user: Any, counting: type[CountingHasher], unknown: dict, known: dict
) -> None:
    make_user("alice")
    counting.calls = 0
    missing = api.post(LOGIN, unknown | {"password": "wrong"}, format="json")
    hashes_for_missing = counting.calls
    counting.calls = 0
    wrong = api.post(LOGIN, known | {"password": "wrong"}, format="json")
    assert answer(missing) == answer(wrong)
    assert missing.json() == {
        "detail": "Invalid username or password.",
        "code": "invalid_credentials",
    }
    # One password hash is computed either way, so the time is comparable.
    assert hashes_for_missing == counting.calls == 1


def test_inactive_user_answers_like_a_wrong_password(api: Any, make_user: Any) -> None:
    make_user("sleeper", is_active=False)
    asleep = api.post(LOGIN, {"username": "sleeper", "password": PASSWORD}, format="json")
    missing = api.post(LOGIN, {"username": "ghost", "password": PASSWORD}, format="json")
    assert answer(asleep) == answer(missing)


def test_reset_answers_alike_and_builds_a_token_either_way(
    api: Any, user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Any] = []
    make_token = default_token_generator.make_token

    def counting_make_token(who: Any) -> str:
        made.append(who)
        return make_token(who)

    monkeypatch.setattr(default_token_generator, "make_token", counting_make_token)
    known = api.post(RESET, {"email": "alice@example.com"}, format="json")
    unknown = api.post(RESET, {"email": "ghost@example.com"}, format="json")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert dict(known.items()).keys() == dict(unknown.items()).keys()
    assert len(made) == 2
    wait_for_reset_mail()
    assert len(mail.outbox) == 1
