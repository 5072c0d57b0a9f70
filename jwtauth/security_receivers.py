"""Receivers of jwtauth's signals that end device tokens and record security events."""

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import caches
from django.db.models.signals import post_save
from django.http import HttpRequest

from jwtauth import devices, events, ratelimits, signals
from jwtauth.cache_errors import CACHE_ERRORS
from jwtauth.models import EventKind, RevokeReason, TokenFamily
from jwtauth.settings import jwtauth_settings

# Set on a user before the save that a password reset link makes (accounts.py).
RESET_FLAG = "jwtauth_password_reset"


def on_password_saved(sender: type, instance: AbstractBaseUser, **kwargs: Any) -> None:
    """A new password (change, reset, admin form, shell) revokes every device token and is
    recorded. ``AbstractBaseUser`` keeps the raw password in ``_password`` until save returns."""
    if getattr(instance, "_password", None) is None or kwargs.get("created"):
        return
    devices.revoke_user(user_id=instance.pk)
    reset = instance.__dict__.pop(RESET_FLAG, False)
    kind = EventKind.PASSWORD_RESET if reset else EventKind.PASSWORD_CHANGE
    events.record(user=instance, kind=kind)


def on_reuse(
    sender: type, user: AbstractBaseUser, family: TokenFamily, request: Any, **kwargs: Any
) -> None:
    events.record(user=user, kind=EventKind.REUSE, request=request, session=family)


def on_session_revoked(
    sender: type, user: AbstractBaseUser, family: TokenFamily, reason: str, **kwargs: Any
) -> None:
    if reason == RevokeReason.ADMIN:
        events.record(user=user, kind=EventKind.ADMIN_REVOKE, session=family)


def on_account_locked(
    sender: type, username: str, request: HttpRequest | None, wait: int | None, **kwargs: Any
) -> None:
    """One event per lockout window of an existing account, not one per refused login."""
    try:
        user = sender._default_manager.get_by_natural_key(username)
    except sender.DoesNotExist:
        return
    wait = wait or 60
    # Named after the window's end (now + wait is the same for every refusal in one window),
    # so the next window records again even if this key has not expired yet.
    window_end = int(time.time()) + wait
    key = f"jwtauth.lockout-event.{ratelimits.account_key(username)}.{window_end}"
    try:
        first = caches[jwtauth_settings.RATELIMIT_CACHE].add(key, 1, wait)
    except CACHE_ERRORS:
        first = True
    if first:
        events.record(user=user, kind=EventKind.LOCKOUT, request=request)


def connect() -> None:
    post_save.connect(
        on_password_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="jwtauth_password_saved"
    )
    for signal, receiver in (
        (signals.refresh_token_reused, on_reuse),
        (signals.session_revoked, on_session_revoked),
        (signals.account_locked, on_account_locked),
    ):
        signal.connect(receiver, dispatch_uid=f"jwtauth_events_{receiver.__name__}")
