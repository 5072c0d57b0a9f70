"""HasRole reads the token's roles claim, with no database access."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from rest_framework.request import Request

from jwtauth.exceptions import NotAuthenticated, PermissionDenied
from jwtauth.permissions import HasRole
from tests.helpers.http import bearer


def _request(auth: object) -> Request:
    request = Request(RequestFactory().get("/"))
    request._authenticator, request._user, request._auth = None, None, auth
    return request


def test_role_present_is_allowed() -> None:
    assert HasRole("admin").has_permission(_request({"roles": ["admin"]}), None)


def test_any_of_several_roles_is_enough() -> None:
    permission = HasRole("admin", "editors")
    assert permission.has_permission(_request({"roles": ["editors"]}), None)


@pytest.mark.parametrize("roles", [[], ["staff"], ["Admin"]])
def test_role_missing_is_permission_denied(roles: list[str]) -> None:
    with pytest.raises(PermissionDenied):
        HasRole("admin").has_permission(_request({"roles": roles}), None)


@pytest.mark.parametrize("auth", [None, "token", {"sub": "1"}])
def test_no_claims_is_not_authenticated(auth: object) -> None:
    with pytest.raises(NotAuthenticated):
        HasRole("admin").has_permission(_request(auth), None)


def test_has_role_needs_a_role() -> None:
    with pytest.raises(TypeError):
        HasRole()


def test_admin_area_for_staff(
    api: Any, make_user: Any, login: Any, django_assert_num_queries: Any, log_read: None
) -> None:
    staff = make_user("boss", is_staff=True)
    access = login(staff)["access"]
    with django_assert_num_queries(0):
        response = api.get("/api/admin/", **bearer(access))
    assert response.status_code == 200
    assert response.json()["id"] == staff.pk


def test_admin_area_refuses_normal_users(
    api: Any, user: Any, login: Any, django_assert_num_queries: Any, log_read: None
) -> None:
    access = login(user)["access"]
    with django_assert_num_queries(0):
        response = api.get("/api/admin/", **bearer(access))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_admin_area_needs_authentication(api: Any, db: None) -> None:
    response = api.get("/api/admin/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_group_names_are_roles(api: Any, user: Any, login: Any) -> None:
    user.groups.add(Group.objects.create(name="admin"))
    access = login(user)["access"]
    assert api.get("/api/admin/", **bearer(access)).status_code == 200
