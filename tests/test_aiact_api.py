"""The AI Act register over REST against a real server process, and the store under it on real
SQLite and PostgreSQL: systems (create, list, get, partial update, soft delete, errors,
organisations kept apart), events linked by agent patterns at read time, the suggestion, the
compliance status and the report downloads; the SDK (sync and async) against the same server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from agentaudit import AgentAudit, AsyncAgentAudit
from agentaudit.aiact.models import AISystemIn
from agentaudit.errors import NotFoundError, ValidationError
from agentaudit.models import EventIn
from agentaudit.service import AuditService
from agentaudit.store import open_store
from tests.support.live_server import LiveServer, run_server
from tests.test_store import create_pg_database

UPSTREAM_CHECKS = (
    "all_classified",
    "no_prohibited",
    "fria_complete",
    "contracts_reviewed",
    "retention_compliant",
)


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(db_path=tmp_path_factory.mktemp("aiact") / "s.db") as server:
        yield server


def _post_events(srv: LiveServer, *bodies: dict) -> list[dict]:
    out = []
    for body in bodies:
        r = httpx.post(f"{srv.url}/v1/events", json=body, headers=auth(srv.api_key))
        assert r.status_code == 201, r.text
        out.append(r.json())
    return out


def test_register_create_list_get_update_delete(srv: LiveServer) -> None:
    url, h = srv.url, auth(srv.api_key)
    r = httpx.post(f"{url}/v1/systems", json={"name": "Invoice helper"}, headers=h)
    assert r.status_code == 201, r.text
    made = r.json()
    assert len(made["id"]) == 26 and made["is_active"] is True
    assert made["created_at"].endswith("Z") and made["updated_at"] == made["created_at"]
    defaults = {  # upstream's defaults
        "vendor": "",
        "description": "",
        "use_case": "",
        "agent_id_patterns": [],
        "risk_classification": "unclassified",
        "classification_rationale": "",
        "annex_iii_category": None,
        "role": "deployer",
        "contract_has_ai_annex": False,
        "provider_obligations_documented": False,
        "contract_notes": "",
        "fria_status": "not_started",
        "fria_completed_at": None,
        "fria_next_review": None,
        "next_review_date": None,
    }
    assert {k: made[k] for k in defaults} == defaults
    listed = httpx.get(f"{url}/v1/systems", headers=h).json()
    assert made["id"] in [s["id"] for s in listed["systems"]]
    assert listed["total"] == len(listed["systems"])
    assert httpx.get(f"{url}/v1/systems/{made['id']}", headers=h).json() == made

    r = httpx.put(
        f"{url}/v1/systems/{made['id']}",
        json={"risk_classification": "minimal", "fria_next_review": "2027-01-31"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["risk_classification"] == "minimal"
    assert changed["fria_next_review"] == "2027-01-31T00:00:00.000Z"
    assert changed["name"] == "Invoice helper"  # untouched
    assert changed["updated_at"] > made["updated_at"]
    r = httpx.patch(f"{url}/v1/systems/{made['id']}", json={"fria_next_review": None}, headers=h)
    assert r.json()["fria_next_review"] is None

    r = httpx.delete(f"{url}/v1/systems/{made['id']}", headers=h)
    assert r.status_code == 204 and r.content == b""
    ids = [s["id"] for s in httpx.get(f"{url}/v1/systems", headers=h).json()["systems"]]
    assert made["id"] not in ids
    everything = httpx.get(f"{url}/v1/systems?include_inactive=true", headers=h).json()
    kept = [s for s in everything["systems"] if s["id"] == made["id"]]
    assert kept and kept[0]["is_active"] is False  # soft delete: kept for the trail
    r = httpx.put(f"{url}/v1/systems/{made['id']}", json={"is_active": True}, headers=h)
    assert r.json()["is_active"] is True


def test_bad_input_is_a_clear_error_and_nothing_is_saved(srv: LiveServer) -> None:
    url, h = srv.url, auth(srv.api_key)
    r = httpx.post(
        f"{url}/v1/systems", json={"name": "X", "risk_classification": "huge"}, headers=h
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "risk_classification"]
    r = httpx.post(f"{url}/v1/systems", json={"name": "X", "colour": "red"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "colour"]
    r = httpx.post(f"{url}/v1/systems", json={"vendor": "no name"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "name"]
    r = httpx.post(f"{url}/v1/systems", json={"name": "X", "agent_id_patterns": ["**"]}, headers=h)
    assert r.status_code == 422 and "single *" in r.text
    r = httpx.post(
        f"{url}/v1/systems", content=b"{nope", headers={**h, "Content-Type": "application/json"}
    )
    assert r.status_code == 400
    made = httpx.post(f"{url}/v1/systems", json={"name": "Stable"}, headers=h).json()
    r = httpx.put(
        f"{url}/v1/systems/{made['id']}",
        json={"vendor": "New vendor", "annex_iii_category": "astrology"},
        headers=h,
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "annex_iii_category"]
    assert httpx.get(f"{url}/v1/systems/{made['id']}", headers=h).json()["vendor"] == ""
    assert httpx.get(f"{url}/v1/systems/01NOSUCHSYSTEM0000000000000", headers=h).status_code == 404
    assert httpx.put(f"{url}/v1/systems/nope", json={}, headers=h).status_code == 404
    assert httpx.delete(f"{url}/v1/systems/nope", headers=h).status_code == 404
    assert httpx.get(f"{url}/v1/systems").status_code == 401
    assert (
        httpx.get(f"{url}/v1/compliance/ai-act/status", headers=auth("aa_live_x")).status_code
        == 401
    )


def test_organisations_see_only_their_systems(srv: LiveServer) -> None:
    mine = httpx.post(
        f"{srv.url}/v1/systems", json={"name": "Mine only"}, headers=auth(srv.api_key)
    ).json()
    other = srv.new_key(org="aiact-other")
    assert httpx.get(f"{srv.url}/v1/systems/{mine['id']}", headers=auth(other)).status_code == 404
    assert (
        httpx.put(
            f"{srv.url}/v1/systems/{mine['id']}", json={"name": "taken"}, headers=auth(other)
        ).status_code
        == 404
    )
    theirs = httpx.get(f"{srv.url}/v1/systems?include_inactive=true", headers=auth(other)).json()
    assert mine["id"] not in [s["id"] for s in theirs["systems"]]


def test_events_are_linked_by_agent_patterns_when_read_retroactively(srv: LiveServer) -> None:
    url, h = srv.url, auth(srv.api_key)
    made = _post_events(
        srv,
        {"agent_id": "hr-bot", "action": "read_resume", "data": {"email": "jo@example.com"}},
        {"agent_id": "hr-bot-2", "action": "rank_candidates", "data": {"n": 3}},
        {"agent_id": "hr-botany", "action": "water_plants", "data": {}},
        {"agent_id": "hr-bot-2", "action": "run_sql", "data": {"sql": "DROP TABLE candidates"}},
    )
    system = httpx.post(
        f"{url}/v1/systems",
        json={
            "name": "HR Screener",
            "agent_id_patterns": ["hr-bot", "hr-bot-*"],
            "description": "Screens CVs of job applicants",
        },
        headers=h,
    ).json()
    page = httpx.get(f"{url}/v1/systems/{system['id']}/events", headers=h).json()
    linked = {e["id"] for e in page["events"]}
    assert linked == {made[0]["id"], made[1]["id"], made[3]["id"]}  # not hr-botany
    assert page["total"] == 3
    assert [e["id"] for e in page["events"]] == [made[3]["id"], made[1]["id"], made[0]["id"]]
    blocked = httpx.get(f"{url}/v1/systems/{system['id']}/events?decision=block", headers=h)
    assert [e["id"] for e in blocked.json()["events"]] == [made[3]["id"]]
    one = httpx.get(f"{url}/v1/systems/{system['id']}/events?limit=1&offset=1", headers=h).json()
    assert [e["id"] for e in one["events"]] == [made[1]["id"]] and one["total"] == 3
    assert (
        httpx.get(f"{url}/v1/systems/{system['id']}/events?limit=201", headers=h).status_code == 422
    )

    stats = httpx.get(f"{url}/v1/systems/{system['id']}/stats", headers=h).json()
    assert stats["total_events"] == 3 and stats["pii_events"] == 1 and stats["blocked_events"] == 1
    assert stats["by_action"] == {"rank_candidates": 1, "read_resume": 1, "run_sql": 1}
    assert stats["by_agent"] == {"hr-bot-2": 2, "hr-bot": 1}
    assert sum(stats["by_risk_level"].values()) == 3

    # the agent's system, for an event page
    found = httpx.get(f"{url}/v1/systems/for-agent?agent_id=hr-bot-2", headers=h).json()
    assert [s["id"] for s in found["systems"]] == [system["id"]]
    assert (
        httpx.get(f"{url}/v1/systems/for-agent?agent_id=hr-botany", headers=h).json()["total"] == 0
    )

    # a pattern added later links the earlier events too
    r = httpx.put(
        f"{url}/v1/systems/{system['id']}",
        json={"agent_id_patterns": ["hr-bot", "hr-bot-*", "hr-botany"]},
        headers=h,
    )
    assert r.status_code == 200
    assert httpx.get(f"{url}/v1/systems/{system['id']}/events", headers=h).json()["total"] == 4


def test_suggestion_and_status_over_rest(srv: LiveServer) -> None:
    url, h = srv.url, auth(srv.api_key)
    system = httpx.post(
        f"{url}/v1/systems",
        json={
            "name": "Loan desk",
            "agent_id_patterns": ["loan-*"],
            "description": "Assesses the creditworthiness of loan applications",
            "risk_classification": "high",
            "annex_iii_category": "essential_services",
        },
        headers=h,
    ).json()
    _post_events(srv, {"agent_id": "loan-1", "action": "score_application", "data": {"id": 7}})
    s = httpx.get(f"{url}/v1/systems/{system['id']}/classification-suggestion", headers=h).json()
    assert s["suggested_classification"] == "high"
    assert s["suggested_category"] == "essential_services"
    assert s["evidence"]["total_events"] == 1 and s["steps"][1]["answer"].startswith("yes")

    st = httpx.get(f"{url}/v1/compliance/ai-act/status", headers=h).json()
    assert set(UPSTREAM_CHECKS) <= set(st["checks"])
    assert st["checks"]["fria_complete"] is False  # a high-risk system without a FRIA
    assert st["checks"]["logging_active"] is True  # loan-1 logged today
    assert st["checks"]["chain_verified"] is None  # not asked for
    assert isinstance(st["score"], int) and 0 <= st["score"] <= 100
    mine = [x for x in st["systems"] if x["id"] == system["id"]][0]
    assert mine["agents"] == ["loan-1"] and mine["events_recent"] == 1
    assert any(
        n["system_id"] == system["id"] and n["check"] == "fria_complete" for n in st["next_steps"]
    )
    verified = httpx.get(f"{url}/v1/compliance/ai-act/status?verify=true", headers=h).json()
    assert verified["checks"]["chain_verified"] is True
    assert (
        httpx.get(f"{url}/v1/compliance/ai-act/status?logging_days=0", headers=h).status_code == 422
    )

    pdf = httpx.get(f"{url}/v1/compliance/ai-act/report", headers=h, timeout=60)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and "attachment" in pdf.headers["content-disposition"]
    html = httpx.get(f"{url}/v1/compliance/ai-act/report?format=html", headers=h, timeout=60)
    assert html.headers["content-type"].startswith("text/html") and "Loan desk" in html.text
    fria = httpx.get(f"{url}/v1/compliance/ai-act/fria/{system['id']}/pdf", headers=h, timeout=60)
    assert fria.status_code == 200 and fria.content.startswith(b"%PDF-")
    assert httpx.get(f"{url}/v1/compliance/ai-act/fria/nope/pdf", headers=h).status_code == 404
    bad = httpx.get(
        f"{url}/v1/compliance/ai-act/report?after=2026-02-01T00:00:00Z&before=2026-01-01T00:00:00Z",
        headers=h,
    )
    assert bad.status_code == 422
    too_long = httpx.get(f"{url}/v1/compliance/ai-act/report?after=2000-01-01T00:00:00Z", headers=h)
    assert too_long.status_code == 422 and "3660 days" in too_long.text
    year = httpx.get(
        f"{url}/v1/compliance/ai-act/report?format=html&after={datetime.now(UTC) - timedelta(days=365):%Y-%m-%dT%H:%M:%SZ}",
        headers=h,
        timeout=60,
    )
    assert year.status_code == 200 and year.text.count("<rect") < 2000  # weekly bars


def test_the_sdk_remote_sync_and_async(srv: LiveServer) -> None:
    with AgentAudit(api_key=srv.api_key, base_url=srv.url) as audit:
        made = audit.create_system(name="SDK system", agent_id_patterns=["sdk-*"])
        assert audit.get_system(made.id).name == "SDK system"
        audit.log("sdk-1", "web_search", {"q": "x"})
        assert audit.list_system_events(made.id).total == 1
        assert audit.get_system_stats(made.id).total_events == 1
        assert audit.update_system(made.id, vendor="Acme").vendor == "Acme"
        assert audit.get_classification_suggestion(made.id).suggested_classification.value
        assert audit.get_compliance_status().score >= 0
        assert audit.fria_report(made.id, format="html").startswith(b"<!doctype html>")
        with pytest.raises(NotFoundError):
            audit.get_system("nope")
        with pytest.raises(ValidationError, match="risk_classification"):
            audit.update_system(made.id, risk_classification="huge")
        with pytest.raises(ValidationError, match="name"):
            audit.create_system(vendor="no name")  # refused before anything is sent
        audit.delete_system(made.id)
        assert made.id not in [s.id for s in audit.list_systems().systems]

    async def run() -> None:
        async with AsyncAgentAudit(api_key=srv.api_key, base_url=srv.url) as audit:
            made = await audit.create_system({"name": "Async system"})
            assert (await audit.get_system(made.id)).id == made.id
            assert made.id in [s.id for s in (await audit.list_systems()).systems]
            assert (await audit.get_compliance_status()).summary["total_systems"] >= 1

    import asyncio

    asyncio.run(run())


# -- the store on SQLite and PostgreSQL, and the embedded client ---------------------------------
def _target(kind: str, tmp_path: Path) -> str:
    return str(tmp_path / "s.db") if kind == "sqlite" else create_pg_database("aa_aiact")


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_store_register_and_trail_through_patterns(kind: str, tmp_path: Path) -> None:
    store = open_store(_target(kind, tmp_path))
    try:
        org = store.ensure_org("o").id
        other = store.ensure_org("p").id
        audit = AuditService(store)
        audit.record(
            org,
            [
                EventIn(agent_id="bot|pipe", action="a", data={"email": "x@example.com"}),
                EventIn(agent_id="bot-1", action="b", data={}),
                EventIn(agent_id="Bot-2", action="c", data={}),  # case differs: not matched
                EventIn(agent_id="bot%_x", action="d", data={}),  # LIKE characters are literal
            ],
        )
        audit.record(other, [EventIn(agent_id="bot-1", action="theirs", data={})])
        system = store.create_system(org, AISystemIn(name="S", agent_id_patterns=["bot*"]))
        assert store.get_system(other, system.id) is None
        assert store.known_agents(org) == {"bot|pipe", "bot-1", "Bot-2", "bot%_x"}
        from agentaudit.aiact.service import AiActService

        service = AiActService(store)
        assert service.agents(org, system) == ["bot%_x", "bot-1", "bot|pipe"]
        page = service.system_events(org, system.id)
        assert page.total == 3 and {e.action for e in page.events} == {"a", "b", "d"}
        stats = service.stats(org, system)
        assert stats.total_events == 3 and stats.pii_events == 1
        day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        assert service.stats(org, system, day, day + timedelta(days=1)).total_events == 3
        assert service.stats(org, system, day - timedelta(days=9), day).total_events == 0
        assert store.article_counts(org, ["bot|pipe"])["gdpr"]["art_30"] == 1
        assert store.pii_type_counts_of(org, None) == {"email": 1}
        saved = service.update(org, system.id, {"agent_id_patterns": ["Bot-2"]})
        assert store.get_system(org, system.id) == saved
        assert service.system_events(org, system.id).total == 1
        audit.update_policy(org, {"retention_days": 365}, source="test")
        history = store.policy_history(org)
        assert len(history) == 1 and history[0].source == "test" and "365" in history[0].policy
    finally:
        store.close()


def test_embedded_client_register(tmp_path: Path) -> None:
    with AgentAudit(db_path=tmp_path / "e.db") as audit:
        made = audit.create_system(name="Local", agent_id_patterns=["l-*"])
        audit.log("l-1", "web_search", {"q": "x"})
        assert audit.list_system_events(made.id).total == 1
        assert audit.get_compliance_status().summary["total_systems"] == 1
        with pytest.raises(NotFoundError):
            audit.get_system("nope")
        with pytest.raises(ValidationError, match="annex_iii_category"):
            audit.update_system(made.id, annex_iii_category="astrology")
        assert audit.ai_act_report(format="pdf").startswith(b"%PDF-")
