"""Login CSRF: endpoints that set the refresh cookie refuse what another site can make a
browser send (a form post, a "simple" text/plain request, anything marked cross-site)."""

import json
from typing import Any

import pytest

from jwtauth.models import TokenFamily
from tests.helpers.accounts import PASSWORD

LOGIN = "/api/auth/login/"
REGISTER = "/api/auth/register/"


def _credentials(path: str, user: Any) -> dict[str, str]:
    if path == LOGIN:
        return {"username": user.username, "password": PASSWORD}
    return {"username": "mallory", "email": "mallory@example.com", "password": "Mallory-pw-2024!"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", [LOGIN, REGISTER])
@pytest.mark.parametrize("form", ["multipart", "urlencoded", "text/plain"])
def test_what_a_cross_site_form_can_send_is_refused(
    browser: Any, user: Any, path: str, form: str
) -> None:
    data = _credentials(path, user)
    if form == "multipart":
        response = browser.post(path, data)
    elif form == "urlencoded":
        body = "&".join(f"{name}={value}" for name, value in data.items())
        response = browser.post(path, body, content_type="application/x-www-form-urlencoded")
    else:
        response = browser.post(path, json.dumps(data), content_type="text/plain")
    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")
    assert "refresh_token" not in response.cookies
    assert not TokenFamily.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", [LOGIN, REGISTER])
def test_a_request_the_browser_marks_cross_site_is_refused(
    browser: Any, user: Any, path: str
) -> None:
    response = browser.post(
        path,
        _credentials(path, user),
        format="json",
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://evil.example",
    )
    assert (response.status_code, response.json()["code"]) == (403, "csrf_failed")
    assert "refresh_token" not in response.cookies
    assert not TokenFamily.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("site", ["same-origin", "same-site", "none"])
def test_same_site_and_direct_requests_log_in(browser: Any, user: Any, site: str) -> None:
    response = browser.post(
        LOGIN, _credentials(LOGIN, user), format="json", HTTP_SEC_FETCH_SITE=site
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_trusted_origin_may_log_in_cross_site(browser: Any, user: Any, settings: Any) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.example"]
    response = browser.post(
        LOGIN,
        _credentials(LOGIN, user),
        format="json",
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://app.example",
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_token_responses_are_not_cached_by_old_caches(api: Any, user: Any) -> None:
    body = {**_credentials(LOGIN, user), "transport": "body"}
    login = api.post(LOGIN, body, format="json")
    refreshed = api.post("/api/auth/refresh/", {"refresh": login.json()["refresh"]}, format="json")
    registered = api.post(REGISTER, _credentials(REGISTER, user), format="json")
    for response in (login, refreshed, registered):
        assert response.status_code in {200, 201}
        assert response["Cache-Control"] == "no-store"
        assert response["Pragma"] == "no-cache"
