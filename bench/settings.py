"""Settings for the benchmarks: the sample project plus djangorestframework-simplejwt side by side.

With REDIS_URL the cache is Django's stock ``RedisCache``, as a site following the README has
it (production settings, not the sample's client-reusing cache or local memory).
BENCH_REVOCATION_PUSH=off turns the revocation wake-ups off (polling only).
"""

import os
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
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "bench",
        }
    }

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
if os.environ.get("BENCH_REVOCATION_PUSH") == "off":
    JWTAUTH["REVOCATION_PUSH"] = None
