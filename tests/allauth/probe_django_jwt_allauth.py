"""Replay, logout and Bearer cost of django-jwt-allauth, for docs/allauth.md's comparison.

Standalone (it needs its own user model), in a virtualenv of its own:

    python3 -m venv /tmp/jwt-allauth && /tmp/jwt-allauth/bin/pip install django-jwt-allauth==1.5.1
    /tmp/jwt-allauth/bin/python tests/allauth/probe_django_jwt_allauth.py
"""

import statistics
import sys
import time
from typing import Any

import django
from django.conf import settings
from django.urls import include, path

PASSWORD = "correct-horse-battery-staple"
urlpatterns: list[Any] = []  # filled once Django is configured


def configure() -> None:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="probe-secret-key-that-is-long-enough-0123456789",
        JWT_ALLAUTH_SECRET_KEY="probe-jwt-secret-key-that-is-long-enough-01234",
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=__name__,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.messages",
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "django.contrib.sites",
            "rest_framework",
            "allauth",
            "allauth.account",
            "jwt_allauth",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "allauth.account.middleware.AccountMiddleware",
        ],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        SITE_ID=1,
        AUTH_USER_MODEL="jwt_allauth.JAUser",
        AUTHENTICATION_BACKENDS=[
            "django.contrib.auth.backends.ModelBackend",
            "allauth.account.auth_backends.AuthenticationBackend",
        ],
        ACCOUNT_ADAPTER="jwt_allauth.adapter.JWTAllAuthAdapter",
        ACCOUNT_LOGIN_METHODS={"email"},
        ACCOUNT_SIGNUP_FIELDS=["email*", "password1*", "password2*"],
        ACCOUNT_EMAIL_VERIFICATION="none",
        JWT_ALLAUTH_REFRESH_TOKEN_AS_COOKIE=False,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        REST_FRAMEWORK={
            "DEFAULT_AUTHENTICATION_CLASSES": [
                "jwt_allauth.authentication.JWTAllAuthAuthentication"
            ],
            "DEFAULT_THROTTLE_CLASSES": [],
        },
        USE_TZ=True,
    )
    django.setup()
    urlpatterns.append(path("auth/", include("jwt_allauth.urls")))


def probe(session_check: bool, rounds: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext
    from jwt_allauth.authentication import JWTAllAuthAuthentication
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request
    from rest_framework.test import APIClient, APIRequestFactory

    email = f"probe{time.monotonic_ns()}@example.com"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    client, factory = APIClient(), APIRequestFactory()

    def login() -> dict[str, Any]:
        response = client.post(
            "/auth/login/", {"email": email, "password": PASSWORD}, format="json"
        )
        assert response.status_code == 200, response.content
        return response.json()

    def refresh(token: str) -> Any:
        return client.post("/auth/refresh/", {"refresh": token}, format="json")

    def authenticate(access: str) -> Any:
        request = Request(factory.get("/", HTTP_AUTHORIZATION=f"Bearer {access}"))
        try:
            result = JWTAllAuthAuthentication().authenticate(request)
        except APIException:
            return None
        return result and result[0].pk

    out: dict[str, Any] = {}
    with override_settings(JWT_ALLAUTH_ACCESS_TOKEN_SESSION_CHECK=session_check):
        first = login()
        second = refresh(first["refresh"]).json()
        out["replay_status"] = refresh(first["refresh"]).status_code
        out["after_replay_successor_refreshes"] = refresh(second["refresh"]).status_code == 200
        out["after_replay_access_accepted"] = authenticate(second["access"]) is not None
        tokens = login()
        with CaptureQueriesContext(connection) as queries:
            assert authenticate(tokens["access"]) is not None
        out["bearer_queries"] = len(queries)
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            authenticate(tokens["access"])
            samples.append((time.perf_counter() - start) * 1e6)
        out["bearer_us"] = statistics.median(samples)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
        logout = client.post("/auth/logout/", {"refresh": tokens["refresh"]}, format="json")
        client.credentials()
        assert logout.status_code == 200, logout.content
        out["after_logout_access_accepted"] = authenticate(tokens["access"]) is not None
    return out


def main() -> None:
    configure()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", run_syncdb=True, verbosity=0)  # the package ships no migrations
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for name, check in (("default", False), ("ACCESS_TOKEN_SESSION_CHECK", True)):
        print(f"django-jwt-allauth {name}: {probe(check, rounds)}")


if __name__ == "__main__":
    main()
