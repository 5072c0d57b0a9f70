"""drf-spectacular descriptions of jwtauth's endpoints, attached without decorating the views.

Each ``OpenApiViewExtension`` hands drf-spectacular an annotated subclass of one view, so
``jwtauth.views`` never imports drf-spectacular.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiViewExtension
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.views import APIView

from jwtauth import transport
from jwtauth.authentication import JWTAuthentication
from jwtauth.exceptions import (
    AccountLocked,
    CSRFFailed,
    FeedUnauthorized,
    InvalidCredentials,
    InvalidFeedCursor,
    NotAuthenticated,
    NotFound,
    RateLimited,
    RateLimitUnavailable,
    ResetTokenInvalid,
    TokenExpired,
    TokenInvalid,
    TokenReused,
    TokenRevoked,
)
from jwtauth.openapi.bodies import REVOCATION_FEED, JWKSetSerializer, RefreshBodySerializer
from jwtauth.openapi.errors import (
    BAD_BODY,
    Error,
    Schema,
    bearer_errors,
    error,
    invalid,
    responses,
)
from jwtauth.openapi.headers import CSRF_HEADER, retry_after, set_cookie, www_authenticate
from jwtauth.openapi.security import RefreshCookie
from jwtauth.responses import (
    DetailSerializer,
    LoginResponseSerializer,
    MeSerializer,
    RegisterResponseSerializer,
    SecurityEventSerializer,
    SessionSerializer,
    TokenResponseSerializer,
)
from jwtauth.serializers import (
    LoginSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
    RegisterSerializer,
)

Describe = Callable[[], Schema]


def _cookie_or(*authenticators: type) -> list[type]:
    """The refresh cookie (when that transport is on) before the other authenticators."""
    cookie = [RefreshCookie] if transport.enabled(transport.COOKIE) else []
    return [*cookie, *authenticators]


def _describes(
    view: str, method: str = "post", authenticators: Callable[[], list[type]] | None = None
) -> Callable[[Describe], Describe]:
    """Register ``describe()`` (``extend_schema`` arguments) for ``jwtauth.views.<view>``.

    ``describe`` and ``authenticators`` run at schema generation, so they follow the settings.
    """

    def register(describe: Describe) -> Describe:
        def view_replacement(self: OpenApiViewExtension) -> type[APIView]:
            attrs = {} if authenticators is None else {"authentication_classes": authenticators()}
            fixed = type(self.target.__name__, (self.target,), attrs)
            schema = {"tags": ["auth"], **describe()}
            if schema.get("request") is not None:
                schema["responses"] = responses(schema["responses"], _UNSUPPORTED_BODY)
            return extend_schema_view(**{method: extend_schema(**schema)})(fixed)

        type(
            f"{view}Schema",
            (OpenApiViewExtension,),
            {"target_class": f"jwtauth.views.{view}", "view_replacement": view_replacement},
        )
        return describe

    return register


def _json(serializer: type) -> dict[str, type]:
    """The contract's bodies are JSON (DRF's form parsers also read them, undocumented)."""
    return {"application/json": serializer}


def _rate_limited(*errors: Error) -> dict[int, OpenApiResponse]:
    """429 ``errors``, and the 503 of counters that cannot be reached (never unlimited)."""
    return {
        **error(_("Too many requests; see `Retry-After`."), *errors),
        **error(_("The rate-limit counters cannot be reached."), RateLimitUnavailable),
    }


_UNSUPPORTED_BODY = error(
    _("The body's `Content-Type` is not one this endpoint reads (send JSON)."),
    UnsupportedMediaType,
)
_CSRF_FAILED = error(_("The refresh cookie came without a valid CSRF token."), CSRFFailed)
_CROSS_SITE = error(
    _(
        "A cross-site form post (login CSRF): the browser sent `Sec-Fetch-Site: cross-site` "
        "from an origin not in `CSRF_TRUSTED_ORIGINS`."
    ),
    CSRFFailed,
)
_TOKEN_HEADERS = [set_cookie(200), set_cookie(201), retry_after(), www_authenticate()]


@_describes("LoginView")
def _login() -> Schema:
    return {
        "summary": _("Log in and start a session"),
        "description": _(
            "Give `username` or `email` and `password`. Cookie transport (default) sets the "
            'refresh cookie; `"transport": "body"` returns the refresh token in the body.'
        ),
        "request": _json(LoginSerializer),
        "parameters": _TOKEN_HEADERS,
        "responses": responses(
            {200: LoginResponseSerializer},
            invalid(),
            error(_("Wrong username or password."), InvalidCredentials),
            _CROSS_SITE,
            _rate_limited(RateLimited, AccountLocked),
        ),
    }


@_describes("RegisterView")
def _register() -> Schema:
    return {
        "summary": _("Create an account and start its first session"),
        "request": _json(RegisterSerializer),
        "parameters": _TOKEN_HEADERS,
        "responses": responses(
            {201: RegisterResponseSerializer},
            invalid(),
            _CROSS_SITE,
            _rate_limited(RateLimited),
        ),
    }


@_describes("RefreshView", authenticators=_cookie_or)
def _refresh() -> Schema:
    return {
        "summary": _("Rotate the refresh token"),
        "description": _(
            "The refresh token comes from the cookie (with the CSRF header) or from the body. "
            "It works once. A replay of the live token's parent within `REUSE_GRACE_SECONDS` "
            "gets the same successor again; any other replay revokes the whole session (401 "
            "`token_reused`). A revoked session answers 401 `token_revoked` with its `reason`."
        ),
        "request": _json(RefreshBodySerializer),
        "parameters": [CSRF_HEADER, *_TOKEN_HEADERS],
        "responses": responses(
            {200: TokenResponseSerializer},
            BAD_BODY,
            error(
                _("No refresh token, or an invalid, expired, revoked or reused one."),
                NotAuthenticated,
                TokenInvalid,
                TokenExpired,
                TokenRevoked,
                TokenReused,
            ),
            _CSRF_FAILED,
            _rate_limited(RateLimited),
        ),
    }


@_describes("LogoutView", authenticators=lambda: _cookie_or(JWTAuthentication))
def _logout() -> Schema:
    return {
        "summary": _("Log out: revoke this session"),
        "description": _(
            "Revokes the session of the refresh token (cookie or body), or else of the Bearer "
            "token; its access tokens stop working at once. Clears the cookie."
        ),
        "request": _json(RefreshBodySerializer),
        "parameters": [CSRF_HEADER, set_cookie(204), www_authenticate()],
        "responses": responses({204: None}, BAD_BODY, bearer_errors(), _CSRF_FAILED),
    }


def _bearer(success: dict[int, Any], **extra: Any) -> Schema:
    """An endpoint behind the Bearer token; ``success`` may hold errors of its own."""
    parameters = [www_authenticate(), *extra.pop("parameters", [])]
    return {"parameters": parameters, "responses": responses(success, bearer_errors()), **extra}


@_describes("LogoutAllView")
def _logout_all() -> Schema:
    return _bearer(
        {204: None},
        summary=_("Log out everywhere: revoke every session of the user"),
        request=None,
        parameters=[set_cookie(204)],
    )


@_describes("SessionListView", method="get")
def _sessions() -> Schema:
    return _bearer({200: SessionSerializer(many=True)}, summary=_("List the live sessions"))


@_describes("SecurityEventListView", method="get")
def _security_events() -> Schema:
    return _bearer(
        {200: SecurityEventSerializer(many=True)},
        summary=_("List your latest security events"),
        description=_(
            "Newest first, at most 50: stolen refresh token used, lockout, password change or "
            "reset, session ended by an administrator; each with what to do about it."
        ),
    )


@_describes("SessionDetailView", method="delete")
def _session_delete() -> Schema:
    return _bearer(
        {204: None, **error(_("No live session of yours has this id."), NotFound)},
        summary=_("Revoke one of your sessions"),
        parameters=[set_cookie(204)],
    )


@_describes("MeView", method="get")
def _me() -> Schema:
    return _bearer({200: MeSerializer}, summary=_("The authenticated user"))


@_describes("PasswordChangeView")
def _password_change() -> Schema:
    return _bearer(
        responses({204: None}, invalid(), _rate_limited(AccountLocked)),
        summary=_("Change the password; every other session is revoked"),
        request=_json(PasswordChangeSerializer),
        parameters=[retry_after()],
    )


@_describes("PasswordResetView")
def _password_reset() -> Schema:
    return {
        "summary": _("Mail a password reset link"),
        "description": _("Answers alike whether or not an account uses the address."),
        "request": _json(PasswordResetSerializer),
        "parameters": [retry_after()],
        "responses": responses({202: DetailSerializer}, invalid(), _rate_limited(RateLimited)),
    }


@_describes("PasswordResetConfirmView")
def _password_reset_confirm() -> Schema:
    return {
        "summary": _("Set the password chosen through a reset link"),
        "description": _(
            "A malformed, used or expired link is a 400 `token_invalid`. Every session of the "
            "user is revoked."
        ),
        "request": _json(PasswordResetConfirmSerializer),
        "responses": responses({204: None}, invalid(ResetTokenInvalid)),
    }


@_describes("JWKSView", method="get")
def _jwks() -> Schema:
    return {
        "operation_id": "jwks",
        "summary": _("Public keys that verify access tokens (empty under HS256)"),
        "responses": {200: JWKSetSerializer},
    }


class _RevocationFeedSchema(OpenApiViewExtension):
    target_class = "jwtauth.revocation_feed.RevocationFeedView"

    def view_replacement(self) -> type[APIView]:
        schema = extend_schema(
            tags=["auth"],
            summary=_("The live revocation log above an id, for verify-only services"),
            description=_(
                "Needs `Authorization: RevocationFeed <REVOCATION_FEED_SECRET>`; not served "
                "(404) without that setting."
            ),
            parameters=[OpenApiParameter("after", int, description=_("Last id already read."))],
            responses=responses(
                {200: OpenApiResponse(REVOCATION_FEED)},
                error(_("`after` is not a whole number."), InvalidFeedCursor),
                error(_("Missing or wrong shared secret."), FeedUnauthorized),
                error(_("The feed is not served here."), NotFound),
            ),
        )
        return extend_schema_view(get=schema)(self.target)
