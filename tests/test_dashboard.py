"""The dashboard against a real `agentaudit serve` process: over plain HTTP (sessions, cookies,
CSRF, isolation) and in headless Chromium (sign-in, filtering, a blocked event, the policy).

Chromium is Debian's (/usr/bin/chromium, installed by scripts/install-browser.sh), driven by
Playwright; screenshots go to test-artifacts/dashboard/.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.live_server import LiveServer, cli_command, run_server

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts" / "dashboard"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOW = {"agent_id": "researcher", "action": "web_search", "data": {"query": "weather in Paris"}}
PII = {
    "agent_id": "support-bot",
    "action": "database_query",
    "data": {"query": "SELECT * FROM customers WHERE email = 'jane@example.com'"},
    "reasoning": "Customer requested account information",
}
BLOCKED = {
    "agent_id": "ops-agent",
    "action": "database_query",
    "data": {"query": "DROP TABLE customers"},
}
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass
class Seeded:
    srv: LiveServer
    low: dict
    pii: dict
    blocked: dict


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """One server for the module, with one low, one PII and one blocked event of org "test"."""
    db = tmp_path_factory.mktemp("dashboard") / "s.db"
    with run_server(db_path=db) as srv:
        made = []
        for body in (LOW, PII, BLOCKED):
            r = httpx.post(f"{srv.url}/v1/events", json=body, headers=bearer(srv.api_key))
            assert r.status_code == 201, r.text
            made.append(r.json())
        assert [e["decision"] for e in made] == ["allow", "allow", "block"]
        assert "email" in made[1]["pii_fields"]
        yield Seeded(srv, *made)


def sign_in(url: str, key: str) -> httpx.Client:
    """An HTTP client signed in to the dashboard the way a browser does (form + cookies)."""
    client = httpx.Client(base_url=url, follow_redirects=False, timeout=10)
    page = client.get("/dashboard/login")
    token = CSRF_INPUT.search(page.text).group(1)
    r = client.post("/dashboard/login", data={"api_key": key, "csrf_token": token})
    assert r.status_code == 303, r.text
    return client


def session_csrf(client: httpx.Client) -> str:
    return CSRF_META.search(client.get("/dashboard/events").text).group(1)


# -- plain HTTP ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/dashboard/events", "/dashboard/stats", "/dashboard/policy", "/dashboard/events/x"]
)
def test_signed_out_pages_redirect_to_sign_in(seeded: Seeded, path: str) -> None:
    r = httpx.get(seeded.srv.url + path + "?risk=high")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/dashboard/login?next=")
    assert path in r.headers["location"]  # back to where the user was going, after sign-in


def test_signed_out_verify_is_401_and_key_in_header_is_not_a_session(seeded: Seeded) -> None:
    r = httpx.post(f"{seeded.srv.url}/dashboard/verify", headers=bearer(seeded.srv.api_key))
    assert r.status_code == 401
    r = httpx.get(f"{seeded.srv.url}/dashboard/events", headers=bearer(seeded.srv.api_key))
    assert r.status_code == 303


def test_session_cookie_is_random_httponly_samesite_and_not_the_key(seeded: Seeded) -> None:
    key = seeded.srv.api_key
    client = httpx.Client(base_url=seeded.srv.url, follow_redirects=False)
    page = client.get("/dashboard/login")
    token = CSRF_INPUT.search(page.text).group(1)
    r = client.post(
        "/dashboard/login",
        data={"api_key": key, "csrf_token": token, "next": "/dashboard/stats"},
    )
    assert r.status_code == 303 and r.headers["location"] == "/dashboard/stats"
    cookies = r.headers.get_list("set-cookie")
    session = [c for c in cookies if c.startswith("aa_dash_session=")]
    assert len(session) == 1
    flags = [f.strip().lower() for f in session[0].split(";")]
    assert "httponly" in flags
    assert "samesite=strict" in flags
    assert "path=/dashboard" in flags
    value = session[0].split(";")[0].split("=", 1)[1]
    key_hash = hashlib.sha256(key.encode()).hexdigest()
    assert len(value) >= 40
    assert value != key and value != key_hash
    for header in cookies:  # neither the key nor its hash nor part of them in any cookie
        assert key not in header and key_hash not in header and key[8:24] not in header
    # a second sign-in gets a different session id
    other = sign_in(seeded.srv.url, key)
    assert other.cookies["aa_dash_session"] != value
    assert client.get("/dashboard/events").status_code == 200


def test_sign_in_refuses_a_wrong_key_and_a_missing_or_wrong_csrf_token(seeded: Seeded) -> None:
    url, key = seeded.srv.url, seeded.srv.api_key
    client = httpx.Client(base_url=url, follow_redirects=False)
    token = CSRF_INPUT.search(client.get("/dashboard/login").text).group(1)
    bad = client.post("/dashboard/login", data={"api_key": key[:-4] + "AAAA", "csrf_token": token})
    assert bad.status_code == 401 and "not valid" in bad.text
    assert "aa_dash_session" not in bad.headers.get("set-cookie", "")

    fresh = httpx.Client(base_url=url, follow_redirects=False)
    fresh.get("/dashboard/login")  # has the login CSRF cookie, but the form omits the token
    r = fresh.post("/dashboard/login", data={"api_key": key})
    assert r.status_code == 403 and "aa_dash_session" not in r.headers.get("set-cookie", "")
    r = fresh.post("/dashboard/login", data={"api_key": key, "csrf_token": "forged" * 8})
    assert r.status_code == 403
    # a token without its cookie (a cross-site form cannot set one) is refused too
    stranger = httpx.Client(base_url=url, follow_redirects=False)
    r = stranger.post("/dashboard/login", data={"api_key": key, "csrf_token": token})
    assert r.status_code == 403
    assert fresh.get("/dashboard/events").status_code == 303


def test_forms_without_the_session_csrf_token_change_nothing(seeded: Seeded) -> None:
    url, key = seeded.srv.url, seeded.srv.api_key
    client = sign_in(url, key)
    before = httpx.get(f"{url}/v1/org/policy", headers=bearer(key)).json()
    change = {"block_on": "low", "store_min_risk": "low", "money_critical_threshold": "1"}
    assert client.post("/dashboard/policy", data=change).status_code == 403
    assert (
        client.post("/dashboard/policy", data={**change, "csrf_token": "x" * 43}).status_code == 403
    )
    assert httpx.get(f"{url}/v1/org/policy", headers=bearer(key)).json() == before
    # another session's token does not do either
    other_token = session_csrf(sign_in(url, key))
    r = client.post("/dashboard/policy", data={**change, "csrf_token": other_token})
    assert r.status_code == 403
    assert httpx.get(f"{url}/v1/org/policy", headers=bearer(key)).json() == before

    assert client.post("/dashboard/logout", data={"next": "/"}).status_code == 403
    assert client.get("/dashboard/events").status_code == 200  # still signed in
    assert client.post("/dashboard/verify").status_code == 403
    ok = client.post("/dashboard/verify", headers={"X-CSRF-Token": session_csrf(client)})
    assert ok.status_code == 200 and ok.json()["ok"] is True


def test_sign_out_ends_the_session_on_the_server(seeded: Seeded) -> None:
    client = sign_in(seeded.srv.url, seeded.srv.api_key)
    stolen = client.cookies["aa_dash_session"]
    r = client.post("/dashboard/logout", data={"csrf_token": session_csrf(client)})
    assert r.status_code == 303 and r.headers["location"] == "/dashboard/login"
    replay = httpx.get(f"{seeded.srv.url}/dashboard/events", cookies={"aa_dash_session": stolen})
    assert replay.status_code == 303  # the old id is worthless even if someone kept it


def test_another_organisations_event_is_404(seeded: Seeded) -> None:
    url = seeded.srv.url
    other_key = seeded.srv.new_key(org="other-org")
    theirs = httpx.post(
        f"{url}/v1/events",
        json={"agent_id": "their-secret-agent", "action": "web_search", "data": {"q": "x"}},
        headers=bearer(other_key),
    ).json()
    client = sign_in(url, seeded.srv.api_key)
    r = client.get(f"/dashboard/events/{theirs['id']}")
    assert r.status_code == 404
    assert "their-secret-agent" not in r.text
    assert "their-secret-agent" not in client.get("/dashboard/events").text
    assert client.get("/dashboard/events/no-such-event").status_code == 404
    mine = client.get(f"/dashboard/events/{seeded.low['id']}")
    assert mine.status_code == 200 and "researcher" in mine.text
    theirs_client = sign_in(url, other_key)
    assert theirs_client.get(f"/dashboard/events/{theirs['id']}").status_code == 200
    assert theirs_client.get(f"/dashboard/events/{seeded.low['id']}").status_code == 404


def test_revoking_the_key_ends_its_sessions(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with run_server(db_path=db) as srv:
        client = sign_in(srv.url, srv.api_key)
        assert client.get("/dashboard/events").status_code == 200
        done = subprocess.run(
            [*cli_command(), "keys", "revoke", srv.api_key[:16], "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert client.get("/dashboard/events").status_code == 303


def test_pages_forbid_foreign_scripts_and_are_not_cached(seeded: Seeded) -> None:
    client = sign_in(seeded.srv.url, seeded.srv.api_key)
    for path in ("/dashboard/events", "/dashboard/stats", "/dashboard/policy"):
        r = client.get(path)
        assert r.status_code == 200
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert r.headers["cache-control"] == "no-store"
        for ref in re.findall(r'(?:src|href)="([^"]+)"', r.text):
            assert ref.startswith("/"), f"{path} refers to {ref}"  # same origin only
    assert client.get("/dashboard/static/dashboard.js").status_code == 200
    assert client.get("/dashboard/static/..%2Fapp.py").status_code == 404


def test_timeline_filters_and_bad_filter_messages(seeded: Seeded) -> None:
    client = sign_in(seeded.srv.url, seeded.srv.api_key)

    def ids(query: str) -> set[str]:
        page = client.get(f"/dashboard/events?{query}")
        assert page.status_code == 200
        return set(re.findall(r'href="/dashboard/events/([0-9A-Z]{26})"', page.text))

    everything = {seeded.low["id"], seeded.pii["id"], seeded.blocked["id"]}
    assert everything <= ids("")
    assert ids("decision=block") == {seeded.blocked["id"]}
    assert ids("pii=email") == {seeded.pii["id"]}
    assert ids("agent=researcher") == {seeded.low["id"]}
    assert ids("action=database_query&decision=allow") == {seeded.pii["id"]}
    assert ids(f"risk={seeded.blocked['risk_level']}&agent=ops-agent") == {seeded.blocked["id"]}
    assert ids("after=2999-01-01T00:00") == set()
    assert everything <= ids("after=2000-01-01T00:00&before=2999-01-01T00:00")
    bad = client.get("/dashboard/events?after=yesterday&risk=extreme")
    assert bad.status_code == 200
    assert "after is not a date and time" in bad.text and "risk must be one of" in bad.text


# -- in the browser ------------------------------------------------------------------------------
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


def test_browser_sign_in_filter_blocked_event_policy_sign_out(seeded: Seeded, browser) -> None:
    url, key = seeded.srv.url, seeded.srv.api_key
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    expected = {  # the pages answered these on purpose: a wrong key, a policy that does not validate
        "Failed to load resource: the server responded with a status of 401 (Unauthorized)",
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)",
    }
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    def shot(name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    # sign-in: a signed-out visit lands on the form, and returns to the page asked for
    page.goto(f"{url}/dashboard/events")
    assert "/dashboard/login" in page.url
    page.fill("#api_key", "aa_live_" + "x" * 43)
    page.click("#sign-in")
    assert "not valid" in page.inner_text("#login-error")
    page.fill("#api_key", key)
    shot("01-sign-in")
    page.click("#sign-in")
    page.wait_for_url(f"{url}/dashboard/events")
    rows = page.locator("table#events tbody tr")
    assert rows.count() >= 3
    assert page.locator("text=ops-agent").count() >= 1
    shot("02-timeline")
    assert all(c["httpOnly"] for c in context.cookies() if c["name"].startswith("aa_dash"))
    assert page.evaluate("document.cookie") == ""  # scripts cannot read the session

    # filtering: blocked only, then PII type email
    page.select_option("select[name=decision]", "block")
    page.click("#apply-filters")
    page.wait_for_url(re.compile(r".*decision=block.*"))
    assert rows.count() == 1
    assert "ops-agent" in rows.first.inner_text()
    shot("03-filter-blocked")
    page.goto(f"{url}/dashboard/events")
    page.select_option("select[name=pii]", "email")
    page.click("#apply-filters")
    page.wait_for_url(re.compile(r".*pii=email.*"))
    assert rows.count() == 1 and "support-bot" in rows.first.inner_text()
    shot("04-filter-pii-email")

    # the blocked event: reason, rule, articles with titles, chain place and live verify
    page.goto(f"{url}/dashboard/events?decision=block")
    page.click("table#events tbody tr >> a.event-link")
    page.wait_for_url(f"{url}/dashboard/events/{seeded.blocked['id']}")
    assert page.inner_text("#block-reason") == seeded.blocked["reason"]
    assert page.inner_text("#fired-rule").strip() != ""
    assert "Human oversight" in page.inner_text("#articles")  # AI Act Art. 14, on every block
    assert page.inner_text("#chain-seq").startswith("3 of ")
    assert "OK" in page.inner_text("#link-status")
    page.click("#verify-chain")
    page.wait_for_selector("#verify-result.ok")
    assert "chain OK" in page.inner_text("#verify-result")
    shot("05-blocked-event")

    page.goto(f"{url}/dashboard/stats")
    assert int(page.inner_text("#blocked-events").replace(",", "")) >= 1
    assert page.locator("svg.chart").count() >= 3
    assert "email" in page.inner_text("#pii-types")
    shot("06-statistics")

    # the policy: a validation error first (nothing saved), then a real change
    page.goto(f"{url}/dashboard/policy")
    page.fill("#retention_days", "30")
    page.click("#save-policy")
    assert "at least 183" in page.inner_text("#policy-errors")
    assert page.locator("#error-retention_days").count() == 1
    shot("07-policy-validation-error")
    assert httpx.get(f"{url}/v1/org/policy", headers=bearer(key)).json()["retention_days"] is None
    page.fill("#retention_days", "365")
    page.select_option("#block_on", "high")
    page.fill("#blocked_actions", "shell_*")
    page.click("#save-policy")
    page.wait_for_selector("#policy-saved")
    shot("08-policy-saved")
    policy = httpx.get(f"{url}/v1/org/policy", headers=bearer(key)).json()
    assert policy["block_on"] == "high"
    assert policy["blocked_actions"] == ["shell_*"]
    assert policy["retention_days"] == 365
    shell = {"agent_id": "ops-agent", "action": "shell_exec", "data": {"cmd": "ls"}}
    r = httpx.post(f"{url}/v1/events", json=shell, headers=bearer(key))
    assert r.json()["decision"] == "block"  # the new policy is the one that decides

    # sign-out: back to the form, and the pages are closed again
    page.click("#sign-out")
    page.wait_for_url(re.compile(r".*/dashboard/login.*"))
    page.goto(f"{url}/dashboard/policy")
    assert "/dashboard/login" in page.url
    shot("09-signed-out")

    # offline: everything the browser fetched came from this server, and nothing was refused
    foreign = [u for u in requests if not u.startswith(url)]
    assert foreign == []
    assert any(u.startswith(f"{url}/dashboard/static/dashboard.css") for u in requests)
    assert [p for p in problems if p not in expected] == []  # e.g. no CSP refusal, no JS error
    context.close()
