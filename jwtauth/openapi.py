"""OpenAPI description of jwtauth for drf-spectacular: Bearer scheme, refresh cookie, endpoints.

``JWTAuthConfig.ready()`` imports this module only when drf-spectacular is installed; jwtauth
itself does not need it. A site's own views behind ``JWTAuthentication`` can list the errors
of that path with ``bearer_errors()``::

    @extend_schema(responses={200: ReportSerializer, **bearer_errors()})
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from jwtauth.models import EventKind
from jwtauth.settings import jwtauth_settings

Schema = dict[str, Any]

# -- security schemes -----------------------------------------------------------------------


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "jwtauth.authentication.JWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> Schema:
        scheme = build_bearer_security_scheme_object("AUTHORIZATION", "Bearer", "JWT")
        scheme["description"] = _(
            "An access token from login, register or refresh, sent as "
            "`Authorization: Bearer <access>`."
        )
        return scheme


class RefreshCookie(BaseAuthentication):
    """The refresh-token cookie as the schema shows it.

    Refresh and logout read the cookie in ``transport``, not through DRF authentication;
    this class only names it for drf-spectacular and authenticates nobody.
    """

    def authenticate(self, request: Request) -> None:
        return None


class RefreshCookieScheme(OpenApiAuthenticationExtension):
    target_class = RefreshCookie
    name = "refreshCookie"

    def get_security_definition(self, auto_schema: AutoSchema) -> Schema:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": jwtauth_settings.COOKIE_NAME,
            "description": _(
                "The HttpOnly refresh-token cookie that login, register and refresh set for "
                "browsers. A request that sends it must pass Django's CSRF check: the "
                "`csrftoken` cookie echoed in the `X-CSRFToken` header, else 403 `csrf_failed`."
            ),
        }


# -- bodies ----------------------------------------------------------------------------------


class UserIdField(serializers.Field):
    """The user's primary key, typed in the schema after the site's user model."""


class UserIdFieldExtension(OpenApiSerializerFieldExtension):
    target_class = UserIdField

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> Schema:
        return auto_schema._map_model_field(get_user_model()._meta.pk, direction)


class TokenResponseSerializer(serializers.Serializer):
    access = serializers.CharField(help_text=_("Access JWT, for `Authorization: Bearer`."))
    token_type = serializers.ChoiceField(choices=["Bearer"])
    expires_in = serializers.IntegerField(help_text=_("Seconds until the access token expires."))
    refresh = serializers.CharField(
        required=False,
        help_text=_("Refresh token; only with body transport (else it is in the cookie)."),
    )


class LoginResponseSerializer(TokenResponseSerializer):
    device_token = serializers.CharField(
        required=False,
        help_text=_(
            "Device token; only with body transport (else in the HttpOnly device cookie). Send "
            "it back as `device_token` at login: this device then escapes the account lockout."
        ),
    )


class RegisteredUserSerializer(serializers.Serializer):
    id = UserIdField()
    username = serializers.CharField()
    email = serializers.CharField()


class RegisterResponseSerializer(TokenResponseSerializer):
    user = RegisteredUserSerializer()


class MeSerializer(RegisteredUserSerializer):
    roles = serializers.ListField(child=serializers.CharField())


class SessionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField()
    ip = serializers.IPAddressField(allow_null=True, help_text=_("Where the session started."))
    user_agent = serializers.CharField(allow_blank=True)
    last_ip = serializers.IPAddressField(
        allow_null=True, help_text=_("Where the session was last refreshed.")
    )
    last_user_agent = serializers.CharField(allow_blank=True)
    current = serializers.BooleanField(help_text=_("The session of the token in this request."))


class SecurityEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    description = serializers.CharField(help_text=_("What happened, in words."))
    advice = serializers.CharField(help_text=_("What the user should do about it."))
    created_at = serializers.DateTimeField()
    session = serializers.UUIDField(allow_null=True)
    ip = serializers.IPAddressField(
        allow_null=True, help_text=_("Of the request that caused it (the replay, the login).")
    )
    user_agent = serializers.CharField(allow_blank=True)
    session_ip = serializers.IPAddressField(
        allow_null=True, help_text=_("Where the session was last used legitimately.")
    )
    session_user_agent = serializers.CharField(allow_blank=True)
    session_used_at = serializers.DateTimeField(allow_null=True)


class RefreshBodySerializer(serializers.Serializer):
    # Any text is judged as a token (401 ``token_invalid``), never refused as a field (400);
    # null is the same as no ``refresh`` at all.
    refresh = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Refresh token of a body-transport client; browsers send the cookie instead."),
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class JWKSerializer(serializers.Serializer):
    kty = serializers.ChoiceField(choices=["RSA", "EC", "OKP"])
    kid = serializers.CharField()
    alg = serializers.ChoiceField(choices=["RS256", "ES256", "EdDSA"])
    use = serializers.ChoiceField(choices=["sig"])
    n = serializers.CharField(required=False)
    e = serializers.CharField(required=False)
    crv = serializers.CharField(required=False)
    x = serializers.CharField(required=False)
    y = serializers.CharField(required=False)


class JWKSetSerializer(serializers.Serializer):
    keys = JWKSerializer(many=True)


# -- errors ----------------------------------------------------------------------------------


def error_schema(*codes: str) -> Schema:
    """The ``{"detail", "code"}`` body with ``code`` one of ``codes``."""
    return {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "code": {"type": "string", "enum": list(codes)},
        },
        "required": ["detail", "code"],
    }


def error(description: str, *codes: str) -> OpenApiResponse:
    return OpenApiResponse(error_schema(*codes), description=description)


FIELD_ERRORS: Schema = {
    "type": "object",
    "description": "DRF's field map: each invalid field with its messages.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def invalid(*codes: str) -> OpenApiResponse:
    """400: a field map, or a coded error (a body that is not JSON is ``parse_error``)."""
    return OpenApiResponse(
        {"oneOf": [FIELD_ERRORS, error_schema("parse_error", *codes)]},
        description=_("Invalid input: a field map, or a `parse_error` for a malformed body."),
    )


BAD_BODY = OpenApiResponse(
    error_schema("parse_error"), description=_("The body is not valid JSON or form data.")
)


def bearer_errors() -> dict[int, OpenApiResponse]:
    """401 and 503 answers of any view behind ``JWTAuthentication``."""
    return {
        401: error(
            _("No access token, or an invalid, expired or revoked one."),
            "not_authenticated",
            "token_invalid",
            "token_expired",
            "token_revoked",
        ),
        503: error(
            _("The revocation log (or the issuer's JWKS) cannot be read."),
            "revocation_unavailable",
            "keys_unavailable",
        ),
    }


def _header(name: str, kind: OpenApiTypes, description: str, *statuses: int) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        kind,
        OpenApiParameter.HEADER,
        description=description,
        response=list(statuses),
    )


def retry_after() -> OpenApiParameter:
    return _header("Retry-After", OpenApiTypes.INT, _("Seconds until the limit resets."), 429)


def www_authenticate() -> OpenApiParameter:
    text = _('`Bearer realm="api"`, plus `error="invalid_token"` when a token was presented.')
    return _header("WWW-Authenticate", OpenApiTypes.STR, text, 401)


def set_cookie(status: int) -> OpenApiParameter:
    text = _("With cookie transport, the HttpOnly refresh-token cookie (cleared on logout).")
    return _header("Set-Cookie", OpenApiTypes.STR, text, status)


CSRF_HEADER = OpenApiParameter(
    "X-CSRFToken",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("Value of the `csrftoken` cookie; required when the refresh cookie is sent."),
)
