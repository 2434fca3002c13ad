"""Framework adapters for AgentAudit: one small module per framework over what they share.

`_guard` turns a tool call into an enforced verdict; `_common` holds the rest every adapter
needs (the framework import naming its extra, `ToolError`, the bounded `RecentCalls` cache, the
constructor checks). An adapter depends on the client only through `agentaudit.AuditClient`
(`mode`, `fail_mode`, `log`). Importing this package (or an adapter module) imports no agent
framework; each adapter imports its framework when first used.
"""

from agentaudit_integrations._guard import BLOCK_PREFIX, ToolCall, ToolCallGuard, Verdict

__all__ = ["BLOCK_PREFIX", "ToolCall", "ToolCallGuard", "Verdict"]
