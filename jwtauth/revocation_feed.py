"""GET the live revocation log, for verify-only services (see revocation_http)."""

from django.utils import timezone
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jwtauth import revocation_http, revocation_store
from jwtauth.exceptions import FeedUnauthorized, InvalidFeedCursor, NotFound
from jwtauth.settings import jwtauth_settings

_MAX_ID = 2**63 - 1


class RevocationFeedView(APIView):
    """``?after=N``: one page of the log above id N; ``more`` says whether to ask again.

    Served only when ``REVOCATION_FEED_SECRET`` is set, to callers that present it."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes: list[type] = []

    def get(self, request: Request) -> Response:
        secret = jwtauth_settings.REVOCATION_FEED_SECRET
        if not secret:
            raise NotFound()
        if not revocation_http.secret_matches(request.META.get("HTTP_AUTHORIZATION", ""), secret):
            raise FeedUnauthorized()
        raw = request.query_params.get("after", "0")
        if not (raw.isascii() and raw.isdigit()) or int(raw) > _MAX_ID:
            raise InvalidFeedCursor()
        batch = revocation_store.read_since(int(raw), timezone.now())
        response = Response(revocation_http.serialize(batch))
        response["Cache-Control"] = "no-store"
        return response
