"""Credential fingerprints: each session is bound to the password it was started under."""

import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.utils.crypto import salted_hmac

from jwtauth.exceptions import InvalidCredentials

_SALT = "jwtauth.credentials.fingerprint"


def fingerprint(password_hash: str, secret: str | bytes | None = None) -> str:
    """An HMAC of a stored password hash (as Django's ``get_session_auth_hash()``).

    The session row keeps this, never the hash: a leaked sessions table reveals nothing
    about the password, and any change of the hash changes the fingerprint.
    """
    return salted_hmac(_SALT, password_hash or "", secret=secret, algorithm="sha256").hexdigest()


def of(user: AbstractBaseUser) -> str:
    return fingerprint(getattr(user, "password", "") or "")


def accepted(password_hash: str) -> list[str]:
    """Fingerprints of this hash under SECRET_KEY and each of SECRET_KEY_FALLBACKS."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [fingerprint(password_hash, secret) for secret in secrets]


def matches(user: AbstractBaseUser, stored: str) -> bool:
    """True when ``stored`` is the fingerprint of the user's current password hash."""
    password_hash = getattr(user, "password", "") or ""
    return any(hmac.compare_digest(stored, value) for value in accepted(password_hash))


def is_rehash(previous: str, current: str) -> bool:
    """True when ``current`` looks like Django upgrading ``previous`` at a login.

    ``check_password()`` rehashes a password whose hasher is not the preferred one, or
    whose parameters (iterations, salt) are out of date, with the preferred hasher. The
    raw password is the same, so the sessions go on under the new hash.
    """
    try:
        old, new = identify_hasher(previous), identify_hasher(current)
    except ValueError:
        return False
    preferred = get_hasher("default")
    if new.algorithm != preferred.algorithm:
        return False
    return old.algorithm != preferred.algorithm or preferred.must_update(previous)


def lock_unchanged(user: AbstractBaseUser) -> None:
    """Lock the user row; refuse the login if its password changed since it was checked.

    The lock serialises this login with a password reset or change (and with concurrent
    logins, so two cannot both see room for one more session): either the change
    committed first and is seen here, or it revokes this session once it commits.
    """
    users = get_user_model()._default_manager.select_for_update().filter(pk=user.pk)
    stored = users.values_list("password", flat=True).first()
    if stored is None or stored != getattr(user, "password", ""):
        raise InvalidCredentials()
