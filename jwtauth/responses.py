"""Response bodies of the endpoints: the views serialize with them and the schema shows them."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField

from jwtauth import events, transport
from jwtauth.models import EventKind, TokenFamily
from jwtauth.rotation import TokenPair

# The views serialize with one instance of each serializer (the capitals at the end), built
# once: DRF builds a serializer's fields again for every new instance, which would cost an
# answer like ``me/`` a tenth of its time. So every value a body shows comes from the
# serialized object (the dataclasses below), never from a per-request ``context``.
#
# Datetimes go out as the models hold them (``format=None``): DRF's JSON encoder writes them,
# in UTC with a ``Z``, whatever the site's ``DATETIME_FORMAT`` and time zone. What each
# serializer reads is said in comments: a class docstring would become the schema's description.


@dataclass(frozen=True)
class Tokens:
    """A token response: the pair, how its refresh token travels, the device token if any."""

    pair: TokenPair
    transport: str
    device_token: str | None = None


@dataclass(frozen=True)
class Me:
    user: AbstractBaseUser
    roles: list[str]


@dataclass(frozen=True)
class Session:
    family: TokenFamily
    current: bool


class UserIdField(serializers.Field):
    """The user's primary key, typed in the schema after the site's user model."""

    def to_representation(self, value: Any) -> Any:
        return value


class _Bearer(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=["Bearer"], **kwargs)

    def get_attribute(self, tokens: Tokens) -> str:
        return "Bearer"


class _InBody(serializers.CharField):
    """A token that is in the body only with body transport (browsers get it in an HttpOnly
    cookie instead), and only when there is one."""

    def get_attribute(self, tokens: Tokens) -> Any:
        value = super().get_attribute(tokens)
        if tokens.transport != transport.BODY or value is None:
            raise SkipField()
        return value


# Of ``Tokens``.
class TokenResponseSerializer(serializers.Serializer):
    access = serializers.CharField(
        source="pair.access", help_text=_("Access JWT, for `Authorization: Bearer`.")
    )
    token_type = _Bearer()
    expires_in = serializers.IntegerField(
        source="pair.expires_in", help_text=_("Seconds until the access token expires.")
    )
    refresh = _InBody(
        source="pair.refresh",
        required=False,
        help_text=_("Refresh token; only with body transport (else it is in the cookie)."),
    )


# Of ``Tokens`` with the device token.
class LoginResponseSerializer(TokenResponseSerializer):
    device_token = _InBody(
        required=False,
        help_text=_(
            "Device token; only with body transport (else in the HttpOnly device cookie). Send "
            "it back as `device_token` at login: this device then escapes the account lockout."
        ),
    )


class _Email(serializers.CharField):
    def get_attribute(self, holder: Any) -> Any:
        user = holder.user
        return getattr(user, user.get_email_field_name(), "")


# Of anything with a ``user``: a ``TokenPair`` (register) or ``Me``.
class RegisteredUserSerializer(serializers.Serializer):
    id = UserIdField(source="user.pk")
    username = serializers.CharField(source="user.get_username")
    email = _Email()


class _User(serializers.Serializer):
    user = RegisteredUserSerializer(source="pair")


# Of ``Tokens``: the user first (the bases' fields come in their order), then the tokens.
class RegisterResponseSerializer(_User, TokenResponseSerializer):
    pass


# Of ``Me``.
class MeSerializer(RegisteredUserSerializer):
    roles = serializers.ListField(child=serializers.CharField())


# Of ``Session``.
class SessionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="family.id")
    created_at = serializers.DateTimeField(source="family.created_at", format=None)
    last_used_at = serializers.DateTimeField(source="family.last_used_at", format=None)
    ip = serializers.IPAddressField(
        source="family.ip", allow_null=True, help_text=_("Where the session started.")
    )
    user_agent = serializers.CharField(source="family.user_agent", allow_blank=True)
    last_ip = serializers.IPAddressField(
        source="family.last_ip",
        allow_null=True,
        help_text=_("Where the session was last refreshed."),
    )
    last_user_agent = serializers.CharField(source="family.last_user_agent", allow_blank=True)
    current = serializers.BooleanField(help_text=_("The session of the token in this request."))


class _Advice(serializers.CharField):
    def get_attribute(self, event: Any) -> str:
        return events.advice(event.kind)


# Of a ``SecurityEvent``.
class SecurityEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    description = serializers.CharField(
        source="get_kind_display", help_text=_("What happened, in words.")
    )
    advice = _Advice(help_text=_("What the user should do about it."))
    created_at = serializers.DateTimeField(format=None)
    session = serializers.UUIDField(source="session_id", allow_null=True)
    ip = serializers.IPAddressField(
        allow_null=True, help_text=_("Of the request that caused it (the replay, the login).")
    )
    user_agent = serializers.CharField(allow_blank=True)
    session_ip = serializers.IPAddressField(
        allow_null=True, help_text=_("Where the session was last used legitimately.")
    )
    session_user_agent = serializers.CharField(allow_blank=True)
    session_used_at = serializers.DateTimeField(format=None, allow_null=True)


# Of ``{"detail": ...}``.
class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


TOKENS = TokenResponseSerializer()
LOGIN = LoginResponseSerializer()
REGISTER = RegisterResponseSerializer()
ME = MeSerializer()
SESSIONS = SessionSerializer(many=True)
SECURITY_EVENTS = SecurityEventSerializer(many=True)
DETAIL = DetailSerializer()
