"""DRF authentication by ``Authorization: Bearer <access JWT>``, with no database query."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.functional import SimpleLazyObject
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from jwtauth import revocation, tokens, user_lookup
from jwtauth.exceptions import WWW_AUTHENTICATE, TokenInvalid, TokenRevoked


class LazyUser(SimpleLazyObject):
    """The token's user: ``pk``/``id`` and authentication state from the claims, the rest from
    the database on first use."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user_id: Any, load: Any) -> None:
        self.__dict__["_user_id"] = user_id
        super().__init__(load)

    @property
    def pk(self) -> Any:
        return self.__dict__["_user_id"]

    id = pk

    def __bool__(self) -> bool:
        return True


class JWTAuthentication(BaseAuthentication):
    """Authenticates ``Authorization: Bearer <access>``; ``request.auth`` is the verified claims."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[LazyUser, tokens.AccessClaims] | None:
        raw = self.get_raw_token(request)
        if raw is None:
            return None
        claims = self.verify(raw)
        return self.get_user(claims), claims

    def get_raw_token(self, request: Request) -> str | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        token = token.strip()
        if not token or " " in token:
            raise TokenInvalid()
        return token

    def verify(self, raw: str) -> tokens.AccessClaims:
        claims = tokens.verify_access(raw)
        if revocation.is_revoked(claims):
            raise TokenRevoked()
        return claims

    def get_user(self, claims: tokens.AccessClaims) -> LazyUser:
        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(claims["sub"])
        except (ValidationError, TypeError, ValueError) as exc:
            raise TokenInvalid() from exc

        def load() -> AbstractBaseUser:
            # The default manager's get(pk=…), compiled once per connection (user_lookup).
            try:
                user = user_lookup.load(user_model, user_id)
            except user_model.DoesNotExist as exc:
                raise TokenRevoked() from exc
            if not getattr(user, "is_active", True):
                raise TokenRevoked()
            return user

        return LazyUser(user_id, load)

    def authenticate_header(self, request: Request) -> str:
        scheme, _, _ = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == self.keyword.lower():
            return f'{WWW_AUTHENTICATE}, error="invalid_token"'
        return WWW_AUTHENTICATE
