"""HTTP-only shapes; the event, page, stats and policy models come from agentaudit.models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from agentaudit.models import Event, EventIn

MAX_BATCH = 1000
IdemKey = Annotated[str, Field(min_length=1, max_length=255)]


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[EventIn] = Field(min_length=1, max_length=MAX_BATCH)
    idempotency_keys: list[IdemKey | None] | None = Field(
        default=None, description="one per event (null for none); overrides Idempotency-Key"
    )

    @model_validator(mode="after")
    def _same_length(self) -> BatchIn:
        if self.idempotency_keys is not None and len(self.idempotency_keys) != len(self.events):
            raise ValueError(
                f"idempotency_keys has {len(self.idempotency_keys)} entries for "
                f"{len(self.events)} events; give one per event"
            )
        return self


class BatchOut(BaseModel):
    events: list[Event]


class VerifyOut(BaseModel):
    """`agentaudit.store.VerifyResult` over HTTP."""

    ok: bool
    checked: int
    head_seq: int
    error: str | None = None
    broken_seq: int | None = None
    broken_id: str | None = None
    checkpoints: int = 0
    checkpoint: str | None = None


class HealthOut(BaseModel):
    status: str
