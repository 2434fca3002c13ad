"""AgentAudit: classify, decide, record and enforce every tool call an AI agent makes."""

from agentaudit._version import __version__
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

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "ActionBlocked",
    "AgentAudit",
    "AgentAuditError",
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
    "classify",
    "decide",
]
