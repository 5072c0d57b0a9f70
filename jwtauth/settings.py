"""jwtauth settings: one ``JWTAUTH`` dict over the DEFAULTS below, resolved lazily."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

DEFAULTS: dict[str, Any] = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    # HS256, RS256, ES256 or EdDSA for access tokens; refresh tokens are always HS256.
    "ALGORITHM": "HS256",
    # Lists of {"kid": ..., "key": ...}; the first signs, all verify.
    # None derives one key each from SECRET_KEY (and SECRET_KEY_FALLBACKS, to verify).
    # Asymmetric ACCESS_KEYS entries: {"kid", "private_key" and/or "public_key"}, each a PEM,
    # "file:/path" or "env:VAR"; the first entry with a private key signs (see README).
    "ACCESS_KEYS": None,
    "REFRESH_KEYS": None,
    # True on a service that only verifies access tokens: no signing key is required.
    "VERIFY_ONLY": False,
    # Verify-only mode: fetch the issuer's public keys from this JWKS URL (cached).
    "JWKS_URL": None,
    # A token with an unknown kid refetches the JWKS at most once per this interval.
    "JWKS_REFRESH_INTERVAL": timedelta(seconds=30),
    # A fetched JWKS is reused this long before it is fetched again (removed keys stop verifying).
    "JWKS_LIFETIME": timedelta(minutes=10),
    "JWKS_TIMEOUT": timedelta(seconds=5),
    # Cache-Control max-age of the site's own GET /.well-known/jwks.json.
    "JWKS_MAX_AGE": timedelta(minutes=5),
    "ISSUER": "jwtauth",
    "AUDIENCE": "jwtauth",
    "LEEWAY": timedelta(seconds=0),
    "COOKIE_NAME": "refresh_token",
    "COOKIE_PATH": "/api/auth/",
    "COOKIE_DOMAIN": None,
    "COOKIE_SAMESITE": "Strict",
    # None: Secure unless DEBUG.
    "COOKIE_SECURE": None,
    "TRANSPORTS": ("cookie", "body"),
    # A replay of the live refresh token's parent this soon after its first use gets the same
    # successor again (tabs restored together, a mobile retry after a lost response); any
    # other replay revokes the session. 0: every replay does. See docs/sessions.md.
    "REUSE_GRACE_SECONDS": 30,
    "ROLES_CALLABLE": "jwtauth.roles.default_roles",
    # How many proxies in front of the site append to X-Forwarded-For.
    "TRUSTED_PROXY_COUNT": 0,
    # Longest token accepted at all, in bytes; larger input is refused unparsed.
    "MAX_TOKEN_BYTES": 4096,
    # Access tokens this process has verified, remembered by their exact string so a repeat
    # costs a dict lookup (expiry and revocation are still checked every time). 0: off.
    "VERIFIED_TOKEN_CACHE_SIZE": 2048,
    # Rate limits: "count/period" as django-ratelimit writes them ("10/15m"); None turns one off.
    # False turns every limit off.
    "RATELIMIT_ENABLED": True,
    # Cache alias holding the counters; share it between processes (Redis, Memcached).
    "RATELIMIT_CACHE": "default",
    # Login attempts per client IP.
    "LOGIN_RATE": "10/15m",
    # Failed logins per account; more lock the account when ACCOUNT_LOCKOUT is on.
    "LOGIN_FAILURE_RATE": "5/15m",
    # True: past LOGIN_FAILURE_RATE the account's logins are refused from every IP, even with
    # the right password, until the window ends; a successful login resets the count.
    "ACCOUNT_LOCKOUT": True,
    # Device tokens (OWASP device cookies): a successful login hands out a signed token bound to
    # the account; logins presenting it are counted per device and skip the account lockout.
    "DEVICE_TOKENS": True,
    "DEVICE_COOKIE_NAME": "device_token",
    "DEVICE_TOKEN_LIFETIME": timedelta(days=365),
    # Failed logins per device token; more lock that device out (not the account) for the window.
    "DEVICE_FAILURE_RATE": "5/15m",
    # Mail each security event (stolen refresh token used, lockout, password change or reset,
    # session ended by an admin) to the user; events are recorded either way.
    "SECURITY_EVENT_EMAILS": True,
    # Registrations and password reset requests per client IP.
    "REGISTER_RATE": "5/h",
    "PASSWORD_RESET_RATE": "5/h",
    # Refreshes per client IP.
    "REFRESH_RATE": "60/m",
    # Link mailed for a password reset; a relative one is joined to PASSWORD_RESET_ORIGIN.
    "PASSWORD_RESET_URL": "/reset/?uid={uid}&token={token}",
    # "https://example.com": origin of relative reset links (never taken from the request's Host).
    "PASSWORD_RESET_ORIGIN": None,
    # Absolute session lifetime: rotation never extends a session past it.
    "SESSION_LIFETIME": timedelta(days=30),
    # A session not refreshed for this long has expired.
    "SESSION_IDLE_TIMEOUT": timedelta(days=7),
    # Live sessions per user; a new login evicts the oldest. None: unlimited.
    "MAX_SESSIONS_PER_USER": None,
    # Revocations live in the database (a log) and every process holds the live part in
    # memory. A process reads new log entries when its last read is older than this...
    "REVOCATION_MAX_STALENESS": timedelta(milliseconds=250),
    # ...and at once when woken by a push: "auto" (Redis pub/sub when REVOCATION_REDIS_URL is
    # set, else PostgreSQL LISTEN/NOTIFY on PostgreSQL), "postgres", "redis" or None (poll only).
    "REVOCATION_PUSH": "auto",
    # libpq connection string for the LISTEN connection (behind PgBouncer in transaction mode:
    # a direct connection to PostgreSQL). None: the settings of the database written to.
    "REVOCATION_LISTEN_DSN": None,
    # Redis URL to publish wake-ups on (and subscribe to, with REVOCATION_PUSH "auto"/"redis").
    "REVOCATION_REDIS_URL": None,
    # Verify-only service: the issuer's revocation feed URL (GET .../api/auth/revocations/)...
    "REVOCATION_FEED_URL": None,
    # ...and the secret shared with the issuer; the issuer serves its feed only when set.
    "REVOCATION_FEED_SECRET": None,
    "REVOCATION_FEED_TIMEOUT": timedelta(seconds=2),
    # True: when a due read of the revocation log fails, answer from memory (default: 503).
    "REVOCATION_FAIL_OPEN": False,
    # jwtauth_cleanup deletes expired and revoked rows older than this.
    "CLEANUP_RETENTION": timedelta(days=7),
}

IMPORT_STRINGS = frozenset({"ROLES_CALLABLE"})
# Durations: a timedelta, or a number of seconds turned into a timedelta here, the one place
# that converts: every module reads a timedelta.
DURATIONS = frozenset(name for name, value in DEFAULTS.items() if isinstance(value, timedelta))


def as_duration(value: Any) -> Any:
    """A number of seconds as a timedelta; anything else as it is (the checks report it)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return timedelta(seconds=value)
        except (OverflowError, ValueError):
            return value
    return value


class JWTAuthSettings:
    """Attribute access to ``settings.JWTAUTH`` over DEFAULTS, cached until settings change."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}
        self._derived: dict[str, Any] = {}

    @property
    def user_settings(self) -> dict[str, Any]:
        return getattr(settings, "JWTAUTH", {})

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Invalid jwtauth setting: {name!r}")
        try:
            return self._cache[name]
        except KeyError:
            pass
        value = self.user_settings.get(name, DEFAULTS[name])
        if name in IMPORT_STRINGS and isinstance(value, str):
            value = import_string(value)
        elif name in DURATIONS:
            value = as_duration(value)
        self._cache[name] = value
        return value

    def derived(self, name: str, build: Callable[[], Any]) -> Any:
        """Value computed from settings (such as the parsed key set), rebuilt after a change."""
        try:
            return self._derived[name]
        except KeyError:
            value = self._derived[name] = build()
            return value

    def reload(self) -> None:
        self._cache.clear()
        self._derived.clear()


jwtauth_settings = JWTAuthSettings()

_WATCHED = frozenset({"JWTAUTH", "SECRET_KEY", "SECRET_KEY_FALLBACKS", "DEBUG", "CACHES"})


def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting in _WATCHED:
        jwtauth_settings.reload()


setting_changed.connect(_reload)
