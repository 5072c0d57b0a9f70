"""The account endpoints, opt-in: public sign-up, password change, password reset.

Mount beside ``jwtauth.session_urls``, under the same prefix:
``path("api/auth/", include("jwtauth.account_urls"))`` (namespace ``jwtauth_accounts``).
Password reset mails link to ``PASSWORD_RESET_URL``: point it at a page of the site.
"""

from django.urls import path

from jwtauth import views

app_name = "jwtauth_accounts"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/confirm/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
]
