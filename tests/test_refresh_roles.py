"""The access token a refresh issues carries the user's roles as they are at the refresh.

On PostgreSQL the default roles are read with the refresh token's row (an array subquery); a
custom ROLES_CALLABLE is called as before. These run on both databases.
"""

from typing import Any

import pytest
from django.contrib.auth.models import Group

from jwtauth import tokens

pytestmark = pytest.mark.stock_user


def _roles(access: str) -> list[str]:
    return list(tokens.verify_access(access)["roles"])


def _refresh(api: Any, refresh: str) -> dict[str, Any]:
    response = api.post("/api/auth/refresh/", {"refresh": refresh}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_groups_changed_after_login_show_in_the_next_refresh(
    api: Any, user: Any, login: Any
) -> None:
    old = Group.objects.create(name="old")
    user.groups.add(old)
    first = login(user)
    assert _roles(first["access"]) == ["old"]

    user.groups.remove(old)
    user.groups.add(Group.objects.create(name="zeta"), Group.objects.create(name="alpha"))
    user.is_staff = True
    user.save()
    second = _refresh(api, first["refresh"])

    assert _roles(second["access"]) == ["admin", "alpha", "zeta"]


def test_a_user_without_groups_gets_no_roles(api: Any, user: Any, login: Any) -> None:
    second = _refresh(api, login(user)["refresh"])
    assert _roles(second["access"]) == []


@pytest.mark.parametrize(
    "name", ["a,b", 'quote"d', "{braced}", "back\\slash", "NULL", "ü ß 日本", " "]
)
def test_group_names_survive_the_round_trip_unchanged(
    api: Any, user: Any, login: Any, name: str
) -> None:
    user.groups.add(Group.objects.create(name=name))
    second = _refresh(api, login(user)["refresh"])
    assert _roles(second["access"]) == [name]


def custom_roles(user: Any) -> list[str]:
    return [f"custom-{user.pk}"]


def test_a_custom_roles_callable_is_called_on_refresh(
    api: Any, user: Any, login: Any, settings: Any
) -> None:
    user.groups.add(Group.objects.create(name="ignored"))
    settings.JWTAUTH = {"ROLES_CALLABLE": "tests.test_refresh_roles.custom_roles"}
    second = _refresh(api, login(user)["refresh"])
    assert _roles(second["access"]) == [f"custom-{user.pk}"]
