"""API keys: format, hash-only storage, the `keys` commands, and the first-start key of `serve`."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import httpx

from agentaudit.server.keys import create_key, hash_key, org_for_key, well_formed
from agentaudit.store import open_store
from tests.support.live_server import LiveServer, cli_command, free_port


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*cli_command(), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_keys_are_long_random_and_only_their_hash_is_stored(db_path: Path) -> None:
    store = open_store(db_path)
    try:
        a, b = create_key(store, "acme"), create_key(store, "acme")
        assert re.fullmatch(r"aa_live_[A-Za-z0-9_-]{32,}", a.key)
        assert a.key != b.key and a.info.org_id == b.info.org_id
        assert org_for_key(store, a.key) == a.info.org_id
        assert org_for_key(store, a.key + "x") is None
        assert org_for_key(store, None) is None and org_for_key(store, "") is None
    finally:
        store.close()
    with sqlite3.connect(db_path) as conn:
        dump = "\n".join(conn.iterdump())
    assert a.key not in dump and a.key[8:] not in dump
    assert hash_key(a.key) in dump


def test_malformed_keys_are_refused_before_any_lookup() -> None:
    assert well_formed("aa_live_" + "A" * 43)
    for bad in ("", "aa_live_short", "aa_test_" + "A" * 43, "aa_live_" + "!" * 43, "x" * 5000):
        assert not well_formed(bad)


def test_keys_commands_create_list_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "keys.db")
    created = run_cli("keys", "create", "--org", "acme", "--name", "ci", "--db", db)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert well_formed(key)
    listed = run_cli("keys", "list", "--db", db)
    assert listed.returncode == 0
    assert key[:16] in listed.stdout and key not in listed.stdout and "acme" in listed.stdout
    assert run_cli("keys", "list", "--org", "nobody", "--db", db).returncode == 2
    revoked = run_cli("keys", "revoke", key[:16], "--db", db)
    assert revoked.returncode == 0, revoked.stderr
    again = run_cli("keys", "revoke", key[:16], "--db", db)
    assert again.returncode == 1 and "no active key" in again.stderr
    store = open_store(db)
    try:
        assert org_for_key(store, key) is None
        assert store.list_api_keys()[0].revoked_at is not None
    finally:
        store.close()


def test_first_start_on_an_empty_store_prints_a_key_once(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    port = free_port()
    srv = _bare_server(db, port)  # no key made beforehand: the store stays empty
    srv.start()
    try:
        first = srv.output()
        keys = re.findall(r"aa_live_[A-Za-z0-9_-]{32,}", first)
        assert len(keys) == 1, first
        r = httpx.get(f"{srv.url}/v1/events", headers={"Authorization": f"Bearer {keys[0]}"})
        assert r.status_code == 200
    finally:
        srv.stop()
    srv.start()
    try:
        assert not re.findall(r"aa_live_", srv.output())
    finally:
        srv.stop()


def _bare_server(db: Path, port: int) -> LiveServer:
    """A LiveServer that does not create the org "test" key first."""

    class Bare(LiveServer):
        def new_key(self, org: str = "other") -> str:
            return "" if org == "test" else super().new_key(org)

    return Bare(db_path=db, port=port)


def test_serve_refuses_a_schema_behind_the_code(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    open_store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    done = run_cli("serve", "--db", str(db), "--port", str(free_port()))
    assert done.returncode == 2
    assert "agentaudit db upgrade" in done.stderr


def test_serve_rejects_db_and_database_url_together(tmp_path: Path) -> None:
    done = run_cli("serve", "--db", str(tmp_path / "x.db"), "--database-url", "postgresql://x/y")
    assert done.returncode == 2 and "not both" in done.stderr
