"""`agentaudit hook claude-code | install | uninstall | drain`.

`agentaudit hook claude-code` normally never reaches this module: `agentaudit.__main__` runs it
before typer is even imported (start-up time). These commands make it visible in `--help` and
run the same function when the CLI is entered another way.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from agentaudit.hooks import install as inst

hook_app = typer.Typer(
    help="Coding-agent hooks: audit (and refuse) every tool call of Claude Code.",
    no_args_is_help=True,
)
AGENTS = ("claude-code",)
PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}


def register(app: typer.Typer) -> None:
    app.add_typer(hook_app, name="hook")


@hook_app.command("claude-code", context_settings=PASS_THROUGH)
def claude_code(ctx: typer.Context) -> None:
    """Audit one Claude Code tool call (hook JSON on stdin): exit 0 lets it run, exit 2 refuses
    it with the reason on stderr. Options: --url, --db, --fail-mode, --agent-id, --timeout,
    --environment (--help for details)."""
    from agentaudit.hooks.claude_code import main

    raise typer.Exit(main(list(ctx.args)))


@hook_app.command("drain", hidden=True, context_settings=PASS_THROUGH)
def drain(ctx: typer.Context) -> None:
    """Send what hooks spooled while the server was away (started by the hook itself)."""
    from agentaudit.hooks.claude_code import drain as run

    raise typer.Exit(run(list(ctx.args)))


Agent = Annotated[str, typer.Argument(help="the coding agent: claude-code")]
Scope = Annotated[
    str,
    typer.Option(
        help="which settings file: project (.claude/settings.json), local "
        "(.claude/settings.local.json), user (~/.claude/settings.json), managed (all users)"
    ),
]
ProjectDir = Annotated[
    Path | None, typer.Option(help="the project for --scope project/local (default: cwd)")
]
SettingsFile = Annotated[
    Path | None, typer.Option("--settings", help="this settings file instead of --scope's")
]


@hook_app.command("install")
def install(
    agent: Agent,
    write: Annotated[bool, typer.Option("--write", help="merge into the settings file")] = False,
    scope: Scope = "project",
    project_dir: ProjectDir = None,
    settings: SettingsFile = None,
    url: Annotated[
        str | None,
        typer.Option(envvar="AGENTAUDIT_URL", help="AgentAudit server (default: embedded)"),
    ] = None,
    db: Annotated[Path | None, typer.Option(help="embedded SQLite file")] = None,
    fail_mode: Annotated[
        str, typer.Option(help="closed: refuse calls when no decision can be had; open: run them")
    ] = "closed",
    agent_id: Annotated[str | None, typer.Option(help="agent id in the trail")] = None,
    environment: Annotated[
        str | None, typer.Option(help="context.environment of every call, e.g. production")
    ] = None,
    matcher: Annotated[
        str, typer.Option(help="which tools, as a Claude Code matcher")
    ] = inst.DEFAULT_MATCHER,
    timeout: Annotated[
        int, typer.Option(min=1, max=600, help="seconds Claude Code waits for the hook")
    ] = inst.DEFAULT_TIMEOUT,
) -> None:
    """Print the Claude Code settings entry that runs the hook, or merge it in with --write."""
    _check_agent(agent)
    if fail_mode not in ("closed", "open"):
        _fail(f"--fail-mode must be closed or open, not {fail_mode!r}")
    if url and db:
        _fail("give --url (a server) or --db (embedded), not both")
    command = inst.hook_command(
        url=url,
        db=str(db) if db else None,
        fail_mode=fail_mode,
        agent_id=agent_id,
        environment=environment,
    )
    entry = inst.hooks_entry(command, matcher=matcher, timeout=timeout)
    if url:
        sys.stderr.write(
            "The hook reads its API key from AGENTAUDIT_API_KEY in Claude Code's environment "
            "(it is not written into the settings).\n"
        )
    if not write:
        sys.stdout.write(json.dumps(entry, indent=2) + "\n")
        sys.stderr.write(
            "Merge this into .claude/settings.json (project), ~/.claude/settings.json (user) or "
            "the managed settings, or run again with --write.\n"
        )
        return
    path = _path(scope, project_dir, settings)
    try:
        inst.write_settings(path, inst.merge(inst.read_settings(path), entry))
    except inst.SettingsError as exc:
        _fail(str(exc))
    sys.stdout.write(
        f"AgentAudit hook installed in {path} (PreToolUse and PostToolUse, matcher "
        f"{matcher!r}, fail_mode {fail_mode}).\n"
    )


@hook_app.command("uninstall")
def uninstall(
    agent: Agent,
    scope: Scope = "project",
    project_dir: ProjectDir = None,
    settings: SettingsFile = None,
) -> None:
    """Remove the AgentAudit hook from a settings file (other hooks and settings are kept)."""
    _check_agent(agent)
    path = _path(scope, project_dir, settings)
    try:
        current = inst.read_settings(path)
        cleaned = inst.remove(current)
        if cleaned != current:
            inst.write_settings(path, cleaned)
    except inst.SettingsError as exc:
        _fail(str(exc))
    state = "removed from" if cleaned != current else "was not in"
    sys.stdout.write(f"AgentAudit hook {state} {path}.\n")


def _path(scope: str, project_dir: Path | None, settings: Path | None) -> Path:
    if settings is not None:
        return settings
    try:
        return inst.settings_path(scope, project_dir)
    except inst.SettingsError as exc:
        _fail(str(exc))
        raise  # unreachable: _fail exits


def _check_agent(agent: str) -> None:
    if agent not in AGENTS:
        _fail(f"unknown coding agent {agent!r}; supported: {', '.join(AGENTS)}")


def _fail(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(2)
