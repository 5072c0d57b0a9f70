"""Account service: log in, register, change a password, reset a forgotten one."""

import logging
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from smtplib import SMTPException
from typing import Any, Literal
from urllib.parse import urlsplit

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, connections, transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from jwtauth import devices, families, ratelimits, signals
from jwtauth.clientip import client_ip
from jwtauth.exceptions import AccountLocked, InvalidCredentials, ResetTokenInvalid
from jwtauth.settings import jwtauth_settings

logger = logging.getLogger(__name__)
MAIL_THREAD = "jwtauth-reset-mail"

LoginField = Literal["username", "email", "identifier"]


def _owner_of_email(email: str) -> str | None:
    user_model = get_user_model()
    email_field = user_model.get_email_field_name()
    matches = list(user_model._default_manager.filter(**{f"{email_field}__iexact": email})[:2])
    # Unknown or ambiguous: no account.
    return matches[0].get_username() if len(matches) == 1 else None


def _username_for(identifier: str, field: LoginField) -> tuple[str | None, str]:
    """The username to authenticate (None: no such account) and the account's lockout key.

    Looked up by the field that was sent: a username that contains "@" is a username. For
    ``identifier`` an exact username match wins over an account with that email.
    """
    if field == "identifier":
        user_model = get_user_model()
        lookup = {user_model.USERNAME_FIELD: identifier}
        if "@" not in identifier or user_model._default_manager.filter(**lookup).exists():
            field = "username"
    if field == "username":
        return identifier, identifier
    username = _owner_of_email(identifier)
    # An unknown email counts in a bucket of its own, never against a username equal to it.
    return username, username if username is not None else f"email {identifier}"


def _start(request: HttpRequest, user: AbstractBaseUser) -> families.TokenPair:
    return families.start(
        user=user,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        request=request,
    )


@dataclass(frozen=True)
class LoggedIn:
    pair: families.TokenPair
    # The device token to hand out (None when DEVICE_TOKENS is off).
    device_token: str | None


def login(
    *,
    request: HttpRequest,
    identifier: str,
    password: str,
    field: LoginField = "username",
    device_token: object = None,
) -> LoggedIn:
    """Check credentials and start a session; unknown user and wrong password fail alike.

    ``field`` says what ``identifier`` is: a ``username``, an ``email``, or either
    (``identifier``). Attempts count against the account (by username, whether it exists or
    not); past ``LOGIN_FAILURE_RATE`` the account is locked for the rest of the window. A live
    device token of the account moves the count to that device (``DEVICE_FAILURE_RATE``).
    """
    username, account = _username_for(identifier, field)
    device = None if username is None else devices.recognise(device_token, username=username)
    # Counted before the (slow) password check, so concurrent guesses cannot outrun the limit.
    if device is None:
        try:
            ratelimits.attempt(account)
        except AccountLocked as exc:
            signals.account_locked.send(
                get_user_model(), username=account, request=request, wait=exc.wait
            )
            raise
    else:
        devices.attempt(device)
    if username is None:
        # As for an unknown username: the hasher runs, so the answer takes as long.
        get_user_model()().set_password(password)
        raise InvalidCredentials()
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise InvalidCredentials()
    if device is None:
        ratelimits.reset_failures(account)
    pair = _start(request, user)
    return LoggedIn(pair=pair, device_token=devices.succeeded(device, user=user))


def _password_errors(password: str, user: AbstractBaseUser, field: str) -> dict[str, list[str]]:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        return {field: list(exc.messages)}
    return {}


def _validate_password(password: str, user: AbstractBaseUser, field: str) -> None:
    errors = _password_errors(password, user, field)
    if errors:
        raise ValidationError(errors)


def registration_fields(user_model: type[AbstractBaseUser]) -> list[str]:
    """What register asks for: ``USERNAME_FIELD``, the email field and ``REQUIRED_FIELDS``."""
    names = [
        user_model.USERNAME_FIELD,
        user_model.get_email_field_name(),
        *user_model.REQUIRED_FIELDS,
    ]
    concrete = {field.name for field in user_model._meta.concrete_fields}
    return [name for name in dict.fromkeys(names) if name in concrete]


def _registration_errors(values: dict[str, Any], password: str | None) -> dict[str, list[str]]:
    """Normalise the identifying fields in place and check them and the password."""
    user_model = get_user_model()
    manager = user_model._default_manager
    username_field, email_field = user_model.USERNAME_FIELD, user_model.get_email_field_name()
    errors: dict[str, list[str]] = {}
    taken = {
        username_field: _("A user with that username already exists."),
        email_field: _("A user with that email address already exists."),
    }
    for name, message in taken.items():
        if name not in values:
            continue
        if name == email_field:
            values[name] = manager.normalize_email(values[name])
        else:
            values[name] = user_model.normalize_username(values[name])
        # Normalising can lengthen a value ("İ" lowercases to two code points): check it
        # again against the model field, or the database refuses it with a 500.
        try:
            user_model._meta.get_field(name).run_validators(values[name])
        except DjangoValidationError as exc:
            errors[name] = list(exc.messages)
            continue
        if manager.filter(**{f"{name}__iexact": values[name]}).exists():
            errors[name] = [str(message)]
    if password is not None:
        errors.update(_password_errors(password, user_model(**values), "password"))
    return errors


def register(
    *,
    request: HttpRequest,
    values: dict[str, Any],
    password: str | None,
    input_errors: dict[str, Any] | None = None,
) -> families.TokenPair:
    """Create an account of the site's user model and start its first session.

    ``values`` are the user-model fields of :func:`registration_fields` that passed input
    validation, ``input_errors`` the fields that did not: every problem, theirs and those
    found here (taken username or email, Django's password validators), is reported in
    one ``ValidationError``.
    """
    values = dict(values)
    errors = {**_registration_errors(values, password), **(input_errors or {})}
    if errors or password is None:
        raise ValidationError(errors)
    user = get_user_model()(**values)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent registration took the username
        taken = _("A user with that username already exists.")
        raise ValidationError({user.USERNAME_FIELD: [taken]}) from exc
    return _start(request, user)


def change_password(
    *, user: AbstractBaseUser, session_id: str, old_password: str, new_password: str
) -> None:
    """Set a new password and revoke every session of the user but the caller's.

    A wrong old password counts as a failed login of the account.
    """
    username = user.get_username()
    ratelimits.attempt(username)
    if not user.check_password(old_password):
        raise ValidationError({"old_password": [_("Your old password was entered incorrectly.")]})
    ratelimits.reset_failures(username)
    _validate_password(new_password, user, "new_password")
    user.set_password(new_password)
    with transaction.atomic():
        families.keep_session(user=user, session_id=session_id)
        user.save()  # the receiver ends the other sessions


def _same_email(a: str, b: str) -> bool:
    # Case-insensitive match in the database can pair distinct addresses ("ı" vs "i");
    # mail only an address that is the same after Unicode case folding (as Django does).
    def fold(value: str) -> str:
        return unicodedata.normalize("NFKC", value).casefold()

    return fold(a) == fold(b)


def _reset_recipients(email: str) -> list[AbstractBaseUser]:
    user_model = get_user_model()
    email_field = user_model.get_email_field_name()
    candidates = user_model._default_manager.filter(**{f"{email_field}__iexact": email})
    # getattr: a custom user model may have no is_active field (then every user is active).
    return [
        user
        for user in candidates
        if getattr(user, "is_active", True)
        and user.has_usable_password()
        and _same_email(email, getattr(user, email_field))
    ]


def reset_link(*, uid: str, token: str) -> str | None:
    """The reset link to mail: ``PASSWORD_RESET_URL`` on ``PASSWORD_RESET_ORIGIN``.

    Never built from the request's ``Host``: a forged header would otherwise send the
    user a link to the attacker's site. None when a relative URL has no origin set.
    """
    url = jwtauth_settings.PASSWORD_RESET_URL.format(uid=uid, token=token)
    if urlsplit(url).netloc:
        return url
    origin = jwtauth_settings.PASSWORD_RESET_ORIGIN
    if not origin:
        return None
    return str(origin).rstrip("/") + "/" + url.lstrip("/")


def _reset_message(user: AbstractBaseUser) -> EmailMessage | None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = reset_link(uid=uid, token=token)
    if link is None:
        logger.error("PASSWORD_RESET_ORIGIN is not set: no password reset mail can be sent.")
        return None
    context: dict[str, Any] = {"username": user.get_username(), "link": link}
    body = _(
        "Someone asked to reset the password of the account %(username)s.\n\n"
        "To choose a new password, open this link:\n%(link)s\n\n"
        "The link works once and expires soon. If you did not ask for it, ignore this message."
    )
    return EmailMessage(
        subject=_("Reset your password"),
        body=body % context,
        to=[getattr(user, user.get_email_field_name())],
    )


def _send(messages: Sequence[EmailMessage]) -> None:
    try:
        for message in messages:
            try:
                message.send()
            except (SMTPException, OSError):  # the answer was given; log the failure
                logger.exception("Password reset mail to %d recipient(s) failed", len(message.to))
    finally:
        # A queued backend may have used the database from this thread.
        connections.close_all()


def _send_in_background(messages: Sequence[EmailMessage]) -> None:
    # Started for unknown addresses too (with nothing to send), so both take the same time.
    threading.Thread(target=_send, args=(messages,), name=MAIL_THREAD, daemon=True).start()


def request_password_reset(*, email: str) -> None:
    """Mail a single-use, time-limited reset link to each active account with this address.

    The answer never waits for the mail: it is sent from a background thread, and a
    failure is logged, not raised (a queued email backend makes delivery durable). For an unknown
    address the same message is built for a stand-in user and not sent, so the request
    takes the same time and gets the same answer either way.
    """
    recipients = _reset_recipients(email)
    if not recipients:
        stand_in = get_user_model()(**{get_user_model().get_email_field_name(): email})
        _reset_message(stand_in)
    messages = [message for message in map(_reset_message, recipients) if message is not None]
    _send_in_background(messages)


def _user_for_uid(uid: str) -> AbstractBaseUser | None:
    user_model = get_user_model()
    try:
        pk = user_model._meta.pk.to_python(urlsafe_base64_decode(uid).decode())
        return user_model._default_manager.select_for_update().get(pk=pk)
    except (TypeError, ValueError, OverflowError, DjangoValidationError, user_model.DoesNotExist):
        return None


def confirm_password_reset(*, uid: str, token: str, new_password: str) -> None:
    """Set the password chosen through a reset link and revoke every session of the user.

    The token is bound to the current password hash, so it works only once.
    """
    with transaction.atomic():
        # The row lock makes a second, concurrent use of the same link see the new hash.
        user = _user_for_uid(uid)
        if user is None or not default_token_generator.check_token(user, token):
            raise ResetTokenInvalid()
        _validate_password(new_password, user, "new_password")
        user.set_password(new_password)
        user.jwtauth_password_reset = True  # recorded as a reset, not a change
        user.save()  # the receiver ends every session
    ratelimits.reset_failures(user.get_username())
