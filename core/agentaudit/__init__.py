"""AgentAudit: classify, decide, record and enforce every tool call an AI agent makes."""
