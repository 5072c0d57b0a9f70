"""Every API error of jwtauth with its contract code, and the handler that codes DRF's."""

import math
from types import TracebackType
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

WWW_AUTHENTICATE = 'Bearer realm="api"'
TOO_DEEP = _("JSON parse error - the body is nested too deeply.")
# DRF's codes that the contract names otherwise; the others pass unchanged.
_DRF_CODES = {"throttled": "rate_limited", "authentication_failed": "token_invalid"}


class _CodedError(exceptions.APIException):
    """An API error whose body is ``{"detail": ..., "code": ...}``."""

    def __init__(self, detail: Any = None, code: str | None = None) -> None:
        code = code or self.default_code
        body = {"detail": detail or self.default_detail, "code": code}
        exceptions.APIException.__init__(self, body, code)


class _Unauthorized(_CodedError, exceptions.AuthenticationFailed):
    status_code = status.HTTP_401_UNAUTHORIZED


class NotAuthenticated(_CodedError, exceptions.NotAuthenticated):
    default_detail = _("Authentication credentials were not provided.")
    default_code = "not_authenticated"


class InvalidCredentials(_Unauthorized):
    default_detail = _("Invalid username or password.")
    default_code = "invalid_credentials"


class TokenExpired(_Unauthorized):
    default_detail = _("The token has expired.")
    default_code = "token_expired"


class TokenInvalid(_Unauthorized):
    default_detail = _("The token is invalid.")
    default_code = "token_invalid"


class TokenRevoked(_Unauthorized):
    default_detail = _("The session of this token has been revoked.")
    default_code = "token_revoked"


class TokenReused(_Unauthorized):
    default_detail = _("This refresh token was already used; the session has been revoked.")
    default_code = "token_reused"


class ResetTokenInvalid(_CodedError):
    """A password reset link that is malformed, already used or expired (400, not 401)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This password reset link is invalid, used or expired.")
    default_code = "token_invalid"


class PermissionDenied(_CodedError, exceptions.PermissionDenied):
    default_detail = _("You do not have permission to perform this action.")
    default_code = "permission_denied"


class NotFound(_CodedError, exceptions.NotFound):
    default_detail = _("Not found.")
    default_code = "not_found"


class CSRFFailed(_CodedError, exceptions.PermissionDenied):
    default_detail = _("CSRF check failed.")
    default_code = "csrf_failed"


class RateLimited(_CodedError, exceptions.Throttled):
    default_detail = _("Too many requests. Try again later.")
    default_code = "rate_limited"

    def __init__(self, wait: float | None = None, detail: Any = None) -> None:
        super().__init__(detail)
        self.wait = None if wait is None else max(1, math.ceil(wait))


class AccountLocked(RateLimited):
    default_detail = _("Too many failed logins for this account. Try again later.")
    default_code = "account_locked"


class RateLimitUnavailable(_CodedError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Rate limits cannot be checked right now. Try again later.")
    default_code = "rate_limit_unavailable"


class RevocationUnavailable(_CodedError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Token revocation state cannot be checked right now.")
    default_code = "revocation_unavailable"


class KeysUnavailable(_CodedError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The keys to verify tokens cannot be fetched right now.")
    default_code = "keys_unavailable"


class FeedUnauthorized(_CodedError):
    """The revocation feed was asked without its shared secret."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("The revocation feed needs its shared secret.")
    default_code = "feed_unauthorized"


class InvalidFeedCursor(_CodedError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("'after' must be a whole number of at least 0.")
    default_code = "invalid_after"


class SessionEnded(TokenRevoked):
    """``token_revoked`` that also says why the session ended (``reason``: ``logout``,
    ``logout_all``, ``admin``, ``password_change``, ...), so a client can tell its user."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.detail = {**self.detail, "reason": str(reason)}


def contract_code(code: str) -> str:
    """The contract's code for an error code of DRF or jwtauth."""
    return _DRF_CODES.get(code, code)


def raised_while_parsing(exc: BaseException) -> bool:
    """True when ``exc`` is a RecursionError out of DRF reading the request body (any parser)."""
    if not isinstance(exc, RecursionError):
        return False
    frame: TracebackType | None = exc.__traceback__
    parse_code = Request._parse.__code__
    while frame is not None:
        if frame.tb_frame.f_code is parse_code:
            return True
        frame = frame.tb_next
    return False


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler that gives every non-field error a machine ``code``.

    Set it as ``REST_FRAMEWORK["EXCEPTION_HANDLER"]`` so that DRF's own errors
    (``not_authenticated``, ``permission_denied``, ``method_not_allowed``, ...)
    share the ``{"detail", "code"}`` shape of jwtauth's. A JSON body too deep for Python's
    parser is a 400 ``parse_error`` here too, whichever parser the view uses.
    """
    # Imported here, not above: rest_framework.views imports the site's authentication
    # classes, which import this module. Any DRF view has imported it before it calls this.
    from rest_framework.views import exception_handler as drf_exception_handler

    if raised_while_parsing(exc):
        exc = exceptions.ParseError(TOO_DEEP)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        code = exc.get_codes()
        if isinstance(code, str):
            data["code"] = contract_code(code)
    return response
