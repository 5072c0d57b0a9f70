"""URLs of the verify-only resource server: one protected endpoint answering from the claims."""

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class ProtectedView(APIView):
    def get(self, request: Request) -> Response:
        claims = request.auth
        # request.user.pk comes from the token: touching other user fields would need a database.
        body = {"user_id": request.user.pk, "sub": claims["sub"], "roles": claims["roles"]}
        return Response(body)


urlpatterns = [path("api/protected/", ProtectedView.as_view(), name="protected")]
