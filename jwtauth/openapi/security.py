"""The security schemes: the Bearer access token and the refresh-token cookie."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from jwtauth.settings import jwtauth_settings


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "jwtauth.authentication.JWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
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

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
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
