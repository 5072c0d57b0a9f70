"""Request headers: a Bearer token, the CSRF token a page's script sends."""

from rest_framework.test import APIClient


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def csrf_header(client: APIClient) -> dict[str, str]:
    """The ``X-CSRFToken`` header a page's script sends, read from the ``csrftoken`` cookie."""
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
