"""AgentAudit: classify, decide, record and enforce every tool call an AI agent makes."""

from agentaudit.classifier import classify
from agentaudit.client import AgentAudit, AsyncAgentAudit
from agentaudit.errors import (
    ActionBlocked,
    AgentAuditError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    RateLimitError,
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
from agentaudit.policy import decide

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "ActionBlocked",
    "AgentAudit",
    "AgentAuditError",
    "AsyncAgentAudit",
    "AuthenticationError",
    "Classification",
    "ConfigurationError",
    "Decision",
    "Event",
    "EventIn",
    "EventPage",
    "NotFoundError",
    "Policy",
    "RateLimitError",
    "RiskLevel",
    "Stats",
    "ValidationError",
    "classify",
    "decide",
]
