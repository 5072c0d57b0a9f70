"""POST /api/auth/register/, for whatever user model the settings select.

The body carries the model's ``USERNAME_FIELD``, email field and ``REQUIRED_FIELDS`` (Django's
User: ``username``, ``email``), a ``password`` and an optional ``transport``.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from jwtauth.models import TokenFamily
from tests.helpers.accounts import username_of
from tests.helpers.http import bearer

URL = "/api/auth/register/"
STRONG = "a-long-and-unusual-passphrase-42"
MODEL = get_user_model()
USERNAME = MODEL.USERNAME_FIELD
EMAIL = MODEL.get_email_field_name()
EMAIL_LOGIN = USERNAME == EMAIL


def body_for(name: str, **fields: Any) -> dict[str, Any]:
    """A valid registration body for the account ``name``, with ``fields`` overriding."""
    body = {name_: name for name_ in MODEL.REQUIRED_FIELDS}
    body |= {USERNAME: username_of(name), EMAIL: f"{name}@example.com", "password": STRONG}
    return body | fields


def register(api: Any, name: str = "newbie", **fields: Any) -> Any:
    return api.post(URL, body_for(name, **fields), format="json")


def json_id(user: Any) -> Any:
    return str(user.pk) if isinstance(user.pk, UUID) else user.pk


@pytest.mark.django_db
def test_register_with_cookie_transport(api: Any, settings: Any) -> None:
    response = register(api)
    assert response.status_code == 201, response.content
    body = response.json()
    user = MODEL.objects.get(**{EMAIL: "newbie@example.com"})
    assert body["user"] == {
        "id": json_id(user),
        "username": username_of("newbie"),
        "email": "newbie@example.com",
    }
    assert body["token_type"] == "Bearer" and body["access"] and "refresh" not in body
    cookie = response.cookies["refresh_token"]
    assert cookie["httponly"] and cookie["path"] == "/api/auth/"
    assert user.check_password(STRONG)
    assert TokenFamily.objects.filter(user=user, revoked_at__isnull=True).count() == 1
    me = api.get("/api/auth/me/", **bearer(body["access"]))
    assert me.status_code == 200 and me.json()["username"] == username_of("newbie")


@pytest.mark.django_db
def test_register_with_body_transport(api: Any) -> None:
    response = register(api, transport="body")
    assert response.status_code == 201
    assert response.json()["refresh"]
    assert "refresh_token" not in response.cookies
    refreshed = api.post("/api/auth/refresh/", {"refresh": response.json()["refresh"]})
    assert refreshed.status_code == 200


@pytest.mark.django_db
def test_disabled_transport_is_a_field_error(api: Any, settings: Any) -> None:
    settings.JWTAUTH = {"TRANSPORTS": ("cookie",)}
    response = register(api, transport="body")
    assert response.status_code == 400
    assert "transport" in response.json()
    assert not MODEL.objects.exists()


@pytest.mark.skipif(EMAIL_LOGIN, reason="the username is the email address")
def test_duplicate_username_is_a_field_error(api: Any, make_user: Any) -> None:
    make_user("newbie", email="other@example.com")
    response = register(api, **{USERNAME: "NewBie"})
    assert response.status_code == 400
    assert list(response.json()) == [USERNAME]
    assert MODEL.objects.count() == 1


def test_duplicate_email_is_a_field_error(api: Any, make_user: Any) -> None:
    make_user("someone", email="newbie@example.com")
    response = register(api, **{EMAIL: "NEWBIE@example.com"})
    assert response.status_code == 400
    assert list(response.json()) == [EMAIL]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    ["short1!", "password123", "12345678901234", "newbie-example", "newbie@example.com"],
)
def test_password_validators_apply(api: Any, password: str) -> None:
    response = register(api, password=password)
    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not MODEL.objects.exists()


@pytest.mark.django_db
def test_user_attribute_similarity_uses_the_new_account(api: Any) -> None:
    response = register(api, "zebracorn", password="zebracorn1")
    assert response.status_code == 400
    assert any("similar" in message for message in response.json()["password"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({USERNAME: "bad name!"}, USERNAME),
        ({USERNAME: "x" * 255}, USERNAME),
        ({USERNAME: ""}, USERNAME),
        ({EMAIL: "not-an-email"}, EMAIL),
        ({USERNAME: 1.5e-111}, USERNAME),
        ({"password": 12345678901234567}, "password"),
        ({"password": ""}, "password"),
        ({"transport": "carrier-pigeon"}, "transport"),
    ],
)
def test_bad_input_is_a_field_error(api: Any, fields: dict[str, str], field: str) -> None:
    response = register(api, **fields)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_email_that_lengthens_when_normalised_is_a_field_error(api: Any) -> None:
    # 254 characters as sent, more once the domain is lowercased ("İ" becomes "i̇"): PostgreSQL
    # refused the row with a 500 before the normalised address was checked again.
    domain = "İ" * 10 + ".com"
    email = "a" * (254 - len(domain) - 1) + "@" + domain
    response = register(api, **{EMAIL: email})
    assert response.status_code == 400
    assert EMAIL in response.json()
    assert not MODEL.objects.exists()


@pytest.mark.django_db
def test_missing_fields_are_field_errors(api: Any) -> None:
    response = api.post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {USERNAME, EMAIL, *MODEL.REQUIRED_FIELDS, "password"}


@pytest.mark.django_db
def test_every_field_error_comes_in_one_answer(api: Any, make_user: Any) -> None:
    make_user("taken", email="taken@example.com")
    bad_username = {} if EMAIL_LOGIN else {USERNAME: "bad name!"}
    response = register(api, **bad_username, **{EMAIL: "TAKEN@example.com"}, password="short")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {*bad_username, EMAIL, "password"}
    assert errors[EMAIL] == ["A user with that email address already exists."]
    assert any("too short" in message for message in errors["password"])
    assert MODEL.objects.count() == 1


@pytest.mark.django_db
def test_input_errors_and_checks_of_the_valid_fields_come_together(api: Any) -> None:
    # The email is malformed (input validation); the password is weak (a service check).
    response = register(api, **{EMAIL: "not-an-email"}, password="password123")
    assert response.status_code == 400
    assert EMAIL in response.json() and "password" in response.json()


@pytest.mark.django_db
def test_a_body_that_is_not_an_object_is_a_400(api: Any) -> None:
    response = api.post(URL, [1, 2], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_concurrent_duplicate_is_a_field_error_not_a_500(
    api: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user("newbie", email="newbie@example.com")
    # As if another request created the user between the check and the insert.
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    response = register(api)
    assert response.status_code == 400
    assert list(response.json()) == [USERNAME]


@pytest.mark.django_db
def test_register_is_rate_limited_per_ip(api: Any, time_machine: Any) -> None:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, tzinfo=UTC), tick=False)
    for n in range(5):
        assert register(api, f"u{n}").status_code == 201
    refused = register(api, "u5")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 3600
    assert not MODEL.objects.filter(**{EMAIL: "u5@example.com"}).exists()
    other_ip = api.post(URL, body_for("u6"), format="json", REMOTE_ADDR="192.0.2.9")
    assert other_ip.status_code == 201
    time_machine.shift(wait)
    assert register(api, "u5").status_code == 201
