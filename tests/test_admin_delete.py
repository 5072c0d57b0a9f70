"""Admin: deleting sessions revokes them first; the list shows where each was last used."""

from typing import Any

from django.contrib.admin import helpers
from django.urls import reverse

from jwtauth import tokens
from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer

CHANGELIST = reverse("admin:jwtauth_tokenfamily_changelist")


def _sid(body: dict[str, Any]) -> str:
    return tokens.verify_access(body["access"])["sid"]


def test_delete_selected_revokes_before_deleting(
    admin_client: Any, api: Any, user: Any, login: Any, receive: Any
) -> None:
    from jwtauth import signals

    revoked = receive(signals.session_revoked)
    gone, kept = login(user), login(user)
    response = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [_sid(gone)], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert not TokenFamily.objects.filter(pk=_sid(gone)).exists()
    denied = api.get("/api/profile/", **bearer(gone["access"]))
    assert (denied.status_code, denied.json()["code"]) == (401, "token_revoked")
    assert [call["reason"] for call in revoked] == [RevokeReason.ADMIN]
    assert api.get("/api/profile/", **bearer(kept["access"])).status_code == 200


def test_delete_from_the_change_page_revokes_first(
    admin_client: Any, api: Any, user: Any, login: Any
) -> None:
    body = login(user)
    url = reverse("admin:jwtauth_tokenfamily_delete", args=[_sid(body)])
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert not TokenFamily.objects.exists()
    denied = api.get("/api/profile/", **bearer(body["access"]))
    assert (denied.status_code, denied.json()["code"]) == (401, "token_revoked")
    refresh = api.post("/api/auth/refresh/", {"refresh": body["refresh"]}, format="json")
    assert refresh.status_code == 401


def test_list_shows_user_agent_last_ip_and_revoke_reason(
    admin_client: Any, api: Any, user: Any
) -> None:
    body = api.post(
        "/api/auth/login/",
        {"username": user.get_username(), "password": PASSWORD, "transport": "body"},
        format="json",
        HTTP_USER_AGENT="Firefox on the laptop",
        REMOTE_ADDR="192.0.2.10",
    ).json()
    api.post(
        "/api/auth/refresh/",
        {"refresh": body["refresh"]},
        format="json",
        HTTP_USER_AGENT="Firefox on the train",
        REMOTE_ADDR="198.51.100.20",
    )
    api.post("/api/auth/logout/", {"refresh": body["refresh"]}, format="json")

    page = admin_client.get(CHANGELIST).content.decode()

    assert "Firefox on the train" in page
    assert "198.51.100.20" in page and "192.0.2.10" in page
    assert "Logged out" in page
