"""Roles carried in access tokens."""

from django.contrib.auth.base_user import AbstractBaseUser

from jwtauth.settings import jwtauth_settings


def default_roles(user: AbstractBaseUser) -> list[str]:
    """``admin`` for staff users, plus the names of the user's groups."""
    roles = ["admin"] if getattr(user, "is_staff", False) else []
    groups = getattr(user, "groups", None)
    if groups is not None:
        roles.extend(sorted(groups.values_list("name", flat=True)))
    return roles


def roles_for(user: AbstractBaseUser) -> list[str]:
    """Roles of ``user`` by the configured ``ROLES_CALLABLE``."""
    return [str(role) for role in jwtauth_settings.ROLES_CALLABLE(user)]
