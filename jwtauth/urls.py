"""URLs of the jwtauth API; include at ``api/auth/``."""

from django.urls import path

from jwtauth import views

app_name = "jwtauth"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("refresh/", views.RefreshView.as_view(), name="refresh"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("me/", views.MeView.as_view(), name="me"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/confirm/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("logout-all/", views.LogoutAllView.as_view(), name="logout-all"),
    path("sessions/", views.SessionListView.as_view(), name="sessions"),
    path("security-events/", views.SecurityEventListView.as_view(), name="security-events"),
    path("sessions/<str:session_id>/", views.SessionDetailView.as_view(), name="session-detail"),
]
