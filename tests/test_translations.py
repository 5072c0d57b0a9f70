"""Shipped catalogues: ``Accept-Language`` translates ``detail``; ``code`` never changes."""

from pathlib import Path
from typing import Any

import pytest

import jwtauth
from tests.helpers.http import bearer

LOCALE = Path(jwtauth.__file__).parent / "locale"
LANGUAGES = ["de", "es", "fr", "pt"]

INVALID_CREDENTIALS = {
    "en": "Invalid username or password.",
    "de": "Ungültiger Benutzername oder ungültiges Passwort.",
    "es": "Nombre de usuario o contraseña no válidos.",
    "fr": "Nom d'utilisateur ou mot de passe invalide.",
    "pt": "Nome de utilizador ou palavra-passe inválidos.",
}
TOKEN_INVALID = {
    "en": "The token is invalid.",
    "de": "Das Token ist ungültig.",
    "es": "El token no es válido.",
    "fr": "Le jeton est invalide.",
    "pt": "O token é inválido.",
}


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_login_failure_detail_follows_accept_language(api: Any, user: Any, language: str) -> None:
    response = api.post(
        "/api/auth/login/",
        {"username": user.get_username(), "password": "wrong"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 401
    assert response.json() == {
        "detail": INVALID_CREDENTIALS[language],
        "code": "invalid_credentials",
    }
    assert response["Content-Language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_bearer_failure_detail_follows_accept_language(api: Any, db: None, language: str) -> None:
    accept = f"{language};q=0.9, en;q=0.1"
    response = api.get("/api/auth/me/", **bearer("nope"), HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 401
    assert response.json() == {"detail": TOKEN_INVALID[language], "code": "token_invalid"}


@pytest.mark.django_db
def test_register_field_errors_are_translated(api: Any, make_user: Any) -> None:
    make_user("taken", email="taken@example.com")
    body = {"username": "someone", "email": "taken@example.com", "password": "x" * 20 + "-9q"}
    response = api.post("/api/auth/register/", body, format="json", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert response.json()["email"] == ["Ein Benutzer mit dieser E-Mail-Adresse existiert bereits."]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_ships_a_compiled_catalogue(language: str) -> None:
    messages = LOCALE / language / "LC_MESSAGES"
    assert (messages / "django.po").is_file()
    assert (messages / "django.mo").stat().st_size > 1000
