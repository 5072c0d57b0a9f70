"""Account changes that end sessions: password change, deactivation, deletion."""

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models.signals import post_init, post_save, pre_delete, pre_save
from django.utils import timezone

from jwtauth import credentials, families, revocation
from jwtauth.models import RevokeReason, TokenFamily

_DEACTIVATED = "_jwtauth_deactivated"
_LOADED = "_jwtauth_loaded_hash"


def remember_password(sender: type, instance: AbstractBaseUser, **kwargs: Any) -> None:
    """Keep the password hash as loaded, to see after a save whether it changed."""
    # Read from __dict__: a deferred password is not loaded just for this.
    password = instance.__dict__.get("password")
    if password is not None:
        instance.__dict__[_LOADED] = password


def _password_changed(instance: AbstractBaseUser, update_fields: Any) -> bool:
    """True when the save stored a different password hash, by whatever path it was set.

    ``set_password()``, ``set_unusable_password()`` and a plain assignment all count. (A
    queryset ``update()`` sends no signal: the refresh-time credential check ends those.)
    """
    if update_fields is not None and "password" not in update_fields:
        return False
    loaded = instance.__dict__.get(_LOADED)
    current = instance.__dict__.get("password")
    remember_password(type(instance), instance)
    if getattr(instance, "_password", None) is not None:
        return True
    return loaded is not None and current is not None and loaded != current


def flag_deactivation(sender: type, instance: AbstractBaseUser, **kwargs: Any) -> None:
    """Note, before the save, whether it turns an active user inactive."""
    update_fields = kwargs.get("update_fields")
    if (
        instance.pk is None
        or getattr(instance, "is_active", True)
        or (update_fields is not None and "is_active" not in update_fields)
    ):
        return
    # One query, and only when an inactive user is saved.
    was_active = sender._default_manager.filter(pk=instance.pk, is_active=True).exists()
    setattr(instance, _DEACTIVATED, was_active)


def revoke_on_account_change(sender: type, instance: AbstractBaseUser, **kwargs: Any) -> None:
    """Deactivation ends every session; a new password every session not carried over to it
    (see ``families.keep_session``)."""
    update_fields = kwargs.get("update_fields")
    previous = instance.__dict__.get(_LOADED)
    changed = _password_changed(instance, update_fields)
    if instance.__dict__.pop(_DEACTIVATED, False):
        families.revoke_user(user=instance, reason=RevokeReason.DEACTIVATED)
    elif not changed or kwargs.get("created"):
        return
    elif (
        previous is not None
        and getattr(instance, "_password", None) is None
        and update_fields is not None
        and set(update_fields) == {"password"}
        and credentials.is_rehash(previous, instance.password)
    ):
        # A hasher upgrade at login: the same password, so the sessions stay.
        families.rebind(user=instance, previous_hash=previous)
    else:
        families.password_changed(user=instance)


def deny_before_delete(sender: type, instance: AbstractBaseUser, **kwargs: Any) -> None:
    """Kill a deleted user's access tokens at once; the cascade then deletes the sessions.

    Runs inside the deletion's transaction, so the log entries commit with it."""
    session_ids = TokenFamily.objects.active().filter(user_id=instance.pk)
    now = timezone.now()
    revocation.revoke_sessions(list(session_ids.values_list("pk", flat=True)), now=now)
    revocation.revoke_user_before(instance.pk, now)


def connect() -> None:
    user_model = settings.AUTH_USER_MODEL
    post_init.connect(remember_password, sender=user_model, dispatch_uid="jwtauth_password")
    pre_save.connect(flag_deactivation, sender=user_model, dispatch_uid="jwtauth_flag_deactivation")
    post_save.connect(
        revoke_on_account_change, sender=user_model, dispatch_uid="jwtauth_account_change"
    )
    pre_delete.connect(deny_before_delete, sender=user_model, dispatch_uid="jwtauth_user_delete")
