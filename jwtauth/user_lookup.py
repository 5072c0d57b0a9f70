"""Load a user by primary key with the SQL of ``_default_manager.get(pk=…)``, compiled once.

A Bearer request whose view reads ``request.user`` loads one row. Building that query with the
ORM (clone, filter, compile) costs about as much Python as running it, so the statement is
compiled once per database connection and reused with the new primary key. Only for a user
model whose default manager and queryset are Django's own, unchanged; any other manager (a
custom ``get_queryset``, a custom ``QuerySet``) gets the ORM's ``get()`` on every call, since
its filters may depend on the moment they are built.
"""

import uuid
import weakref
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.manager import BaseManager


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]
    slot: int  # the index of the primary key in params
    attnames: list[str]
    converters: list[tuple[int, list[Any], Any]]


_Key = tuple[type[Model], BaseManager]
# connection -> (model, its default manager) -> plan (None: the ORM's get() on every call)
_plans: "weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[_Key, _Plan | None]]" = (
    weakref.WeakKeyDictionary()
)


def _plain(manager: BaseManager) -> bool:
    return (
        type(manager).get_queryset is BaseManager.get_queryset
        and manager._queryset_class is QuerySet
    )


def _db_value(model: type[Model], value: Any, connection: BaseDatabaseWrapper) -> Any:
    pk = model._meta.pk
    return pk.get_db_prep_value(pk.get_prep_value(value), connection, prepared=True)


def _plan(model: type[Model], alias: str, probe: Any) -> _Plan | None:
    """The compiled lookup, checked against a second compilation; None if it cannot be reused."""
    manager = model._default_manager
    if not _plain(manager):
        return None
    connection = connections[alias]
    compiled = []
    for value in (probe, _other(probe)):
        compiler = manager.using(alias).filter(pk=value).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        compiled.append((compiler, sql, tuple(params), value))
    (compiler, sql, params, _), (_, other_sql, other_params, other) = compiled
    differ = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
    if sql != other_sql or len(differ) != 1:
        return None
    slot = differ[0]
    if params[slot] != _db_value(model, probe, connection):
        return None
    if other_params[slot] != _db_value(model, other, connection):
        return None
    klass_info = compiler.klass_info
    if klass_info.get("related_klass_infos") or compiler.annotation_col_map:
        return None
    select = compiler.select[: compiler.col_count]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    if (start, end) != (0, len(select)):
        return None
    converters = [
        (position, functions, expression)
        for position, (functions, expression) in compiler.get_converters(
            [column for column, _, _ in select]
        ).items()
    ]
    attnames = [column.target.attname for column, _, _ in select]
    return _Plan(sql, params, slot, attnames, converters)


def _other(value: Any) -> Any:
    """A second primary key value of the same type as ``value``, to compile against."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=value.int ^ 1)
    return None


def _in_range(model: type[Model], pk: Any, connection: BaseDatabaseWrapper) -> bool:
    """False for an integer no row of this primary key's column can hold."""
    if not isinstance(pk, int):
        return True
    bounds = connection.ops.integer_field_ranges.get(model._meta.pk.get_internal_type())
    return bounds is None or bounds[0] <= pk <= bounds[1]


def _missing(model: type[Model]) -> Exception:
    return model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")


def load(model: type[Model], pk: Any) -> Model:
    """``model._default_manager.get(pk=pk)``: the same row, the same exceptions."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    if not _in_range(model, pk, connection):  # the database would refuse the parameter
        raise _missing(model)
    plans = _plans.setdefault(connection, {})
    key = (model, model._default_manager)
    if key not in plans:
        plans[key] = _plan(model, alias, pk) if _other(pk) is not None else None
    plan = plans[key]
    if plan is None:
        return model._default_manager.get(pk=pk)
    params = list(plan.params)
    params[plan.slot] = _db_value(model, pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        rows = cursor.fetchmany(2)
    if not rows:
        raise _missing(model)
    if len(rows) > 1:
        raise model.MultipleObjectsReturned(
            f"get() returned more than one {model._meta.object_name}"
        )
    row = list(rows[0])
    for position, functions, expression in plan.converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return model.from_db(alias, plan.attnames, row)
