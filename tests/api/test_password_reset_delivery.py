"""Password reset mail: sent after the answer, never an oracle, linked to the configured origin."""

import threading
from typing import Any

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.mail.backends.base import BaseEmailBackend

from tests.helpers.accounts import wait_for_reset_mail


def email_of(user: Any) -> str:
    return getattr(user, user.get_email_field_name())


URL = "/api/auth/password/reset/"
RELEASE = threading.Event()
ENTERED = threading.Event()


class BlockingBackend(BaseEmailBackend):
    """Holds every send until the test releases it: a mail server that takes its time."""

    def send_messages(self, messages: Any) -> int:
        ENTERED.set()
        assert RELEASE.wait(timeout=30)
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def blocking(settings: Any) -> Any:
    RELEASE.clear()
    ENTERED.clear()
    settings.EMAIL_BACKEND = "tests.api.test_password_reset_delivery.BlockingBackend"
    yield
    RELEASE.set()
    wait_for_reset_mail()


def test_answer_does_not_wait_for_the_mail_server(api: Any, user: Any, blocking: None) -> None:
    response = api.post(URL, {"email": email_of(user)}, format="json")

    # The answer is out while the mail server still holds the message.
    assert response.status_code == 202
    assert ENTERED.wait(timeout=30)
    assert mail.outbox == []
    RELEASE.set()
    wait_for_reset_mail()
    assert [m.to for m in mail.outbox] == [[email_of(user)]]


def test_unreachable_mail_server_still_answers_202_like_an_unknown_address(
    api: Any, user: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 5

    known = api.post(URL, {"email": email_of(user)}, format="json")
    unknown = api.post(URL, {"email": "nobody@example.com"}, format="json")
    wait_for_reset_mail()

    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert known.status_code == 202
    assert "Password reset mail to 1 recipient(s) failed" in caplog.text


def test_link_ignores_a_forged_host(api: Any, user: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    settings.JWTAUTH = {"PASSWORD_RESET_ORIGIN": "https://accounts.example.com"}
    api.post(URL, {"email": email_of(user)}, format="json", HTTP_HOST="evil.example")
    wait_for_reset_mail()
    [message] = mail.outbox
    assert "https://accounts.example.com/reset/?uid=" in message.body
    assert "evil.example" not in message.body


def test_without_an_origin_no_mail_is_sent_and_the_check_warns(
    api: Any, user: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.JWTAUTH = {}
    response = api.post(URL, {"email": email_of(user)}, format="json")
    wait_for_reset_mail()

    assert response.status_code == 202
    assert mail.outbox == []
    assert "PASSWORD_RESET_ORIGIN is not set" in caplog.text
    assert "jwtauth.W005" in {message.id for message in run_checks()}


@pytest.mark.django_db
@pytest.mark.parametrize("origin", ["https://example.com", "http://localhost:8000/"])
def test_a_good_origin_silences_the_check(settings: Any, origin: str) -> None:
    settings.JWTAUTH = {"PASSWORD_RESET_ORIGIN": origin}
    assert "jwtauth.W005" not in {message.id for message in run_checks()}


@pytest.mark.django_db
@pytest.mark.parametrize("origin", ["example.com", "https://example.com/app", 42])
def test_a_malformed_origin_warns(settings: Any, origin: Any) -> None:
    settings.JWTAUTH = {"PASSWORD_RESET_ORIGIN": origin}
    assert "jwtauth.W005" in {message.id for message in run_checks()}
