"""/v1/org/webhooks: the organisation's alert webhooks (docs/webhooks.md).

POST creates one (its URL checked against SSRF now, and again before each delivery) and is the
only answer that shows its secret; GET lists them; DELETE removes one with its log; POST
…/{id}/test sends a sample alert at once and answers how it went; GET …/{id}/deliveries is the
delivery log, newest first.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError as PydanticValidationError

from agentaudit.alerts.dispatcher import WebhookDispatcher
from agentaudit.alerts.format import new_secret
from agentaudit.alerts.models import (
    MAX_WEBHOOKS_PER_ORG,
    Delivery,
    StoredWebhook,
    Webhook,
    WebhookCreated,
    WebhookIn,
    WebhookPatch,
)
from agentaudit.alerts.ssrf import UnsafeTarget, check_configured
from agentaudit.alerts.store import WebhookStore
from agentaudit.server import openapi_docs as docs
from agentaudit.server.deps import POLICY_BODY_LIMIT, OrgId, authenticate, parse_model, read_body
from agentaudit.server.errors import ApiError, field_errors

router = APIRouter(prefix="/v1/org/webhooks", tags=["webhooks"])


def dispatcher(request: Request) -> WebhookDispatcher:
    return request.app.state.webhooks


def webhook_store(request: Request) -> WebhookStore:
    return request.app.state.service.store


def _found(store: WebhookStore, org_id: str, webhook_id: str) -> StoredWebhook:
    hook = store.get_webhook(org_id, webhook_id)
    if hook is None:
        raise ApiError(404, f"no webhook {webhook_id!r} in this organisation")
    return hook


def _url_error(msg: str) -> ApiError:
    return ApiError(422, [{"loc": ["body", "url"], "msg": msg, "type": "unsafe_url"}])


@router.get("", response_model=list[Webhook], responses=docs.errors(401, 503))
def list_webhooks(request: Request, org_id: OrgId) -> list[Webhook]:
    return [h.public() for h in webhook_store(request).list_webhooks(org_id)]


@router.post(
    "",
    status_code=201,
    response_model=WebhookCreated,
    responses=docs.errors(400, 401, 413, 415, 422, 503),
    openapi_extra=docs.json_body(
        "WebhookIn",
        "url (http or https; its host must resolve to public addresses), events (block, review,"
        " critical, approval), format (json or slack), enabled, description.",
    ),
)
async def create_webhook(request: Request) -> WebhookCreated:
    """Create a webhook; the answer carries its `secret`, which is never shown again."""
    org_id = authenticate(request)
    fields = parse_model(await read_body(request, POLICY_BODY_LIMIT), WebhookIn)
    store = webhook_store(request)
    allow_private = dispatcher(request).allow_private
    try:
        await run_in_threadpool(check_configured, fields.url, allow_private=allow_private)
    except UnsafeTarget as exc:
        raise _url_error(str(exc)) from None
    existing = await run_in_threadpool(store.list_webhooks, org_id)
    if len(existing) >= MAX_WEBHOOKS_PER_ORG:
        raise ApiError(409, f"an organisation may have at most {MAX_WEBHOOKS_PER_ORG} webhooks")
    hook = await run_in_threadpool(store.create_webhook, org_id, fields, new_secret())
    dispatcher(request).forget(org_id)
    return WebhookCreated.model_validate(hook.model_dump())


@router.patch(
    "/{webhook_id}",
    response_model=Webhook,
    responses=docs.errors(400, 401, 404, 413, 415, 422, 503),
    openapi_extra=docs.json_body(
        "WebhookPatch",
        "Any of url, events, format, enabled, description; the webhook as changed is validated"
        " whole (a new url is checked against SSRF). The secret never changes.",
    ),
)
async def patch_webhook(request: Request, webhook_id: str) -> Webhook:
    """Change a webhook: pause it (`{"enabled": false}`), change what it hears or where."""
    org_id = authenticate(request)
    patch = parse_model(await read_body(request, POLICY_BODY_LIMIT), WebhookPatch)
    store = webhook_store(request)
    hook = await run_in_threadpool(_found, store, org_id, webhook_id)
    merged = {
        **hook.model_dump(include={"url", "events", "format", "enabled", "description"}),
        **patch.model_dump(exclude_unset=True),
    }
    try:
        fields = WebhookIn.model_validate(merged)
    except PydanticValidationError as exc:
        raise ApiError(422, field_errors(exc, ("body",))) from None
    if fields.url != hook.url:
        try:
            await run_in_threadpool(
                check_configured, fields.url, allow_private=dispatcher(request).allow_private
            )
        except UnsafeTarget as exc:
            raise _url_error(str(exc)) from None
    changed = hook.model_copy(update=fields.model_dump())
    if not await run_in_threadpool(store.save_webhook, org_id, changed):
        raise ApiError(404, f"no webhook {webhook_id!r} in this organisation")
    dispatcher(request).forget(org_id)
    return changed.public()


@router.delete("/{webhook_id}", status_code=204, responses=docs.errors(401, 404, 503))
def delete_webhook(request: Request, org_id: OrgId, webhook_id: str) -> Response:
    if not webhook_store(request).delete_webhook(org_id, webhook_id):
        raise ApiError(404, f"no webhook {webhook_id!r} in this organisation")
    dispatcher(request).forget(org_id)
    return Response(status_code=204)


@router.post("/{webhook_id}/test", response_model=Delivery, responses=docs.errors(401, 404, 503))
def test_webhook(request: Request, org_id: OrgId, webhook_id: str) -> Delivery:
    """Send a sample alert now (one attempt, no retry) and answer the logged attempt: its
    outcome, HTTP status and error. Sent even when the webhook is disabled."""
    hook = _found(webhook_store(request), org_id, webhook_id)
    return dispatcher(request).send_test(org_id, hook)


@router.get(
    "/{webhook_id}/deliveries", response_model=list[Delivery], responses=docs.errors(401, 404, 503)
)
def list_deliveries(
    request: Request,
    org_id: OrgId,
    webhook_id: str,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[Delivery]:
    """Every attempt (and drop) of this webhook, newest first."""
    store = webhook_store(request)
    _found(store, org_id, webhook_id)
    return store.list_deliveries(org_id, webhook_id, limit)
