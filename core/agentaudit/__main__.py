"""`agentaudit` / `python -m agentaudit`: the command line, with a fast lane for the hook.

`agentaudit hook claude-code` runs on every tool call of a coding agent, so it must not pay for
the full command line (typer, rich, the pydantic models, the client): it is dispatched here,
before any of that is imported. Everything else goes to `agentaudit.cli.main`.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["hook"] and args[1:2] in (["claude-code"], ["drain"]):
        raise SystemExit(_hook(args[1], args[2:]))
    from agentaudit.cli import main as cli_main

    cli_main()


def _hook(command: str, args: list[str]) -> int:
    try:
        from agentaudit.hooks import claude_code
    except BaseException as exc:  # a broken install must not let tool calls through silently
        fail_open = (
            "--fail-mode=open" in args
            or ["--fail-mode", "open"] in [args[i : i + 2] for i in range(len(args))]
            or os.environ.get("AGENTAUDIT_FAIL_MODE") == "open"
        )
        verdict = "fail_mode=open lets the call run" if fail_open else "the call is refused"
        sys.stderr.write(f"AgentAudit: the hook cannot start ({exc!r}); {verdict}.\n")
        return 0 if fail_open else 2
    if command == "drain":
        return claude_code.drain(args)
    return claude_code.main(args)


if __name__ == "__main__":
    main()
