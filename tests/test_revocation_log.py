"""The revocation log: rows written with the revocation, read into memory, kept fresh by polling."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from jwtauth import revocation
from jwtauth.models import RevocationEntry, RevocationKind
from jwtauth.revocation_store import lifetime
from tests.helpers.clock import T0
from tests.helpers.http import bearer
from tests.helpers.tokens import access_claims, sign


def _other_process_revokes(sid: str) -> None:
    """A row as another process writes it: this process gets no local copy and no wake-up."""
    now = timezone.now()
    RevocationEntry.objects.create(
        kind=RevocationKind.SESSION, key=sid, created_at=now, expires_at=now + lifetime()
    )


def _token(user: Any, sid: str = "s-1", **claims: Any) -> str:
    now = int(timezone.now().timestamp())
    return sign(access_claims(user, sid=sid, iat=now, exp=now + 900, **claims))


def test_each_revocation_path_writes_its_entry(
    api: Any, admin_client: Any, user: Any, login: Any
) -> None:
    first, second, third = login(user), login(user), login(user)
    api.post("/api/auth/logout/", {"refresh": first["refresh"]}, format="json")
    sid = revocation_sid(second)
    admin_client.post(
        "/admin/jwtauth/tokenfamily/", {"action": "revoke_sessions", "_selected_action": [sid]}
    )
    api.post("/api/auth/logout-all/", **bearer(third["access"]))

    rows = list(RevocationEntry.objects.order_by("id").values_list("kind", "key"))
    assert rows[:2] == [("session", revocation_sid(first)), ("session", sid)]
    assert ("session", revocation_sid(third)) in rows[2:]
    assert rows[-1] == ("user", str(user.pk))


def revocation_sid(tokens: dict[str, Any]) -> str:
    from jwtauth.tokens import verify_access

    return verify_access(tokens["access"])["sid"]


def test_another_processs_revocation_is_seen_within_the_staleness_bound(
    api: Any, user: Any, revocation_clock: Any, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.JWTAUTH = {"REVOCATION_MAX_STALENESS": timedelta(milliseconds=500)}
    token = _token(user)
    assert api.get("/api/profile/", **bearer(token)).status_code == 200  # reads the log
    _other_process_revokes("s-1")

    revocation_clock.advance(0.375)
    with django_assert_num_queries(0):  # fresh enough: memory only
        assert api.get("/api/profile/", **bearer(token)).status_code == 200
    revocation_clock.advance(0.125)
    with django_assert_num_queries(1):  # one indexed query for the ids above the last one
        response = api.get("/api/profile/", **bearer(token))

    assert response.json()["code"] == "token_revoked"


def test_a_new_process_reads_the_log_before_answering(api: Any, user: Any, db: None) -> None:
    _other_process_revokes("s-1")

    assert api.get("/api/profile/", **bearer(_token(user))).json()["code"] == "token_revoked"
    assert api.get("/api/profile/", **bearer(_token(user, sid="s-2"))).status_code == 200


def test_user_not_before_refuses_older_tokens_only(api: Any, user: Any, clock: Any) -> None:
    old = _token(user)
    clock.shift(1)
    revocation.revoke_user_before(user.pk, timezone.now())
    revocation.reset()

    assert api.get("/api/profile/", **bearer(old)).json()["code"] == "token_revoked"
    assert api.get("/api/profile/", **bearer(_token(user, sid="s-9"))).status_code == 200


def test_entries_leave_memory_when_no_token_they_refuse_can_be_valid(
    user: Any, clock: Any, revocation_clock: Any
) -> None:
    revocation.revoke_sessions(["s-1"])
    revocation.revoke_user_before(user.pk, timezone.now())
    revocation.catch_up()
    assert len(revocation._current().live) == 2

    clock.shift(lifetime().total_seconds() + 1)
    revocation_clock.advance(1)
    revocation.catch_up()

    assert len(revocation._current().live) == 0


def test_a_token_outliving_a_forgotten_revocation_is_still_refused(
    api: Any, user: Any, clock: Any, revocation_clock: Any
) -> None:
    # Issued under a one-hour lifetime, its session revoked after the site moved to 15 min:
    # the entry leaves memory after 15 min, yet the token's own exp says it is still valid.
    now = int(T0.timestamp())
    long_lived = sign(access_claims(user, sid="s-1", iat=now, exp=now + 3600))
    revocation.revoke_sessions(["s-1"])
    assert api.get("/api/profile/", **bearer(long_lived)).json()["code"] == "token_revoked"

    clock.shift(lifetime().total_seconds() + 1)
    revocation_clock.advance(1)
    revocation.reset()  # also a process started after the entry stopped mattering

    assert api.get("/api/profile/", **bearer(long_lived)).json()["code"] == "token_revoked"
    assert api.get("/api/profile/", **bearer(_token(user, sid="s-2"))).status_code == 200


def test_catch_up_reads_every_page(user: Any, monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    from jwtauth import revocation_store

    real = revocation_store.read_since
    monkeypatch.setattr(revocation_store, "read_since", lambda after, now: real(after, now, 2))
    revocation.revoke_sessions([f"s-{n}" for n in range(5)])
    revocation.reset()
    revocation.catch_up()

    state = revocation._current()
    assert sorted(state.live.sessions) == [f"s-{n}" for n in range(5)]
    assert state.last_id == RevocationEntry.objects.order_by("-id").first().id


def test_cleanup_trims_entries_that_no_longer_matter(clock: Any, db: None) -> None:
    from django.core.management import call_command

    revocation.revoke_sessions(["old"])
    clock.shift(timedelta(days=8).total_seconds())
    revocation.revoke_sessions(["new"])
    call_command("jwtauth_cleanup", verbosity=0)

    assert list(RevocationEntry.objects.values_list("key", flat=True)) == ["new"]


def test_the_log_is_read_as_the_same_timestamps_on_every_database(db: None) -> None:
    # PostgreSQL computes the epoch seconds itself (catch-up speed); the result must be what
    # Python's datetime.timestamp() gives, to the microsecond, whole seconds included.
    from jwtauth import revocation_store

    now = timezone.now()
    whole = now.replace(microsecond=0)
    rows = [
        RevocationEntry(
            kind=RevocationKind.SESSION,
            key="s",
            created_at=now,
            expires_at=now + timedelta(hours=1),
        ),
        RevocationEntry(
            kind=RevocationKind.USER,
            key="u",
            not_before=whole,
            created_at=whole,
            expires_at=whole + timedelta(hours=1),
        ),
        RevocationEntry(
            kind=RevocationKind.USER,
            key="v",
            not_before=now - timedelta(microseconds=1),
            created_at=now,
            expires_at=now + timedelta(minutes=1),
        ),
    ]
    RevocationEntry.objects.bulk_create(rows)
    batch = revocation_store.read_since(0, now)
    stored = {row.key: row for row in RevocationEntry.objects.all()}
    assert [entry.key for entry in batch.entries] == ["s", "u", "v"]
    for entry in batch.entries:
        row = stored[entry.key]
        assert entry == revocation_store.as_entry(row)
        if row.not_before is not None:
            assert int(entry.not_before) == int(row.not_before.timestamp())
