"""HTTP endpoints: each validates, calls one service, and answers through ``transport``."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jwtauth import accounts, devices, events, families, ratelimits, responses, transport
from jwtauth.authentication import JWTAuthentication
from jwtauth.clientip import client_ip
from jwtauth.exceptions import WWW_AUTHENTICATE, NotAuthenticated, NotFound, exception_handler
from jwtauth.keys import access_keys
from jwtauth.models import RevokeReason
from jwtauth.parsers import JSONParser
from jwtauth.serializers import (
    LoginSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
    RegisterSerializer,
    default_transport,
)
from jwtauth.settings import jwtauth_settings


class JWTAuthView(APIView):
    """Base of jwtauth's views: contract error bodies and 401s whatever the site's settings."""

    authentication_classes = [JWTAuthentication]
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_exception_handler(self) -> Any:
        # Imported from exceptions, which owns it; sites that set the older dotted path
        # "jwtauth.views.exception_handler" find it here too.
        return exception_handler

    def get_authenticate_header(self, request: Request) -> str:
        return JWTAuthentication().authenticate_header(request) or WWW_AUTHENTICATE


class LoginView(JWTAuthView):
    """Starts a session. JSON only (a form post is 415): no login CSRF from another site."""

    authentication_classes: list[type] = []
    parser_classes = [JSONParser]

    @ratelimits.limited(ratelimits.LOGIN)
    def post(self, request: Request) -> Response:
        transport.refuse_cross_site(request)
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = accounts.login(
            request=request._request,
            identifier=data["identifier"],
            password=data["password"],
            field=data["field"],
            device_token=devices.presented(request, data.get("device_token")),
        )
        how = data["transport"]
        body = responses.LOGIN.to_representation(
            responses.Tokens(result.pair, how, result.device_token)
        )
        response = transport.token_response(request, result.pair, how, body)
        return devices.attach(response, result.device_token, how)


class RefreshView(JWTAuthView):
    authentication_classes: list[type] = []

    @ratelimits.limited(ratelimits.REFRESH)
    def post(self, request: Request) -> Response:
        token, how = transport.require_refresh(request)
        pair = families.rotate(
            refresh_token=token,
            ip=client_ip(request._request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            request=request._request,
        )
        body = responses.TOKENS.to_representation(responses.Tokens(pair, how))
        return transport.token_response(request, pair, how, body)


class LogoutView(JWTAuthView):
    """Revokes the session of the presented refresh token (or else of the Bearer token)."""

    def perform_authentication(self, request: Request) -> None:
        # Lazy: the Bearer token is read only without a refresh token, so a stale access
        # token sent along never blocks logging out.
        return None

    def post(self, request: Request) -> Response:
        found = transport.read_refresh(request)
        if found is not None:
            families.revoke_by_token(refresh_token=found[0], reason=RevokeReason.LOGOUT)
        elif isinstance(request.auth, dict):
            families.revoke(family_ids=[request.auth["sid"]], reason=RevokeReason.LOGOUT)
        else:
            raise NotAuthenticated()
        return transport.clear_cookie(Response(status=status.HTTP_204_NO_CONTENT))


class MeView(JWTAuthView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        me = responses.Me(request.user, request.auth["roles"])
        return Response(responses.ME.to_representation(me))


class RegisterView(JWTAuthView):
    """Creates an account and its first session. JSON only, like login."""

    authentication_classes: list[type] = []
    parser_classes = [JSONParser]

    @ratelimits.limited(ratelimits.REGISTER)
    def post(self, request: Request) -> Response:
        transport.refuse_cross_site(request)
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid()
        # Fields that passed go on to the service's checks, so one answer lists every error.
        values = dict(getattr(serializer, "valid_values", {}))
        how = values.pop("transport", None) or default_transport()
        password = values.pop("password", None)
        pair = accounts.register(
            request=request._request,
            values=values,
            password=password,
            input_errors=serializer.errors,
        )
        body = responses.REGISTER.to_representation(responses.Tokens(pair, how))
        return transport.token_response(request, pair, how, body, status=status.HTTP_201_CREATED)


class PasswordChangeView(JWTAuthView):
    """Sets a new password; every other session of the user is revoked, this one stays."""

    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        accounts.change_password(
            user=request.user,
            session_id=request.auth["sid"],
            old_password=serializer.validated_data["old_password"],
            new_password=serializer.validated_data["new_password"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(JWTAuthView):
    """Mails a reset link; answers alike whether or not an account has the address."""

    authentication_classes: list[type] = []

    @ratelimits.limited(ratelimits.PASSWORD_RESET)
    def post(self, request: Request) -> Response:
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        accounts.request_password_reset(email=serializer.validated_data["email"])
        detail = _("If an account uses this address, a password reset link has been sent to it.")
        body = responses.DETAIL.to_representation({"detail": detail})
        return Response(body, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(JWTAuthView):
    """Sets the password chosen through a reset link; a used or expired link is a 400
    ``token_invalid``. Every session of the user is revoked."""

    authentication_classes: list[type] = []

    def post(self, request: Request) -> Response:
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        accounts.confirm_password_reset(**serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(JWTAuthView):
    """Revokes every session of the user; all of their access tokens stop working at once."""

    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        families.revoke_user(user=request.user, reason=RevokeReason.LOGOUT_ALL)
        devices.revoke_user(user_id=request.user.pk)
        return transport.clear_cookie(Response(status=status.HTTP_204_NO_CONTENT))


class SessionListView(JWTAuthView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        sessions = families.live_sessions(user_id=request.user.pk)
        current = request.auth["sid"]
        listed = [responses.Session(family, str(family.pk) == current) for family in sessions]
        return Response(responses.SESSIONS.to_representation(listed))


class SessionDetailView(JWTAuthView):
    permission_classes = [IsAuthenticated]

    def delete(self, request: Request, session_id: str) -> Response:
        ended = families.end_session(
            user_id=request.user.pk, session_id=session_id, reason=RevokeReason.LOGOUT
        )
        if not ended:
            raise NotFound()
        response = Response(status=status.HTTP_204_NO_CONTENT)
        if session_id == request.auth["sid"]:
            transport.clear_cookie(response)
        return response


class SecurityEventListView(JWTAuthView):
    """The caller's latest security events, newest first (docs/security-events.md)."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        recent = events.recent(user_id=request.user.pk)
        return Response(responses.SECURITY_EVENTS.to_representation(recent))


class JWKSView(JWTAuthView):
    """``GET /.well-known/jwks.json``: the public access-token keys, for other services.

    Mount it at the site root, beside ``include("jwtauth.urls")``. Empty under HS256.
    """

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def get(self, request: Request) -> Response:
        max_age = int(jwtauth_settings.JWKS_MAX_AGE.total_seconds())
        response = Response({"keys": access_keys().jwks})
        response["Cache-Control"] = f"public, max-age={max_age}"
        return response
