"""The Claude Code settings entry that runs the hook, printed or merged into a settings file.

The command names this environment's interpreter by absolute path (`-P`: a project directory
named `agentaudit` cannot shadow the package), so it does not depend on the PATH Claude Code
sees. Under fail_mode "closed" it ends in `|| exit 2`: Claude Code treats any exit code but 2 as
"let the tool run", so an interpreter that is gone (127) or a crash (1) must still refuse.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

HOOK_EVENTS = ("PreToolUse", "PostToolUse")
MARKER = "-m agentaudit hook claude-code"  # how our entries are recognised on re-install
DEFAULT_MATCHER = "*"  # every tool: Bash, Write, Edit, Read, WebFetch, mcp__…
DEFAULT_TIMEOUT = 30  # seconds Claude Code waits for the hook

SCOPES = ("project", "local", "user", "managed")


class SettingsError(Exception):
    """The settings file cannot be read or written as asked (the message says why)."""


def hook_command(
    *,
    url: str | None = None,
    db: str | None = None,
    fail_mode: str = "closed",
    agent_id: str | None = None,
    environment: str | None = None,
    python: str | None = None,
) -> str:
    args = [python or sys.executable, "-P", "-m", "agentaudit", "hook", "claude-code"]
    if url:
        args += ["--url", url]
    if db:
        args += ["--db", str(Path(db).expanduser().resolve())]
    if fail_mode != "closed":
        args += ["--fail-mode", fail_mode]
    if agent_id:
        args += ["--agent-id", agent_id]
    if environment:
        args += ["--environment", environment]
    command = shlex.join(args)
    return f"{command} || exit 2" if fail_mode == "closed" else command


def hooks_entry(
    command: str, *, matcher: str = DEFAULT_MATCHER, timeout: int = DEFAULT_TIMEOUT
) -> dict[str, Any]:
    """The `hooks` object of a settings file: the same command before and after each tool."""
    group = {
        "matcher": matcher,
        "hooks": [{"type": "command", "command": command, "timeout": timeout}],
    }
    return {"hooks": {event: [json.loads(json.dumps(group))] for event in HOOK_EVENTS}}


def settings_path(scope: str, project_dir: str | Path | None = None) -> Path:
    """Where Claude Code reads settings of each scope (managed: set by an administrator,
    users cannot override it)."""
    project = Path(project_dir or os.getcwd())
    if scope == "project":
        return project / ".claude" / "settings.json"
    if scope == "local":
        return project / ".claude" / "settings.local.json"
    if scope == "user":
        return Path.home() / ".claude" / "settings.json"
    if scope == "managed":
        if sys.platform == "darwin":
            return Path("/Library/Application Support/ClaudeCode/managed-settings.json")
        return Path("/etc/claude-code/managed-settings.json")
    raise SettingsError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")


def merge(settings: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """`settings` with our hook entries replacing any earlier ones; everything else kept."""
    out = remove(settings)
    hooks = out.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise SettingsError('"hooks" in the settings file is not an object')
    for event, groups in entry["hooks"].items():
        current = hooks.setdefault(event, [])
        if not isinstance(current, list):
            raise SettingsError(f'"hooks.{event}" in the settings file is not a list')
        current.extend(groups)
    return out


def remove(settings: dict[str, Any]) -> dict[str, Any]:
    """`settings` without our hook entries (other hooks, and other settings, untouched)."""
    out = json.loads(json.dumps(settings))
    hooks = out.get("hooks")
    if not isinstance(hooks, dict):
        return out
    for event in HOOK_EVENTS:
        groups = hooks.get(event)
        if not isinstance(groups, list):
            continue
        kept = []
        for group in groups:
            if isinstance(group, dict) and isinstance(group.get("hooks"), list):
                inner = [h for h in group["hooks"] if not _ours(h)]
                if not inner and group["hooks"]:
                    continue
                group = {**group, "hooks": inner}
            kept.append(group)
        if kept:
            hooks[event] = kept
        else:
            del hooks[event]
    if not hooks:
        del out["hooks"]
    return out


def _ours(hook: Any) -> bool:
    return isinstance(hook, dict) and MARKER in str(hook.get("command", ""))


def read_settings(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SettingsError(f"cannot read {path}: {exc}; it was left as it is") from None
    if not isinstance(value, dict):
        raise SettingsError(f"{path} does not hold a JSON object; it was left as it is")
    return value


def write_settings(path: Path, settings: dict[str, Any]) -> None:
    """Atomically (a reader never sees half a file), keeping the file's permissions."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(settings, out, indent=2)
                out.write("\n")
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise SettingsError(f"cannot write {path}: {exc}") from None
