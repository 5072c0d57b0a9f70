"""URLs of the allauth integration; include at ``api/auth/`` (the refresh cookie's path)."""

from django.urls import path

from jwtauth.contrib.allauth import views

app_name = "jwtauth_allauth"

urlpatterns = [
    path("allauth/token/", views.BrowserSessionTokenView.as_view(), name="browser-token"),
]
