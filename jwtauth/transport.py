"""Refresh tokens in and out: an HttpOnly cookie for browsers, the JSON body for native clients."""

from typing import Any, Literal

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response

from jwtauth.exceptions import CSRFFailed, NotAuthenticated
from jwtauth.families import TokenPair
from jwtauth.settings import jwtauth_settings

Transport = Literal["cookie", "body"]
COOKIE: Transport = "cookie"
BODY: Transport = "body"


def enabled(transport: str) -> bool:
    return transport in jwtauth_settings.TRANSPORTS


def _secure() -> bool:
    secure = jwtauth_settings.COOKIE_SECURE
    return not settings.DEBUG if secure is None else bool(secure)


def enforce_csrf(request: Request) -> None:
    """Django's CSRF check (``csrftoken`` cookie + ``X-CSRFToken``) for cookie-borne requests."""
    check = CsrfViewMiddleware(lambda req: None)  # type: ignore[arg-type,return-value]
    check.process_request(request._request)
    reason = check.process_view(request._request, None, (), {})
    if reason is not None:
        raise CSRFFailed()


def refuse_cross_site(request: Request) -> None:
    """403 ``csrf_failed`` for a request the browser marks as sent by another site.

    Login and register set the refresh cookie, so a cross-site form could sign the victim's
    browser into the attacker's account (login CSRF). Their views accept JSON only, which no
    page of another origin can send without a CORS preflight; this check adds the browser's
    own word (``Sec-Fetch-Site``) for origins not in ``CSRF_TRUSTED_ORIGINS``.
    """
    if request.META.get("HTTP_SEC_FETCH_SITE", "").lower() != "cross-site":
        return
    origin = request.META.get("HTTP_ORIGIN", "")
    if origin and origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", []):
        return
    raise CSRFFailed()


def read_refresh(request: Request) -> tuple[str, Transport] | None:
    """The presented refresh token and how it came, or None when there is none.

    A body that is JSON but not an object (``[]``, ``"x"``, ``null``) is a 400 ``parse_error``,
    not an absent token: logout must not go ahead on a body it cannot read.
    """
    data = request.data
    if not isinstance(data, dict):
        raise ParseError(_("The request body must be a JSON object."))
    body_token = data.get("refresh")
    if body_token is not None and enabled(BODY):
        return (body_token if isinstance(body_token, str) else "", BODY)
    cookie_token = request.COOKIES.get(jwtauth_settings.COOKIE_NAME)
    if cookie_token and enabled(COOKIE):
        enforce_csrf(request)
        return cookie_token, COOKIE
    return None


def require_refresh(request: Request) -> tuple[str, Transport]:
    found = read_refresh(request)
    if found is None:
        raise NotAuthenticated()
    return found


def token_response(
    request: Request, pair: TokenPair, transport: Transport, body: Any, *, status: int = 200
) -> Response:
    """The token response with ``body`` (``jwtauth.responses``, which has the refresh token
    with body transport); with cookie transport the refresh token goes into the cookie."""
    # Pragma for HTTP/1.0 caches (RFC 6749 section 5.1).
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    response = Response(body, status=status, headers=headers)
    if transport == COOKIE:
        response.set_cookie(
            jwtauth_settings.COOKIE_NAME,
            pair.refresh,
            max_age=int(jwtauth_settings.REFRESH_TOKEN_LIFETIME.total_seconds()),
            path=jwtauth_settings.COOKIE_PATH,
            domain=jwtauth_settings.COOKIE_DOMAIN,
            secure=_secure(),
            httponly=True,
            samesite=jwtauth_settings.COOKIE_SAMESITE,
        )
        # The browser needs a CSRF cookie for its next cookie-borne refresh or logout.
        get_token(request._request)
    return response


def clear_cookie(response: Response) -> Response:
    response.delete_cookie(
        jwtauth_settings.COOKIE_NAME,
        path=jwtauth_settings.COOKIE_PATH,
        domain=jwtauth_settings.COOKIE_DOMAIN,
        samesite=jwtauth_settings.COOKIE_SAMESITE,
    )
    return response
