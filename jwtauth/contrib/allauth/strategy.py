"""``HEADLESS_TOKEN_STRATEGY = "jwtauth.contrib.allauth.strategy.JWTAuthTokenStrategy"``."""

from typing import Any

from allauth.core import context
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from rest_framework.exceptions import APIException

from jwtauth.authentication import JWTAuthentication
from jwtauth.contrib.allauth import links

_PAIR = "_jwtauth_allauth_pair"


class JWTAuthTokenStrategy(SessionTokenStrategy):
    """allauth runs its flows (password, MFA, social login, codes, email verification) on a
    Django session addressed by ``X-Session-Token``; when a flow leaves the user fully
    authenticated, this strategy starts a jwtauth session and answers with its token pair.

    - ``Authorization: Bearer <jwtauth access>`` also addresses allauth's session, verified
      by ``JWTAuthentication`` (signature, expiry, revocation; no query).
    - ``POST .../tokens/refresh`` rotates through jwtauth, the same chain as ``api/auth/refresh/``.
    - allauth's logout revokes the jwtauth session (``jwtauth.contrib.allauth.receivers``); a
      revoked jwtauth session ends allauth's session.
    """

    def get_session_token(self, request: HttpRequest) -> str | None:
        token = super().get_session_token(request)
        if token:
            return token
        auth = JWTAuthentication()
        try:
            raw = auth.get_raw_token(request)  # type: ignore[arg-type]
            claims = auth.verify(raw) if raw is not None else None
        except APIException:
            # Invalid, expired or revoked (or the revocation cache is down): anonymous to
            # allauth, which answers 401 — the token opens nothing.
            return None
        if claims is None:
            return None
        return links.session_key_for(claims["sid"])

    def lookup_session(self, session_token: str) -> SessionBase | None:
        return links.find_session(session_token)

    def create_access_token_payload(self, request: HttpRequest) -> dict[str, Any] | None:
        # allauth may build more than one response for the request that completes a login
        # (a stage's exit, then the view's answer): one session per login, not one per response.
        pair = getattr(request, _PAIR, None)
        if pair is None:
            pair = links.start(request=request)
            setattr(request, _PAIR, pair)
        return {
            "access_token": pair.access,
            "refresh_token": pair.refresh,
            "expires_in": pair.expires_in,
            "token_type": "Bearer",
        }

    def create_access_token(self, request: HttpRequest) -> str | None:
        payload = self.create_access_token_payload(request)
        return payload["access_token"] if payload else None

    def refresh_token(self, refresh_token: str) -> tuple[str, str] | None:
        """Rotate through jwtauth. A replay of a spent token revokes the whole session (as on
        ``api/auth/refresh/``); allauth can only answer None with a 400."""
        try:
            pair = links.rotate(refresh_token=refresh_token, request=context.request)
        except APIException:
            return None
        return pair.access, pair.refresh

    @classmethod
    def openapi_spec(cls) -> dict[str, Any]:
        spec = super().openapi_spec()
        spec["securitySchemes"]["JWT"] = {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "jwtauth access token. Only needed when `client` is equal to `app`.",
        }
        spec["security"].insert(-1, {"JWT": []})
        return spec
