"""Links between jwtauth sessions and the Django sessions that hold allauth's state.

The only writer of ``SessionLink``; jwtauth's own sessions are started and revoked
through ``jwtauth.families``.
"""

import re
import uuid
from collections.abc import Iterable

from allauth.headless.internal.sessionkit import lookup_session, session_store
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone

from jwtauth import families
from jwtauth.clientip import client_ip
from jwtauth.contrib.allauth.models import SessionLink
from jwtauth.models import RevokeReason, TokenFamily
from jwtauth.settings import jwtauth_settings

# Where the Django session remembers the jwtauth session it was linked to.
SESSION_ID_KEY = "jwtauth_sid"
# What Django's session engines generate; anything else (a NUL byte makes PostgreSQL raise)
# is no session, not a 500.
_SESSION_KEY = re.compile(r"[A-Za-z0-9]{8,40}")


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def start(*, request: HttpRequest) -> families.TokenPair:
    """Start a jwtauth session for the user allauth has just authenticated on ``request``,
    and link it to ``request.session``, the Django session allauth keeps its state in."""
    pair = families.start(
        user=request.user,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        request=request,
    )
    session = request.session
    session[SESSION_ID_KEY] = pair.session_id
    # allauth's view of the session lasts as long as the jwtauth session can.
    session.set_expiry(jwtauth_settings.SESSION_LIFETIME)
    session.save()
    SessionLink.objects.update_or_create(
        family_id=pair.session_id, defaults={"session_key": session.session_key}
    )
    return pair


def rotate(*, refresh_token: str, request: HttpRequest | None) -> families.TokenPair:
    """jwtauth's rotation, as its own refresh endpoint does it."""
    return families.rotate(
        refresh_token=refresh_token,
        ip=client_ip(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "") if request is not None else "",
        request=request,
    )


def session_key_for(session_id: object) -> str | None:
    """The Django session key linked to a jwtauth session id, if any."""
    family_id = _as_uuid(session_id)
    if family_id is None:
        return None
    keys = SessionLink.objects.filter(family_id=family_id).values_list("session_key", flat=True)
    return keys.first()


def find_session(session_key: str) -> SessionBase | None:
    """allauth's session for ``session_key``, or None when it is gone or its jwtauth
    session can no longer be used (revoked, expired, idle)."""
    if not _SESSION_KEY.fullmatch(session_key):
        return None
    session = lookup_session(session_key)
    if session is None:
        return None
    session_id = session.get(SESSION_ID_KEY)
    if session_id is None:
        return session  # still inside allauth's flow: no jwtauth session yet
    family_id = _as_uuid(session_id)
    live = (
        family_id is not None
        and TokenFamily.objects.live(timezone.now()).filter(pk=family_id).exists()
    )
    if not live:
        end_django_sessions([session_id])
        return None
    return session


def end_django_sessions(session_ids: Iterable[object]) -> None:
    """Delete the Django sessions linked to these jwtauth sessions, and the links."""
    family_ids = [fid for fid in map(_as_uuid, session_ids) if fid is not None]
    links = SessionLink.objects.filter(family_id__in=family_ids)
    for session_key in links.values_list("session_key", flat=True):
        session_store(session_key).delete()
    links.delete()


def revoke_linked(*, session: SessionBase) -> int:
    """Revoke the jwtauth sessions linked to a Django session that is logging out."""
    family_ids = {_as_uuid(session.get(SESSION_ID_KEY))} - {None}
    if session.session_key:
        linked = SessionLink.objects.filter(session_key=session.session_key)
        family_ids.update(linked.values_list("family_id", flat=True))
    if not family_ids:
        return 0
    return families.revoke(family_ids=family_ids, reason=RevokeReason.LOGOUT)
