"""The sample site with an email-only custom user model (tests/emailuser)."""

from authproject.settings import *  # noqa: F403
from authproject.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.emailuser"]
AUTH_USER_MODEL = "emailuser.EmailUser"
