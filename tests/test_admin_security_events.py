"""Admin session page: lineage and reuse events, read-only, never a token or digest."""

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from jwtauth.models import RefreshToken, SecurityEvent, TokenFamily


@pytest.fixture(autouse=True)
def _replay_is_reuse(settings: Any) -> None:
    # These tests are about what follows a detected reuse: without a grace window an
    # immediate replay of the parent is one (with it, the parent gets the same successor).
    settings.JWTAUTH = {**getattr(settings, "JWTAUTH", {}), "REUSE_GRACE_SECONDS": 0}


def _replayed_session(user: Any, login: Any) -> tuple[list[str], TokenFamily]:
    first = login(user)
    client = APIClient(REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT="Owner/7")
    second = client.post("/api/auth/refresh/", {"refresh": first["refresh"]}, format="json")
    thief = APIClient(REMOTE_ADDR="203.0.113.99", HTTP_USER_AGENT="Thief/3")
    thief.post("/api/auth/refresh/", {"refresh": first["refresh"]}, format="json")
    # The tokens only: the answer's other fields (expires_in 900) may well appear in a page.
    secrets = [first["refresh"], first["access"], second.json()["refresh"], second.json()["access"]]
    return secrets, TokenFamily.objects.get()


def test_session_page_shows_lineage_and_the_reuse_event(
    admin_client: Client, user: Any, login: Any
) -> None:
    secrets, family = _replayed_session(user, login)

    page = admin_client.get(reverse("admin:jwtauth_tokenfamily_change", args=[family.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    text = html.lower()
    assert "lineage" in text and "192.0.2.44" in html and "Owner/7" in html
    assert "security events" in text and "203.0.113.99" in html and "Thief/3" in html
    for secret in secrets + list(RefreshToken.objects.values_list("digest", flat=True)):
        assert secret not in html
    # Read-only: the inlines' values are text, not form fields.
    assert 'name="uses-0-ip"' not in html and 'name="security_events-0-ip"' not in html


def test_view_only_staff_see_the_lineage(
    client: Client, make_user: Any, user: Any, login: Any
) -> None:
    _, family = _replayed_session(user, login)
    staff = make_user("viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_tokenfamily"))
    client.force_login(staff)
    html = client.get(reverse("admin:jwtauth_tokenfamily_change", args=[family.pk])).content
    assert b"192.0.2.44" in html and b"203.0.113.99" in html


def test_security_event_changelist_is_read_only(
    admin_client: Client, user: Any, login: Any
) -> None:
    _replayed_session(user, login)
    changelist = reverse("admin:jwtauth_securityevent_changelist")
    listing = admin_client.get(changelist).content.decode()
    assert "A stolen refresh token was used" in listing and "alice" in listing
    event = SecurityEvent.objects.get()
    detail = admin_client.get(reverse("admin:jwtauth_securityevent_change", args=[event.pk]))
    assert detail.status_code == 200 and b'type="submit" value="Save"' not in detail.content
    assert admin_client.get(reverse("admin:jwtauth_securityevent_add")).status_code == 403
