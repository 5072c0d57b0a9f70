"""A site that mounts jwtauth's session endpoints and nothing else."""

from django.urls import include, path

urlpatterns = [path("api/auth/", include("jwtauth.session_urls"))]
