"""The dashboard's replay page (issue 21 item 5) on a real `agentaudit serve` process: a
candidate typed as JSON is replayed on the stored calls and the page shows the same counts as
`POST /v1/policy/replay`; bad JSON or a bad field is a 422 naming it; nothing is changed; the
form needs the session's CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.live_server import run_server
from tests.test_dashboard_approvals import CSRF_INPUT, auth, sign_in

CALLS = [
    {"agent_id": "ops-prod", "action": "run_sql", "data": {"sql": "ALTER TABLE t ADD COLUMN c int"}},
    {"agent_id": "ops-prod", "action": "run_sql", "data": {"sql": "UPDATE t SET c = 1 WHERE id = 2"}},
    {"agent_id": "ci-bot", "action": "web_search", "data": {"query": "weather in Lyon"}},
]  # fmt: skip


@pytest.fixture
def srv(tmp_path: Path) -> Iterator[Any]:
    with run_server(db_path=tmp_path / "srv.db") as server:
        for call in CALLS:
            r = httpx.post(f"{server.url}/v1/events", headers=auth(server.api_key), json=call)
            assert r.status_code == 201, r.text
        yield server


def _form(client: httpx.Client) -> str:
    page = client.get("/dashboard/replay")
    assert page.status_code == 200
    return CSRF_INPUT.search(page.text).group(1)  # type: ignore[union-attr]


def test_the_page_shows_what_the_api_reports_and_changes_nothing(srv: Any) -> None:
    candidate = '{"block_on": "high"}'
    api = httpx.post(
        f"{srv.url}/v1/policy/replay",
        headers=auth(srv.api_key),
        json={"policy": {"block_on": "high"}},
    ).json()
    assert api["replayed"] == 3
    flips = api["changes"]["allow_to_block"]["count"]
    assert flips >= 1  # the schema change is high: blocked under the candidate
    client = sign_in(srv.url, srv.api_key)
    before = httpx.get(f"{srv.url}/v1/org/policy", headers=auth(srv.api_key)).json()
    r = client.post("/dashboard/replay", data={"policy": candidate, "csrf_token": _form(client)})
    assert r.status_code == 200, r.text
    summary = re.search(r'<p id="replay-summary">(.*?)</p>', r.text, re.S)
    assert summary is not None and "3 calls replayed" in summary.group(1)
    section = re.search(r'id="change-allow_to_block">\s*<h4>(.*?)</h4>', r.text, re.S)
    assert section is not None and section.group(1).endswith(f": {flips}")
    for example in api["changes"]["allow_to_block"]["examples"]:
        assert f"/dashboard/events/{example}" in r.text
    assert httpx.get(f"{srv.url}/v1/org/policy", headers=auth(srv.api_key)).json() == before
    verify = httpx.get(f"{srv.url}/v1/verify", headers=auth(srv.api_key)).json()
    assert verify["ok"] is True


def test_bad_candidates_are_refused_naming_what_is_wrong(srv: Any) -> None:
    client = sign_in(srv.url, srv.api_key)
    token = _form(client)
    r = client.post("/dashboard/replay", data={"policy": "{block_on: high", "csrf_token": token})
    assert r.status_code == 422 and "policy: not JSON" in r.text
    r = client.post(
        "/dashboard/replay", data={"policy": '{"block_on": "severe"}', "csrf_token": token}
    )
    assert r.status_code == 422 and "policy.block_on" in r.text
    r = client.post(
        "/dashboard/replay", data={"policy": "{}", "since": "yesterday", "csrf_token": token}
    )
    assert r.status_code == 422 and "since" in r.text


def test_the_form_needs_the_session_and_its_csrf_token(srv: Any) -> None:
    client = sign_in(srv.url, srv.api_key)
    r = client.post("/dashboard/replay", data={"policy": "{}"})
    assert r.status_code == 403
    anonymous = httpx.Client(base_url=srv.url, follow_redirects=False)
    assert anonymous.get("/dashboard/replay").status_code in (302, 303)
