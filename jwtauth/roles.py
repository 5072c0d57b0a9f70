"""Roles carried in access tokens."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections
from django.db.models import ManyToManyField, OuterRef, QuerySet

from jwtauth.settings import jwtauth_settings

# The annotation with_group_names() adds: the user's group names, read with the row.
GROUP_NAMES = "jwtauth_group_names"


def default_roles(user: AbstractBaseUser) -> list[str]:
    """``admin`` for staff users, plus the names of the user's groups."""
    groups = getattr(user, "groups", None)
    names = groups.values_list("name", flat=True) if groups is not None else []
    return _staff_and(user, names)


def _staff_and(user: AbstractBaseUser, group_names: Iterable[str]) -> list[str]:
    roles = ["admin"] if getattr(user, "is_staff", False) else []
    roles.extend(sorted(group_names))
    return roles


def roles_for(user: AbstractBaseUser, group_names: list[str] | None = None) -> list[str]:
    """Roles of ``user`` by the configured ``ROLES_CALLABLE``.

    ``group_names``, read with the row that holds the user (:func:`with_group_names`), spare
    the default its query; a custom ``ROLES_CALLABLE`` is always called.
    """
    if group_names is not None and jwtauth_settings.ROLES_CALLABLE is default_roles:
        return _staff_and(user, group_names)
    return [str(role) for role in jwtauth_settings.ROLES_CALLABLE(user)]


def with_group_names(queryset: QuerySet, user_path: str) -> QuerySet:
    """``queryset`` annotated with the group names of the user at ``user_path`` (a foreign key
    path such as ``family__user``), in the same query, for :func:`group_names_of`.

    Only on PostgreSQL (an array subquery), with the default ``ROLES_CALLABLE`` and a user
    model whose ``groups`` is a many-to-many field to a model with a ``name``; otherwise
    ``queryset`` unchanged, and the roles cost their own query.
    """
    if jwtauth_settings.ROLES_CALLABLE is not default_roles:
        return queryset
    if connections[queryset.db].vendor != "postgresql":
        return queryset
    try:
        field = get_user_model()._meta.get_field("groups")
    except LookupError:
        return queryset
    if not isinstance(field, ManyToManyField):
        return queryset
    target = field.remote_field.model
    if not any(f.name == "name" for f in target._meta.concrete_fields):
        return queryset
    from django.contrib.postgres.expressions import ArraySubquery  # needs psycopg

    through = field.remote_field.through
    names = through._default_manager.filter(
        **{field.m2m_field_name(): OuterRef(f"{user_path}_id")}
    ).values(f"{field.m2m_reverse_field_name()}__name")
    return queryset.annotate(**{GROUP_NAMES: ArraySubquery(names)})


def group_names_of(row: object) -> list[str] | None:
    """The group names :func:`with_group_names` read with ``row``, or None."""
    return getattr(row, GROUP_NAMES, None)
