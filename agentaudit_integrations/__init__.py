"""Framework adapters for AgentAudit: one small module per framework over a shared guard.

Importing this package (or an adapter module) imports no agent framework; each adapter imports
its framework when first used and names the extra to install when it is missing.
"""

from agentaudit_integrations._guard import BLOCK_PREFIX, ToolCall, ToolCallGuard, Verdict

__all__ = ["BLOCK_PREFIX", "ToolCall", "ToolCallGuard", "Verdict"]
