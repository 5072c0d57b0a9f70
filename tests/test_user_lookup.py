"""request.user's row, loaded with SQL compiled once: the same user the ORM's get() returns, the
same refusals, and the ORM itself for any manager that is not Django's own."""

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission, UserManager
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jwtauth import user_lookup
from jwtauth.models import TokenFamily
from tests.helpers.http import bearer
from tests.helpers.threads import run_together
from tests.helpers.tokens import access_claims, sign


def _fields(instance: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(instance).items() if not k.startswith("_")}


@pytest.mark.user_fields("first_name", "last_name")
def test_the_same_row_as_the_orm_get(make_user: Any) -> None:
    model = get_user_model()
    user = make_user("ünïcode ✓", first_name="Zoë", last_name="O'Brien")
    user.last_login = timezone.now().replace(microsecond=123456)
    user.save()
    make_user("someone-else")

    for _ in range(2):  # compiled on the first call, reused on the second
        loaded = user_lookup.load(model, user.pk)
        expected = model._default_manager.get(pk=user.pk)
        assert type(loaded) is model
        assert _fields(loaded) == _fields(expected)
        assert loaded._state.db == expected._state.db and not loaded._state.adding
    assert isinstance(loaded.last_login, datetime.datetime) and loaded.last_login.tzinfo


@pytest.mark.user_fields("first_name")
def test_each_call_reads_the_row_as_it_is_now(make_user: Any) -> None:
    model = get_user_model()
    first, second = make_user("first"), make_user("second")
    assert user_lookup.load(model, first.pk).pk == first.pk
    assert user_lookup.load(model, second.pk).pk == second.pk
    model._default_manager.filter(pk=second.pk).update(first_name="Renamed")
    assert user_lookup.load(model, second.pk).first_name == "Renamed"


def test_a_missing_row_raises_does_not_exist(make_user: Any) -> None:
    model = get_user_model()
    kept, gone = make_user("kept"), make_user("gone")
    user_lookup.load(model, kept.pk)
    gone_pk = gone.pk
    gone.delete()
    with pytest.raises(model.DoesNotExist):
        user_lookup.load(model, gone_pk)


def test_one_query_and_no_orm_compilation_after_the_first(user: Any, monkeypatch: Any) -> None:
    model = get_user_model()
    user_lookup.load(model, user.pk)

    def no_compiling(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the ORM built a query")

    monkeypatch.setattr(type(model._default_manager), "filter", no_compiling, raising=False)
    monkeypatch.setattr(type(model._default_manager), "get", no_compiling, raising=False)
    with CaptureQueriesContext(connection) as captured:
        assert user_lookup.load(model, user.pk).pk == user.pk
    assert len(captured.captured_queries) == 1


def test_other_plain_models_work_too(db: None) -> None:
    permission = Permission.objects.order_by("pk").last()
    assert _fields(user_lookup.load(Permission, permission.pk)) == _fields(permission)


def test_a_custom_queryset_takes_the_orm_path(user: Any, login: Any, monkeypatch: Any) -> None:
    login(user)
    family = TokenFamily.objects.get()
    calls = []
    orm_get = type(TokenFamily._default_manager).get
    monkeypatch.setattr(
        type(TokenFamily._default_manager),
        "get",
        lambda self, **kw: calls.append(kw) or orm_get(self, **kw),
    )
    # TokenFamily's manager has a QuerySet of its own: the ORM's get() on every call.
    for _ in range(2):
        assert user_lookup.load(TokenFamily, family.pk).pk == family.pk
    assert calls == [{"pk": family.pk}] * 2


class HidingManager(UserManager):
    """A soft-delete style manager: its filter must apply on every load."""

    def get_queryset(self) -> Any:
        return super().get_queryset().exclude(first_name="hidden")


@pytest.mark.stock_user
def test_a_custom_get_queryset_is_honoured_on_every_request(
    api: Any, make_user: Any, login: Any, monkeypatch: Any
) -> None:
    model = get_user_model()
    visible, hidden = make_user("visible"), make_user("hides-later")
    tokens = {u.pk: login(u)["access"] for u in (visible, hidden)}
    assert api.get("/api/auth/me/", **bearer(tokens[hidden.pk])).status_code == 200

    manager = HidingManager()
    manager.model, manager.name = model, "objects"
    monkeypatch.setattr(model._meta, "default_manager", manager)
    model.objects.filter(pk=hidden.pk).update(first_name="hidden")

    assert api.get("/api/auth/me/", **bearer(tokens[visible.pk])).status_code == 200
    refused = api.get("/api/auth/me/", **bearer(tokens[hidden.pk]))
    assert (refused.status_code, refused.json()["code"]) == (401, "token_revoked")


@pytest.mark.user_fields("is_active")
def test_a_deactivated_or_deleted_user_is_refused(api: Any, make_user: Any, login: Any) -> None:
    model = get_user_model()
    gone, inactive = make_user("gone"), make_user("inactive")
    tokens = {u.pk: login(u)["access"] for u in (gone, inactive)}
    for pk in tokens:  # compiled and reused
        assert api.get("/api/auth/me/", **bearer(tokens[pk])).status_code == 200
    model._default_manager.filter(pk=inactive.pk).update(is_active=False)
    gone_pk = gone.pk
    gone.delete()
    for pk in (gone_pk, inactive.pk):
        refused = api.get("/api/auth/me/", **bearer(tokens[pk]))
        assert (refused.status_code, refused.json()["code"]) == (401, "token_revoked")


@pytest.mark.django_db(transaction=True)
def test_threads_each_load_their_own_user(make_user: Any) -> None:
    model = get_user_model()
    users = [make_user(f"thread-{n}") for n in range(20)]

    def load(user: Any) -> Any:
        def run() -> tuple[Any, set[str]]:
            loaded = [user_lookup.load(model, user.pk) for _ in range(5)]
            return user.pk, {u.get_username() for u in loaded}

        return run

    results = run_together([load(u) for u in users])
    assert sorted(results) == sorted((u.pk, {u.get_username()}) for u in users)


@pytest.mark.stock_user
@pytest.mark.parametrize("sub", ["99999999999999999999999", "-9223372036854775809", "2147483648"])
def test_a_signed_token_for_an_impossible_user_id_is_refused(api: Any, user: Any, sub: str) -> None:
    api.get("/api/auth/me/", **bearer(sign(access_claims(sub=str(user.pk)))))  # compiled
    refused = api.get("/api/auth/me/", **bearer(sign(access_claims(sub=sub))))
    assert (refused.status_code, refused.json()["code"]) == (401, "token_revoked")
