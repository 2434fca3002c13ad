"""AgentAudit: classify, decide, record and enforce every tool call an AI agent makes.

The public names are imported on first use (PEP 562), so `import agentaudit.<module>` costs only
that module: the coding-agent hook (`agentaudit.hooks`) runs on every tool call and must start
in milliseconds, without the classifier, pydantic models or httpx when it does not need them.
"""

from __future__ import annotations

import importlib

from agentaudit._version import __version__

TYPE_CHECKING = False  # `typing` alone is a tenth of the hook's import time

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "classify": "agentaudit.classifier",
    "AgentAudit": "agentaudit.client",
    "AsyncAgentAudit": "agentaudit.client",
    "ActionBlocked": "agentaudit.errors",
    "AgentAuditError": "agentaudit.errors",
    "APIConnectionError": "agentaudit.errors",
    "APIError": "agentaudit.errors",
    "APIStatusError": "agentaudit.errors",
    "APITimeoutError": "agentaudit.errors",
    "AuthenticationError": "agentaudit.errors",
    "BadRequestError": "agentaudit.errors",
    "ConfigurationError": "agentaudit.errors",
    "ConflictError": "agentaudit.errors",
    "InternalServerError": "agentaudit.errors",
    "InvalidInputError": "agentaudit.errors",
    "NotFoundError": "agentaudit.errors",
    "PermissionDeniedError": "agentaudit.errors",
    "RateLimitError": "agentaudit.errors",
    "UnprocessableEntityError": "agentaudit.errors",
    "ValidationError": "agentaudit.errors",
    "Approval": "agentaudit.approvals",
    "approval_matches": "agentaudit.approvals",
    "Classification": "agentaudit.models",
    "Decision": "agentaudit.models",
    "Event": "agentaudit.models",
    "EventIn": "agentaudit.models",
    "EventPage": "agentaudit.models",
    "Policy": "agentaudit.models",
    "RiskLevel": "agentaudit.models",
    "Stats": "agentaudit.models",
    "ClientOptions": "agentaudit.options",
    "decide": "agentaudit.policy",
    "AuditClient": "agentaudit.protocols",
    "AsyncAuditClient": "agentaudit.protocols",
}

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "ActionBlocked",
    "AgentAudit",
    "AgentAuditError",
    "Approval",
    "AsyncAgentAudit",
    "AsyncAuditClient",
    "AuditClient",
    "AuthenticationError",
    "BadRequestError",
    "Classification",
    "ClientOptions",
    "ConfigurationError",
    "ConflictError",
    "Decision",
    "Event",
    "EventIn",
    "EventPage",
    "InternalServerError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "Policy",
    "RateLimitError",
    "RiskLevel",
    "Stats",
    "UnprocessableEntityError",
    "ValidationError",
    "__version__",
    "approval_matches",
    "classify",
    "decide",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'agentaudit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:
    from typing import Any

    from agentaudit.approvals import Approval, approval_matches
    from agentaudit.classifier import classify
    from agentaudit.client import AgentAudit, AsyncAgentAudit
    from agentaudit.errors import (
        ActionBlocked,
        AgentAuditError,
        APIConnectionError,
        APIError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConfigurationError,
        ConflictError,
        InternalServerError,
        InvalidInputError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        UnprocessableEntityError,
        ValidationError,
    )
    from agentaudit.models import (
        Classification,
        Decision,
        Event,
        EventIn,
        EventPage,
        Policy,
        RiskLevel,
        Stats,
    )
    from agentaudit.options import ClientOptions
    from agentaudit.policy import decide
    from agentaudit.protocols import AsyncAuditClient, AuditClient
