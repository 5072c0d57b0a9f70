"""The session endpoints alone: log in, refresh, log out, sessions, me.

``path("api/auth/", include("jwtauth.session_urls"))`` on a site that has its own sign-up and
password pages; add ``jwtauth.account_urls`` for jwtauth's, or include ``jwtauth.urls`` for both.
"""

from django.urls import path

from jwtauth import views
from jwtauth.revocation_feed import RevocationFeedView

app_name = "jwtauth"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("refresh/", views.RefreshView.as_view(), name="refresh"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("logout-all/", views.LogoutAllView.as_view(), name="logout-all"),
    path("me/", views.MeView.as_view(), name="me"),
    path("sessions/", views.SessionListView.as_view(), name="sessions"),
    path("security-events/", views.SecurityEventListView.as_view(), name="security-events"),
    path("sessions/<str:session_id>/", views.SessionDetailView.as_view(), name="session-detail"),
    # The revocation log for verify-only services (served only with REVOCATION_FEED_SECRET).
    path("revocations/", RevocationFeedView.as_view(), name="revocations"),
]
