"""Password hashing: bcrypt without the 72-byte cut, old hashes upgraded at login."""

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password

from authproject import settings as sample
from tests.helpers.accounts import PASSWORD

BCRYPT_FIRST = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]


@pytest.fixture
def bcrypt_first(settings: Any) -> None:
    settings.PASSWORD_HASHERS = BCRYPT_FIRST


def log_in(api: Any, username: str, password: str) -> Any:
    body = {"username": username, "password": password, "transport": "body"}
    return api.post("/api/auth/login/", body, format="json")


def test_sample_settings_put_bcrypt_sha256_first() -> None:
    assert sample.PASSWORD_HASHERS[0] == BCRYPT_FIRST[0]


def test_bytes_after_the_72nd_still_count(api: Any, make_user: Any, bcrypt_first: None) -> None:
    long_password = "p" * 72 + "-the-rest-matters"
    assert len(long_password.encode()) > 72
    user = make_user("longpass", password=long_password)
    assert user.password.startswith("bcrypt_sha256$")
    same_prefix = "p" * 72 + "-something-else!"
    refused = log_in(api, "longpass", same_prefix)
    assert refused.status_code == 401
    assert log_in(api, "longpass", long_password).status_code == 200


def test_register_hashes_with_bcrypt(api: Any, bcrypt_first: None, django_user_model: Any) -> None:
    password = "\N{SNOWMAN}" * 30 + "-multibyte-passphrase"  # 90+ bytes in UTF-8
    body = {"username": "snow", "email": "snow@example.com", "password": password}
    assert api.post("/api/auth/register/", body, format="json").status_code == 201
    user = django_user_model.objects.get(username="snow")
    assert user.password.startswith("bcrypt_sha256$")
    assert log_in(api, "snow", password).status_code == 200
    assert log_in(api, "snow", password[:-1]).status_code == 401


@pytest.mark.parametrize("old_hasher", ["md5", "pbkdf2_sha256"])
def test_old_hash_is_upgraded_on_successful_login(
    api: Any, make_user: Any, bcrypt_first: None, old_hasher: str
) -> None:
    user = make_user("legacy")
    user.password = make_password(PASSWORD, hasher=old_hasher)
    user.save(update_fields=["password"])
    assert log_in(api, "legacy", "wrong-password").status_code == 401
    user.refresh_from_db()
    assert user.password.startswith(f"{old_hasher}$")
    assert log_in(api, "legacy", PASSWORD).status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("bcrypt_sha256$")
    assert user.check_password(PASSWORD)
    assert log_in(api, "legacy", PASSWORD).status_code == 200
