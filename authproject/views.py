"""The sample project's own API endpoints and browser pages."""

from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jwtauth.exceptions import PermissionDenied
from jwtauth.openapi.errors import bearer_errors, error
from jwtauth.openapi.headers import www_authenticate
from jwtauth.permissions import HasRole
from jwtauth.responses import UserIdField

PROFILE = inline_serializer(
    "Profile", {"id": UserIdField(), "roles": serializers.ListField(child=serializers.CharField())}
)
ADMIN_AREA = inline_serializer(
    "AdminArea", {"message": serializers.CharField(), "id": UserIdField()}
)


class ProfileView(APIView):
    """Answers from the token's claims alone: no database query."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The caller's id and roles",
        parameters=[www_authenticate()],
        responses={200: PROFILE, **bearer_errors()},
    )
    def get(self, request: Request) -> Response:
        return Response({"id": request.user.pk, "roles": request.auth["roles"]})


class AdminAreaView(APIView):
    permission_classes = [IsAuthenticated, HasRole("admin")]

    @extend_schema(
        summary="Administrators only",
        parameters=[www_authenticate()],
        responses={
            200: ADMIN_AREA,
            **bearer_errors(),
            **error("The user lacks the admin role.", PermissionDenied),
        },
    )
    def get(self, request: Request) -> Response:
        return Response({"message": "Welcome, administrator.", "id": request.user.pk})


class PageView(TemplateView):
    """A browser page; sets the CSRF cookie that cookie-borne refreshes need."""

    @classmethod
    def as_view(cls, **initkwargs):  # type: ignore[no-untyped-def]
        return ensure_csrf_cookie(super().as_view(**initkwargs))
