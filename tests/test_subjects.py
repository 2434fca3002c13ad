"""Issue 19 item 4, data-subject requests: find (GDPR Art. 15) and erase (Art. 17) every event
that carried a person's identifier, with an index that holds no identifier in clear.

- Through a real server on SQLite and PostgreSQL: one person's e-mail in several spellings
  (upper case, mixed case, inside free text) and phone in national and international format,
  among other people's calls. A search finds exactly that person's events; the erasure empties
  those payloads and no other, the chain verifies, a second erasure does nothing; no table
  holds the value outside the payload before, and after the erasure no byte of the store does
  (the SQLite file and its WAL read raw; every row of every PostgreSQL table).
- The CLI on a store filled before indexing: nothing found, `db index-subjects` backfills
  (a second run adds nothing), then `subjects search` / `subjects erase`.
- The index rows are written in the event's transaction; erasure in chunks; normalisation.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from agentaudit import AgentAudit
from agentaudit.models import EventIn, Policy
from agentaudit.pipeline import evaluate
from agentaudit.store import KeyRevoked, NewEvent, open_store
from agentaudit.subjects import forms_of, index_entries, normalise, search_hashes
from tests.support.live_server import cli_command, run_server
from tests.test_store import Opened, create_pg_database, empty_pg, pg_session_url

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

JANE_EMAILS = ("Jane.Doe@Example.COM", "JANE.DOE@EXAMPLE.COM", "jane.doe@example.com")
JANE_PHONES = ("+49 30 1234567", "030 1234567")
JANE_PHONE = re.compile(rb"30[\s().-]*123[\s-]*4567")  # either format, however spaced
BOB_EMAIL = "bob.smith@example.org"
BOB_PHONE = "+49 40 7654321"

# (call, carries Jane's e-mail, carries Jane's phone)
CALLS: list[tuple[dict, bool, bool]] = [
    (
        {
            "agent_id": "crm",
            "action": "database_query",
            "data": {"query": "SELECT * FROM customers WHERE email = 'Jane.Doe@Example.COM'"},
        },
        True,
        False,
    ),
    (
        {"agent_id": "mailer", "action": "send_email", "data": {"to": "JANE.DOE@EXAMPLE.COM"}},
        True,
        False,
    ),
    (
        {
            "agent_id": "support",
            "action": "add_note",
            "data": {"note": "Customer jane.doe@example.com called, wants her invoice again"},
        },
        True,
        False,
    ),
    (
        {
            "agent_id": "support",
            "action": "call_back",
            "data": {"text": "please call the customer back on +49 30 1234567 today"},
        },
        False,
        True,
    ),
    ({"agent_id": "support", "action": "call_back", "data": {"phone": "030 1234567"}}, False, True),
    ({"agent_id": "mailer", "action": "send_email", "data": {"to": BOB_EMAIL}}, False, False),
    ({"agent_id": "support", "action": "call_back", "data": {"phone": BOB_PHONE}}, False, False),
    (
        {
            "agent_id": "support",
            "action": "add_note",
            "data": {"note": f"Customer {BOB_EMAIL} asked about the weather"},
        },
        False,
        False,
    ),
    (
        {"agent_id": "search", "action": "web_search", "data": {"query": "weather in Paris"}},
        False,
        False,
    ),
]


def jane_leaks(blob: bytes) -> list[str]:
    """Jane's identifiers, in any spelling, found in raw bytes."""
    low = blob.lower()
    found = [e for e in sorted({e.lower() for e in JANE_EMAILS}) if e.encode() in low]
    if JANE_PHONE.search(blob):
        found.append("phone")
    return found


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def table_dump(target: str, *, without_payload: bool) -> bytes:
    """Every row of every table read behind the store's back; with `without_payload`, the
    events' payload columns (data, context, reasoning, evidence) left out."""
    if target.startswith("postgresql://"):
        with psycopg.connect(target) as conn:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()
            ]
            rows = []
            for name in names:
                cols = [
                    r[0]
                    for r in conn.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                        (name,),
                    ).fetchall()
                ]
                if without_payload and name == "events":
                    cols = [
                        c for c in cols if c not in ("data", "context", "reasoning", "evidence")
                    ]
                select = ", ".join(f'"{c}"::text' for c in cols)
                rows.append(str(conn.execute(f'SELECT {select} FROM "{name}"').fetchall()))
            return "\n".join(rows).encode()
    with sqlite3.connect(target) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = []
        for name in names:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
            if without_payload and name == "events":
                cols = [c for c in cols if c not in ("data", "context", "reasoning", "evidence")]
            select = ", ".join(f'"{c}"' for c in cols)
            rows.append(str(conn.execute(f'SELECT {select} FROM "{name}"').fetchall()))
        return "\n".join(rows).encode()


def raw_bytes(target: str) -> bytes:
    """The SQLite file and its WAL as they are on disk; for PostgreSQL every row as text."""
    if target.startswith("postgresql://"):
        return table_dump(target, without_payload=False)
    return b"".join(
        Path(target + suffix).read_bytes()
        for suffix in ("", "-wal", "-journal")
        if Path(target + suffix).exists()
    )


# -- the acceptance test, through a real server ---------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_a_person_is_found_by_every_spelling_and_erased_leaving_no_trace(
    kind: str, tmp_path: Path
) -> None:
    target = str(tmp_path / "srv.db") if kind == "sqlite" else create_pg_database("aa_subj")
    store_args = {"db_path": target} if kind == "sqlite" else {"database_url": target}
    with run_server(**store_args) as srv:  # type: ignore[arg-type]
        h = bearer(srv.api_key)
        put = httpx.put(f"{srv.url}/v1/org/policy", json={"pii_region": "DE"}, headers=h)
        assert put.status_code == 200, put.text
        ids = []
        for call, _, _ in CALLS[:5]:  # one by one, then the rest as a batch: both ingest paths
            r = httpx.post(f"{srv.url}/v1/events", json=call, headers=h)
            assert r.status_code == 201 and r.json()["stored"], r.text
            ids.append(r.json()["id"])
        batch = {"events": [c for c, _, _ in CALLS[5:]]}
        r = httpx.post(f"{srv.url}/v1/events/batch", json=batch, headers=h)
        assert r.status_code == 201, r.text
        ids += [e["id"] for e in r.json()["events"]]
        by_email = [i for i, (_, e, _) in zip(ids, CALLS, strict=True) if e]
        by_phone = [i for i, (_, _, p) in zip(ids, CALLS, strict=True) if p]
        others = [i for i in ids if i not in by_email + by_phone]

        def search(body: dict) -> dict:
            r = httpx.post(f"{srv.url}/v1/subjects/search", json=body, headers=h)
            assert r.status_code == 200, r.text
            return r.json()

        for spelling in (
            "jane.doe@example.com",
            "JANE.Doe@example.com",
            " mailto:Jane.Doe@EXAMPLE.com",
        ):
            for typ in (None, "email"):
                found = search({"value": spelling, "type": typ})
                assert [e["id"] for e in found["events"]] == by_email, (spelling, typ)
                assert found["total"] == 3 and all(
                    e["pii_types"] == ["email"] for e in found["events"]
                )
        for spelling in ("030 1234567", "+49 30 1234567", "+49301234567", "0049 (30) 123-4567"):
            found = search({"value": spelling, "type": "phone"})
            assert [e["id"] for e in found["events"]] == by_phone, spelling
        assert [e["id"] for e in search({"value": "+49 30 1234567"})["events"]] == by_phone
        page = search({"value": "jane.doe@example.com", "limit": 2, "offset": 2})
        assert [e["id"] for e in page["events"]] == by_email[2:] and page["total"] == 3
        first = page = search({"value": "jane.doe@example.com", "limit": 2})["events"][0]
        assert first["action"] == "database_query" and first["agent_id"] == "crm"
        assert first["erased"] is False and first["seq"] == 2  # after the policy change
        assert [e["id"] for e in search({"value": BOB_EMAIL})["events"]] == [ids[5], ids[7]]
        assert search({"value": "nobody@example.com"})["total"] == 0

        # bad requests name the field; no key, no answer
        bad = httpx.post(
            f"{srv.url}/v1/subjects/search", json={"value": "x@y.z", "type": "shoe"}, headers=h
        )
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "type"]
        bad = httpx.post(f"{srv.url}/v1/subjects/erase", json={"value": ""}, headers=h)
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "value"]
        unread = httpx.post(
            f"{srv.url}/v1/subjects/erase", json={"value": "no at sign", "type": "email"}, headers=h
        )
        assert unread.status_code == 200 and unread.json()["readable"] is False
        assert unread.json()["erased"] == 0
        assert (
            httpx.post(
                f"{srv.url}/v1/subjects/search", json={"value": "jane.doe@example.com"}
            ).status_code
            == 401
        )

        # the value itself is only in the payloads; the index holds keyed hashes
        assert not jane_leaks(table_dump(target, without_payload=True))
        assert jane_leaks(raw_bytes(target))  # the check can fail: the payloads hold it

        # erase by e-mail, then by phone
        r = httpx.post(
            f"{srv.url}/v1/subjects/erase", json={"value": "Jane.Doe@example.com"}, headers=h
        )
        assert r.status_code == 200, r.text
        done = r.json()
        assert done["erased"] == 3 and done["event_ids"] == by_email and done["already_erased"] == 0
        assert len(done["erasure_records"]) == 1
        r = httpx.post(
            f"{srv.url}/v1/subjects/erase",
            json={"value": "030 1234567", "type": "phone"},
            headers=h,
        )
        assert r.json()["erased"] == 2 and r.json()["event_ids"] == by_phone
        again = httpx.post(
            f"{srv.url}/v1/subjects/erase", json={"value": "jane.doe@example.com"}, headers=h
        )
        assert again.json() == {
            "erased": 0,
            "event_ids": [],
            "already_erased": 0,
            "erasure_records": [],
            "readable": True,
        }
        assert search({"value": "jane.doe@example.com"})["total"] == 0

        for event_id in by_email + by_phone:
            got = httpx.get(f"{srv.url}/v1/events/{event_id}", headers=h).json()
            assert got["data"] == {} and got["pii_fields"], got
        for event_id, (call, _, _) in zip(ids, CALLS, strict=True):
            if event_id in others:
                got = httpx.get(f"{srv.url}/v1/events/{event_id}", headers=h).json()
                assert got["data"] == call["data"]
        record = httpx.get(f"{srv.url}/v1/events/{done['erasure_records'][0]}", headers=h).json()
        assert record["kind"] == "erasure" and record["action"] == "erase_subject"
        assert record["data"]["event_ids"] == by_email and record["context"]["actor"].startswith(
            "api key"
        )
        verified = httpx.get(f"{srv.url}/v1/verify", headers=h).json()
        # the calls, two erasure records, the policy change
        assert verified["ok"] and verified["checked"] == len(CALLS) + 3, verified
        assert [e["erased"] for e in search({"value": BOB_EMAIL})["events"]] == [False, False]

    if kind == "postgres":
        store = open_store(target)
        try:
            store.wait_for_vacuum()  # type: ignore[attr-defined]
        finally:
            store.close()
    raw = raw_bytes(target)
    assert not jane_leaks(raw)
    assert BOB_EMAIL.encode() in raw  # others' data stays


# -- the CLI on a store filled before indexing -----------------------------------------------------
@pytest.fixture(params=KINDS)
def opened(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opened]:
    if request.param == "sqlite":
        target = str(tmp_path / "store.db")
    else:
        target = pg_session_url()
        empty_pg(target)
    store = open_store(target)
    try:
        yield Opened(request.param, target, store)
    finally:
        store.close()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cli_command(), *args], capture_output=True, text=True, timeout=120)


def test_backfill_then_search_and_erase_from_the_cli(opened: Opened) -> None:
    store, target = opened.store, opened.target
    org_id = store.ensure_org("default").id
    policy = store.set_policy(org_id, Policy(pii_region="DE"))
    # as stored by code older than the index: events without subject entries
    events = [evaluate(EventIn(**call), policy)[0] for call, _, _ in CALLS]
    ids = [e.id for e in store.append(org_id, [NewEvent(e) for e in events])]
    flag = "--db" if opened.kind == "sqlite" else "--database-url"

    empty = cli("subjects", "search", "jane.doe@example.com", flag, target)
    assert empty.returncode == 0 and "0 of 0 events" in empty.stdout, empty.stdout + empty.stderr
    filled = cli("db", "index-subjects", flag, target)
    assert filled.returncode == 0, filled.stderr
    assert re.search(
        r"default: 9 stored payloads read, [1-9]\d* index entries added", filled.stdout
    )
    again = cli("db", "index-subjects", flag, target)
    assert "default: 9 stored payloads read, 0 index entries added" in again.stdout, again.stdout

    found = cli("subjects", "search", "JANE.DOE@example.com", flag, target, "--json")
    assert found.returncode == 0, found.stderr
    assert [line.split('"id": "')[1][:26] for line in found.stdout.splitlines()] == ids[:3]
    assert found.stderr.startswith("store: ")  # stdout carries only the JSON lines
    piped = subprocess.run(
        [*cli_command(), "subjects", "search", "--type", "phone", flag, target, "--json"],
        input="030 1234567\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert len(piped.stdout.splitlines()) == 2, piped.stdout + piped.stderr

    erased = cli("subjects", "erase", "jane.doe@example.com", flag, target)
    assert erased.returncode == 0, erased.stderr
    assert erased.stdout.splitlines()[0].startswith("store: ")
    assert ids[0] in erased.stdout and "erased the payloads of 3 event(s)" in erased.stdout
    assert (
        "erased the payloads of 0 event(s)"
        in cli("subjects", "erase", "jane.doe@example.com", flag, target).stdout
    )
    assert [store.get_event(org_id, i).data == {} for i in ids[:4]] == [True, True, True, False]  # type: ignore[union-attr]
    assert store.verify(org_id).ok
    bad = cli("subjects", "search", "x", "--type", "shoe", flag, target)
    assert bad.returncode == 2 and "--type 'shoe'" in bad.stderr


# -- the stores ----------------------------------------------------------------------------------------
def test_index_rows_are_written_in_the_events_transaction(opened: Opened) -> None:
    store = opened.store
    org_id = store.ensure_org("default").id
    key = store.fingerprint_key(org_id)
    subjects: list[tuple[str, str]] = []
    event, _ = evaluate(EventIn(**CALLS[0][0]), Policy(), secret_key=key, subjects=subjects)
    assert subjects and {t for _, t in subjects} == {"email"}
    with pytest.raises(KeyRevoked):  # refused at commit: neither the event nor its index rows
        store.append(org_id, [NewEvent(event, subjects=tuple(subjects))], key_hashes=["gone"])
    assert store.find_subjects(org_id, [subjects[0][0]], 10, 0) == (0, [])  # type: ignore[attr-defined]
    assert store.count(org_id) == 0  # type: ignore[attr-defined]
    store.append(org_id, [NewEvent(event, subjects=tuple(subjects))])
    total, rows = store.find_subjects(org_id, [subjects[0][0]], 10, 0)  # type: ignore[attr-defined]
    assert total == 1 and rows[0].id == event.id and rows[0].seq == 1


def test_an_erasure_of_many_events_is_chunked_with_a_record_each(
    opened: Opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentaudit import subjects

    module = "agentaudit.store.sqlite" if opened.kind == "sqlite" else "agentaudit.store.postgres"
    monkeypatch.setattr(f"{module}.SUBJECT_CHUNK", 2)
    store = opened.store
    org_id = store.ensure_org("default").id
    service_calls = [
        {"agent_id": "a", "action": "send_email", "data": {"to": "Jane.Doe@example.com", "n": i}}
        for i in range(5)
    ]
    key = store.fingerprint_key(org_id)
    new = []
    for call in service_calls:
        found: list[tuple[str, str]] = []
        event, _ = evaluate(EventIn(**call), Policy(), secret_key=key, subjects=found)
        new.append(NewEvent(event, subjects=tuple(found)))
    ids = [e.id for e in store.append(org_id, new)]
    store.erase(org_id, ids[1])  # erased before: counted, not erased again
    done = subjects.erase(store, org_id, "jane.doe@EXAMPLE.com", actor="test")  # type: ignore[arg-type]
    assert done.event_ids == [ids[0], *ids[2:]] and done.already_erased == 1
    assert len(done.records) == 3  # chunks of 2 events: {0, 1}, {2, 3}, {4}
    assert store.verify(org_id).ok
    assert subjects.search(store, org_id, "jane.doe@example.com").total == 0  # type: ignore[arg-type]


def test_the_embedded_client_indexes_what_it_stores(tmp_path: Path) -> None:
    from agentaudit import subjects

    with AgentAudit(db_path=tmp_path / "e.db") as audit:
        first = audit.log(agent_id="a", action="send_email", data={"to": "Jane.Doe@example.com"})
        second = audit.log(
            agent_id="a", action="send_email", data={"cc": "JANE.DOE@example.com"}, wait=False
        )
        audit.flush()
    store = open_store(tmp_path / "e.db")
    try:
        org_id = store.ensure_org("default").id
        page = subjects.search(store, org_id, "jane.doe@example.com")  # type: ignore[arg-type]
        assert [e.id for e in page.events] == [first.id, second.id]
    finally:
        store.close()


# -- normalisation ---------------------------------------------------------------------------------------
def test_normalised_forms() -> None:
    assert {normalise("email", e) for e in JANE_EMAILS} == {"jane.doe@example.com"}
    assert normalise("email", "mailto:<Jane.Doe@Example.com>") == "jane.doe@example.com"
    assert normalise("phone", "030 1234567", "DE") == "+49301234567"
    assert normalise("phone", "+49 (30) 123-4567") == "+49301234567"
    assert normalise("phone", "0049 30 1234567", "DE") == "+49301234567"
    assert normalise("phone", "030 1234567") == "0301234567"  # no region: its digits
    assert normalise("iban", "de89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    assert normalise("passport", "passport number 548219373") == "548219373"
    assert normalise("ssn", "123-45-6789") == "123456789"
    assert normalise("ip_address", "2001:0db8:0000::0001") == "2001:db8::1"
    assert normalise("person_name", "  Jane   DOE ") == "jane doe"
    assert normalise("email", "no at sign") is None and normalise("passport", "no.") is None
    assert forms_of("030 1234567", None, "DE") == ["+49301234567", "030 1234567", "0301234567"]


def test_hashes_are_keyed_and_never_the_value() -> None:
    found = [("email", "Jane.Doe@Example.COM"), ("health", "diabetes"), ("api_key", "sk-x")]
    a = index_entries(b"k" * 32, found)
    b = index_entries(b"j" * 32, found)
    assert [t for _, t in a] == ["email"]  # special categories and secrets are not indexed
    assert a != b  # another organisation's key: another hash
    assert "jane" not in a[0][0] and len(a[0][0]) == 32
    assert search_hashes(b"k" * 32, "jane.doe@example.com") == [a[0][0]]


def test_a_large_batch_indexes_every_event(opened: Opened) -> None:
    """PostgreSQL sends a batch of COPY_MIN_ROWS or more by COPY: its index rows go too."""
    from agentaudit import subjects
    from agentaudit.store.postgres import COPY_MIN_ROWS

    store = opened.store
    org_id = store.ensure_org("default").id
    key = store.fingerprint_key(org_id)
    new = []
    for i in range(COPY_MIN_ROWS + 6):
        found: list[tuple[str, str]] = []
        to = "Jane.Doe@example.com" if i % 2 else f"person{i}@example.com"
        call = EventIn(agent_id="a", action="send_email", data={"to": to})
        event, _ = evaluate(call, Policy(), secret_key=key, subjects=found)
        new.append(NewEvent(event, subjects=tuple(found)))
    ids = [e.id for e in store.append(org_id, new)]
    page = subjects.search(store, org_id, "jane.doe@example.com", limit=200)  # type: ignore[arg-type]
    assert [e.id for e in page.events] == ids[1::2]
    assert subjects.search(store, org_id, "person4@example.com").total == 1  # type: ignore[arg-type]
