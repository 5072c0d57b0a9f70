"""Settings for the benchmarks: the sample project plus djangorestframework-simplejwt side by side."""

from datetime import timedelta

from authproject.settings import *  # noqa: F403
from authproject.settings import INSTALLED_APPS, REST_FRAMEWORK, SECRET_KEY

INSTALLED_APPS = [*INSTALLED_APPS, "rest_framework_simplejwt.token_blacklist"]
ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.BCryptSHA256PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": True}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}

# Both libraries: HS256, 15-minute access tokens, 7-day refresh tokens, rotation on refresh.
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": SECRET_KEY,
}
# Rate limits off: the benchmarks refresh and log in far faster than any client would.
JWTAUTH = {"COOKIE_SECURE": False, "RATELIMIT_ENABLED": False}
