"""Shared test set-up: offline, no API keys, telemetry off, temp dirs for everything."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("AGENTAUDIT_URL", None)
os.environ.pop("AGENTAUDIT_API_KEY", None)
os.environ.setdefault("CREWAI_DISABLE_TELEMETRY", "true")
os.environ.setdefault("CREWAI_DISABLE_TRACKING", "true")
os.environ.setdefault("OTEL_SDK_DISABLED", "true")
os.environ.setdefault("CREWAI_DISABLE_VERSION_CHECK", "true")
os.environ.setdefault("CREWAI_STORAGE_DIR", tempfile.mkdtemp(prefix="crewai-storage-"))
# Clients that cannot reach a server spool to disk: keep that out of the user's home in tests.
os.environ.setdefault("AGENTAUDIT_SPOOL_DIR", tempfile.mkdtemp(prefix="agentaudit-spool-"))

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.db"


@pytest.fixture
def audit(db_path: Path) -> Iterator:
    from agentaudit import AgentAudit

    with AgentAudit(db_path=db_path) as client:
        yield client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files marked `slow` first (a build, a fuzzer, a scale-out run: minutes each), the rest
    in their order: on several workers (`make test`) the long files overlap the short ones
    instead of running last, alone. Stable, so every worker collects the same order."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
