"""Liveness, without authentication (load balancers and the test harness poll it)."""

from __future__ import annotations

from fastapi import APIRouter

from agentaudit.server.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut)
async def health() -> HealthOut:
    return HealthOut(status="ok")
