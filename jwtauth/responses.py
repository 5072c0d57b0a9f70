"""Response bodies of the endpoints: the views serialize with them and the schema shows them."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField

from jwtauth import events, transport
from jwtauth.models import EventKind

# Datetimes go out as the models hold them (``format=None``): DRF's JSON encoder writes them,
# in UTC with a ``Z``, whatever the site's ``DATETIME_FORMAT`` and time zone. What each
# serializer reads, and the context it needs, is said in comments: a class docstring would
# become the schema's description.


class UserIdField(serializers.Field):
    """The user's primary key, typed in the schema after the site's user model."""

    def to_representation(self, value: Any) -> Any:
        return value


class _Bearer(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=["Bearer"], **kwargs)

    def get_attribute(self, instance: Any) -> str:
        return "Bearer"


class _InBody(serializers.CharField):
    """A token of the pair that goes in the body only with body transport
    (``context["transport"]``); browsers get it in an HttpOnly cookie instead."""

    def get_attribute(self, instance: Any) -> Any:
        if self.context["transport"] != transport.BODY:
            raise SkipField()
        return super().get_attribute(instance)


class _DeviceToken(serializers.CharField):
    """``context["device_token"]``, in the body with body transport (else in its cookie)."""

    def get_attribute(self, instance: Any) -> Any:
        token = self.context["device_token"]
        if token is None or self.context["transport"] != transport.BODY:
            raise SkipField()
        return token


# A ``TokenPair``, with ``context={"transport": ...}``.
class TokenResponseSerializer(serializers.Serializer):
    access = serializers.CharField(help_text=_("Access JWT, for `Authorization: Bearer`."))
    token_type = _Bearer()
    expires_in = serializers.IntegerField(help_text=_("Seconds until the access token expires."))
    refresh = _InBody(
        required=False,
        help_text=_("Refresh token; only with body transport (else it is in the cookie)."),
    )


# Also ``context["device_token"]``: the device token to hand out, or None.
class LoginResponseSerializer(TokenResponseSerializer):
    device_token = _DeviceToken(
        required=False,
        help_text=_(
            "Device token; only with body transport (else in the HttpOnly device cookie). Send "
            "it back as `device_token` at login: this device then escapes the account lockout."
        ),
    )


class _Email(serializers.CharField):
    def get_attribute(self, user: Any) -> Any:
        return getattr(user, user.get_email_field_name(), "")


class RegisteredUserSerializer(serializers.Serializer):
    id = UserIdField(source="pk")
    username = serializers.CharField(source="get_username")
    email = _Email()


class _User(serializers.Serializer):
    user = RegisteredUserSerializer()


# A ``TokenPair``: its user first (the bases' fields come in order), then the tokens.
class RegisterResponseSerializer(_User, TokenResponseSerializer):
    pass


class _Roles(serializers.ListField):
    def get_attribute(self, user: Any) -> Any:
        return self.context["roles"]


# The user, with ``context={"roles": ...}`` (the roles of the access token).
class MeSerializer(RegisteredUserSerializer):
    roles = _Roles(child=serializers.CharField())


class _Current(serializers.BooleanField):
    def get_attribute(self, session: Any) -> bool:
        return str(session.pk) == self.context["session_id"]


# A ``TokenFamily``, with ``context={"session_id": <the session of this request>}``.
class SessionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    created_at = serializers.DateTimeField(format=None)
    last_used_at = serializers.DateTimeField(format=None)
    ip = serializers.IPAddressField(allow_null=True, help_text=_("Where the session started."))
    user_agent = serializers.CharField(allow_blank=True)
    last_ip = serializers.IPAddressField(
        allow_null=True, help_text=_("Where the session was last refreshed.")
    )
    last_user_agent = serializers.CharField(allow_blank=True)
    current = _Current(help_text=_("The session of the token in this request."))


class _Advice(serializers.CharField):
    def get_attribute(self, event: Any) -> str:
        return events.advice(event.kind)


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


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
