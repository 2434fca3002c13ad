"""The FastAPI application: `create_app(store)` in-process, `app_from_env()` for uvicorn workers
(the app behind the single-event fast path, fastpath.py).

The store comes from `open_store(target, auto_upgrade=False)`: a server never migrates a schema
behind the operator's back (`agentaudit db upgrade` does). `serve` passes the target to its
worker processes in AGENTAUDIT_SERVER_STORE.
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from agentaudit.aiact.models import AISystemIn, AISystemPatch
from agentaudit.alerts.dispatcher import WebhookDispatcher
from agentaudit.alerts.models import WebhookIn, WebhookPatch
from agentaudit.approvals import ApprovalDecisionIn
from agentaudit.classifier import default_rules
from agentaudit.models import EventIn, Policy
from agentaudit.replay import ReplayRequest
from agentaudit.server import apidocs, errors
from agentaudit.server.committer import GroupCommitter
from agentaudit.server.dashboard import router as dashboard_router
from agentaudit.server.fastpath import FastIngest
from agentaudit.server.keys import KeyCache
from agentaudit.server.lanes import ClassifyLanes
from agentaudit.server.routers import (
    ai_act,
    approvals,
    checkpoints,
    events,
    health,
    otlp,
    policy,
    replay,
    subjects,
)
from agentaudit.server.routers import webhooks as webhooks_router
from agentaudit.server.schemas import BatchIn
from agentaudit.service import AuditService
from agentaudit.signing import Checkpointer, Signer
from agentaudit.store import EventStore, open_store

STORE_ENV = "AGENTAUDIT_SERVER_STORE"
GC_YOUNG_THRESHOLD = 50_000

DESCRIPTION = """Audit and guard every tool call your AI agents make.

Authenticate with `Authorization: Bearer aa_live_…`. Each key belongs to one organisation, which
sees only its own events. Errors are JSON `{"detail": ...}`. Body limits: 1 MiB for
`POST /v1/events`, 16 MiB for `POST /v1/events/batch`, 64 KiB for `PUT /v1/org/policy` (413 over).
A key twice in one JSON object is refused (400). An `Idempotency-Key` stands for one request: the
same key with another body is 422; a true replay answers the stored event with
`Idempotent-Replayed: true`. When the store cannot take a request (disk full, a lock held too
long, the database unreachable) the answer is 503 with `Retry-After`, and nothing was changed.
"""


def create_app(
    store: EventStore, *, close_store: bool = False, signer: Signer | None = None
) -> FastAPI:
    """An app serving `store`; with `close_store` the app closes it on shutdown. With a
    `signer` (default: the key $AGENTAUDIT_SIGNING_KEY names, if set) it signs checkpoints of
    every organisation's chain while it runs and once more at shutdown (signing.py)."""
    webhooks = WebhookDispatcher(store)  # type: ignore[arg-type]  # both stores have the mixin
    committer = GroupCommitter(store, on_commit=webhooks.notify)
    lanes = ClassifyLanes()
    signer = signer if signer is not None else Signer.from_env()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        checkpointer = Checkpointer(store, signer).start() if signer is not None else None
        try:
            yield
        finally:
            lanes.close()
            committer.close()  # commits whatever is queued before the store goes
            webhooks.close()  # after the last commit's alerts were queued
            if checkpointer is not None:
                checkpointer.close()  # the final head of each organisation, signed
            if close_store:
                store.close()

    app = FastAPI(
        title="AgentAudit",
        version=_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # apidocs serves /docs and /redoc with assets of its own (offline)
        redoc_url=None,
    )
    app.state.service = AuditService(store)
    app.state.committer = committer
    app.state.webhooks = webhooks  # alerts, delivered off the request path (alerts/)
    app.state.key_cache = KeyCache()
    app.state.lanes = lanes  # where writes are parsed and classified, off the loop
    app.state.signer = signer
    errors.install(app)
    app.include_router(health.router)
    app.include_router(events.router)
    app.include_router(policy.router)
    app.include_router(policy.history_router)
    app.include_router(replay.router)
    app.include_router(otlp.router)
    app.include_router(ai_act.router)
    app.include_router(checkpoints.router)
    app.include_router(approvals.router)
    app.include_router(webhooks_router.router)
    app.include_router(subjects.router)
    app.include_router(dashboard_router)
    apidocs.install(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def app_from_env() -> FastIngest:
    """uvicorn factory (`--factory`): the store named by AGENTAUDIT_SERVER_STORE."""
    target = os.environ.get(STORE_ENV)
    if not target:
        raise RuntimeError(f"{STORE_ENV} is not set; start the server with `agentaudit serve`")
    app = FastIngest(create_app(open_store(target, auto_upgrade=False), close_store=True))
    _tune_runtime()
    return app


def _tune_runtime() -> None:
    """A server process allocates ~100 short-lived objects per event. Python's default collector
    runs every 700 allocations and keeps re-scanning the long-lived ones (rules, schemas, the
    app), work that grows with everything the process has loaded and finds nothing to free.
    Everything loaded so far is frozen out of collection, and the young generation collects
    less often (memory stays bounded: cycles are still collected, just in larger rounds).
    Python's default thread switch interval stays: a shorter one (tried) cost ingest throughput
    on SQLite and PostgreSQL alike: each switch has its price and ingest switches often."""
    default_rules()  # the classifier's tables are loaded now, then frozen with the rest
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def open_target(target: str | Path) -> EventStore:
    return open_store(target, auto_upgrade=False)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document plus the schemas of the hand-parsed bodies (see openapi_docs.py)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    doc = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    _, extra = models_json_schema(
        [
            (EventIn, "validation"),
            (BatchIn, "validation"),
            (Policy, "validation"),
            (AISystemIn, "validation"),
            (AISystemPatch, "validation"),
            (ReplayRequest, "validation"),
            (ApprovalDecisionIn, "validation"),
            (WebhookIn, "validation"),
            (WebhookPatch, "validation"),
        ],
        ref_template="#/components/schemas/{model}",
    )
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in extra.get("$defs", {}).items():
        if name == "Policy":
            patch = {k: v for k, v in schema.items() if k != "required"}
            patch["title"] = "PolicyPatch"
            schemas["PolicyPatch"] = patch
        else:
            schemas.setdefault(name, schema)
    app.openapi_schema = doc
    return doc


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("agentaudit")
    except PackageNotFoundError:
        return "0.0.0"
