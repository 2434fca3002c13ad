"""The compliance dashboard: server-rendered pages under /dashboard (see docs/dashboard.md).

`router` is imported on first use, so its chart helpers (charts.py) can be used without FastAPI
(the AI Act report draws the same charts).
"""

from __future__ import annotations

from typing import Any

__all__ = ["router"]


def __getattr__(name: str) -> Any:
    if name == "router":
        from agentaudit.server.dashboard.routes import router

        return router
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
