"""Input validation for the jwtauth endpoints; no token is issued here."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jwtauth import transport


class TransportField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[transport.COOKIE, transport.BODY], required=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if not transport.enabled(value):
            raise serializers.ValidationError(_("This transport is disabled on this site."))
        return value


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, max_length=254, trim_whitespace=False)
    email = serializers.CharField(required=False, max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    transport = TransportField()
    # Any text is judged as a device token (a bad one counts as none), never refused as a field.
    device_token = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        identifier = attrs.get("username") or attrs.get("email")
        if not identifier:
            raise serializers.ValidationError(
                {"username": [_("Give a username or an email address.")]}
            )
        attrs["identifier"] = identifier
        attrs.setdefault("transport", default_transport())
        return attrs


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    transport = TransportField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("transport", default_transport())
        return attrs


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=4096, trim_whitespace=False)
    new_password = serializers.CharField(max_length=4096, trim_whitespace=False)


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=4096, trim_whitespace=False)


def default_transport() -> str:
    return transport.COOKIE if transport.enabled(transport.COOKIE) else transport.BODY
