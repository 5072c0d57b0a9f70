"""Account service: log in, register, change a password, reset a forgotten one."""

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from jwtauth import devices, families, ratelimits, signals
from jwtauth.clientip import client_ip
from jwtauth.exceptions import AccountLocked, InvalidCredentials, ResetTokenInvalid
from jwtauth.models import RevokeReason
from jwtauth.settings import jwtauth_settings


def _username_for(identifier: str) -> str:
    """The username to authenticate: ``identifier`` itself, or the owner of that email."""
    user_model = get_user_model()
    if "@" not in identifier:
        return identifier
    email_field = user_model.get_email_field_name()
    matches = list(user_model._default_manager.filter(**{f"{email_field}__iexact": identifier})[:2])
    if len(matches) == 1:
        return matches[0].get_username()
    # Unknown or ambiguous email: authenticate() still runs the hasher on a missing user,
    # so the answer takes as long as for a wrong password.
    return identifier


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
    *, request: HttpRequest, identifier: str, password: str, device_token: object = None
) -> LoggedIn:
    """Check credentials and start a session; unknown user and wrong password fail alike.

    Failures count against the account (by username, whether it exists or not); past
    ``LOGIN_FAILURE_RATE`` the account is locked for the rest of the window. A live device
    token of the account moves the count to that device (``DEVICE_FAILURE_RATE``) instead.
    """
    username = _username_for(identifier)
    device = devices.recognise(device_token, username=username)
    # Counted before the (slow) password check, so concurrent guesses cannot outrun the limit.
    if device is None:
        try:
            ratelimits.attempt(username)
        except AccountLocked as exc:
            signals.account_locked.send(
                get_user_model(), username=username, request=request, wait=exc.wait
            )
            raise
    else:
        devices.attempt(device)
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise InvalidCredentials()
    if device is None:
        ratelimits.reset_failures(username)
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


def register(
    *, request: HttpRequest, username: str, email: str, password: str
) -> families.TokenPair:
    """Create an account (Django's password validators apply) and start its first session."""
    user_model = get_user_model()
    manager = user_model._default_manager
    username_field, email_field = user_model.USERNAME_FIELD, user_model.get_email_field_name()
    username = user_model.normalize_username(username)
    email = manager.normalize_email(email)
    errors: dict[str, list[str]] = {}
    # Normalising can lengthen a value ("İ" lowercases to two code points): check it again
    # against the model fields, or the database refuses it with a 500.
    for field, name, value in (
        (username_field, "username", username),
        (email_field, "email", email),
    ):
        try:
            user_model._meta.get_field(field).run_validators(value)
        except DjangoValidationError as exc:
            errors[name] = list(exc.messages)
    if manager.filter(**{f"{username_field}__iexact": username}).exists():
        errors["username"] = [_("A user with that username already exists.")]
    if manager.filter(**{f"{email_field}__iexact": email}).exists():
        errors["email"] = [_("A user with that email address already exists.")]
    user = user_model(**{username_field: username, email_field: email})
    errors.update(_password_errors(password, user, "password"))
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent registration took the username
        taken = _("A user with that username already exists.")
        raise ValidationError({"username": [taken]}) from exc
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
    # Read by the password-change receiver, which keeps this session alive.
    user.jwtauth_keep_session_id = session_id
    user.set_password(new_password)
    user.save()
    families.revoke_user(user=user, reason=RevokeReason.PASSWORD_CHANGE, keep_session_id=session_id)


def _same_email(a: str, b: str) -> bool:
    # Case-insensitive match in the database can pair distinct addresses ("ı" vs "i");
    # mail only an address that is the same after Unicode case folding (as Django does).
    def fold(value: str) -> str:
        return unicodedata.normalize("NFKC", value).casefold()

    return fold(a) == fold(b)


def _reset_recipients(email: str) -> list[AbstractBaseUser]:
    user_model = get_user_model()
    email_field = user_model.get_email_field_name()
    candidates = user_model._default_manager.filter(
        **{f"{email_field}__iexact": email, "is_active": True}
    )
    return [
        user
        for user in candidates
        if user.has_usable_password() and _same_email(email, getattr(user, email_field))
    ]


def _reset_message(request: HttpRequest, user: AbstractBaseUser) -> EmailMessage:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(
        jwtauth_settings.PASSWORD_RESET_URL.format(uid=uid, token=token)
    )
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


def request_password_reset(*, request: HttpRequest, email: str) -> None:
    """Mail a single-use, time-limited reset link to each active account with this address.

    For an unknown address the same message is built for a stand-in user and not sent, so
    the request takes comparable time either way.
    """
    recipients = _reset_recipients(email)
    if not recipients:
        stand_in = get_user_model()(**{get_user_model().get_email_field_name(): email})
        _reset_message(request, stand_in)
    for user in recipients:
        _reset_message(request, user).send()


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
        user.save()
    ratelimits.reset_failures(user.get_username())
    families.revoke_user(user=user, reason=RevokeReason.PASSWORD_CHANGE)
