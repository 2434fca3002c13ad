"""`agentaudit hook claude-code`: the audit guard as a Claude Code hook.

Claude Code runs the hook's command before (`PreToolUse`) and after (`PostToolUse`) each tool
call, with one JSON object on stdin. Its protocol has one trap a guard must not fall into: only
exit code 2 refuses a call (stderr is then shown to the model as the reason); exit 0 lets it run,
and *any other* exit code — a crash, a missing interpreter — is a non-blocking error, so the tool
runs. With `fail_mode` "closed" (the default) every failure of ours therefore ends in exit 2.

The call is logged like any adapter's: the tool name is the action, `tool_input` the data, and
session, cwd and tool_use_id go in the context. Embedded (a local SQLite file) or remote (an
AgentAudit server: `--url` / `AGENTAUDIT_URL` and `AGENTAUDIT_API_KEY`); a server that cannot be
reached gets the event later from the SDK's disk spool.

Start-up time is the user's latency on every tool call, so this module imports the standard
library only; the remote path stays that way, the embedded path imports the store and classifier
it needs (see benchmarks/hook.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

from agentaudit.hooks import _remote

# The hook starts once per tool call: importing `typing` (and `dataclasses`) would add to every
# start, and the names are only needed by the type checker.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any

ALLOW = 0
REFUSE = 2  # the only exit code that makes Claude Code refuse a tool call
FRAMEWORK = "claude-code"
BLOCK_PREFIX = "Blocked by AgentAudit policy: "

PHASES = {"PreToolUse": "call", "PostToolUse": "result", "PostToolUseFailure": "error"}
MAX_INPUT = 64 * 1024 * 1024  # a hook input larger than this is not one tool call
MAX_ID = 256
STRING_LIMIT = 65_536  # per string in the event; whole small files are classified in full
SMALL_STRING_LIMIT = 4_096  # when the event would still exceed the server's 1 MiB body limit
BODY_LIMIT = 1_000_000
MAX_DEPTH = 24  # the event models refuse nesting deeper than 32
DEFAULT_TIMEOUT = 3.0  # seconds per attempt (two attempts at most)
DRAIN_EVERY = 30.0  # seconds between two background spool drains started by hooks


class HookInputError(ValueError):
    """The hook's stdin is not what Claude Code sends."""


class Settings:
    __slots__ = ("agent_id", "api_key", "db", "environment", "fail_mode", "timeout", "url")

    def __init__(
        self,
        *,
        url: str | None,
        api_key: str | None,
        db: str | None,
        fail_mode: str,
        agent_id: str,
        timeout: float,
        environment: str | None,
    ) -> None:
        self.url = url
        self.api_key = api_key
        self.db = db
        self.fail_mode = fail_mode
        self.agent_id = agent_id
        self.timeout = timeout
        self.environment = environment


class Call:
    __slots__ = ("event", "idempotency_key", "phase")

    def __init__(self, phase: str, event: dict[str, Any], idempotency_key: str) -> None:
        self.phase = phase  # "call" before the tool, "result" / "error" after it
        self.event = event  # agent_id, action, data, context: the body of POST /v1/events
        self.idempotency_key = idempotency_key


class Verdict:
    __slots__ = ("allowed", "event_id", "fallback", "reason")

    def __init__(
        self,
        allowed: bool,
        reason: str | None = None,
        event_id: str | None = None,
        *,
        fallback: bool = False,
    ) -> None:
        self.allowed = allowed
        self.reason = reason
        self.event_id = event_id
        self.fallback = fallback  # no decision could be had; fail_mode decided


# -- entry point ---------------------------------------------------------------------------------
def main(
    argv: list[str] | None = None,
    *,
    stdin: IO[bytes] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run one hook invocation; returns the exit code Claude Code acts on."""
    err = stderr or sys.stderr
    args = sys.argv[1:] if argv is None else argv
    fail_mode = _fail_mode_hint(args)  # known before anything can fail
    phase: str | None = None
    try:
        settings = parse_args(args)
        fail_mode = settings.fail_mode
        raw = (stdin or sys.stdin.buffer).read(MAX_INPUT + 1)
        if len(raw) > MAX_INPUT:
            raise HookInputError(f"the hook input is larger than {MAX_INPUT} bytes")
        call = read_call(raw, settings)
        if call is None:  # not a tool event (SessionStart, Stop, …): nothing to audit
            return ALLOW
        phase = call.phase
        verdict = decide(call, settings)
    except BaseException as exc:  # noqa: BLE001 - a crash must not let a tool run (see above)
        return _failed(exc, fail_mode, phase, err)
    return answer(call, verdict, err)


def parse_args(argv: list[str]) -> Settings:
    parser = argparse.ArgumentParser(
        prog="agentaudit hook claude-code",
        description="Audit one Claude Code tool call (hook JSON on stdin). Exit 0 lets the tool "
        "run, exit 2 refuses it with the reason on stderr.",
    )
    parser.add_argument("--url", help="AgentAudit server (default $AGENTAUDIT_URL; else embedded)")
    parser.add_argument(
        "--db",
        help="embedded SQLite file (default $AGENTAUDIT_DB, else "
        "~/.local/share/agentaudit/agentaudit.db)",
    )
    parser.add_argument(
        "--fail-mode",
        choices=("closed", "open"),
        help="when no decision can be had: closed refuses the call (default), open lets it run",
    )
    parser.add_argument("--agent-id", help=f"agent id in the trail (default {FRAMEWORK})")
    parser.add_argument("--timeout", type=float, help="seconds per attempt to reach the server")
    parser.add_argument("--environment", help="context.environment, e.g. production")
    ns = parser.parse_args(argv)
    env = os.environ
    fail_mode = ns.fail_mode or env.get("AGENTAUDIT_FAIL_MODE") or "closed"
    if fail_mode not in ("closed", "open"):
        raise ValueError(f"AGENTAUDIT_FAIL_MODE must be closed or open, not {fail_mode!r}")
    if ns.url and ns.db:
        raise ValueError("give --url (a server) or --db (embedded), not both")
    url = ns.url or (None if ns.db else env.get("AGENTAUDIT_URL")) or None  # --db beats the env
    timeout = ns.timeout if ns.timeout is not None else DEFAULT_TIMEOUT
    if not 0 < timeout <= 60:
        raise ValueError(f"--timeout must be between 0 and 60 seconds, not {timeout}")
    return Settings(
        url=_remote.normalise_url(url) if url else None,
        api_key=env.get("AGENTAUDIT_API_KEY") or None,
        db=ns.db or env.get("AGENTAUDIT_DB") or None,
        fail_mode=fail_mode,
        agent_id=(ns.agent_id or env.get("AGENTAUDIT_AGENT_ID") or FRAMEWORK)[:MAX_ID],
        timeout=timeout,
        environment=ns.environment or env.get("AGENTAUDIT_ENVIRONMENT") or None,
    )


def _fail_mode_hint(argv: list[str]) -> str:
    """The fail mode as far as it can be known without parsing anything that could fail."""
    for i, arg in enumerate(argv):
        if arg == "--fail-mode=open" or (arg == "--fail-mode" and argv[i + 1 : i + 2] == ["open"]):
            return "open"
    return "open" if os.environ.get("AGENTAUDIT_FAIL_MODE") == "open" else "closed"


# -- the hook input as an event ----------------------------------------------------------------
def read_call(raw: bytes, settings: Settings) -> Call | None:
    """The event for one hook input; None for hook events that are not tool calls."""
    try:
        payload = json.loads(raw)
    except ValueError as exc:
        raise HookInputError(f"the hook input is not JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise HookInputError("the hook input is not a JSON object")
    hook_event = payload.get("hook_event_name")
    phase = PHASES.get(hook_event) if isinstance(hook_event, str) else None
    if phase is None:
        return None
    tool = payload.get("tool_name")
    if not isinstance(tool, str) or not tool.strip():
        raise HookInputError(f"{hook_event} input without a tool_name")
    context: dict[str, Any] = {"framework": FRAMEWORK, "hook_event": hook_event}
    for key in ("session_id", "tool_use_id", "cwd", "permission_mode", "transcript_path"):
        value = payload.get(key)
        if isinstance(value, str) and value:
            context[key] = value
    if settings.environment:
        context["environment"] = settings.environment
    if phase == "call":
        action = tool
        tool_input = payload.get("tool_input", {})
        data = tool_input if isinstance(tool_input, dict) else {"input": tool_input}
    else:
        action = f"{tool}.{phase}"
        context["phase"] = phase
        if phase == "error":
            data = {"error": payload.get("error", payload.get("tool_response"))}
        else:
            data = {"result": payload.get("tool_response")}
    event = {
        "agent_id": settings.agent_id,
        "action": action[:MAX_ID],
        "data": data,
        "context": context,
    }
    return Call(phase, fit(event), _idempotency_key(context, phase))


def _idempotency_key(context: dict[str, Any], phase: str) -> str:
    """Claude Code may run a hook twice for one call; the trail must hold it once."""
    use_id = context.get("tool_use_id")
    if not use_id:
        return os.urandom(16).hex()
    key = f"claude-code:{context.get('session_id', '')}:{use_id}:{phase}"
    return key if len(key) <= 255 else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def fit(event: dict[str, Any]) -> dict[str, Any]:
    """The event within the server's body limit: long strings cut (and marked), as the adapters
    do with tool arguments; a small file written or read is still classified whole."""
    data = _bounded(event["data"], STRING_LIMIT, 0)
    bounded = {**event, "data": data}
    if data != event["data"]:
        bounded["context"] = {**event["context"], "truncated": True}
    if len(json.dumps(bounded)) > BODY_LIMIT:
        bounded["data"] = _bounded(event["data"], SMALL_STRING_LIMIT, 0)
        bounded["context"] = {**event["context"], "truncated": True}
        text = json.dumps(bounded["data"])
        if len(text) > BODY_LIMIT // 2:
            bounded["data"] = {"input": text[: BODY_LIMIT // 2] + "…[truncated]"}
    return bounded


def _bounded(value: Any, limit: int, depth: int) -> Any:
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…[truncated]"
    if isinstance(value, dict):
        if depth >= MAX_DEPTH:
            return _bounded(json.dumps(value), limit, depth)
        return {str(k)[:MAX_ID]: _bounded(v, limit, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        if depth >= MAX_DEPTH:
            return _bounded(json.dumps(value), limit, depth)
        return [_bounded(v, limit, depth + 1) for v in value]
    if isinstance(value, float) and (value != value or abs(value) == float("inf")):
        return str(value)  # JSON has no NaN or Infinity
    return value


# -- deciding ---------------------------------------------------------------------------------------
def decide(call: Call, settings: Settings) -> Verdict:
    if settings.url:
        return _decide_remote(call, settings)
    return _decide_embedded(call, settings)


def _decide_embedded(call: Call, settings: Settings) -> Verdict:
    from agentaudit.embedded import EmbeddedBackend
    from agentaudit.models import EventIn

    # a process per tool call: the session's results are kept in the file for the next one
    backend = EmbeddedBackend(settings.db or default_db_path(), shared_sessions=True)
    try:
        event = backend.log(EventIn(**call.event), call.idempotency_key, wait=True)
    finally:
        backend.close()
    return Verdict(event.decision == "allow", event.reason, event.id)


def default_db_path() -> str:
    """Not the SDK's ./agentaudit.db: the hook (and the MCP commands, which a client may start
    in any directory) run in every project, and the trail belongs outside the repositories the
    agent edits."""
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    directory = Path(data) / "agentaudit"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return str(directory / "agentaudit.db")


def _decide_remote(call: Call, settings: Settings) -> Verdict:
    assert settings.url is not None
    if not settings.api_key:
        raise ValueError("remote mode needs an API key in AGENTAUDIT_API_KEY")
    body = json.dumps(call.event, allow_nan=False).encode()
    try:
        event = _remote.post_event(
            settings.url, settings.api_key, body, call.idempotency_key, settings.timeout
        )
    except _remote.Unavailable as exc:
        spool(call, settings, exc)
        return Verdict(
            settings.fail_mode == "open", f"audit unavailable: {exc}", None, fallback=True
        )
    try:  # noqa: SIM105 - contextlib is not worth its import time here
        maybe_drain(settings)
    except OSError:  # the next call (or any SDK client) sends the spool; the verdict stands
        pass
    return Verdict(event["decision"] == "allow", event.get("reason"), event.get("id"))


def spool(call: Call, settings: Settings, error: BaseException) -> None:
    """Keep the event in the SDK's spool, marked as decided by fail_mode (as the SDK marks its
    own fallbacks), for whichever client reaches the server next."""
    from agentaudit.spool import Record, Spool, spool_dir, spool_secret

    assert settings.url is not None and settings.api_key is not None
    decision = "allow" if settings.fail_mode == "open" else "block"
    event = {
        **call.event,
        "context": {
            **call.event["context"],
            "audit_fallback": True,
            "audit_fallback_decision": decision,
        },
    }
    spool = Spool(
        spool_dir(settings.url, settings.api_key),
        secret=spool_secret(settings.url, settings.api_key),
    )
    spool.append([Record(call.idempotency_key, event)])


def maybe_drain(settings: Settings) -> None:
    """The server answered: if the spool holds events, send them from a detached process (the
    hook itself returns at once). At most one start per DRAIN_EVERY seconds."""
    assert settings.url is not None and settings.api_key is not None
    directory = _remote.spool_directory(settings.url, settings.api_key)
    if not _remote.spool_pending(directory):
        return
    marker = directory / "hook-drain.started"
    import time

    try:
        if time.time() - marker.stat().st_mtime < DRAIN_EVERY:
            return
    except FileNotFoundError:
        pass
    marker.touch()
    import subprocess

    subprocess.Popen(
        [sys.executable, "-P", "-m", "agentaudit", "hook", "drain", "--url", settings.url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def drain(argv: list[str]) -> int:
    """`agentaudit hook drain --url URL`: send what hooks spooled for that server (the SDK's
    remote client does the sending, retrying and rejecting)."""
    parser = argparse.ArgumentParser(prog="agentaudit hook drain")
    parser.add_argument("--url", required=True)
    ns = parser.parse_args(argv)
    from agentaudit.client import AgentAudit

    with AgentAudit(base_url=ns.url) as audit:
        audit.flush()
    return 0


# -- answering -------------------------------------------------------------------------------------
def answer(call: Call, verdict: Verdict, stderr: IO[str]) -> int:
    if call.phase != "call":  # after the tool: recorded, nothing left to enforce
        return ALLOW
    if verdict.allowed:
        if verdict.fallback:
            stderr.write(f"AgentAudit: {verdict.reason}; fail_mode=open lets the call run\n")
        return ALLOW
    if verdict.fallback:
        stderr.write(
            f"Blocked by AgentAudit: no audit decision could be had ({verdict.reason}), and "
            "fail_mode=closed refuses tool calls then. The call is recorded and reaches the "
            "audit trail when the server is back.\n"
        )
        return REFUSE
    where = f" (audit event {verdict.event_id})" if verdict.event_id else ""
    stderr.write(f"{BLOCK_PREFIX}{verdict.reason or 'blocked'}{where}\n")
    return REFUSE


def _failed(exc: BaseException, fail_mode: str, phase: str | None, stderr: IO[str]) -> int:
    if isinstance(exc, SystemExit) and exc.code in (0, None):  # --help
        return ALLOW
    what = _describe(exc)
    if phase in ("result", "error"):  # the tool already ran: nothing to refuse
        stderr.write(f"AgentAudit: could not record the tool's result: {what}\n")
        return ALLOW
    if fail_mode == "open":
        stderr.write(f"AgentAudit: {what}; fail_mode=open lets the call run\n")
        return ALLOW
    stderr.write(
        f"Blocked by AgentAudit: the audit hook failed ({what}), and fail_mode=closed refuses "
        "tool calls then.\n"
    )
    return REFUSE


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return "invalid hook arguments (see the usage above)"
    if isinstance(exc, HookInputError | _remote.Refused):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"[:1000]
