"""The AI Act reports, made with the real command line from a real trail: the HTML renders in
headless Chromium without fetching anything, the PDF opens and its text can be extracted, and
both say what the trail holds (per-system activity, blocked and critical calls, policy history,
the chain's verification). Screenshots go to test-artifacts/ai-act/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from typer.testing import CliRunner

from agentaudit.aiact.models import AISystemIn
from agentaudit.aiact.service import AiActService
from agentaudit.cli import app
from agentaudit.models import EventIn
from agentaudit.service import AuditService
from agentaudit.store import open_store
from tests.test_dashboard import CHROMIUM, CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts" / "ai-act"
runner = CliRunner()


@dataclass
class Trail:
    db: Path
    hr_id: str
    support_id: str


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Trail:
    db = tmp_path_factory.mktemp("report") / "r.db"
    store = open_store(db)
    try:
        org = store.ensure_org("default").id
        audit, ai = AuditService(store), AiActService(store)
        audit.update_policy(org, {"retention_days": 365}, source="test")
        audit.update_policy(org, {"block_on": "high"}, source="dashboard")
        hr = ai.create(
            org,
            AISystemIn(
                name="HR Screener",
                vendor="HireCo",
                description="Screens CVs of job applicants",
                agent_id_patterns=["hr-bot-*"],
                risk_classification="high",
                annex_iii_category="employment",
                fria_status="in_progress",
                fria_next_review="2027-03-01",
            ),
        )
        support = ai.create(
            org,
            AISystemIn(
                name="Support bot — Zürich",
                description="Chatbot answering customers",
                agent_id_patterns=["support-*"],
                risk_classification="limited",
                contract_has_ai_annex=True,
                provider_obligations_documented=True,
            ),
        )
        audit.record(
            org,
            [
                EventIn(
                    agent_id="hr-bot-1",
                    action="read_resume",
                    data={"candidate_email": "jane@example.com"},
                ),
                EventIn(
                    agent_id="hr-bot-1", action="run_sql", data={"sql": "DROP TABLE applicants"}
                ),
                EventIn(
                    agent_id="support-7",
                    action="send_email",
                    data={"to": "joe@example.com", "body": "Your order shipped"},
                ),
                EventIn(agent_id="shadow-agent", action="web_search", data={"q": "weather"}),
            ],
        )
    finally:
        store.close()
    return Trail(db, hr.id, support.id)


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


def _cli(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


def _open_offline(browser, path: Path, shot: str):
    """Open a file in Chromium; return the page and every URL it requested."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    assert errors == []
    assert [u for u in requested if not u.startswith("file://")] == []  # self-contained
    return page


def test_html_report_renders_in_chromium_and_shows_the_trail(
    trail: Trail, tmp_path: Path, browser
) -> None:
    out = tmp_path / "report.html"
    _cli("report", "ai-act", "--format", "html", "-o", str(out), "--db", str(trail.db))
    page = _open_offline(browser, out, "report.png")
    assert page.title().startswith("EU AI Act compliance report")
    assert page.locator("svg.chart").count() >= 4  # overall and per system, as in the dashboard
    checks = page.inner_text("#checks")
    assert "fria_complete" in checks and "Art. 27" in checks and "fail" in checks
    assert "HR Screener" in page.inner_text("#register")
    assert "Support bot — Zürich" in page.inner_text("#register")
    hr = page.inner_text(f"#system-{trail.hr_id}")
    assert "read_resume" in hr and "run_sql" in hr
    assert page.locator(f"#blocked-{trail.hr_id} tbody tr").count() == 1
    assert "shadow-agent" in page.inner_text("#unlinked")  # an agent no system claims
    assert "Human oversight" in page.inner_text("#articles")
    assert page.locator("#policy-history tbody tr").count() == 2
    assert "block_on" in page.inner_text("#policy-history")
    assert "chain OK" in page.inner_text("#chain-result")
    assert "365 days" in page.inner_text("#retention")
    assert "fria review" in page.inner_text("#deadlines")
    page.close()


def test_pdf_report_opens_and_its_text_is_extractable(trail: Trail, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    _cli("report", "ai-act", "-o", str(out), "--db", str(trail.db))
    assert out.read_bytes().startswith(b"%PDF-")
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) >= 2
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        assert pdf.metadata.get("Title") == "EU AI Act compliance report"
    for expected in (
        "EU AI Act compliance report",
        "HR Screener",
        "Support bot — Zürich",  # Unicode survives
        "fria_complete",
        "Register of AI systems",
        "shadow-agent",
        "Policy history",
        "chain OK",
        "read_resume",
    ):
        assert expected in text, expected
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report.pdf").write_bytes(out.read_bytes())


def test_fria_in_html_and_pdf(trail: Trail, tmp_path: Path, browser) -> None:
    html, pdf_path = tmp_path / "fria.html", tmp_path / "fria.pdf"
    _cli("report", "fria", trail.hr_id, "--format", "html", "-o", str(html), "--db", str(trail.db))
    _cli("report", "fria", trail.hr_id, "-o", str(pdf_path), "--db", str(trail.db))
    page = _open_offline(browser, html, "fria.png")
    assert "HR Screener" in page.inner_text("#cover")
    assert "email" in page.inner_text("#c")  # persons affected: the PII types seen
    assert "block_on high" in page.inner_text("#oversight-rules")
    assert page.locator(".todo").count() >= 4  # what only the deployer can write is marked
    page.close()
    with pdfplumber.open(pdf_path) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Fundamental-rights impact assessment" in text and "HR Screener" in text
    assert "(e) Human oversight measures" in text


def test_report_command_errors(trail: Trail, tmp_path: Path) -> None:
    bad = runner.invoke(app, ["report", "ai-act", "--format", "docx", "--db", str(trail.db)])
    assert bad.exit_code == 2 and "pdf or html" in bad.output
    bad = runner.invoke(app, ["report", "ai-act", "--from", "yesterday", "--db", str(trail.db)])
    assert bad.exit_code == 2 and "--from" in bad.output
    missing = runner.invoke(app, ["report", "fria", "nope", "--db", str(trail.db)])
    assert missing.exit_code == 2 and "no AI system" in missing.output


def test_names_with_control_characters_do_not_break_the_pdf(tmp_path: Path) -> None:
    """Agent and action names are callers' text: the charts' SVG must still parse."""
    db = tmp_path / "c.db"
    store = open_store(db)
    try:
        org = store.ensure_org("default").id
        AuditService(store).record(
            org, [EventIn(agent_id="bad\x01agent\x7f", action="act\x02ion", data={})]
        )
    finally:
        store.close()
    out = tmp_path / "c.pdf"
    _cli("report", "ai-act", "-o", str(out), "--db", str(db))
    with pdfplumber.open(out) as pdf:
        assert "bad?agent?" in "\n".join(p.extract_text() or "" for p in pdf.pages)


def test_a_long_policy_still_fits_the_pdf(tmp_path: Path) -> None:
    """A table row must fit on one page: a policy with hundreds of patterns is cut, not lost."""
    db = tmp_path / "p.db"
    store = open_store(db)
    try:
        org = store.ensure_org("default").id
        patterns = [f"very_long_action_pattern_number_{i:04d}_*" for i in range(600)]
        AuditService(store).update_policy(org, {"blocked_actions": patterns})
    finally:
        store.close()
    out = tmp_path / "p.pdf"
    _cli("report", "ai-act", "-o", str(out), "--db", str(db))
    with pdfplumber.open(out) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "more characters)" in text and "blocked_actions (600)" in text
