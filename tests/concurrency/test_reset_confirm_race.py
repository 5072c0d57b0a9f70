"""A password reset link used by two requests at once sets the password only once."""

from functools import partial
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from tests.helpers.threads import run_together

URL = "/api/auth/password/reset/confirm/"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_uses_of_one_link_succeed_once(make_user: Any) -> None:
    user = make_user("racer")
    link = {
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    workers = 6
    passwords = [f"racing-passphrase-number-{n}" for n in range(workers)]

    def use(password: str) -> int:
        return APIClient().post(URL, link | {"new_password": password}, format="json").status_code

    statuses = run_together([partial(use, password) for password in passwords])
    assert sorted(statuses) == [204] + [400] * (workers - 1)
    user.refresh_from_db()
    assert sum(user.check_password(p) for p in passwords) == 1
