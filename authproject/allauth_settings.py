"""django-allauth on the sample site, with jwtauth as its token layer (``DEMO_ALLAUTH=1``).

Headless only: the app API is under ``/_allauth/app/v1/``, the browser API under
``/_allauth/browser/v1/``. Login by username or email, sign-up with email verification
(mails go to the console), TOTP and recovery codes, and allauth's dummy social provider.
"""

from typing import Any

APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.dummy",
    "allauth.headless",
    "jwtauth.contrib.allauth",
]


def enable(settings: dict[str, Any]) -> None:
    """Add allauth to the settings module whose globals are ``settings``."""
    settings["INSTALLED_APPS"] = [*settings["INSTALLED_APPS"], *APPS]
    settings["MIDDLEWARE"] = [
        *settings["MIDDLEWARE"],
        "allauth.account.middleware.AccountMiddleware",
    ]
    settings["AUTHENTICATION_BACKENDS"] = [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ]
    settings.update(
        HEADLESS_ONLY=True,
        HEADLESS_TOKEN_STRATEGY="jwtauth.contrib.allauth.strategy.JWTAuthTokenStrategy",  # noqa: S106
        HEADLESS_FRONTEND_URLS={
            "account_confirm_email": "/account/verify-email/{key}",
            "account_reset_password_from_key": "/account/password/reset/key/{key}",
            "account_signup": "/account/signup",
            "socialaccount_login_error": "/account/provider/callback",
        },
        ACCOUNT_LOGIN_METHODS={"username", "email"},
        ACCOUNT_SIGNUP_FIELDS=["email*", "username*", "password1*"],
        ACCOUNT_EMAIL_VERIFICATION="optional",
        MFA_SUPPORTED_TYPES=["totp", "recovery_codes"],
        SOCIALACCOUNT_PROVIDERS={"dummy": {}},
    )
