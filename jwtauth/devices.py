"""Device tokens (OWASP "device cookies"): a device that logged in before is not locked out.

A successful login hands the client a token signed with ``SECRET_KEY`` that names a
``DeviceToken`` row of the account. Logins presenting a live token of the account being logged
into are counted per device (``DEVICE_FAILURE_RATE``) instead of per account, so guessing from
elsewhere cannot lock the owner out. A forged, foreign, expired or revoked token counts as none.
"""

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

from jwtauth import ratelimits
from jwtauth.exceptions import AccountLocked
from jwtauth.models import DeviceToken
from jwtauth.settings import jwtauth_settings

SALT = "jwtauth.device"
DEVICE_FAILURES = "DEVICE_FAILURE_RATE"
# A signed token is ~110 characters; anything much longer is not one of ours.
MAX_TOKEN_CHARS = 512


def enabled() -> bool:
    return bool(jwtauth_settings.DEVICE_TOKENS)


def _sign(device: DeviceToken) -> str:
    return signing.dumps({"d": device.pk.hex, "u": str(device.user_id)}, salt=SALT)


def issue(*, user: AbstractBaseUser) -> str:
    """A new device token of ``user``."""
    now = timezone.now()
    device = DeviceToken.objects.create(user=user, created_at=now, last_used_at=now)
    return _sign(device)


def recognise(token: Any, *, username: str) -> DeviceToken | None:
    """The live device of the account ``username`` that ``token`` names, or None.

    Only a token with a valid signature reaches the database; one bound to another account,
    revoked or older than ``DEVICE_TOKEN_LIFETIME`` is None, exactly like no token at all.
    """
    if not enabled() or not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_CHARS:
        return None
    max_age = jwtauth_settings.DEVICE_TOKEN_LIFETIME
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
        device_id = uuid.UUID(hex=data["d"])
        user_id = str(data["u"])
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        return None
    device = (
        DeviceToken.objects.select_related("user")
        .filter(pk=device_id, revoked_at__isnull=True)
        .first()
    )
    if device is None or str(device.user_id) != user_id:
        return None
    key = ratelimits.account_key
    if key(device.user.get_username()) != key(username):
        return None
    return device


def attempt(device: DeviceToken) -> None:
    """Count one password check from ``device`` before it is made; 429 ``account_locked``
    (this device only) past ``DEVICE_FAILURE_RATE``. One atomic increment, like the account's."""
    found = ratelimits.usage(DEVICE_FAILURES, device.pk.hex, increment=True)
    if found is not None and found.count > found.limit:
        raise AccountLocked(wait=found.time_left)


def succeeded(device: DeviceToken | None, *, user: AbstractBaseUser) -> str | None:
    """After a successful login: clear the device's count and return the token to hand out
    (the presented one's device, refreshed, or a new one); None when device tokens are off."""
    if not enabled():
        return None
    if device is None or device.user_id != user.pk:
        return issue(user=user)
    ratelimits.forget(DEVICE_FAILURES, device.pk.hex)
    DeviceToken.objects.filter(pk=device.pk).update(last_used_at=timezone.now())
    return _sign(device)


def revoke_user(*, user_id: object) -> int:
    """Revoke every device token of a user (log out everywhere, password change or reset)."""
    live = DeviceToken.objects.filter(user_id=user_id, revoked_at__isnull=True)
    return live.update(revoked_at=timezone.now())


def revoke(*, device_ids: list[object]) -> int:
    """Revoke the given device tokens (the admin's action); returns how many were live."""
    live = DeviceToken.objects.filter(pk__in=device_ids, revoked_at__isnull=True)
    return live.update(revoked_at=timezone.now())


def presented(request: Request, body_token: str | None) -> str | None:
    """The device token a login carries: the body field (native clients), else the cookie."""
    if body_token is not None:
        return body_token
    return request.COOKIES.get(jwtauth_settings.DEVICE_COOKIE_NAME)


def _secure() -> bool:
    # As the refresh cookie: COOKIE_SECURE, or Secure unless DEBUG.
    secure = jwtauth_settings.COOKIE_SECURE
    return not settings.DEBUG if secure is None else bool(secure)


def attach(response: Response, token: str | None, transport: str) -> Response:
    """Hand the device token out in an HttpOnly cookie with cookie transport (with body
    transport the response body carries it: ``responses.LOGIN``)."""
    if token is None or transport == "body":
        return response
    response.set_cookie(
        jwtauth_settings.DEVICE_COOKIE_NAME,
        token,
        max_age=int(jwtauth_settings.DEVICE_TOKEN_LIFETIME.total_seconds()),
        path=jwtauth_settings.COOKIE_PATH,
        domain=jwtauth_settings.COOKIE_DOMAIN,
        secure=_secure(),
        httponly=True,
        samesite=jwtauth_settings.COOKIE_SAMESITE,
    )
    return response
