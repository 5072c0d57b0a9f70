"""Every system check message of jwtauth, one table: stable id, message and hint."""

from dataclasses import dataclass

from django.core.checks import CheckMessage, Error, Warning

# A tag of its own on every jwtauth check: `manage.py check --tag jwtauth` runs them alone.
TAG = "jwtauth"


@dataclass(frozen=True)
class Check:
    """One message a check can emit; ``{field}`` placeholders are filled in by the check."""

    id: str
    msg: str
    hint: str

    def __call__(self, **fields: object) -> CheckMessage:
        level = Error if self.id.startswith("jwtauth.E") else Warning
        return level(self.msg.format(**fields), hint=self.hint.format(**fields), id=self.id)


class Checks:
    """The table, as django-axes keeps its ids: a name for each problem, one id each."""

    UNKNOWN_SETTINGS = Check(
        "jwtauth.E001",
        "Unknown JWTAUTH settings: {names}.",
        "Remove them or correct their spelling; see the settings table in the README.",
    )
    SHORT_HMAC_KEY = Check(
        "jwtauth.E002",
        "An explicit HS256 key in JWTAUTH is shorter than {minimum} bytes.",
        "Use at least {minimum} random bytes, e.g. secrets.token_urlsafe(48).",
    )
    SHARED_KEY = Check(
        "jwtauth.E003",
        "JWTAUTH uses the same key for access and refresh tokens.",
        "Give ACCESS_KEYS and REFRESH_KEYS different secrets, or leave both unset to derive "
        "separate keys from SECRET_KEY.",
    )
    REFRESH_KEYS = Check(
        "jwtauth.E004",
        "JWTAUTH keys cannot be loaded: {problem}",
        "Each key entry is a dict with a 'key' (and optionally a 'kid').",
    )
    INVALID_RATES = Check(
        "jwtauth.E005",
        "Invalid JWTAUTH rates: {names}.",
        'Write a rate as "count/period", such as "10/15m", "5/h" or "60/m"; None turns that '
        "limit off.",
    )
    RATELIMIT_CACHE_ALIAS = Check(
        "jwtauth.E006",
        "JWTAUTH RATELIMIT_CACHE {alias!r} is not a cache alias in CACHES.",
        "Name one of the CACHES aliases.",
    )
    ACCESS_KEY_ENTRY = Check(
        "jwtauth.E007",
        "JWTAUTH {problem}",
        "Each ACCESS_KEYS entry is a dict: {{'kid', 'key'}} for HS256, or {{'kid', "
        "'private_key' and/or 'public_key'}} for RS256/ES256/EdDSA, with an optional "
        "'algorithm'. Key values are PEM text, 'file:/path' or 'env:VAR'.",
    )
    ACCESS_KEY_MATERIAL = Check(
        "jwtauth.E008",
        "JWTAUTH {problem}",
        "Generate a fitting key pair with `manage.py jwtauth_genkey --algorithm ALG`: RS256 "
        "needs RSA of 2048+ bits, ES256 a P-256 EC key, EdDSA an Ed25519 key.",
    )
    NO_SIGNING_KEY = Check(
        "jwtauth.E009",
        "JWTAUTH ACCESS_KEYS has no private key, so this site cannot issue access tokens.",
        "Add a 'private_key' to the first entry, or set VERIFY_ONLY (or JWKS_URL) on a service "
        "that only verifies tokens.",
    )
    JWKS_URL = Check(
        "jwtauth.E010",
        "{problem}",
        "Use https://issuer.example/.well-known/jwks.json.",
    )
    RATELIMIT_HELPERS = Check(
        "jwtauth.E011",
        "The installed django-ratelimit lacks the helpers jwtauth counts with ({helpers} in "
        "django_ratelimit.core).",
        "Install a django-ratelimit version in the range jwtauth's package requires.",
    )
    SETTING_VALUES = Check(
        "jwtauth.E012",
        "Invalid JWTAUTH values: {problems}.",
        "See docs/settings.md for each setting's type; durations may be a timedelta or a "
        "number of seconds.",
    )
    FEED_WITHOUT_SECRET = Check(
        "jwtauth.E013",
        "JWTAUTH REVOCATION_FEED_URL is set without REVOCATION_FEED_SECRET.",
        "Set REVOCATION_FEED_SECRET to the secret the issuer's feed expects.",
    )
    JWKS_DURATIONS = Check(
        "jwtauth.E014",
        "JWTAUTH {names} must be positive durations.",
        "Use a timedelta or a number of seconds greater than 0.",
    )
    REDIS_CLIENT_MISSING = Check(
        "jwtauth.E020",
        "CACHES {aliases} use Django's RedisCache, but the redis client (redis-py) is not "
        "installed: the first request that touches the cache, such as a login, fails with a 500.",
        "pip install 'django-jwtauth[redis]' (or redis).",
    )
    DRF_TOO_OLD = Check(
        "jwtauth.E021",
        "Django REST framework {drf} does not support Django {django}.",
        "pip install 'djangorestframework>={lowest}'",
    )
    LOCAL_RATELIMIT_CACHE = Check(
        "jwtauth.W002",
        "JWTAUTH RATELIMIT_CACHE {alias!r} is not shared between processes ({backend}): each "
        "worker process counts on its own (a dummy cache counts nothing), so rate limits and "
        "account lockout do not hold.",
        "Point RATELIMIT_CACHE at a shared cache such as Redis or Memcached.",
    )
    PLAIN_HTTP_JWKS = Check(
        "jwtauth.W003",
        "JWTAUTH JWKS_URL fetches keys over plain http: anyone on the path can swap them.",
        "Use an https:// URL.",
    )
    NO_REVOCATION_FEED = Check(
        "jwtauth.W004",
        "This service only verifies access tokens and has no REVOCATION_FEED_URL: a logged-out "
        "or revoked session's access tokens keep working here until they expire.",
        "Point JWTAUTH['REVOCATION_FEED_URL'] at the issuer's /api/auth/revocations/ and set "
        "REVOCATION_FEED_SECRET on both sides.",
    )
    NO_RESET_ORIGIN = Check(
        "jwtauth.W005",
        "JWTAUTH['PASSWORD_RESET_ORIGIN'] is {origin!r}: relative password reset links have no "
        "origin, so no reset mail can be sent.",
        "Set it to the site's origin, e.g. 'https://example.com', or make PASSWORD_RESET_URL "
        "absolute.",
    )
    INSECURE_COOKIE = Check(
        "jwtauth.W020",
        "JWTAUTH COOKIE_SECURE is False with DEBUG off: browsers send the refresh-token cookie "
        "over plain http, where anyone on the path can take the session.",
        "Remove COOKIE_SECURE (None: Secure unless DEBUG) or set it to True, and serve the site "
        "over https.",
    )
    RESET_PAGE_MISSING = Check(
        "jwtauth.W021",
        "Password reset mails link to {path!r} (JWTAUTH PASSWORD_RESET_URL), which this site "
        "does not serve: users who follow the link get a 404.",
        "Set PASSWORD_RESET_URL to the page that completes a reset (it posts uid, token and "
        "new_password to password/reset/confirm/), or mount jwtauth.session_urls without the "
        "account endpoints.",
    )


ALL: tuple[Check, ...] = tuple(value for value in vars(Checks).values() if isinstance(value, Check))
