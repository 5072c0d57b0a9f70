"""Sessions (token families) and the digests of their refresh tokens."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jwtauth.settings import jwtauth_settings


class RevokeReason(models.TextChoices):
    LOGOUT = "logout", _("Logged out")
    LOGOUT_ALL = "logout_all", _("Logged out everywhere")
    ADMIN = "admin", _("Revoked by an administrator")
    REUSE = "reuse", _("Refresh token reused")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    DEACTIVATED = "deactivated", _("Account deactivated")
    EXPIRED = "expired", _("Expired")
    LIMIT = "limit", _("Session limit reached")


class TokenFamilyQuerySet(models.QuerySet):
    def active(self) -> "TokenFamilyQuerySet":
        return self.filter(revoked_at__isnull=True)

    def live(self, now: datetime) -> "TokenFamilyQuerySet":
        """Sessions that can still refresh: not revoked, not past their absolute or idle limit."""
        idle_since = now - jwtauth_settings.SESSION_IDLE_TIMEOUT
        return self.active().filter(expires_at__gt=now, last_used_at__gt=idle_since)


class TokenFamily(models.Model):
    """A session: every login starts one, every refresh rotates a token within it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="token_families"
    )
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField()
    # Absolute end of the session; no refresh token of it outlives this.
    expires_at = models.DateTimeField()
    # Where the session started, and where it was last refreshed.
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    last_ip = models.GenericIPAddressField(null=True, blank=True)
    last_user_agent = models.CharField(max_length=256, blank=True)
    # HMAC of the user's password hash when the session started (never the hash itself):
    # a refresh under any other password ends the session, however the password changed.
    credential = models.CharField(max_length=64, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=32, choices=RevokeReason.choices, blank=True)

    objects = TokenFamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(fields=["user", "revoked_at"], name="jwtauth_family_user_idx"),
            models.Index(fields=["revoked_at"], name="jwtauth_family_revoked_idx"),
            models.Index(fields=["last_used_at"], name="jwtauth_family_used_idx"),
            models.Index(fields=["expires_at"], name="jwtauth_family_expires_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"

    def has_expired(self, now: datetime) -> bool:
        """Past the absolute lifetime or idle for longer than the idle timeout."""
        idle_since = now - jwtauth_settings.SESSION_IDLE_TIMEOUT
        return self.expires_at <= now or self.last_used_at <= idle_since


class RefreshToken(models.Model):
    """One issued refresh token, stored only as the SHA-256 digest of the JWT."""

    family = models.ForeignKey(TokenFamily, on_delete=models.CASCADE, related_name="tokens")
    jti = models.CharField(max_length=64, unique=True)
    digest = models.CharField(max_length=64)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("refresh token")
        verbose_name_plural = _("refresh tokens")
        indexes = [
            models.Index(fields=["expires_at"], name="jwtauth_token_expires_idx"),
        ]

    def __str__(self) -> str:
        return self.jti

    def used_within(self, seconds: float, now: datetime) -> bool:
        return self.used_at is not None and (now - self.used_at).total_seconds() <= seconds


class RevocationKind(models.TextChoices):
    SESSION = "session", _("Session")
    USER = "user", _("User")


class RevocationEntry(models.Model):
    """One revocation, appended in the transaction that revokes; never updated.

    A ``session`` entry refuses every access token of session ``key``; a ``user`` entry
    refuses user ``key``'s access tokens issued in an earlier second than ``not_before``.
    Processes read the entries above the last id they have seen (jwtauth.revocation).
    """

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=8, choices=RevocationKind.choices)
    key = models.CharField(max_length=255)
    not_before = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    # No access token this entry refuses is valid after this; then it only waits for cleanup.
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")
        indexes = [models.Index(fields=["expires_at"], name="jwtauth_revlog_expires_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class DeviceToken(models.Model):
    """A device that logged in to the account (OWASP device cookie); the token is only signed,
    never stored: the row is what revocation and the per-device lockout refer to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jwtauth_devices"
    )
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        indexes = [
            models.Index(fields=["user", "revoked_at"], name="jwtauth_device_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    REUSE = "reuse", _("A stolen refresh token was used")
    LOCKOUT = "lockout", _("Account locked after failed logins")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    ADMIN_REVOKE = "admin_revoke", _("Session ended by an administrator")


class SessionUse(models.Model):
    """One legitimate use of a session, its login or a refresh: when, from where (lineage)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("login")
        REFRESH = "refresh", _("refresh")

    family = models.ForeignKey(TokenFamily, on_delete=models.CASCADE, related_name="uses")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)

    class Meta:
        verbose_name = _("session use")
        verbose_name_plural = _("session uses")
        indexes = [models.Index(fields=["family", "at"], name="jwtauth_use_family_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M:%S}"


class SecurityEvent(models.Model):
    """Something the account's owner should know about: a replayed refresh token, a lockout,
    a password change or reset, a session ended by an administrator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jwtauth_security_events"
    )
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    created_at = models.DateTimeField()
    # Kept when cleanup deletes the session.
    session = models.ForeignKey(
        TokenFamily,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
    )
    # The request that caused the event (the replay, the refused login).
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    # The session's last legitimate use before the event.
    session_ip = models.GenericIPAddressField(null=True, blank=True)
    session_user_agent = models.CharField(max_length=256, blank=True)
    session_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [models.Index(fields=["user", "created_at"], name="jwtauth_event_user_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user} · {self.created_at:%Y-%m-%d %H:%M}"
