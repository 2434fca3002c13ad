"""The dashboard's "Data subjects" page (issue 19 item 4) on a real `agentaudit serve` process:
a signed-in user searches an identifier and sees the events that carried it, linked to their
pages; erasing asks for the value again with a confirmation and erases them through the REST
route's function, showing the count and the chained record. The value is never in a URL, the
page after submission, or the server's output; a form without the CSRF token is refused and a
signed-out user is sent to sign in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.live_server import run_server
from tests.test_dashboard_approvals import CSRF_INPUT, auth, sign_in

JANE = "Jane.Doe@Example.com"
SPELLINGS = ("jane.doe", "JANE.DOE", "Jane.Doe")
CALLS = [
    {"agent_id": "crm", "action": "send_email", "data": {"to": "JANE.DOE@EXAMPLE.COM"}},
    {"agent_id": "crm", "action": "send_email", "data": {"to": "bob.smith@example.org"}},
    {"agent_id": "support", "action": "add_note", "data": {"note": "jane.doe@example.com rang"}},
]


@pytest.fixture
def srv(tmp_path: Path) -> Iterator[Any]:
    with run_server(db_path=tmp_path / "srv.db") as server:
        yield server


def log_calls(srv: Any) -> list[str]:
    ids = []
    for call in CALLS:
        r = httpx.post(f"{srv.url}/v1/events", headers=auth(srv.api_key), json=call)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


def token(client: httpx.Client) -> str:
    page = client.get("/dashboard/subjects")
    assert page.status_code == 200
    return CSRF_INPUT.search(page.text).group(1)  # type: ignore[union-attr]


def no_value(text: str) -> None:
    assert not any(s in text for s in SPELLINGS), "the identifier was written back"


def test_search_lists_the_events_and_erase_erases_them(srv: Any) -> None:
    ids = log_calls(srv)
    jane_ids = [ids[0], ids[2]]
    client = sign_in(srv.url, srv.api_key)
    page = client.get("/dashboard/subjects")
    assert 'href="/dashboard/subjects" aria-current="page"' in page.text  # in the navigation

    found = client.post(
        "/dashboard/subjects",
        data={"csrf_token": token(client), "op": "search", "value": JANE, "type": ""},
    )
    assert found.status_code == 200, found.text
    assert str(found.url).endswith("/dashboard/subjects")  # no query: the value is in no URL
    rows = re.findall(r'<tr class="subject-event">(.*?)</tr>', found.text, re.S)
    assert len(rows) == 2 and 'id="subject-summary">2 events' in found.text
    for row, event_id in zip(rows, jane_ids, strict=True):
        assert f'href="/dashboard/events/{event_id}"' in row and "email" in row
    assert ids[1] not in found.text  # Bob's event is not listed
    assert "bob.smith" not in found.text  # and no payload value is shown
    no_value(found.text)
    assert 'id="subject-erase"' in found.text

    typed = client.post(
        "/dashboard/subjects",
        data={
            "csrf_token": token(client),
            "op": "search",
            "value": "nobody@example.com",
            "type": "email",
        },
    )
    assert (
        '<tr class="subject-event">' not in typed.text
        and 'id="subject-summary">0 events' in typed.text
    )
    unread = client.post(
        "/dashboard/subjects",
        data={"csrf_token": token(client), "op": "search", "value": "no at", "type": "email"},
    )
    assert 'id="subject-unreadable"' in unread.text

    # erasing needs the confirmation; without it nothing is erased
    unconfirmed = client.post(
        "/dashboard/subjects", data={"csrf_token": token(client), "op": "erase", "value": JANE}
    )
    assert unconfirmed.status_code == 422 and 'id="subject-errors"' in unconfirmed.text
    h = auth(srv.api_key)
    assert httpx.get(f"{srv.url}/v1/events/{ids[0]}", headers=h).json()["data"] == CALLS[0]["data"]

    done = client.post(
        "/dashboard/subjects",
        data={"csrf_token": token(client), "op": "erase", "value": JANE, "confirm": "yes"},
    )
    assert done.status_code == 200, done.text
    assert 'id="erasure-summary">Erased 2 payloads' in done.text
    no_value(done.text)
    records = re.findall(r'href="/dashboard/events/([^"]+)" class="erasure-record"', done.text)
    assert len(records) == 1
    for event_id in jane_ids:
        assert f'href="/dashboard/events/{event_id}" class="erased-event"' in done.text
        assert httpx.get(f"{srv.url}/v1/events/{event_id}", headers=h).json()["data"] == {}
    assert httpx.get(f"{srv.url}/v1/events/{ids[1]}", headers=h).json()["data"] == CALLS[1]["data"]
    record = httpx.get(f"{srv.url}/v1/events/{records[0]}", headers=h).json()
    assert record["kind"] == "erasure" and record["data"]["event_ids"] == jane_ids
    assert record["context"]["actor"].startswith("dashboard user, api key ")
    assert httpx.get(f"{srv.url}/v1/verify", headers=h).json()["ok"]
    record_page = client.get(f"/dashboard/events/{records[0]}")  # was a 500 before
    assert record_page.status_code == 200 and 'id="erased-subject-events"' in record_page.text
    assert all(f'href="/dashboard/events/{i}"' in record_page.text for i in jane_ids)

    again = client.post(
        "/dashboard/subjects",
        data={"csrf_token": token(client), "op": "search", "value": JANE},
    )
    assert 'id="subject-summary">0 events' in again.text
    no_value(srv.output())  # nor in the server's logs


def test_csrf_refused_and_signed_out_redirected(srv: Any) -> None:
    ids = log_calls(srv)
    client = sign_in(srv.url, srv.api_key)
    for op in ("search", "erase"):
        r = client.post("/dashboard/subjects", data={"op": op, "value": JANE, "confirm": "yes"})
        assert r.status_code == 403
        r = client.post(
            "/dashboard/subjects",
            data={"op": op, "value": JANE, "confirm": "yes", "csrf_token": "forged"},
        )
        assert r.status_code == 403
    h = auth(srv.api_key)
    assert httpx.get(f"{srv.url}/v1/events/{ids[0]}", headers=h).json()["data"] == CALLS[0]["data"]

    anonymous = httpx.Client(base_url=srv.url, follow_redirects=False, timeout=30)
    r = anonymous.get("/dashboard/subjects")
    assert r.status_code == 303 and "/dashboard/login" in r.headers["location"]
    r = anonymous.post("/dashboard/subjects", data={"op": "erase", "value": JANE, "confirm": "yes"})
    assert r.status_code == 303 and "/dashboard/login" in r.headers["location"]
    assert httpx.get(f"{srv.url}/v1/events/{ids[0]}", headers=h).json()["data"] == CALLS[0]["data"]
