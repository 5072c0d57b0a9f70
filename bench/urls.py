"""URLs of the benchmark site: the sample project plus the compared endpoints."""

from django.urls import include, path
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from bench import views

urlpatterns = [
    path("", include("authproject.urls")),
    path("bench/open/", views.OpenView.as_view()),
    path("bench/jwtauth/", views.JWTAuthClaimsView.as_view()),
    path("bench/jwtauth-user/", views.JWTAuthUserView.as_view()),
    path("bench/simplejwt-user/", views.SimpleJWTUserView.as_view()),
    path("bench/simplejwt/", views.SimpleJWTClaimsView.as_view()),
    path("bench/simplejwt-stateless/", views.SimpleJWTStatelessClaimsView.as_view()),
    path("bench/simplejwt/token/", TokenObtainPairView.as_view()),
    path("bench/simplejwt/refresh/", TokenRefreshView.as_view()),
]
