"""Security events: what happened to an account, recorded, mailed to its owner and listed."""

import logging
import smtplib
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jwtauth.clientip import client_ip
from jwtauth.models import EventKind, SecurityEvent, SessionUse, TokenFamily
from jwtauth.settings import jwtauth_settings

logger = logging.getLogger(__name__)

SUBJECT_TEMPLATE = "jwtauth/security_event_subject.txt"
BODY_TEMPLATE = "jwtauth/security_event_email.txt"
# How many events GET security-events/ lists, newest first.
LISTED = 50


def _agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    # PostgreSQL text cannot hold NUL; a header may.
    return request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:256]


def record(
    *,
    user: AbstractBaseUser,
    kind: str,
    request: HttpRequest | None = None,
    session: TokenFamily | None = None,
) -> SecurityEvent:
    """Record an event of ``user`` and mail it to them (``SECURITY_EVENT_EMAILS``).

    ``request`` is the one that caused it (the replay, the locked-out login); for a session,
    the event also keeps where the session was last used legitimately.
    """
    event = SecurityEvent(
        user=user,
        kind=kind,
        created_at=timezone.now(),
        session=session,
        ip=client_ip(request) if request is not None else None,
        user_agent=_agent(request),
    )
    if session is not None:
        last = SessionUse.objects.filter(family=session).order_by("-at", "-pk").first()
        if last is not None:
            event.session_ip, event.session_user_agent = last.ip, last.user_agent
            event.session_used_at = last.at
        else:
            event.session_ip, event.session_user_agent = session.ip, session.user_agent
            event.session_used_at = session.last_used_at
    event.save()
    transaction.on_commit(lambda: notify(event))
    return event


ADVICE = {  # gettext_lazy: translated when read
    EventKind.REUSE: _(
        "Someone presented a copy of this session's refresh token after it had been used, so "
        "the token was stolen or leaked. The session has been ended. If the addresses below "
        "are not yours, change your password and log out everywhere."
    ),
    EventKind.LOCKOUT: _(
        "Too many wrong passwords were tried for this account, so logins without a device "
        "that signed in before are refused for a while. If this was not you, someone is "
        "guessing your password: choose a long, unique one."
    ),
    EventKind.PASSWORD_CHANGE: _(
        "Your password was changed and your other sessions were ended. If you did not do "
        "this, reset your password at once."
    ),
    EventKind.PASSWORD_RESET: _(
        "Your password was reset through an emailed link and every session was ended. If you "
        "did not do this, reset it again and secure your email account."
    ),
    EventKind.ADMIN_REVOKE: _(
        "An administrator ended one of your sessions. Log in again on that device if it is yours."
    ),
}


def advice(kind: str) -> str:
    """What the user should do about an event of this kind."""
    return str(ADVICE[EventKind(kind)])


def notify(event: SecurityEvent) -> None:
    """Mail the event to its user through Django's mail framework; never fails the request."""
    user = event.user
    address = getattr(user, user.get_email_field_name(), "")
    if not jwtauth_settings.SECURITY_EVENT_EMAILS or not address:
        return
    context: dict[str, Any] = {
        "event": event,
        "user": user,
        "username": user.get_username(),
        "what": event.get_kind_display(),
        "advice": advice(event.kind),
    }
    subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
    body = render_to_string(BODY_TEMPLATE, context)
    try:
        EmailMessage(subject=subject, body=body, to=[address]).send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Security event %s of user %s not mailed", event.pk, user.pk)


def recent(*, user_id: object) -> list[SecurityEvent]:
    """The user's latest events, newest first."""
    events = SecurityEvent.objects.filter(user_id=user_id).order_by("-created_at", "-pk")
    return list(events[:LISTED])
