"""What an idempotency key binds: a digest of the request it was first sent with.

A key stands for one request. The same key with the same request is a replay (the stored event
is answered, nothing is stored again); with another request it is refused, as Stripe does:
otherwise a second, different call (another agent, `rm -rf /`) would be answered with the first
one's event and never recorded.

The digest covers the event as validated (agent_id, action, data, context, reasoning) in
canonical JSON, so spacing and key order do not matter. The two context markers the SDK adds
when it falls back and spools an event (`audit_fallback`, `audit_fallback_decision`, see
`agentaudit._http.fallback`) are left out: a spooled copy re-sent under its key is the same
request, whether or not the first attempt reached the server.
"""

from __future__ import annotations

import hashlib

from agentaudit.models import EventIn
from agentaudit.store.chain import canonical

FALLBACK_MARKERS = frozenset({"audit_fallback", "audit_fallback_decision"})


def request_digest(event: EventIn) -> str:
    context = event.context
    if not FALLBACK_MARKERS.isdisjoint(context):
        context = {k: v for k, v in context.items() if k not in FALLBACK_MARKERS}
    body = canonical(
        {
            "action": event.action,
            "agent_id": event.agent_id,
            "context": context,
            "data": event.data,
            "reasoning": event.reasoning,
        }
    )
    return hashlib.sha256(body.encode()).hexdigest()
