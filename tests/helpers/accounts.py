"""The test users' password, their usernames under any user model, and the reset mail."""

import threading

from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery-staple"


def username_of(name: str) -> str:
    """What ``make_user(name)`` uses as the username: ``name``, or its address on a model
    signed in by email."""
    model = get_user_model()
    if model.USERNAME_FIELD == model.get_email_field_name():
        return f"{name}@example.com"
    return name


def wait_for_reset_mail() -> None:
    """Wait until the password reset mails sent in the background are out."""
    from jwtauth.accounts import MAIL_THREAD

    for thread in threading.enumerate():
        if thread.name == MAIL_THREAD:
            thread.join(timeout=30)
