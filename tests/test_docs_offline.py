"""/docs and /redoc render from the server alone: a real `agentaudit serve` process, headless
Chromium (Debian's, as in test_dashboard.py) with every request to another host refused."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.live_server import LiveServer, run_server
from tests.test_dashboard import ARTIFACTS as DASHBOARD_ARTIFACTS
from tests.test_dashboard import browser  # noqa: F401  (the module's Chromium, a fixture)

REPO = Path(__file__).resolve().parent.parent
VENDOR = REPO / "core" / "agentaudit" / "server" / "vendor"
ARTIFACTS = DASHBOARD_ARTIFACTS.parent / "docs"
FOREIGN = re.compile(r"""(src|href)=["']?(https?:)?//""")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(db_path=tmp_path_factory.mktemp("docs") / "d.db") as srv:
        yield srv


def test_the_start_up_banner_names_the_dashboard_and_the_docs(server: LiveServer) -> None:
    out = server.output()
    assert f"{server.url}/dashboard" in out
    assert f"{server.url}/docs" in out and f"{server.url}/redoc" in out


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_pages_load_nothing_from_another_host(server: LiveServer, page: str) -> None:
    r = httpx.get(server.url + page)
    html = r.text
    assert FOREIGN.search(html) is None, html  # no CDN, no Google Fonts, no remote favicon
    assert "img-src 'self' data:" in r.headers["content-security-policy"]
    if page == "/docs":
        assert '"validatorUrl": null' in html  # Swagger UI would send the spec's URL out
    for asset in re.findall(r"""(?:src|href)=["']?([^"' >]+)""", html):
        r = httpx.get(server.url + asset)
        assert r.status_code == 200, asset
        assert len(r.content) > 0


def test_the_vendored_files_are_the_registrys_with_their_licences() -> None:
    """vendor/README.md records each file's SHA-256 as fetched from npm."""
    readme = (VENDOR / "README.md").read_text()
    recorded = dict(re.findall(r"\| `([\w./-]+)` \| `([0-9a-f]{64})` \|", readme))
    shipped = {
        str(p.relative_to(VENDOR)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in VENDOR.glob("*/*")
    }
    assert shipped == recorded
    assert {"swagger-ui/LICENSE", "swagger-ui/NOTICE", "redoc/LICENSE"} <= set(shipped)


def offline_page(chromium, url: str) -> tuple:
    """A page whose requests to anything but `url` fail as with no network; what was refused
    and what went wrong in the page are collected."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    refused: list[str] = []
    problems: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(url + "/"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort("internetdisconnected")

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return context, page, refused, problems


def test_swagger_ui_renders_offline(server: LiveServer, browser) -> None:  # noqa: F811
    context, page, refused, problems = offline_page(browser, server.url)
    page.goto(f"{server.url}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "AgentAudit" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(p.replace("\u200b", "") == "/v1/events" for p in paths), paths
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "swagger-ui.png"), full_page=False)
    assert refused == [] and problems == []
    context.close()


# ReDoc's sidebar shows Redocly's logo from a CDN; the page's CSP stops the request before it
# leaves the browser (ReDoc then hides the image), which the browser reports as this error.
REDOC_LOGO_REFUSED = (
    "Loading the image 'https://cdn.redoc.ly/redoc/logo-mini.svg' violates the following "
    "Content Security Policy directive"
)


def test_redoc_renders_offline(server: LiveServer, browser) -> None:  # noqa: F811
    context, page, refused, problems = offline_page(browser, server.url)
    page.goto(f"{server.url}/redoc")
    page.wait_for_selector("h1", timeout=20_000)
    assert "AgentAudit" in page.inner_text("h1")
    page.wait_for_selector("[data-section-id^='tag/events']")
    assert "/v1/events" in page.inner_text("body")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "redoc.png"), full_page=False)
    assert refused == []
    assert [p for p in problems if not p.startswith(REDOC_LOGO_REFUSED)] == []
    context.close()
