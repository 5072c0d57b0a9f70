"""URLs of the sample project."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from authproject import views
from jwtauth.views import JWKSView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/auth/", include("jwtauth.urls")),
    path(".well-known/jwks.json", JWKSView.as_view(), name="jwks"),
    path("api/profile/", views.ProfileView.as_view(), name="profile"),
    path("api/admin/", views.AdminAreaView.as_view(), name="admin-area"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("", views.PageView.as_view(template_name="index.html"), name="home"),
    path("login/", views.PageView.as_view(template_name="login.html"), name="login-page"),
    path("register/", views.PageView.as_view(template_name="register.html"), name="register-page"),
    path("account/", views.PageView.as_view(template_name="account.html"), name="account-page"),
    path(
        "password-reset/",
        views.PageView.as_view(template_name="reset_request.html"),
        name="reset-request-page",
    ),
    path("reset/", views.PageView.as_view(template_name="reset_confirm.html"), name="reset-page"),
]

if settings.DEMO_ALLAUTH:
    # django-allauth's headless API, with jwtauth as its token strategy.
    urlpatterns += [
        path("_allauth/", include("allauth.headless.urls")),
        path("api/auth/", include("jwtauth.contrib.allauth.urls")),
    ]
