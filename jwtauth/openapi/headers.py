"""The headers of the endpoints' answers and requests, as OpenAPI parameters."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


def _header(name: str, kind: OpenApiTypes, description: str, *statuses: int) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        kind,
        OpenApiParameter.HEADER,
        description=description,
        response=list(statuses),
    )


def retry_after() -> OpenApiParameter:
    return _header("Retry-After", OpenApiTypes.INT, _("Seconds until the limit resets."), 429)


def www_authenticate() -> OpenApiParameter:
    text = _('`Bearer realm="api"`, plus `error="invalid_token"` when a token was presented.')
    return _header("WWW-Authenticate", OpenApiTypes.STR, text, 401)


def set_cookie(status: int) -> OpenApiParameter:
    text = _("With cookie transport, the HttpOnly refresh-token cookie (cleared on logout).")
    return _header("Set-Cookie", OpenApiTypes.STR, text, status)


CSRF_HEADER = OpenApiParameter(
    "X-CSRFToken",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("Value of the `csrftoken` cookie; required when the refresh cookie is sent."),
)
