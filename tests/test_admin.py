"""TokenFamily admin: list, search, view, and the "Revoke selected sessions" action."""

from typing import Any

from django.contrib.admin import helpers
from django.urls import reverse

from jwtauth import tokens
from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.http import bearer

CHANGELIST = reverse("admin:jwtauth_tokenfamily_changelist")


def test_changelist_renders(admin_client: Any, make_user: Any, login: Any) -> None:
    login(make_user("carol"))
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "carol" in content
    assert "127.0.0.1" in content
    assert "Revoke selected sessions" in content


def test_changelist_filters_render(admin_client: Any, user: Any, login: Any) -> None:
    login(user)
    assert admin_client.get(CHANGELIST, {"status": "active"}).status_code == 200
    assert "alice" in admin_client.get(CHANGELIST, {"status": "active"}).content.decode()
    assert "alice" not in admin_client.get(CHANGELIST, {"status": "revoked"}).content.decode()


def test_search(admin_client: Any, make_user: Any, login: Any) -> None:
    login(make_user("carol", email="carol@corp.example"))
    login(make_user("dave"))
    by_name = admin_client.get(CHANGELIST, {"q": "carol"}).content.decode()
    assert "carol" in by_name and "dave" not in by_name
    by_email = admin_client.get(CHANGELIST, {"q": "corp.example"}).content.decode()
    assert "carol" in by_email and "dave" not in by_email
    nobody = admin_client.get(CHANGELIST, {"q": "zzz"}).content.decode()
    assert "carol" not in nobody


def test_change_page_renders_with_token_inline(admin_client: Any, user: Any, login: Any) -> None:
    body = login(user)
    family = TokenFamily.objects.get()
    response = admin_client.get(reverse("admin:jwtauth_tokenfamily_change", args=[family.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert tokens.verify_refresh(body["refresh"])["jti"] in content
    assert body["refresh"] not in content


def test_revoke_action(admin_client: Any, api: Any, user: Any, login: Any) -> None:
    body, kept = login(user), login(user)
    sid = tokens.verify_access(body["access"])["sid"]
    response = admin_client.post(
        CHANGELIST,
        {"action": "revoke_sessions", helpers.ACTION_CHECKBOX_NAME: [sid]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 session revoked." in response.content.decode()
    family = TokenFamily.objects.get(pk=sid)
    assert family.revoke_reason == RevokeReason.ADMIN
    revoked = api.get("/api/profile/", **bearer(body["access"]))
    assert revoked.status_code == 401
    assert revoked.json()["code"] == "token_revoked"
    assert api.get("/api/profile/", **bearer(kept["access"])).status_code == 200
    refresh = api.post("/api/auth/refresh/", {"refresh": body["refresh"]}, format="json")
    assert refresh.json()["code"] == "token_revoked"


def test_sessions_cannot_be_added_or_edited(admin_client: Any, user: Any, login: Any) -> None:
    login(user)
    family = TokenFamily.objects.get()
    assert admin_client.get(reverse("admin:jwtauth_tokenfamily_add")).status_code == 403
    url = reverse("admin:jwtauth_tokenfamily_change", args=[family.pk])
    assert admin_client.post(url, {"ip": "10.0.0.1"}).status_code == 403
    family.refresh_from_db()
    assert family.ip == "127.0.0.1"


def test_staff_without_permission_cannot_see_sessions(
    client: Any, make_user: Any, user: Any, login: Any
) -> None:
    login(user)
    staff = make_user("clerk", is_staff=True)
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 403
