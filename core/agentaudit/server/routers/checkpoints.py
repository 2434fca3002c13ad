"""GET /v1/checkpoints: the organisation's signed checkpoints; the public key that verifies
them at /.well-known/agentaudit/checkpoint-key (no authentication: an auditor fetches it once
and keeps it; trust comes from comparing it with the key the operator published)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from agentaudit.server import openapi_docs as docs
from agentaudit.server.deps import OrgId
from agentaudit.server.errors import ApiError
from agentaudit.signing import Signer, public_text

router = APIRouter(tags=["integrity"])
WELL_KNOWN_KEY = "/.well-known/agentaudit/checkpoint-key"


class CheckpointOut(BaseModel):
    type: str
    org_id: str
    seq: int
    hash: str
    signed_at: str
    key_id: str
    signature: str


class CheckpointPage(BaseModel):
    checkpoints: list[CheckpointOut]
    public_key_url: str


class PublicKeyOut(BaseModel):
    algorithm: str
    key_id: str
    public_key: str  # base64 of the 32 raw bytes


@router.get("/v1/checkpoints", response_model=CheckpointPage, responses=docs.errors(401, 503))
def list_checkpoints(
    request: Request,
    org_id: OrgId,
    after_seq: Annotated[int, Query(ge=0, description="only checkpoints of a later seq")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> CheckpointPage:
    """Signed statements of this organisation's chain head (seq, hash, time), oldest first."""
    store = request.app.state.service.store
    found = store.list_checkpoints(org_id, after_seq, limit)
    return CheckpointPage(
        checkpoints=[CheckpointOut(**cp.to_dict()) for cp in found],
        public_key_url=WELL_KNOWN_KEY,
    )


@router.get(WELL_KNOWN_KEY, response_model=PublicKeyOut, responses=docs.errors(404))
def checkpoint_key(request: Request) -> PublicKeyOut:
    """The Ed25519 public key that signs this server's checkpoints (404: signing is off)."""
    signer: Signer | None = request.app.state.signer
    if signer is None:
        raise ApiError(404, "checkpoint signing is off on this server (no AGENTAUDIT_SIGNING_KEY)")
    return PublicKeyOut(
        algorithm="Ed25519", key_id=signer.key_id, public_key=public_text(signer.public)
    )
