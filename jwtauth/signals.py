"""Signals of the session lifecycle, for audit logging and alerts."""

from django.dispatch import Signal

# sender=TokenFamily; user, family, request
session_started = Signal()
# sender=TokenFamily; user, family, request
token_refreshed = Signal()
# sender=TokenFamily; user, family, reason
session_revoked = Signal()
# sender=TokenFamily; user, family, request: a rotated refresh token was presented again
refresh_token_reused = Signal()
# sender=user model; username, request, wait: a login was refused by the account lockout
account_locked = Signal()
