"""The webhooks and their delivery log in the store (tables of migration 0026), one mixin for
SQLite and PostgreSQL like store/ai_systems.py: the store provides `_rows`, `_write` and
`_placeholder`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from ulid import ULID

from agentaudit.alerts.models import Delivery, StoredWebhook, WebhookIn
from agentaudit.models import _utc_z
from agentaudit.store._sql import now_ms, parse_z

_HOOK_COLUMNS = ("id", "url", "events", "format", "secret", "enabled", "description", "created_at")
_DELIVERY_COLUMNS = (
    "id",
    "webhook_id",
    "delivery_id",
    "event_id",
    "trigger",
    "attempt",
    "outcome",
    "http_status",
    "error",
    "duration_ms",
    "created_at",
)
KEEP_DELIVERIES = 1000  # per webhook: older log rows are pruned as new ones come
MAX_ERROR = 500


@runtime_checkable
class WebhookStore(Protocol):
    """What the webhook API and the dispatcher need of a store."""

    def create_webhook(self, org_id: str, fields: WebhookIn, secret: str) -> StoredWebhook: ...
    def list_webhooks(self, org_id: str) -> list[StoredWebhook]: ...
    def get_webhook(self, org_id: str, webhook_id: str) -> StoredWebhook | None: ...
    def save_webhook(self, org_id: str, hook: StoredWebhook) -> bool: ...
    def delete_webhook(self, org_id: str, webhook_id: str) -> bool: ...
    def add_delivery(self, org_id: str, delivery: Delivery) -> None: ...
    def list_deliveries(
        self, org_id: str, webhook_id: str | None = None, limit: int = 50
    ) -> list[Delivery]: ...


def _hook(row: Sequence[Any]) -> StoredWebhook:
    values = dict(zip(_HOOK_COLUMNS, row, strict=True))
    values["events"] = json.loads(values["events"])
    values["enabled"] = bool(values["enabled"])
    values["created_at"] = parse_z(values["created_at"])
    return StoredWebhook.model_validate(values)


def _delivery(row: Sequence[Any]) -> Delivery:
    values = dict(zip(_DELIVERY_COLUMNS, row, strict=True))
    values["created_at"] = parse_z(values["created_at"])
    return Delivery.model_validate(values)


class WebhooksMixin:
    _placeholder: str

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def _write(self, sql: str, args: Sequence[Any] = ()) -> int:
        raise NotImplementedError

    def create_webhook(self, org_id: str, fields: WebhookIn, secret: str) -> StoredWebhook:
        hook = StoredWebhook(
            id=str(ULID()),
            url=fields.url,
            events=fields.events,
            format=fields.format,
            enabled=fields.enabled,
            description=fields.description,
            created_at=now_ms(),
            secret=secret,
        )
        p = self._placeholder
        self._write(
            f"INSERT INTO webhooks (org_id, {', '.join(_HOOK_COLUMNS)})"
            f" VALUES ({', '.join([p] * (len(_HOOK_COLUMNS) + 1))})",
            [
                org_id,
                hook.id,
                hook.url,
                json.dumps([t.value for t in hook.events]),
                hook.format.value,
                hook.secret,
                hook.enabled,
                hook.description,
                _utc_z(hook.created_at),
            ],
        )
        return hook

    def list_webhooks(self, org_id: str) -> list[StoredWebhook]:
        p = self._placeholder
        rows = self._rows(
            f"SELECT {', '.join(_HOOK_COLUMNS)} FROM webhooks WHERE org_id = {p} ORDER BY id",
            [org_id],
        )
        return [_hook(r) for r in rows]

    def get_webhook(self, org_id: str, webhook_id: str) -> StoredWebhook | None:
        p = self._placeholder
        rows = self._rows(
            f"SELECT {', '.join(_HOOK_COLUMNS)} FROM webhooks WHERE org_id = {p} AND id = {p}",
            [org_id, webhook_id],
        )
        return _hook(rows[0]) if rows else None

    def save_webhook(self, org_id: str, hook: StoredWebhook) -> bool:
        """Write a changed webhook's editable fields (the caller validated them); False if the
        organisation has no such webhook."""
        p = self._placeholder
        n = self._write(
            f"UPDATE webhooks SET url = {p}, events = {p}, format = {p}, enabled = {p},"
            f" description = {p} WHERE org_id = {p} AND id = {p}",
            [
                hook.url,
                json.dumps([t.value for t in hook.events]),
                hook.format.value,
                hook.enabled,
                hook.description,
                org_id,
                hook.id,
            ],
        )
        return n > 0

    def delete_webhook(self, org_id: str, webhook_id: str) -> bool:
        """Remove a webhook and its delivery log; False if the organisation has no such one."""
        p = self._placeholder
        n = self._write(
            f"DELETE FROM webhooks WHERE org_id = {p} AND id = {p}", [org_id, webhook_id]
        )
        if n:
            self._write(
                f"DELETE FROM webhook_deliveries WHERE org_id = {p} AND webhook_id = {p}",
                [org_id, webhook_id],
            )
        return n > 0

    def add_delivery(self, org_id: str, delivery: Delivery) -> None:
        """Log one attempt; every KEEP_DELIVERIES/10 rows the webhook's log is cut back to its
        newest KEEP_DELIVERIES (ULID ids sort by time)."""
        p = self._placeholder
        error = None if delivery.error is None else delivery.error[:MAX_ERROR]
        self._write(
            f"INSERT INTO webhook_deliveries (org_id, {', '.join(_DELIVERY_COLUMNS)})"
            f" VALUES ({', '.join([p] * (len(_DELIVERY_COLUMNS) + 1))})",
            [
                org_id,
                delivery.id,
                delivery.webhook_id,
                delivery.delivery_id,
                delivery.event_id,
                delivery.trigger,
                delivery.attempt,
                delivery.outcome.value,
                delivery.http_status,
                error,
                delivery.duration_ms,
                _utc_z(delivery.created_at),
            ],
        )
        if int(delivery.id[-2:], 36) % (KEEP_DELIVERIES // 10) == 0:
            self._prune(org_id, delivery.webhook_id)

    def _prune(self, org_id: str, webhook_id: str) -> None:
        p = self._placeholder
        rows = self._rows(
            f"SELECT id FROM webhook_deliveries WHERE org_id = {p} AND webhook_id = {p}"
            f" ORDER BY id DESC LIMIT 1 OFFSET {KEEP_DELIVERIES}",
            [org_id, webhook_id],
        )
        if rows:
            self._write(
                f"DELETE FROM webhook_deliveries WHERE org_id = {p} AND webhook_id = {p}"
                f" AND id <= {p}",
                [org_id, webhook_id, rows[0][0]],
            )

    def list_deliveries(
        self, org_id: str, webhook_id: str | None = None, limit: int = 50
    ) -> list[Delivery]:
        """The newest attempts first (of one webhook, or of all the organisation's)."""
        p = self._placeholder
        where, args = f"org_id = {p}", [org_id]
        if webhook_id is not None:
            where += f" AND webhook_id = {p}"
            args.append(webhook_id)
        rows = self._rows(
            f"SELECT {', '.join(_DELIVERY_COLUMNS)} FROM webhook_deliveries WHERE {where}"
            f" ORDER BY id DESC LIMIT {int(limit)}",
            args,
        )
        return [_delivery(r) for r in rows]
