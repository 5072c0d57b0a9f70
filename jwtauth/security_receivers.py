"""Receivers of account changes that end device tokens."""

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models.signals import post_save

from jwtauth import devices


def on_password_saved(sender: type, instance: AbstractBaseUser, **kwargs: Any) -> None:
    """A new password (change, reset, admin form, shell) revokes every device token.

    ``AbstractBaseUser`` keeps the raw password in ``_password`` until its ``save()`` returns.
    """
    if getattr(instance, "_password", None) is None or kwargs.get("created"):
        return
    devices.revoke_user(user_id=instance.pk)


def connect() -> None:
    post_save.connect(
        on_password_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="jwtauth_password_saved"
    )
