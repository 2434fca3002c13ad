"""The compliance dashboard: server-rendered pages under /dashboard (see docs/dashboard.md)."""

from agentaudit.server.dashboard.routes import router

__all__ = ["router"]
