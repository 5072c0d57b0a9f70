"""Equivalent endpoints for both libraries, and an unauthenticated baseline."""

from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import (
    JWTAuthentication as SimpleJWTAuthentication,
)
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication

from jwtauth.authentication import JWTAuthentication


class OpenView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response({"id": None})


class JWTAuthClaimsView(APIView):
    """Answers from the token alone."""

    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({"id": request.user.pk})


class JWTAuthUserView(JWTAuthClaimsView):
    """Reads a field of request.user: the user row is loaded."""

    def get(self, request: Request) -> Response:
        return Response({"id": request.user.pk, "username": request.user.username})


class SimpleJWTClaimsView(APIView):
    authentication_classes = [SimpleJWTAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({"id": request.user.pk})


class SimpleJWTUserView(SimpleJWTClaimsView):
    def get(self, request: Request) -> Response:
        return Response({"id": request.user.pk, "username": request.user.username})


class SimpleJWTStatelessClaimsView(SimpleJWTClaimsView):
    authentication_classes = [JWTStatelessUserAuthentication]
