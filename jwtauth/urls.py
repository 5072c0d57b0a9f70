"""Every jwtauth endpoint, session and account ones (namespace ``jwtauth``); include at
``api/auth/``. To leave sign-up and password reset out, include ``jwtauth.session_urls``
instead (and ``jwtauth.account_urls`` for the account endpoints a site wants)."""

from jwtauth import account_urls, session_urls

app_name = "jwtauth"

urlpatterns = [*session_urls.urlpatterns, *account_urls.urlpatterns]
