"""A site that mounts the session endpoints and opts in to the account endpoints."""

from django.urls import include, path

urlpatterns = [
    path("api/auth/", include("jwtauth.session_urls")),
    path("api/auth/", include("jwtauth.account_urls")),
]
