"""Role permissions read from the access token's ``roles`` claim, with no database access."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from jwtauth.exceptions import NotAuthenticated, PermissionDenied


class HasRole(BasePermission):
    """Allows requests whose access token carries any of ``roles``.

    Use an instance in ``permission_classes``: ``[HasRole("admin")]``.
    """

    def __init__(self, *roles: str) -> None:
        if not roles:
            raise TypeError("HasRole needs at least one role.")
        self.roles = frozenset(roles)

    def __call__(self) -> "HasRole":
        # DRF instantiates each entry of permission_classes; the instance stands for itself.
        return self

    def has_permission(self, request: Request, view: APIView) -> bool:
        claims: Any = request.auth
        if not isinstance(claims, dict) or "roles" not in claims:
            raise NotAuthenticated()
        if self.roles.isdisjoint(claims["roles"]):
            raise PermissionDenied()
        return True
