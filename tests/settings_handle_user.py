"""The sample site with a custom user model whose username is ``handle`` (tests/handleuser)."""

from authproject.settings import *  # noqa: F403
from authproject.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.handleuser"]
AUTH_USER_MODEL = "handleuser.HandleUser"

# Django's similarity check looks at username/email/first_name/last_name unless told otherwise;
# a site with other field names names them.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("handle", "contact_email", "display_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
