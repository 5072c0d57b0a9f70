"""Security events: recorded per reuse, lockout, password change/reset, admin revocation; mailed."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from jwtauth import cleanup, families
from jwtauth.models import EventKind, RevokeReason, SecurityEvent, SessionUse, TokenFamily
from tests.helpers.accounts import PASSWORD
from tests.helpers.clock import T0
from tests.helpers.http import bearer


@pytest.fixture(autouse=True)
def _replay_is_reuse(settings: Any) -> None:
    # These tests are about what follows a detected reuse: without a grace window an
    # immediate replay of the parent is one (with it, the parent gets the same successor).
    settings.JWTAUTH = {**getattr(settings, "JWTAUTH", {}), "REUSE_GRACE_SECONDS": 0}


REFRESH = "/api/auth/refresh/"
# Mail goes out on commit: the tests commit like a site does.
pytestmark = pytest.mark.django_db(transaction=True)


def refresh(token: str, ip: str, agent: str) -> Any:
    client = APIClient(REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    return client.post(REFRESH, {"refresh": token}, format="json")


def login_from(user: Any, ip: str, agent: str) -> dict[str, Any]:
    client = APIClient(REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    body = {"username": user.username, "password": PASSWORD, "transport": "body"}
    response = client.post("/api/auth/login/", body, format="json")
    assert response.status_code == 200
    return response.json()


def test_a_replay_records_who_replayed_and_the_last_legitimate_use(
    user: Any, clock: Any, mailoutbox: list[Any]
) -> None:
    first = login_from(user, "192.0.2.1", "Owner/1")
    clock.shift(60)
    second = refresh(first["refresh"], "192.0.2.2", "Owner/2").json()
    clock.shift(60)
    assert refresh(second["refresh"], "192.0.2.3", "Owner/3").status_code == 200
    clock.shift(60)

    replay = refresh(first["refresh"], "203.0.113.66", "Thief/9")

    assert replay.json()["code"] == "token_reused"
    event = SecurityEvent.objects.get()
    assert (event.user, event.kind, event.session) == (
        user,
        EventKind.REUSE,
        TokenFamily.objects.get(),
    )
    assert (event.ip, event.user_agent, event.created_at) == (
        "203.0.113.66",
        "Thief/9",
        T0 + timedelta(seconds=180),
    )
    assert (event.session_ip, event.session_user_agent) == ("192.0.2.3", "Owner/3")
    assert event.session_used_at == T0 + timedelta(seconds=120)
    (mail,) = mailoutbox
    assert mail.to == ["alice@example.com"]
    assert mail.subject == "Security notice: A stolen refresh token was used"
    assert "203.0.113.66" in mail.body and "Thief/9" in mail.body and "192.0.2.3" in mail.body
    assert "change your password and log out everywhere" in mail.body
    for token in (first["refresh"], first["access"], second["refresh"]):
        assert token not in mail.body


def test_the_lineage_records_every_use_of_the_session(user: Any, clock: Any) -> None:
    first = login_from(user, "192.0.2.1", "A/1")
    clock.shift(10)
    refresh(first["refresh"], "192.0.2.2", "A/2")
    uses = SessionUse.objects.order_by("at")
    assert [(u.kind, u.ip, u.user_agent) for u in uses] == [
        ("login", "192.0.2.1", "A/1"),
        ("refresh", "192.0.2.2", "A/2"),
    ]


def test_lockout_is_recorded_once_per_window(
    api: Any, user: Any, clock: Any, mailoutbox: list[Any]
) -> None:
    body = {"username": "alice", "password": "wrong", "transport": "body"}
    for n in range(8):
        api.post("/api/auth/login/", body, format="json", REMOTE_ADDR=f"198.51.100.{n}")
    (event,) = SecurityEvent.objects.all()
    assert (event.kind, event.ip) == (EventKind.LOCKOUT, "198.51.100.5")
    assert len(mailoutbox) == 1
    clock.shift(15 * 60)
    for n in range(6):
        api.post("/api/auth/login/", body, format="json", REMOTE_ADDR=f"198.51.100.{n}")
    assert SecurityEvent.objects.filter(kind=EventKind.LOCKOUT).count() == 2


def test_a_lockout_of_an_unknown_username_records_nothing(api: Any, db: None) -> None:
    body = {"username": "nobody", "password": "wrong", "transport": "body"}
    for n in range(7):
        api.post("/api/auth/login/", body, format="json", REMOTE_ADDR=f"198.51.100.{n}")
    assert not SecurityEvent.objects.exists()


def test_password_change_and_reset_are_recorded(
    api: Any, user: Any, login: Any, mailoutbox: list[Any]
) -> None:
    session = login(user)
    change = {"old_password": PASSWORD, "new_password": "another-long-passphrase-9"}
    api.post("/api/auth/password/change/", change, format="json", **bearer(session["access"]))
    user.refresh_from_db()
    confirm = {
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "new_password": "yet-another-long-passphrase-7",
    }
    assert api.post("/api/auth/password/reset/confirm/", confirm, format="json").status_code == 204
    kinds = list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [EventKind.PASSWORD_CHANGE, EventKind.PASSWORD_RESET]
    assert [m.subject for m in mailoutbox] == [
        "Security notice: Password changed",
        "Security notice: Password reset",
    ]


def test_registration_records_nothing(api: Any, db: None) -> None:
    body = {"username": "newbie", "email": "n@example.com", "password": PASSWORD}
    assert api.post("/api/auth/register/", body, format="json").status_code == 201
    assert not SecurityEvent.objects.exists()


def test_admin_revocation_is_recorded_per_session(admin_client: Any, user: Any, login: Any) -> None:
    login(user)
    family = TokenFamily.objects.get()
    admin_client.post(
        reverse("admin:jwtauth_tokenfamily_changelist"),
        {"action": "revoke_sessions", helpers.ACTION_CHECKBOX_NAME: [str(family.pk)]},
    )
    event = SecurityEvent.objects.get(user=user)
    assert (event.kind, event.session) == (EventKind.ADMIN_REVOKE, family)


@pytest.mark.parametrize(
    "reason", [RevokeReason.LOGOUT, RevokeReason.LOGOUT_ALL, RevokeReason.LIMIT]
)
def test_other_revocations_are_not_events(user: Any, login: Any, reason: str) -> None:
    login(user)
    families.revoke(family_ids=[TokenFamily.objects.get().pk], reason=reason)
    assert not SecurityEvent.objects.exists()


def test_mail_can_be_turned_off(
    user: Any, login: Any, settings: Any, mailoutbox: list[Any]
) -> None:
    settings.JWTAUTH = {**settings.JWTAUTH, "SECURITY_EVENT_EMAILS": False}
    first = login(user)
    refresh(first["refresh"], "192.0.2.2", "A")
    refresh(first["refresh"], "192.0.2.3", "B")
    assert SecurityEvent.objects.count() == 1 and mailoutbox == []


def test_the_mail_template_can_be_overridden(
    user: Any, login: Any, settings: Any, tmp_path: Path, mailoutbox: list[Any]
) -> None:
    (tmp_path / "jwtauth").mkdir()
    (tmp_path / "jwtauth" / "security_event_email.txt").write_text(
        "Site text: {{ what }} from {{ event.ip }}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    first = login(user)
    refresh(first["refresh"], "192.0.2.2", "A")
    refresh(first["refresh"], "192.0.2.3", "B")
    assert mailoutbox[0].body == "Site text: A stolen refresh token was used from 192.0.2.3"


def test_a_user_without_an_address_gets_no_mail(
    make_user: Any, login: Any, mailoutbox: list[Any]
) -> None:
    first = login(make_user("noaddr", email=""))
    refresh(first["refresh"], "192.0.2.2", "A")
    refresh(first["refresh"], "192.0.2.3", "B")
    assert SecurityEvent.objects.count() == 1 and mailoutbox == []


def test_a_mail_server_failure_does_not_fail_the_request(
    user: Any, login: Any, settings: Any, caplog: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = 1  # nothing listens there
    first = login(user)
    refresh(first["refresh"], "192.0.2.2", "A")
    replay = refresh(first["refresh"], "192.0.2.3", "B")
    assert replay.json()["code"] == "token_reused"
    assert "not mailed" in caplog.text


def test_events_outlive_the_cleanup_of_their_session(user: Any, login: Any, clock: Any) -> None:
    first = login(user)
    refresh(first["refresh"], "192.0.2.2", "A")
    refresh(first["refresh"], "192.0.2.3", "B")
    clock.shift(60 * 24 * 3600)
    cleanup.run(older_than=T0 + timedelta(days=50))
    assert not TokenFamily.objects.exists() and not SessionUse.objects.exists()
    assert SecurityEvent.objects.get().session is None
