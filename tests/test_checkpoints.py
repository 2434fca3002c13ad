"""Signed checkpoints (issue 19): a chain rewritten consistently with SQL after a checkpoint is
reported by `verify`, naming the checkpoint; so is a chain cut below one, a forged checkpoint,
and a rewrite whose checkpoint rows were deleted too (the shipped file keeps them). The server
signs while it runs and at shutdown, serves the checkpoints and the public key."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from agentaudit import AgentAudit
from agentaudit.cli import app
from agentaudit.models import EventFilter
from agentaudit.signing import Checkpointer, Signer, create_key_file, load_public_key, public_text
from agentaudit.store import EventStore, NewEvent, open_store
from agentaudit.store._sql import EVENT_COLUMNS, chain_row
from agentaudit.store.chain import canonical, event_hash
from tests.support.live_server import run_server
from tests.test_store import empty_pg, ev, pg_session_url, raw_sql

runner = CliRunner()
AGENTAUDIT = str(Path(sys.executable).with_name("agentaudit"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    url = pg_session_url()
    empty_pg(url)
    return url


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    path = tmp_path / "signing.key"
    create_key_file(path)
    return Signer.from_file(path)


def _flag(target: str) -> str:
    return "--database-url" if target.startswith("postgresql://") else "--db"


def _ph(target: str) -> str:
    return "%s" if target.startswith("postgresql://") else "?"


def _select(target: str, sql: str, args: list) -> list[tuple]:
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as conn:
            return conn.execute(sql, args).fetchall()  # type: ignore[arg-type]
    import sqlite3

    with sqlite3.connect(target) as conn:
        return conn.execute(sql, args).fetchall()


def rewrite_consistently(target: str, org_id: str, seq: int, action: str) -> None:
    """What a writer with database access can do: change one event, then recompute every hash
    from it to the head, so each link matches the next and the chain alone verifies."""
    p = _ph(target)
    rows = _select(
        target,
        f"SELECT {EVENT_COLUMNS} FROM events WHERE org_id = {p} AND seq >= {p} ORDER BY seq",
        [org_id, seq],
    )
    prev = _select(
        target, f"SELECT hash FROM events WHERE org_id = {p} AND seq = {p}", [org_id, seq - 1]
    )[0][0]
    statements = []
    for r in rows:
        fields = dict(chain_row(r).fields)
        if fields["seq"] == seq:
            fields["action"] = action
        fields["prev_hash"] = prev
        prev = event_hash(fields)
        statements.append(
            f"UPDATE events SET action = '{fields['action']}', prev_hash = '{fields['prev_hash']}',"
            f" hash = '{prev}' WHERE org_id = '{org_id}' AND seq = {fields['seq']}"
        )
    statements.append(f"UPDATE chain_heads SET hash = '{prev}' WHERE org_id = '{org_id}'")
    raw_sql(target, *statements)


@pytest.fixture
def signed(target: str, signer: Signer, tmp_path: Path) -> Iterator[tuple[EventStore, str]]:
    """8 events with a checkpoint at seq 5 and one at the head (seq 8)."""
    store = open_store(target)
    org = store.create_org("acme").id
    store.append(org, [NewEvent(ev(action=f"step{i}")) for i in range(5)])
    checkpointer = Checkpointer(store, signer, every_events=1, file=tmp_path / "cps.jsonl")
    assert [cp.seq for cp in checkpointer.sign_due()] == [5]
    store.append(org, [NewEvent(ev(action=f"more{i}")) for i in range(3)])
    checkpointer.close()
    try:
        yield store, org
    finally:
        store.close()


def _verify(target: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTAUDIT_")}
    return subprocess.run(
        [AGENTAUDIT, "verify", _flag(target), target, *args],
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "200"},
        timeout=120,
    )


def test_the_chain_matches_its_checkpoints(
    target: str, signed: tuple[EventStore, str], signer: Signer
) -> None:
    store, org = signed
    result = store.verify(org)
    assert result.ok and result.checkpoints == 2, result
    done = _verify(target, "--public-key", public_text(signer.public))
    assert done.returncode == 0, done.stderr
    assert "acme: chain OK: 8 events verified (head seq 8), matching 2 checkpoint(s)" in done.stdout
    unsigned = _verify(target)  # no key: the hashes are compared, the signatures not proven
    assert unsigned.returncode == 0 and "signatures were not checked" in unsigned.stderr


def test_a_consistent_rewrite_after_a_checkpoint_names_it(
    target: str, signed: tuple[EventStore, str], signer: Signer
) -> None:
    store, org = signed
    rewrite_consistently(target, org, 3, "forged")
    first = store.list_checkpoints(org)[0]
    assert first.seq == 5
    without = store.verify(org, checkpoints=[])  # what the chain alone can see: nothing
    assert without.ok
    result = store.verify(org)
    assert not result.ok and result.checkpoint == first.describe()
    assert result.broken_seq == 5
    done = _verify(target, "--public-key", public_text(signer.public))
    assert done.returncode == 1
    assert f"acme: chain REWRITTEN: {first.describe()} fixed the chain's hash at seq 5" in (
        done.stderr
    )
    assert "rewritten after it was signed" in done.stderr


def test_a_rewrite_after_the_last_checkpoint_is_outside_what_they_prove(
    target: str, signed: tuple[EventStore, str], signer: Signer
) -> None:
    store, org = signed
    store.append(org, [NewEvent(ev(action="late"))])  # seq 9, not signed yet
    rewrite_consistently(target, org, 9, "forged")
    assert store.verify(org).ok  # a checkpoint proves the chain up to its seq, not beyond


def test_a_chain_cut_below_a_checkpoint_names_it(
    target: str, signed: tuple[EventStore, str]
) -> None:
    store, org = signed
    head = store.list_checkpoints(org)[-1]
    raw_sql(
        target,
        f"DELETE FROM events WHERE org_id = '{org}' AND seq > 6",
        "UPDATE chain_heads SET seq = 6, hash = (SELECT hash FROM events WHERE org_id ="
        f" '{org}' AND seq = 6) WHERE org_id = '{org}'",
    )
    result = store.verify(org)
    assert not result.ok and result.checkpoint == head.describe()
    assert "says the chain reached seq 8, but it ends at seq 6" in (result.error or "")


def test_deleted_checkpoint_rows_are_caught_by_the_shipped_file(
    target: str, signed: tuple[EventStore, str], signer: Signer, tmp_path: Path
) -> None:
    store, org = signed
    rewrite_consistently(target, org, 2, "forged")
    raw_sql(target, "DELETE FROM checkpoints")
    assert _verify(target).returncode == 0  # the store alone has lost its evidence
    shipped = tmp_path / "cps.jsonl"
    assert len(shipped.read_text().splitlines()) == 2
    done = _verify(
        target, "--checkpoints", str(shipped), "--public-key", public_text(signer.public)
    )
    assert done.returncode == 1
    assert "chain REWRITTEN: checkpoint of seq 5" in done.stderr


def test_a_forged_checkpoint_fails_with_the_key(
    target: str, signed: tuple[EventStore, str], signer: Signer, tmp_path: Path
) -> None:
    store, org = signed
    rewrite_consistently(target, org, 2, "forged")
    new_hash = (
        store.verify(org, checkpoints=[]).ok
        and _select(
            target, f"SELECT hash FROM events WHERE org_id = {_ph(target)} AND seq = 5", [org]
        )[0][0]
    )
    # the writer also rewrites the checkpoint rows to the new hashes; it cannot sign them
    raw_sql(target, f"UPDATE checkpoints SET hash = '{new_hash}' WHERE seq = 5")
    head_hash = _select(
        target, f"SELECT hash FROM events WHERE org_id = {_ph(target)} AND seq = 8", [org]
    )[0][0]
    raw_sql(target, f"UPDATE checkpoints SET hash = '{head_hash}' WHERE seq = 8")
    assert store.verify(org).ok  # hashes agree now; only the signatures tell
    done = _verify(target, "--public-key", public_text(signer.public))
    assert done.returncode == 1
    assert "checkpoint FORGED: checkpoint of seq 5" in done.stderr
    other = tmp_path / "other.key"
    create_key_file(other)
    wrong_key = _verify(target, "--public-key", str(other))  # a PEM private key file: its half
    assert wrong_key.returncode == 1 and "2 of 2 checkpoints fail" in wrong_key.stderr


def test_signing_init_makes_a_private_key_and_prints_the_public_one(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    done = runner.invoke(app, ["keys", "signing-init", "--path", str(path)])
    assert done.exit_code == 0, done.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    printed = done.stdout.strip().splitlines()[-1]
    assert len(base64.b64decode(printed)) == 32
    assert public_text(Signer.from_file(path).public) == printed
    assert public_text(load_public_key(printed)) == printed
    again = runner.invoke(app, ["keys", "signing-init", "--path", str(path)])
    assert again.exit_code == 2 and "never overwritten" in again.output


def test_the_embedded_client_signs_its_head_at_close(
    tmp_path: Path, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTAUDIT_SIGNING_KEY", signer.path)
    db = tmp_path / "e.db"
    with AgentAudit(db_path=db) as audit:
        for i in range(3):
            audit.log("a", "web_search", {"query": f"q{i}"})
    store = open_store(db)
    try:
        org = store.find_org("default")
        assert org is not None
        [cp] = store.list_checkpoints(org.id)
        assert cp.seq == 3 and store.verify(org.id).checkpoints == 1
    finally:
        store.close()
    shipped = Path(signer.path + ".checkpoints.jsonl").read_text().splitlines()
    assert json.loads(shipped[0])["seq"] == 3


def test_the_server_signs_serves_and_signs_at_shutdown(tmp_path: Path, signer: Signer) -> None:
    db = tmp_path / "s.db"
    shipped = tmp_path / "shipped.jsonl"
    env = {
        "AGENTAUDIT_SIGNING_KEY": signer.path,
        "AGENTAUDIT_CHECKPOINT_EVENTS": "10",
        "AGENTAUDIT_CHECKPOINT_SECONDS": "3600",
        "AGENTAUDIT_CHECKPOINT_FILE": str(shipped),
    }
    with run_server(db_path=db, env=env) as server:
        assert "checkpoints: signed with key " + signer.key_id in server.output()
        headers = {"Authorization": f"Bearer {server.api_key}"}
        key = httpx.get(f"{server.url}/.well-known/agentaudit/checkpoint-key").json()
        assert key == {
            "algorithm": "Ed25519",
            "key_id": signer.key_id,
            "public_key": public_text(signer.public),
        }
        batch = [{"agent_id": "a", "action": "web_search", "data": {"q": i}} for i in range(12)]
        assert httpx.post(f"{server.url}/v1/events/batch", json={"events": batch}, headers=headers)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            page = httpx.get(f"{server.url}/v1/checkpoints", headers=headers).json()
            if page["checkpoints"]:
                break
            time.sleep(0.2)
        assert [c["seq"] for c in page["checkpoints"]] == [12]  # 12 events >= every 10
        one = {"agent_id": "a", "action": "web_search", "data": {"q": "last"}}
        assert httpx.post(f"{server.url}/v1/events", json=one, headers=headers).status_code == 201
        unauth = httpx.get(f"{server.url}/v1/checkpoints")
        assert unauth.status_code == 401
    lines = [json.loads(line) for line in shipped.read_text().splitlines()]
    assert [c["seq"] for c in lines] == [12, 13]  # the head at shutdown, signed
    done = _verify(
        str(db), "--public-key", public_text(signer.public), "--checkpoints", str(shipped)
    )
    assert done.returncode == 0, done.stderr
    assert "matching 2 checkpoint(s)" in done.stdout


def test_the_well_known_key_is_404_when_signing_is_off(tmp_path: Path) -> None:
    with run_server(db_path=tmp_path / "n.db") as server:
        assert "checkpoints: off" in server.output()
        answer = httpx.get(f"{server.url}/.well-known/agentaudit/checkpoint-key")
        assert answer.status_code == 404 and "signing is off" in answer.json()["detail"]


def test_a_head_signed_by_two_processes_is_stored_and_filed_once(
    target: str, signer: Signer, tmp_path: Path
) -> None:
    store = open_store(target)
    try:
        org = store.create_org("acme").id
        store.append(org, [NewEvent(ev())])
        files = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
        first, second = (Checkpointer(store, signer, file=f) for f in files)
        assert [cp.seq for cp in first.sign_due(all_moved=True)] == [1]
        assert second.sign_due(all_moved=True) == []  # not due: the head is signed
        late = signer.sign(org, 1, store.list_checkpoints(org)[0].hash, "2030-01-01T00:00:00.000Z")
        assert store.add_checkpoints([late]) == []  # a race lost: the first one stays
        assert len(store.list_checkpoints(org)) == 1 and not files[1].exists()
    finally:
        store.close()


def test_a_server_reports_a_rewrite_to_a_remote_verify(tmp_path: Path, signer: Signer) -> None:
    db = tmp_path / "r.db"
    env = {"AGENTAUDIT_SIGNING_KEY": signer.path, "AGENTAUDIT_CHECKPOINT_EVENTS": "5"}
    with run_server(db_path=db, env=env) as server:
        headers = {"Authorization": f"Bearer {server.api_key}"}
        batch = [{"agent_id": "a", "action": "web_search", "data": {"q": i}} for i in range(6)]
        httpx.post(f"{server.url}/v1/events/batch", json={"events": batch}, headers=headers)
        deadline = time.monotonic() + 15
        while not httpx.get(f"{server.url}/v1/checkpoints", headers=headers).json()["checkpoints"]:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        store = open_store(db)
        org = store.find_org("test")
        store.close()
        assert org is not None
        rewrite_consistently(str(db), org.id, 2, "forged")
        answer = httpx.get(f"{server.url}/v1/verify", headers=headers).json()
        assert answer["ok"] is False and answer["checkpoint"].startswith("checkpoint of seq 6")
        done = subprocess.run(
            [AGENTAUDIT, "verify", "--url", server.url, "--api-key", server.api_key],
            capture_output=True,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("AGENTAUDIT_")},
            timeout=60,
        )
        assert done.returncode == 1 and "chain REWRITTEN: checkpoint of seq 6" in done.stderr


# -- verifiable exports -------------------------------------------------------------------------
def _export(target: str, out: Path, *args: str, env: dict[str, str] | None = None) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AGENTAUDIT_")}
    done = subprocess.run(
        [AGENTAUDIT, "export", _flag(target), target, "-o", str(out), *args],
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def _verify_file(path: Path, *keys: str) -> subprocess.CompletedProcess:
    args = [a for k in keys for a in ("--public-key", k)]
    return subprocess.run(
        [AGENTAUDIT, "verify", "--file", str(path), *args],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("AGENTAUDIT_")},
        timeout=120,
    )


def test_an_export_verifies_offline_and_one_altered_byte_names_its_line(
    target: str, signed: tuple[EventStore, str], signer: Signer, tmp_path: Path
) -> None:
    store, org = signed
    erased = store.list_events(org, EventFilter()).events[-2]
    assert store.erase(org, erased.id, actor="dpo")  # seq 9 records it; payloads still verify
    out = tmp_path / "export.jsonl"
    _export(target, out, env={"AGENTAUDIT_SIGNING_KEY": signer.path})
    lines = out.read_bytes().splitlines(keepends=True)
    kinds = [json.loads(line)["type"] for line in lines]
    assert kinds[0] == "agentaudit/export/v1" and kinds[-1] == "agentaudit/export-signature/v1"
    events = [json.loads(line) for line in lines if json.loads(line)["type"] == "event"]
    assert [e["seq"] for e in events] == list(range(1, 10))
    assert all({"seq", "prev_hash", "hash", "payload_digest"} <= set(e) for e in events)
    assert [json.loads(line)["seq"] for line in lines if b"checkpoint/v1" in line] == [5, 8, 9]
    by_id = {e["id"]: e for e in events}
    assert by_id[erased.id]["erased"] and by_id[erased.id]["data"] is None
    key = public_text(signer.public)
    ok = _verify_file(out, key)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith(f"export file: {out} (offline, no store)")
    assert "export OK: seq 1 to 9" in ok.stdout and "matching 3 checkpoint(s)" in ok.stdout
    assert "whole file is signed" in ok.stderr
    # one altered byte, anywhere: a value, a hash, a seq, a checkpoint's signature, the header
    for number, after in [
        (3, b'"action":"step'),
        (4, b'"hash":"'),
        (6, b'"seq":'),
        (len(lines) - 2, b'"signature":"'),  # the checkpoint of seq 9
        (1, b'"org_name":"'),  # bound by the file signature only: that line is named
    ]:
        line = lines[number - 1]
        at = line.index(after) + len(after)
        flipped = b"1" if line[at : at + 1] == b"0" else b"0"
        bad = tmp_path / f"bad{number}.jsonl"
        bad.write_bytes(
            b"".join([*lines[: number - 1], line[:at] + flipped + line[at + 1 :], *lines[number:]])
        )
        done = _verify_file(bad, key)
        assert done.returncode == 1, (number, done.stdout)
        named = len(lines) if number == 1 else number
        assert f"export FAILED at line {named}:" in done.stderr, (number, done.stderr)


def test_an_unsigned_export_still_proves_the_chain_by_its_checkpoints(
    target: str, signed: tuple[EventStore, str], signer: Signer, tmp_path: Path
) -> None:
    out = tmp_path / "plain.jsonl"
    _export(target, out)  # no signing key where the export runs: no file signature
    lines = out.read_bytes().splitlines(keepends=True)
    assert b"export-signature" not in lines[-1]
    key = public_text(signer.public)
    assert _verify_file(out, key).returncode == 0
    # an event edited and every later hash recomputed in the file: the checkpoint tells
    store, org = signed
    rewrite_consistently(target, org, 2, "forged")
    raw_sql(target, "DELETE FROM checkpoints")  # and the store's own evidence gone
    forged = tmp_path / "forged.jsonl"
    _export(target, forged)
    assert b"checkpoint/v1" not in forged.read_bytes()
    with_old = forged.read_bytes() + b"".join(x for x in lines if b"checkpoint/v1" in x)
    header = json.loads(with_old.splitlines()[0])
    assert header["last_seq"] == 8
    (tmp_path / "mixed.jsonl").write_bytes(with_old)
    done = _verify_file(tmp_path / "mixed.jsonl", key)
    assert done.returncode == 1 and "chain REWRITTEN: checkpoint of seq 5" in done.stderr
    assert "line 6:" in done.stderr  # the event at seq 5 is line 6 (after the header)


def test_a_range_export_anchored_at_a_checkpoint_verifies(
    target: str, signed: tuple[EventStore, str], signer: Signer, tmp_path: Path
) -> None:
    store, org = signed
    out = tmp_path / "range.jsonl"
    _export(target, out, "--from-seq", "6", "--to-seq", "8")
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["seq"] for e in lines if e["type"] == "event"] == [6, 7, 8]
    assert lines[0]["prev_hash"] == store.list_checkpoints(org)[0].hash  # the anchor
    done = _verify_file(out, public_text(signer.public))
    assert done.returncode == 0, done.stderr
    assert "anchored at the checkpoint of seq 5" in done.stdout
    unanchored = subprocess.run(
        [AGENTAUDIT, "export", _flag(target), target, "--from-seq", "4"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("AGENTAUDIT_")},
        timeout=120,
    )
    assert unanchored.returncode == 2 and "right after a checkpoint" in unanchored.stderr
    # without the anchor checkpoint in the file, the range proves nothing
    cut = [line for line in out.read_bytes().splitlines(keepends=True) if b'"seq":5,' not in line]
    (tmp_path / "cut.jsonl").write_bytes(b"".join(cut))
    bad = _verify_file(tmp_path / "cut.jsonl", public_text(signer.public))
    assert bad.returncode == 1 and "its anchor" in bad.stderr


# -- a selection: the timeline's filters, verifiable ---------------------------------------------
@pytest.fixture
def two_agents(target: str, signer: Signer, tmp_path: Path) -> Iterator[tuple[EventStore, str]]:
    """seq 1-4 agent a, a checkpoint at 4, then 5 a, 6 b, 7 a, 8 b (b's with an email)."""
    store = open_store(target)
    org = store.create_org("acme").id
    store.append(org, [NewEvent(ev("a", f"step{i}")) for i in range(4)])
    checkpointer = Checkpointer(store, signer, every_events=1, file=tmp_path / "cps.jsonl")
    checkpointer.sign_due()
    later = [ev("a", "s5"), ev("b", "s6", pii=["email"]), ev("a", "s7"), ev("b", "s8")]
    store.append(org, [NewEvent(e) for e in later])
    checkpointer.sign_due(all_moved=True)
    checkpointer.close()
    try:
        yield store, org
    finally:
        store.close()


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _write(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(canonical(line) + "\n" for line in lines))
    return path


def test_a_selection_exports_its_events_with_the_chain_around_them(
    target: str, two_agents: tuple[EventStore, str], signer: Signer, tmp_path: Path
) -> None:
    out = tmp_path / "b.jsonl"
    _export(target, out, "--agent-id", "b")
    lines = _lines(out)
    header, events = lines[0], [x for x in lines if x["type"] == "event"]
    assert header["selection"] == {"filters": {"agent_id": "b"}, "seqs": [6, 8]}
    assert (header["first_seq"], header["last_seq"]) == (5, 8)  # from the checkpoint of seq 4
    assert [(e["seq"], e.get("withheld", False)) for e in events] == [
        (5, True), (6, False), (7, True), (8, False)
    ]  # fmt: skip
    assert events[0]["data"] is None and events[0]["agent_id"] == "a"  # linked, not shown
    assert events[1]["data"] == {"query": "weather in Paris", "n": 1}
    key = public_text(signer.public)
    done = _verify_file(out, key)
    assert done.returncode == 0, done.stderr
    assert "2 selected by agent_id=b" in done.stdout
    pii = tmp_path / "pii.jsonl"
    _export(target, pii, "--pii-type", "email", "--after", "2020-01-01T00:00:00")
    assert _lines(pii)[0]["selection"]["seqs"] == [6]
    assert _verify_file(pii, key).returncode == 0

    # the list of matches can be neither padded nor cut, nor a payload withheld from a match
    def broken(name: str, lines: list[dict]) -> str:
        done = _verify_file(_write(tmp_path / name, lines), key)
        assert done.returncode == 1, name
        return done.stderr

    padded = json.loads(json.dumps(lines))
    padded[0]["selection"]["seqs"] = [5, 6, 8]
    assert "line 2: the selection lists seq 5, which its filters do not match" in broken(
        "padded.jsonl", padded
    )
    cut = json.loads(json.dumps(lines))
    cut[0]["selection"]["seqs"] = [8]
    assert "line 3: seq 6 matches the selection's filters but is not listed" in broken(
        "cut.jsonl", cut
    )
    refiltered = json.loads(json.dumps(lines))
    refiltered[0]["selection"]["filters"] = {"agent_id": "a"}
    assert "line 2:" in broken("refiltered.jsonl", refiltered)
    hidden = json.loads(json.dumps(lines))
    hidden[2] |= {"withheld": True, "data": None, "context": None, "reasoning": None}
    hidden[2]["evidence"] = None
    assert "line 3: seq 6 is selected, but its payload is withheld" in broken(
        "hidden.jsonl", hidden
    )
    shown = json.loads(json.dumps(lines))
    shown[1]["data"] = {"query": "forged"}  # a withheld payload filled in: its digest says no
    del shown[1]["withheld"]
    assert "line 2:" in broken("shown.jsonl", shown)
    unselected = json.loads(json.dumps(lines))
    del unselected[0]["selection"]
    assert "withheld, but the export selects no events" in broken("plain.jsonl", unselected)


def test_a_selection_that_matches_nothing_exports_nothing(
    target: str, two_agents: tuple[EventStore, str], tmp_path: Path
) -> None:
    out = tmp_path / "none.jsonl"
    done = subprocess.run(
        [AGENTAUDIT, "export", _flag(target), target, "-o", str(out), "--agent-id", "nobody"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("AGENTAUDIT_")},
        timeout=120,
    )
    assert done.returncode == 2 and "no event matches agent_id=nobody" in done.stderr
    assert not out.exists()
    bad = subprocess.run(
        [AGENTAUDIT, "export", _flag(target), target, "--risk", "severe"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("AGENTAUDIT_")},
        timeout=120,
    )
    assert bad.returncode == 2 and "severe" in bad.stderr
