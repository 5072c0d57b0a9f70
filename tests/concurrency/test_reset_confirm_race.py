"""A password reset link used by two requests at once sets the password only once."""

import threading
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

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
    barrier = threading.Barrier(workers)
    statuses: list[int] = []
    passwords = [f"racing-passphrase-number-{n}" for n in range(workers)]

    def use(password: str) -> None:
        try:
            barrier.wait()
            response = APIClient().post(URL, link | {"new_password": password}, format="json")
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=use, args=(p,)) for p in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [204] + [400] * (workers - 1)
    user.refresh_from_db()
    assert sum(user.check_password(p) for p in passwords) == 1
