"""Coding-agent hooks: the audit guard as a command an agent runs before and after each tool.

Import-light on purpose: the hook starts once per tool call, so its start-up time is the user's
latency (see `agentaudit.hooks.claude_code` and benchmarks/hook.py).
"""
