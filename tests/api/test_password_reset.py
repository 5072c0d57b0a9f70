"""POST /api/auth/password/reset/."""

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.http import urlsafe_base64_decode

from tests.helpers.accounts import wait_for_reset_mail

URL = "/api/auth/password/reset/"
DETAIL = "If an account uses this address, a password reset link has been sent to it."


def reset(api: Any, email: str, **extra: Any) -> Any:
    response = api.post(URL, {"email": email}, format="json", **extra)
    wait_for_reset_mail()
    return response


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found is not None, message.body
    return found.group(0)


def test_mails_a_single_use_link(api: Any, user: Any) -> None:
    response = reset(api, "alice@example.com")
    assert response.status_code == 202
    assert response.json() == {"detail": DETAIL}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "alice" in message.body
    link = urlsplit(link_in(message))
    # From PASSWORD_RESET_ORIGIN, never from the request's Host.
    assert (link.scheme, link.netloc, link.path) == ("http", "localhost:8000", "/reset/")
    query = parse_qs(link.query)
    assert urlsafe_base64_decode(query["uid"][0]).decode() == str(user.pk)
    assert default_token_generator.check_token(user, query["token"][0])


def test_mail_goes_to_the_stored_address(api: Any, user: Any) -> None:
    assert reset(api, "ALICE@EXAMPLE.COM").status_code == 202
    assert mail.outbox[0].to == ["alice@example.com"]


@pytest.mark.django_db
def test_unknown_address_gets_the_same_answer_and_no_mail(api: Any) -> None:
    response = reset(api, "nobody@example.com")
    assert response.status_code == 202
    assert response.json() == {"detail": DETAIL}
    assert mail.outbox == []


@pytest.mark.user_fields("is_active")
def test_inactive_and_passwordless_accounts_get_no_mail(api: Any, make_user: Any) -> None:
    make_user("sleeper", email="sleeper@example.com", is_active=False)
    passwordless = make_user("social", email="social@example.com")
    passwordless.set_unusable_password()
    passwordless.save()
    assert reset(api, "sleeper@example.com").status_code == 202
    assert reset(api, "social@example.com").status_code == 202
    assert mail.outbox == []


def test_lookalike_address_gets_no_mail(api: Any, make_user: Any) -> None:
    make_user("mike", email="mike@example.org")
    # Dotless ı upper-cases to I, so a case-insensitive database match pairs it with "mike".
    assert reset(api, "m\u0131ke@example.org").status_code == 202
    assert mail.outbox == []


@pytest.mark.shared_email
def test_every_account_with_the_address_gets_its_own_link(api: Any, make_user: Any) -> None:
    make_user("twin1", email="twins@example.com")
    make_user("twin2", email="twins@example.com")
    reset(api, "twins@example.com")
    assert len(mail.outbox) == 2
    assert {"twin1", "twin2"} == {
        name for m in mail.outbox for name in ("twin1", "twin2") if f"account {name}." in m.body
    }
    assert link_in(mail.outbox[0]) != link_in(mail.outbox[1])


def test_reset_url_is_configurable(api: Any, user: Any, settings: Any) -> None:
    settings.JWTAUTH = {"PASSWORD_RESET_URL": "https://app.example.com/#/reset/{uid}/{token}"}
    reset(api, "alice@example.com")
    assert link_in(mail.outbox[0]).startswith("https://app.example.com/#/reset/")


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"email": ""}, {"email": "not-an-address"}])
def test_bad_email_is_a_field_error(api: Any, body: dict[str, str]) -> None:
    response = api.post(URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_reset_requests_are_rate_limited_per_ip(api: Any, user: Any, time_machine: Any) -> None:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, 3, tzinfo=UTC), tick=False)
    for _ in range(5):
        assert reset(api, "alice@example.com").status_code == 202
    refused = reset(api, "alice@example.com")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 3600
    assert len(mail.outbox) == 5
    assert reset(api, "alice@example.com", REMOTE_ADDR="192.0.2.4").status_code == 202
    time_machine.shift(wait)
    assert reset(api, "alice@example.com").status_code == 202
