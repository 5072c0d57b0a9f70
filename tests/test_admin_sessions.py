"""Admin: the sessions inline on the user page, "Log out everywhere", the stock-admin guard."""

from typing import Any

import jwt
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from jwtauth.admin import SessionInline, SessionsUserAdmin, install_user_admin
from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.http import bearer


def user_admin_url(view: str, *args: Any) -> str:
    """The site user model's admin page (``changelist``, ``change``), whatever the model."""
    opts = get_user_model()._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def sid(tokens: dict[str, Any]) -> str:
    return jwt.decode(tokens["access"], options={"verify_signature": False})["sid"]


def change_form(user: Any, **extra: str) -> dict[str, str]:
    """The POST of Django's user change form with the user's current values."""
    return {
        "username": user.username,
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "token_families-INITIAL_FORMS": "0",
        "token_families-TOTAL_FORMS": "0",
        "token_families-MIN_NUM_FORMS": "0",
        "token_families-MAX_NUM_FORMS": "1000",
        **extra,
    }


@pytest.mark.stock_user
def test_the_stock_user_admin_gets_the_inline_and_action() -> None:
    model_admin = admin.site._registry[get_user_model()]

    assert type(model_admin) is SessionsUserAdmin
    assert SessionInline in model_admin.inlines
    assert "log_out_everywhere" in model_admin.actions


def test_a_custom_user_admin_is_left_alone() -> None:
    class SiteUserAdmin(UserAdmin):
        pass

    site = admin.AdminSite(name="custom")
    site.register(get_user_model(), SiteUserAdmin)
    install_user_admin(site)
    assert type(site._registry[get_user_model()]) is SiteUserAdmin

    stock = admin.AdminSite(name="stock")
    stock.register(get_user_model(), UserAdmin)
    install_user_admin(stock)
    assert type(stock._registry[get_user_model()]) is SessionsUserAdmin


def test_user_page_lists_active_sessions_only(
    admin_client: Client, api: APIClient, user: Any, login: Any
) -> None:
    live = login(user)
    ended = login(user)
    api.post("/api/auth/logout/", {"refresh": ended["refresh"]}, format="json")

    response = admin_client.get(user_admin_url("change", user.pk))

    assert response.status_code == 200
    (inline,) = [
        f for f in response.context["inline_admin_formsets"] if f.opts.model is TokenFamily
    ]
    assert [str(form.instance.pk) for form in inline.formset.forms] == [sid(live)]
    assert inline.has_delete_permission


@pytest.mark.stock_user  # posts the stock UserAdmin's change form
def test_ticking_delete_revokes_the_session_and_keeps_its_row(
    admin_client: Client, api: APIClient, user: Any, login: Any
) -> None:
    doomed, sibling = login(user), login(user)
    data = change_form(
        user,
        **{
            "token_families-INITIAL_FORMS": "1",
            "token_families-TOTAL_FORMS": "1",
            "token_families-0-id": sid(doomed),
            "token_families-0-user": str(user.pk),
            "token_families-0-DELETE": "on",
        },
    )

    response = admin_client.post(user_admin_url("change", user.pk), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    family = TokenFamily.objects.get(pk=sid(doomed))
    assert family.revoke_reason == RevokeReason.ADMIN
    assert api.get("/api/auth/me/", **bearer(doomed["access"])).json()["code"] == "token_revoked"
    assert api.get("/api/auth/me/", **bearer(sibling["access"])).status_code == 200


def test_log_out_everywhere_action(
    admin_client: Client, api: APIClient, user: Any, make_user: Any, login: Any
) -> None:
    sessions = [login(user), login(user)]
    bystander = login(make_user())

    response = admin_client.post(
        user_admin_url("changelist"),
        {"action": "log_out_everywhere", "_selected_action": [str(user.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 sessions revoked." in [str(m) for m in response.context["messages"]]
    assert set(TokenFamily.objects.filter(user=user).values_list("revoke_reason", flat=True)) == {
        RevokeReason.ADMIN
    }
    for tokens in sessions:
        assert api.get("/api/auth/me/", **bearer(tokens["access"])).status_code == 401
    assert api.get("/api/auth/me/", **bearer(bystander["access"])).status_code == 200


def test_staff_without_the_permission_get_neither_action_nor_revoke(
    client: Client, user: Any, make_user: Any, login: Any
) -> None:
    staff = make_user(is_staff=True)
    model = get_user_model()._meta.model_name
    codenames = [f"view_{model}", f"change_{model}", "view_tokenfamily"]
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(staff)
    login(user)

    changelist = client.get(user_admin_url("changelist"))
    page = client.get(user_admin_url("change", user.pk))

    assert "log_out_everywhere" not in changelist.content.decode()
    (inline,) = [f for f in page.context["inline_admin_formsets"] if f.opts.model is TokenFamily]
    assert len(inline.formset.forms) == 1
    assert not inline.has_delete_permission
