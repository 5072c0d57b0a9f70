"""Logging out on one side ends the session on the other."""

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.http import HttpRequest

from jwtauth import signals
from jwtauth.contrib.allauth import links
from jwtauth.models import TokenFamily


def revoke_on_logout(sender: type, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """allauth's logout (``DELETE .../auth/session``, any client) calls Django's ``logout()``:
    revoke the linked jwtauth session, so its access tokens stop working at once."""
    session = getattr(request, "session", None)
    if session is not None:
        links.revoke_linked(session=session)


def end_allauth_session(sender: type, family: TokenFamily, **kwargs: Any) -> None:
    """A revoked jwtauth session (logout, API, admin, reuse, password change) ends allauth's
    view of it: its Django session is deleted."""
    links.end_django_sessions([family.pk])


def connect() -> None:
    user_logged_out.connect(revoke_on_logout, dispatch_uid="jwtauth_allauth_logout")
    signals.session_revoked.connect(end_allauth_session, dispatch_uid="jwtauth_allauth_revoked")
