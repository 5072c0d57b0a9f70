"""Input validation for the jwtauth endpoints; no token is issued here."""

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField, get_error_detail
from rest_framework.validators import UniqueValidator

from jwtauth import accounts, transport


class TransportField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[transport.COOKIE, transport.BODY], required=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if not transport.enabled(value):
            raise serializers.ValidationError(_("This transport is disabled on this site."))
        return value


class LoginSerializer(serializers.Serializer):
    """``username`` is looked up as a username, ``email`` as an email address, and
    ``identifier`` (one form field for both) as a username first, then as an email."""

    username = serializers.CharField(required=False, max_length=254, trim_whitespace=False)
    email = serializers.CharField(required=False, max_length=254)
    identifier = serializers.CharField(required=False, max_length=254, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    transport = TransportField()
    # Any text is judged as a device token (a bad one counts as none), never refused as a field.
    device_token = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        field = next(
            (name for name in ("username", "email", "identifier") if attrs.get(name)), None
        )
        if field is None:
            raise serializers.ValidationError(
                {"username": [_("Give a username or an email address.")]}
            )
        attrs["identifier"], attrs["field"] = attrs[field], field
        attrs.setdefault("transport", default_transport())
        return attrs


class RegisterSerializer(serializers.ModelSerializer):
    """The site user model's ``USERNAME_FIELD``, email field and ``REQUIRED_FIELDS``, typed as
    the model declares them, plus ``password`` and ``transport``.

    Every field is checked, never stopping at the first bad one; ``valid_values`` keeps those
    that passed so the service can check them further and report everything in one answer.
    """

    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    transport = TransportField()

    @cached_property
    def Meta(self) -> type:  # noqa: N802  ModelSerializer reads self.Meta
        user_model = get_user_model()
        names = accounts.registration_fields(user_model)
        extra: dict[str, dict[str, Any]] = {name: {"required": True} for name in names}
        for name in names:
            if isinstance(user_model._meta.get_field(name), models.CharField):
                extra[name]["allow_blank"] = False
        fields = [*names, "password", "transport"]
        return type("Meta", (), {"model": user_model, "fields": fields, "extra_kwargs": extra})

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # Uniqueness is the service's: case-insensitive, with the messages of the contract.
        for field in fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        return fields

    def get_validators(self) -> list[Any]:
        return []

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)
        values: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for field in self._writable_fields:
            value = field.get_value(data)
            # DRF's CharField would turn a JSON number into a string; the schema says string.
            if isinstance(field, serializers.CharField) and isinstance(value, int | float):
                errors[field.field_name] = [field.error_messages["invalid"]]
                continue
            try:
                values[field.field_name] = field.run_validation(value)
            except serializers.ValidationError as exc:
                errors[field.field_name] = exc.detail
            except DjangoValidationError as exc:
                errors[field.field_name] = get_error_detail(exc)
            except SkipField:
                pass
        self.valid_values = values
        if errors:
            raise serializers.ValidationError(errors)
        return values


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
