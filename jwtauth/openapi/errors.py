"""Error responses, their codes and statuses taken from the exception classes that raise them."""

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import APIException, ParseError

from jwtauth.exceptions import (
    KeysUnavailable,
    NotAuthenticated,
    RevocationUnavailable,
    TokenExpired,
    TokenInvalid,
    TokenRevoked,
    contract_code,
)

Schema = dict[str, Any]
Error = type[APIException]


def _status(errors: tuple[Error, ...]) -> int:
    (status,) = {error.status_code for error in errors}  # one response per status
    return status


def error_schema(*errors: Error) -> Schema:
    """The ``{"detail", "code"}`` body with ``code`` one of the codes of ``errors``."""
    return {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "code": {
                "type": "string",
                "enum": [contract_code(error.default_code) for error in errors],
            },
        },
        "required": ["detail", "code"],
    }


class ErrorResponse(OpenApiResponse):
    """A coded error response that keeps its exception classes, so that two of one status
    can become one (:func:`responses`)."""

    def __init__(self, description: Any, errors: tuple[Error, ...]) -> None:
        super().__init__(error_schema(*errors), description=description)
        self.errors = errors


def error(description: str, *errors: Error) -> dict[int, OpenApiResponse]:
    """``{status: response}`` for ``errors``, exception classes that share one status."""
    return {_status(errors): ErrorResponse(description, errors)}


def responses(*maps: dict[int, Any]) -> dict[int, Any]:
    """The ``{status: response}`` maps together. Two error responses of one status become
    one listing the codes of both (``{**a, **b}`` would silently keep only the last); any
    other two responses of one status are a mistake in the description."""
    merged: dict[int, Any] = {}
    for answers in maps:
        for status, response in answers.items():
            old = merged.get(status)
            if status not in merged:
                merged[status] = response
            elif isinstance(old, ErrorResponse) and isinstance(response, ErrorResponse):
                errors = tuple(dict.fromkeys((*old.errors, *response.errors)))
                description = format_lazy("{} {}", old.description, response.description)
                merged[status] = ErrorResponse(description, errors)
            else:
                raise ValueError(f"two responses for status {status}")
    return merged


FIELD_ERRORS: Schema = {
    "type": "object",
    "description": "DRF's field map: each invalid field with its messages.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def invalid(*errors: Error) -> dict[int, OpenApiResponse]:
    """400: a field map, or a coded error (a body that is not JSON is ``parse_error``)."""
    errors = (ParseError, *errors)
    body = {"oneOf": [FIELD_ERRORS, error_schema(*errors)]}
    description = _("Invalid input: a field map, or a `parse_error` for a malformed body.")
    return {_status(errors): OpenApiResponse(body, description=description)}


BAD_BODY = error(_("The body is not valid JSON or form data."), ParseError)


def bearer_errors() -> dict[int, OpenApiResponse]:
    """401 and 503 answers of any view behind ``JWTAuthentication``."""
    return {
        **error(
            _("No access token, or an invalid, expired or revoked one."),
            NotAuthenticated,
            TokenInvalid,
            TokenExpired,
            TokenRevoked,
        ),
        **error(
            _("The revocation log (or the issuer's JWKS) cannot be read."),
            RevocationUnavailable,
            KeysUnavailable,
        ),
    }
