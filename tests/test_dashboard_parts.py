"""The dashboard's parts on real stores (SQLite and PostgreSQL): its own queries (chain place,
PII and secret type filters, daily counts, PII and secret type counts), sessions, redirects,
charts and form parsing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ulid import ULID

from agentaudit.models import Decision, Event, EventFilter, RiskLevel
from agentaudit.server.dashboard import auth, charts, forms, queries
from agentaudit.server.dashboard.articles import articles_of
from agentaudit.server.dashboard.sessions import MemorySessionStore
from agentaudit.store import EventStore, NewEvent, open_store

ADMIN_URL = (
    os.environ.get("AGENTAUDIT_TEST_DATABASE_URL")
    or "postgresql://postgres@127.0.0.1:5432/agentaudit_test"
)
DAY1 = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


def make(
    agent: str,
    pii: list[str],
    when: datetime,
    risk: RiskLevel = RiskLevel.LOW,
    decision: Decision = Decision.ALLOW,
    secrets: list[str] | None = None,
) -> NewEvent:
    return NewEvent(
        Event(
            id=str(ULID()),
            agent_id=agent,
            action="act",
            data={"n": 1},
            risk_level=risk,
            pii_detected=bool(pii),
            pii_fields=pii,
            secret_fields=secrets or [],
            created_at=when,
            stored=True,
            decision=decision,
            reason="because" if decision == Decision.BLOCK else None,
        )
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    if request.param == "sqlite":
        s = open_store(tmp_path / "parts.db")
        yield s
        s.close()
        return
    import psycopg

    name = f"aa_dash_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = ADMIN_URL.rpartition("/")
    s = open_store(f"{base}/{name}")
    try:
        yield s
    finally:
        s.close()
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(store: EventStore, sql: str, args: list) -> None:
    _, placeholder = queries._runner(store)
    if placeholder == "?":
        store._conn.execute(sql, args)  # type: ignore[attr-defined]
    else:
        store._write(sql.replace("?", "%s"), args)  # type: ignore[attr-defined]


def test_chain_place_links_and_detects_tampering(store: EventStore) -> None:
    org = store.ensure_org("a").id
    other = store.ensure_org("b").id
    store.append(other, [make("x", [], DAY1)])
    events = store.append(org, [make(f"a{i}", [], DAY1 + timedelta(minutes=i)) for i in range(3)])
    first, middle, last = (queries.chain_place(store, org, e.id) for e in events)
    assert first is not None and middle is not None and last is not None
    assert (first.seq, middle.seq, last.seq) == (1, 2, 3)
    assert first.prev_hash == "0" * 64 and first.prev_id is None
    assert middle.prev_hash == first.hash and middle.prev_id == events[0].id
    assert middle.next_id == events[2].id and last.next_id is None
    assert {first.head_seq, middle.head_seq, last.head_seq} == {3}
    assert first.link_ok and middle.link_ok and last.link_ok
    assert queries.chain_place(store, other, events[0].id) is None  # another org's event

    _run(store, "UPDATE events SET agent_id = ? WHERE id = ?", ["mallory", events[1].id])
    broken = queries.chain_place(store, org, events[1].id)
    assert broken is not None and not broken.link_ok and "hash mismatch" in broken.link_error
    _run(store, "UPDATE events SET data = ? WHERE id = ?", ['{"n":2}', events[2].id])
    altered = queries.chain_place(store, org, events[2].id)
    assert altered is not None and not altered.link_ok and "payload" in altered.link_error

    store.erase(org, events[0].id)
    erased = queries.chain_place(store, org, events[0].id)
    assert erased is not None and erased.erased and erased.link_ok  # GDPR Art. 17 keeps the chain


def test_pii_type_filter_matches_whole_types_with_filters_and_paging(store: EventStore) -> None:
    org = store.ensure_org("a").id
    other = store.ensure_org("b").id
    store.append(other, [make("x", ["email"], DAY1)])
    rows = [
        make("a1", ["email"], DAY1),
        make("a2", ["email", "phone"], DAY1 + timedelta(hours=1)),
        make("a1", ["credit_card"], DAY1 + timedelta(hours=2)),
        make("a1", ["creditXcard"], DAY1 + timedelta(hours=3)),  # `_` must not be a wildcard
        make("a1", [], DAY1 + timedelta(hours=4)),
        make("a3", ["phone_email"], DAY1 + timedelta(hours=5)),  # not "email"
    ]
    ids = [e.id for e in store.append(org, rows)]

    def found(pii: str, **kw: object) -> tuple[list[str], int]:
        page = queries.list_events_with_pii(store, org, EventFilter(**kw), pii)
        return [e.id for e in page.events], page.total

    assert found("email") == ([ids[1], ids[0]], 2)  # newest first
    assert found("credit_card") == ([ids[2]], 1)
    assert found("phone") == ([ids[1]], 1)
    assert found("email", agent_id="a1") == ([ids[0]], 1)
    assert found("email", limit=1, offset=1) == ([ids[0]], 2)
    assert found("email", after=DAY1 + timedelta(minutes=30)) == ([ids[1]], 1)
    assert found("health") == ([], 0)


def test_daily_and_pii_type_counts(store: EventStore) -> None:
    org = store.ensure_org("a").id
    other = store.ensure_org("b").id
    store.append(other, [make("x", ["email"], DAY1, RiskLevel.HIGH)])
    store.append(
        org,
        [
            make("a", ["email"], DAY1, RiskLevel.HIGH),
            make("a", [], DAY1 + timedelta(hours=1), RiskLevel.LOW),
            make("a", ["email", "iban"], DAY1 + timedelta(days=1), RiskLevel.HIGH),
            make("a", [], DAY1 + timedelta(days=1), RiskLevel.CRITICAL, Decision.BLOCK),
            make("a", ["phone"], DAY1 + timedelta(days=5), RiskLevel.MEDIUM),
        ],
    )
    risk = queries.daily_counts(store, org, "risk_level", "2025-03-01", "2025-03-03")
    assert risk == {
        "2025-03-01": {"high": 1, "low": 1},
        "2025-03-02": {"high": 1, "critical": 1},
    }
    decisions = queries.daily_counts(store, org, "decision", "2025-03-01", "2025-03-10")
    assert decisions["2025-03-02"] == {"allow": 1, "block": 1}
    counts = queries.pii_type_counts(
        store, org, DAY1 - timedelta(hours=1), DAY1 + timedelta(days=2)
    )
    assert counts == {"email": 2, "iban": 1}
    assert list(counts) == ["email", "iban"]  # largest first
    everything = queries.pii_type_counts(
        store, org, DAY1 - timedelta(days=1), DAY1 + timedelta(days=9)
    )
    assert everything == {"email": 2, "iban": 1, "phone": 1}


def test_secret_type_filter_and_counts(store: EventStore) -> None:
    org = store.ensure_org("a").id
    other = store.ensure_org("b").id
    store.append(other, [make("x", [], DAY1, secrets=["api_key"])])
    rows = [
        make("a1", [], DAY1, secrets=["api_key"]),
        make("a2", ["email"], DAY1 + timedelta(hours=1), secrets=["api_key", "password"]),
        make("a1", [], DAY1 + timedelta(hours=2), secrets=["access_token"]),
        make("a1", [], DAY1 + timedelta(hours=3)),
        make("a1", [], DAY1 + timedelta(days=3), secrets=["password"]),
    ]
    ids = [e.id for e in store.append(org, rows)]

    def found(secret: str, pii: str | None = None, **kw: object) -> tuple[list[str], int]:
        flt = EventFilter(**kw)
        page = queries.list_events_with_types(store, org, flt, pii_type=pii, secret_type=secret)
        return [e.id for e in page.events], page.total

    assert found("api_key") == ([ids[1], ids[0]], 2)  # newest first, this org only
    assert found("password") == ([ids[4], ids[1]], 2)
    assert found("api_key", agent_id="a1") == ([ids[0]], 1)
    assert found("api_key", pii="email") == ([ids[1]], 1)
    assert found("api_key", limit=1, offset=1) == ([ids[0]], 2)
    assert found("private_key") == ([], 0)
    counts = queries.secret_type_counts(
        store, org, DAY1 - timedelta(hours=1), DAY1 + timedelta(days=1)
    )
    assert counts == {"api_key": 2, "access_token": 1, "password": 1}
    week = queries.secret_type_counts(
        store, org, DAY1 - timedelta(days=1), DAY1 + timedelta(days=7)
    )
    assert week == {"api_key": 2, "password": 2, "access_token": 1}
    t = forms.parse_timeline({"secret": "api_key", "agent": "a1"})
    assert t.secret_type == "api_key" and not t.errors
    bad = forms.parse_timeline({"secret": "api key"})
    assert bad.secret_type is None and "unknown secret type" in bad.errors["secret"]


# -- sessions and redirects ------------------------------------------------------------------------
def test_sessions_expire_are_capped_and_are_stored_hashed() -> None:
    live = MemorySessionStore()
    sid, session = live.create("org", "keyhash")
    assert live.get(sid) is session and live.get("nope") is None
    assert sid not in live._sessions  # only the id's hash is kept
    live.delete(sid)
    assert live.get(sid) is None

    idle = MemorySessionStore(idle_timeout=-1)
    assert idle.get(idle.create("org", "k")[0]) is None
    aged = MemorySessionStore(max_age=-1)
    assert aged.get(aged.create("org", "k")[0]) is None

    capped = MemorySessionStore(max_sessions=2)
    a, _ = capped.create("org", "k")
    b, _ = capped.create("org", "k")
    c, _ = capped.create("org", "k")
    assert capped.get(a) is None and capped.get(b) is not None and capped.get(c) is not None
    assert len(capped) == 2


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/dashboard/stats?days=7", "/dashboard/stats?days=7"),
        ("//evil.example/dashboard", "/dashboard/events"),
        ("https://evil.example/dashboard", "/dashboard/events"),
        ("/\\evil.example", "/dashboard/events"),
        ("/v1/events", "/dashboard/events"),
        ("/dashboard/\r\nSet-Cookie: x=y", "/dashboard/events"),
        (None, "/dashboard/events"),
    ],
)
def test_after_sign_in_only_dashboard_paths(target: str | None, expected: str) -> None:
    assert auth.safe_next(target) == expected


def test_csrf_comparison_refuses_missing_and_wrong_tokens() -> None:
    assert auth.csrf_ok("abc", "abc")
    assert not auth.csrf_ok("abc", "abd")
    assert not auth.csrf_ok("abc", None)
    assert not auth.csrf_ok("abc", "")
    assert not auth.csrf_ok(None, "abc")
    assert not auth.csrf_ok("", "")


# -- charts, articles, forms ---------------------------------------------------------------------
def test_charts_escape_names_and_use_round_axes() -> None:
    svg = charts.hbars([("<script>alert(1)</script>", 3), ("b", 1)], "agents")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    bars = charts.stacked_bars(
        ["2025-03-01", "2025-03-02"],
        [charts.Series("low", "#0f0", [1, 0]), charts.Series("<b>", "#f00", [2, 1])],
        "risk",
    )
    assert "<b>" not in bars and "style=" not in bars  # CSP forbids inline styles
    assert ">4</text>" in bars  # total 3 → axis 0..4 in whole steps
    assert charts._nice_step(0) == 1 and charts._nice_step(3) == 1 and charts._nice_step(9) == 5
    assert charts._nice_step(100_000) == 50_000
    assert "No data" in charts.hbars([], "empty")


def test_articles_have_titles_and_unknown_ones_are_shown_plain() -> None:
    found = articles_of({"gdpr": ["art_30", "art_99"], "ai_act": ["art_14"], "soc2": ["CC6.1"]})
    titles = {(a.framework, a.id): a.title for a in found}
    assert titles[("gdpr", "art_30")] == "Records of processing activities"
    assert titles[("gdpr", "art_99")] is None
    assert titles[("ai_act", "art_14")] == "Human oversight"
    assert titles[("soc2", "CC6.1")] is not None
    assert [a.label for a in found] == ["Art. 30", "Art. 99", "Art. 14", "CC6.1"]


def test_timeline_query_parsing() -> None:
    ok = forms.parse_timeline(
        {"agent": " bot ", "risk": "high", "pii": "email", "after": "2025-03-01T10:00", "page": "3"}
    )
    assert not ok.errors and ok.pii_type == "email"
    assert ok.flt.agent_id == "bot" and ok.flt.risk_level == RiskLevel.HIGH
    assert ok.flt.after == datetime(2025, 3, 1, 10, tzinfo=UTC)
    assert ok.flt.offset == 2 * forms.PAGE_SIZE
    bad = forms.parse_timeline(
        {"risk": "severe", "pii": "shoe_size", "after": "2025-03-02", "before": "2025-03-01"}
    )
    assert set(bad.errors) == {"risk", "pii", "before"}
    assert bad.pii_type is None and bad.flt.risk_level is None  # nothing half-applied
    assert forms.parse_timeline({"page": "-5"}).page == 1
    assert forms.parse_timeline({"page": "x"}).page == 1


def test_key_of_hash_finds_the_orgs_active_key_only(store: EventStore) -> None:
    from agentaudit.server.keys import create_key, hash_key

    made = create_key(store, "a", "alice")
    other = create_key(store, "b")
    org = made.info.org_id
    assert queries.key_of_hash(store, org, hash_key(made.key)) == (made.info.id, made.info.prefix)
    assert queries.key_of_hash(store, org, hash_key(other.key)) is None  # another org's key
    assert queries.key_of_hash(store, org, hash_key("aa_live_unknown")) is None
    assert store.revoke_api_key(made.info.id)
    assert queries.key_of_hash(store, org, hash_key(made.key)) is None  # revoked
