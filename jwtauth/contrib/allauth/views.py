"""A browser signed in through allauth's headless browser flow gets a jwtauth session."""

from django.contrib.auth import get_user
from rest_framework.request import Request
from rest_framework.response import Response

from jwtauth import responses, transport
from jwtauth.contrib.allauth import links
from jwtauth.exceptions import NotAuthenticated
from jwtauth.views import JWTAuthView


class BrowserSessionTokenView(JWTAuthView):
    """``POST``: the user of the Django session cookie (allauth's browser client) gets a
    jwtauth access token in the body and the refresh token in jwtauth's HttpOnly cookie, so
    ``jwtauth.js`` takes over. Same-origin only: Django's CSRF check applies."""

    authentication_classes: list[type] = []

    def post(self, request: Request) -> Response:
        transport.enforce_csrf(request)
        # The session's user: DRF has already replaced request.user by the anonymous user
        # of this view's (empty) authentication classes.
        django_request = request._request
        django_request.user = get_user(django_request)
        if not django_request.user.is_authenticated:
            raise NotAuthenticated()
        pair = links.start(request=django_request)
        body = responses.TOKENS.to_representation(responses.Tokens(pair, transport.COOKIE))
        return transport.token_response(request, pair, transport.COOKIE, body)
