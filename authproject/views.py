"""The sample project's own API endpoints and browser pages."""

from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.generic import TemplateView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jwtauth.permissions import HasRole


class ProfileView(APIView):
    """Answers from the token's claims alone: no database query."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({"id": request.user.pk, "roles": request.auth["roles"]})


class AdminAreaView(APIView):
    permission_classes = [IsAuthenticated, HasRole("admin")]

    def get(self, request: Request) -> Response:
        return Response({"message": "Welcome, administrator.", "id": request.user.pk})


class PageView(TemplateView):
    """A browser page; sets the CSRF cookie that cookie-borne refreshes need."""

    @classmethod
    def as_view(cls, **initkwargs):  # type: ignore[no-untyped-def]
        return ensure_csrf_cookie(super().as_view(**initkwargs))
