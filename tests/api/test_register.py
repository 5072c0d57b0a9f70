"""POST /api/auth/register/."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from jwtauth.models import TokenFamily
from tests.conftest import bearer

URL = "/api/auth/register/"
STRONG = "a-long-and-unusual-passphrase-42"


def register(api: Any, **fields: Any) -> Any:
    body = {"username": "newbie", "email": "newbie@example.com", "password": STRONG} | fields
    return api.post(URL, body, format="json")


@pytest.mark.django_db
def test_register_with_cookie_transport(api: Any, settings: Any) -> None:
    response = register(api)
    assert response.status_code == 201, response.content
    body = response.json()
    user = get_user_model().objects.get(username="newbie")
    assert body["user"] == {"id": user.pk, "username": "newbie", "email": "newbie@example.com"}
    assert body["token_type"] == "Bearer" and body["access"] and "refresh" not in body
    cookie = response.cookies["refresh_token"]
    assert cookie["httponly"] and cookie["path"] == "/api/auth/"
    assert user.check_password(STRONG)
    assert TokenFamily.objects.filter(user=user, revoked_at__isnull=True).count() == 1
    me = api.get("/api/auth/me/", **bearer(body["access"]))
    assert me.status_code == 200 and me.json()["username"] == "newbie"


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
    assert not get_user_model().objects.exists()


def test_duplicate_username_is_a_field_error(api: Any, make_user: Any) -> None:
    make_user("newbie", email="other@example.com")
    response = register(api, username="NewBie")
    assert response.status_code == 400
    assert list(response.json()) == ["username"]
    assert get_user_model().objects.count() == 1


def test_duplicate_email_is_a_field_error(api: Any, make_user: Any) -> None:
    make_user("someone", email="newbie@example.com")
    response = register(api, email="NEWBIE@example.com")
    assert response.status_code == 400
    assert list(response.json()) == ["email"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    ["short1!", "password123", "12345678901234", "newbie-example", "newbie@example.com"],
)
def test_password_validators_apply(api: Any, password: str) -> None:
    response = register(api, password=password)
    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_user_attribute_similarity_uses_the_new_account(api: Any) -> None:
    response = register(api, username="zebracorn", password="zebracorn1")
    assert response.status_code == 400
    assert any("similar" in message for message in response.json()["password"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "bad name!"}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"username": ""}, "username"),
        ({"email": "not-an-email"}, "email"),
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
    response = register(api, email=email)
    assert response.status_code == 400
    assert "email" in response.json()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_missing_fields_are_field_errors(api: Any) -> None:
    response = api.post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "email", "password"}


def test_concurrent_duplicate_is_a_field_error_not_a_500(
    api: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user("newbie", email="first@example.com")
    # As if another request created the user between the check and the insert.
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    response = register(api)
    assert response.status_code == 400
    assert list(response.json()) == ["username"]


@pytest.mark.django_db
def test_register_is_rate_limited_per_ip(api: Any, time_machine: Any) -> None:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, tzinfo=UTC), tick=False)
    for n in range(5):
        assert register(api, username=f"u{n}", email=f"u{n}@example.com").status_code == 201
    refused = register(api, username="u5", email="u5@example.com")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 3600
    assert not get_user_model().objects.filter(username="u5").exists()
    other_ip = api.post(
        URL,
        {"username": "u6", "email": "u6@example.com", "password": STRONG},
        format="json",
        REMOTE_ADDR="192.0.2.9",
    )
    assert other_ip.status_code == 201
    time_machine.shift(wait)
    assert register(api, username="u5", email="u5@example.com").status_code == 201
