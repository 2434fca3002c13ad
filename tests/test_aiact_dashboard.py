"""The dashboard's AI Act pages against a real server, in headless Chromium: register a system
(a bad pattern first: nothing saved, the message next to the field), view it with its linked
calls and suggestion, edit it, see it on an event page, the compliance page, and download the
report and a FRIA. Plain HTTP: sign-in required, CSRF enforced, other organisations' systems 404.
Screenshots go to test-artifacts/ai-act/dashboard/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.live_server import LiveServer, run_server
from tests.test_dashboard import CHROMIUM, CHROMIUM_ARGS, bearer, session_csrf, sign_in

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts" / "ai-act" / "dashboard"


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(db_path=tmp_path_factory.mktemp("aiact-dash") / "d.db") as server:
        for body in (
            {"agent_id": "hr-bot-1", "action": "read_resume", "data": {"email": "a@example.com"}},
            {"agent_id": "hr-bot-1", "action": "run_sql", "data": {"sql": "DROP TABLE staff"}},
        ):
            r = httpx.post(f"{server.url}/v1/events", json=body, headers=bearer(server.api_key))
            assert r.status_code == 201
        yield server


def test_pages_need_sign_in_and_forms_need_the_csrf_token(srv: LiveServer) -> None:
    for path in ("/dashboard/systems", "/dashboard/compliance", "/dashboard/reports/ai-act"):
        r = httpx.get(srv.url + path)
        assert r.status_code == 303 and r.headers["location"].startswith("/dashboard/login")
    client = sign_in(srv.url, srv.api_key)
    r = client.post("/dashboard/systems/new", data={"name": "No token"})
    assert r.status_code == 403
    listed = httpx.get(f"{srv.url}/v1/systems", headers=bearer(srv.api_key)).json()
    assert "No token" not in [s["name"] for s in listed["systems"]]
    r = client.post(
        "/dashboard/systems/new",
        data={
            "name": "By form",
            "csrf_token": session_csrf(client),
            "risk_classification": "minimal",
            "role": "deployer",
            "fria_status": "not_started",
        },
    )
    assert r.status_code == 303
    made = r.headers["location"].split("/")[3].split("?")[0]
    other = sign_in(srv.url, srv.new_key(org="dash-other"))
    assert other.get(f"/dashboard/systems/{made}").status_code == 404
    assert "By form" not in other.get("/dashboard/systems").text


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `bash scripts/install-browser.sh`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def test_browser_register_view_edit_compliance_and_reports(srv: LiveServer, browser) -> None:
    url, key = srv.url, srv.api_key
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    def shot(name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    page.goto(f"{url}/dashboard/login")
    page.fill("#api_key", key)
    page.click("#sign-in")
    page.wait_for_url(re.compile(r".*/dashboard/events"))
    page.click("text=AI systems")
    page.wait_for_url(f"{url}/dashboard/systems")
    page.click("#new-system")

    # a bad pattern: nothing is saved, the message names the line
    page.fill("#name", "HR Screener")
    page.fill("#description", "Screens CVs of job applicants and ranks candidates")
    page.fill("#agent_id_patterns", "hr-bot-*\n**")
    page.click("#save-system")
    assert "single *" in page.inner_text("#system-errors")
    assert "line 2" in page.inner_text("#error-agent_id_patterns")
    assert page.input_value("#name") == "HR Screener"  # what was typed is kept
    shot("01-register-error")
    names = [
        s["name"] for s in httpx.get(f"{url}/v1/systems", headers=bearer(key)).json()["systems"]
    ]
    assert "HR Screener" not in names

    page.fill("#agent_id_patterns", "hr-bot-*")
    page.select_option("#risk_classification", "high")
    page.select_option("#annex_iii_category", "employment")
    page.fill("#fria_next_review", "2027-06-30")
    page.click("#save-system")
    page.wait_for_selector("#system-saved")
    assert page.inner_text("#agents") == "hr-bot-1"
    assert page.inner_text("#system-total") == "2"
    assert page.inner_text("#suggested") == "high"
    assert "employment" in page.inner_text("#suggestion")
    assert page.locator("#system-events tbody tr").count() == 2
    shot("02-system")
    page.click("#only-blocked")
    assert page.locator("#system-events tbody tr").count() == 1
    system_id = page.url.split("/dashboard/systems/")[1].split("?")[0]

    # the event page names the system
    page.click("#system-events a.event-link")
    assert "HR Screener" in page.inner_text("#ai-system")
    shot("03-event-with-system")

    # edit: only what changed changes
    page.goto(f"{url}/dashboard/systems/{system_id}/edit")
    page.select_option("#fria_status", "completed")
    page.fill("#fria_completed_at", "2026-11-01")
    page.check("#contract_has_ai_annex")
    page.click("#save-system")
    page.wait_for_selector("#system-saved")
    got = httpx.get(f"{url}/v1/systems/{system_id}", headers=bearer(key)).json()
    assert got["fria_status"] == "completed" and got["contract_has_ai_annex"] is True
    assert got["annex_iii_category"] == "employment" and got["agent_id_patterns"] == ["hr-bot-*"]
    assert got["fria_next_review"] == "2027-06-30T00:00:00.000Z"

    # compliance, then the report and a FRIA
    page.click("text=Compliance")
    page.wait_for_url(f"{url}/dashboard/compliance")
    assert page.inner_text("#compliance-score").isdigit()
    assert "fria_complete" in page.inner_text("#compliance-checks")
    assert "provider's obligations" in page.inner_text("#next-steps")
    page.click("#verify-now")
    assert (
        "n/a" not in page.locator("#compliance-checks tr", has_text="chain_verified").inner_text()
    )
    shot("04-compliance")
    with page.expect_download() as info:
        page.click("#download-report")
    report = Path(info.value.path()).read_bytes()
    assert report.startswith(b"%PDF-") and info.value.suggested_filename.endswith(".pdf")
    page.goto(f"{url}/dashboard/systems/{system_id}")
    with page.expect_download() as info:
        page.click("#fria-pdf")
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF-")

    # deactivate: gone from the list, kept when asked for
    page.click("#toggle-active")
    page.goto(f"{url}/dashboard/systems")
    assert "HR Screener" not in page.inner_text("#systems")
    page.goto(f"{url}/dashboard/systems?all=1")
    assert "HR Screener" in page.inner_text("#systems")
    shot("05-systems")
    assert problems == []
    context.close()
