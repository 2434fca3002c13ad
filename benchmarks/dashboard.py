"""Dashboard page render time at 100,000 events (target: every page <= 300 ms server-side).

Loads N events (default 100,000, spread over the last 60 days, 24 agents, ~20 actions, ~1 in 4
with PII, ~1 in 50 blocked, ~1 in 45 with secrets) into a store through `store.append` in batches of 1,000, builds the
app with `create_app(store)`, signs in through the sign-in form and renders each page `--repeat`
times in process (Starlette's TestClient: the full ASGI request through routing, session check,
queries and Jinja2 rendering, no network). Prints median and p95 per page.

    .venv/bin/python benchmarks/dashboard.py [--events 100000] [--repeat 15] [--db PATH]
    .venv/bin/python benchmarks/dashboard.py --database-url postgresql://postgres@127.0.0.1/aa_dash

The store is reused when it already holds the organisation "bench" with enough events. On
PostgreSQL the tables are vacuumed and analysed after loading, as autovacuum would soon do:
straight after a bulk load the planner has no statistics and deep pages take ~10x longer.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe  # noqa: E402

from agentaudit.models import EventIn, Policy  # noqa: E402
from agentaudit.pipeline import evaluate  # noqa: E402
from agentaudit.store import EventStore, NewEvent, open_store  # noqa: E402
from agentaudit.store._sql import now_ms  # noqa: E402

TEMPLATES: list[tuple[str, dict, int]] = [  # (action, data, weight)
    ("web_search", {"query": "weather in Paris"}, 20),
    ("calculator", {"expression": "2 + 2"}, 8),
    ("list_files", {"path": "/srv/app"}, 8),
    ("read_file", {"path": "README.md"}, 8),
    ("http_get", {"url": "https://api.example.com/status"}, 5),
    ("file_write", {"path": "notes.txt", "content": "draft"}, 6),
    ("run_tests", {"cmd": "pytest -q"}, 4),
    ("database_query", {"query": "SELECT * FROM customers WHERE email = 'jane@example.com'"}, 8),
    ("send_email", {"to": "bob.smith@example.org", "body": "Your order shipped"}, 5),
    ("crm_update", {"customer_phone": "+44 20 7946 0958", "note": "called back"}, 4),
    ("lookup_customer", {"customer_email": "ann@example.net", "dob": "1984-03-02"}, 3),
    ("payment", {"amount": 150.0, "currency": "EUR", "iban": "DE89370400440532013000"}, 3),
    ("health_record", {"patient": "Jane Roe", "diagnosis": "diabetes"}, 2),
    ("shell_exec", {"cmd": "ls -la"}, 4),
    ("kubectl", {"cmd": "kubectl get pods -n prod"}, 3),
    ("deploy", {"service": "api", "environment": "production"}, 2),
    (
        "configure_cloud",
        {
            "aws_access_key_id": "AKIAZ7Q4JX2M8N5P3R6T",
            "aws_secret_access_key": "q8Jf2Lw9Xr4Tz7Vb1Nm6Kp3Hs5Dg0Ya2Ue8Ci4O",
            "region": "eu-west-1",
        },
        2,
    ),
    ("database_query", {"query": "DROP TABLE customers"}, 1),
    ("shell_exec", {"cmd": "rm -rf /"}, 1),
]
AGENTS = [f"agent-{i:02d}" for i in range(24)]
ORG = "bench"
DAYS = 60


def decided_templates() -> list[tuple[object, int]]:
    """Each template classified and decided once (the real pipeline, default policy)."""
    out = []
    for action, data, weight in TEMPLATES:
        event, _ = evaluate(EventIn(agent_id="x", action=action, data=data), Policy())
        out.append((event, weight))
    return out


def load(store: EventStore, n: int) -> str:
    org = store.ensure_org(ORG)
    count = getattr(store, "count", None)
    have = count(org.id) if count is not None else 0
    if have >= n:
        print(f"reusing {have:,} events of org {ORG!r}")
        return org.id
    from ulid import ULID

    deck = [ev for ev, w in decided_templates() for _ in range(w)]
    start = now_ms() - timedelta(days=DAYS)
    step = timedelta(days=DAYS) / n
    t0 = time.perf_counter()
    batch: list[NewEvent] = []
    for i in range(have, n):
        when = start + step * i
        template = deck[(i * 7919) % len(deck)]
        event = template.model_copy(
            update={
                "id": str(ULID.from_datetime(when)),
                "agent_id": AGENTS[(i * 31) % len(AGENTS)],
                "created_at": when.replace(microsecond=when.microsecond // 1000 * 1000),
            }
        )
        batch.append(NewEvent(event))
        if len(batch) == 1000:
            store.append(org.id, batch)
            batch = []
    if batch:
        store.append(org.id, batch)
    print(f"loaded {n - have:,} events in {time.perf_counter() - t0:.1f} s")
    return org.id


def pages(store: EventStore, org_id: str) -> dict[str, str]:
    newest = store.list_events(org_id, _flt(limit=1)).events[0]
    blocked = store.list_events(org_id, _flt(limit=1, decision="block")).events[0]
    oldest_id = next(store.iter_events(org_id, batch_size=1)).id
    day = (datetime.now(UTC) - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    day2 = (datetime.now(UTC) - timedelta(days=13)).strftime("%Y-%m-%dT%H:%M")
    return {
        "timeline, newest 50": "/dashboard/events",
        "timeline, page 1000 (offset 49,950)": "/dashboard/events?page=1000",
        "timeline, last page": "/dashboard/events?page=2000",
        "timeline, decision=block": "/dashboard/events?decision=block",
        "timeline, risk=high": "/dashboard/events?risk=high",
        "timeline, agent + action": "/dashboard/events?agent=agent-07&action=database_query",
        "timeline, PII type email": "/dashboard/events?pii=email",
        "timeline, PII email, page 200": "/dashboard/events?pii=email&page=200",
        "timeline, PII health + agent": "/dashboard/events?pii=health&agent=agent-03",
        "timeline, secret type api_key": "/dashboard/events?secret=api_key",
        "timeline, secret api_key + agent": "/dashboard/events?secret=api_key&agent=agent-03",
        "timeline, 7-day window": f"/dashboard/events?after={day}&before={day2}",
        "timeline, window + risk + PII": (
            f"/dashboard/events?after={day}&before={day2}&risk=medium&pii=phone"
        ),
        "event page, newest": f"/dashboard/events/{newest.id}",
        "event page, oldest": f"/dashboard/events/{oldest_id}",
        "event page, blocked": f"/dashboard/events/{blocked.id}",
        "statistics, 30 days": "/dashboard/stats",
        "statistics, 90 days": "/dashboard/stats?days=90",
        "statistics, 365 days": "/dashboard/stats?days=365",
        "policy": "/dashboard/policy",
    }


def _flt(**kw: object):
    from agentaudit.models import EventFilter

    return EventFilter(**kw)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--db", help="SQLite file (default: a new temp file)")
    ap.add_argument("--database-url", help="postgresql://… instead of SQLite")
    args = ap.parse_args()
    target = args.database_url or args.db or str(Path(tempfile.mkdtemp()) / "dashboard.db")

    from fastapi.testclient import TestClient

    from agentaudit.server.app import create_app
    from agentaudit.server.keys import create_key

    print(describe())
    store = open_store(target)
    print(f"store: {'PostgreSQL' if args.database_url else 'SQLite ' + target}")
    org_id = load(store, args.events)
    if args.database_url:  # what autovacuum does soon after a bulk load: fresh planner statistics
        import psycopg

        from agentaudit.store.postgres import libpq_url

        with psycopg.connect(libpq_url(args.database_url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE events")
            conn.execute("VACUUM ANALYZE event_counts")
    key = create_key(store, ORG).key
    app = create_app(store)
    limit = 300.0
    worst = 0.0
    with TestClient(app, base_url="http://127.0.0.1") as client:
        times = []
        for _ in range(args.repeat + 1):  # signed out: the sign-in form itself
            t0 = time.perf_counter()
            client.get("/dashboard/login")
            times.append((time.perf_counter() - t0) * 1000)
            client.cookies.clear()
        sign_in_times = times[1:]
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dashboard/login").text)
        r = client.post(
            "/dashboard/login",
            data={"api_key": key, "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        print(f"\n{'page':<38} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  rows/info")
        med, p95 = statistics.median(sign_in_times), pct(sign_in_times, 0.95)
        print(f"{'sign-in form':<38} {med:>10.1f} {p95:>8.1f} {max(sign_in_times):>8.1f}")
        worst = p95
        for name, path in pages(store, org_id).items():
            client.get(path)  # warm: template compiled, caches and pages loaded
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, (path, r.status_code)
            found = re.search(r'id="result-count">([^<;]*)', r.text)
            info = found.group(1) if found else f"{len(r.content) // 1024} KiB"
            med, p95 = statistics.median(times), pct(times, 0.95)
            worst = max(worst, p95)
            print(f"{name:<38} {med:>10.1f} {p95:>8.1f} {max(times):>8.1f}  {info}")
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', r.text).group(1)
        t0 = time.perf_counter()
        v = client.post("/dashboard/verify", headers={"X-CSRF-Token": csrf}).json()
        took = (time.perf_counter() - t0) * 1000
        print(f"\nlive verify (whole chain, on click): {took:,.0f} ms — {v['message']}")
    verdict = "OK" if worst <= limit else "OVER"
    print(f"worst p95 {worst:.1f} ms vs target {limit:.0f} ms: {verdict}")
    store.close()


if __name__ == "__main__":
    main()
