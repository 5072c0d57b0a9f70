"""Bodies the views do not serialize themselves (refresh request, JWKS, revocation feed), and
the user id's type; the views' response bodies are ``jwtauth.responses``."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from jwtauth.responses import UserIdField


class UserIdFieldExtension(OpenApiSerializerFieldExtension):
    target_class = UserIdField

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        return auto_schema._map_model_field(get_user_model()._meta.pk, direction)


class RefreshBodySerializer(serializers.Serializer):
    # Any text is judged as a token (401 ``token_invalid``), never refused as a field (400);
    # null is the same as no ``refresh`` at all.
    refresh = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Refresh token of a body-transport client; browsers send the cookie instead."),
    )


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


REVOCATION_FEED: dict[str, Any] = {
    "type": "object",
    "properties": {
        "entries": {
            "type": "array",
            "description": "[id, kind (session|user), key, not_before, created, expires]; "
            "times in Unix seconds, not_before null for a session.",
            "items": {"type": "array"},
        },
        "last_id": {"type": "integer"},
        "horizon": {"type": "number", "nullable": True},
        "more": {"type": "boolean"},
    },
    "required": ["entries", "last_id", "horizon", "more"],
}
