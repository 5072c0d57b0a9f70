"""Smoke test of an installed jwtauth wheel in a fresh `startproject` site with an email-only,
UUID-keyed custom user model. Run from the site's directory, after `migrate`."""

import os
import sys
import uuid
from importlib import resources

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # the test client's "testserver" host, mail kept in memory

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import translation  # noqa: E402

import jwtauth  # noqa: E402
from jwtauth.exceptions import InvalidCredentials  # noqa: E402

PASSWORD = "a-long-and-unusual-passphrase-42"  # noqa: S105  a throwaway site
failures: list[str] = []


def expect(what: str, ok: bool, detail: object = "") -> None:
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if not ok else ""))
    if not ok:
        failures.append(what)


print(f"jwtauth {jwtauth.__version__} from {os.path.dirname(jwtauth.__file__)}")
print(f"Django {django.get_version()}, DRF {__import__('rest_framework').VERSION}")
expect("installed from the wheel, not the checkout", "site-packages" in jwtauth.__file__)
expect("py.typed ships", resources.files("jwtauth").joinpath("py.typed").is_file())
for language, text in [
    ("de", "Ungültiger"),
    ("fr", "invalide"),
    ("es", "válidos"),
    ("pt", "inválidos"),
]:
    with translation.override(language):
        message = str(InvalidCredentials().detail)
    expect(f"{language} catalogue ships", text in message, message)

api = Client()
bad = api.post(
    "/api/auth/register/",
    {"email": "not-an-email", "password": "short"},
    content_type="application/json",
)
expect("register: every field error at once", set(bad.json()) == {"email", "password"}, bad.content)
created = api.post(
    "/api/auth/register/",
    {"email": "carol@example.com", "password": PASSWORD, "transport": "body"},
    content_type="application/json",
)
expect("register with email + password: 201", created.status_code == 201, created.content)
user = get_user_model().objects.get(email="carol@example.com")
expect("UUID primary key", isinstance(user.pk, uuid.UUID))
login = api.post(
    "/api/auth/login/",
    {"email": "carol@example.com", "password": PASSWORD, "transport": "body"},
    content_type="application/json",
)
expect("login by email: 200", login.status_code == 200, login.content)
tokens = login.json()
carol = "carol@example.com"
me = api.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
expect(
    "me: 200, username is the email", me.json().get("username") == "carol@example.com", me.content
)
refresh = api.post(
    "/api/auth/refresh/", {"refresh": tokens["refresh"]}, content_type="application/json"
)
expect("refresh: 200", refresh.status_code == 200, refresh.content)

admin_user = get_user_model().objects.create_superuser(email="admin@example.com", password=PASSWORD)
staff = Client()
staff.force_login(admin_user)
search = staff.get("/admin/jwtauth/tokenfamily/", {"q": "carol"})
expect("admin session search by email: 200", search.status_code == 200, search.status_code)
expect("admin search finds carol", b"carol@example.com" in search.content)
page = staff.get(f"/admin/accounts/user/{user.pk}/change/")
expect(
    "user admin page with the sessions inline", b"Active sessions" in page.content, page.status_code
)

if failures:
    sys.exit(f"{len(failures)} smoke check(s) failed")
print("wheel smoke test: all checks passed")
