"""`agentaudit` command line: demo, events, erase, export here; `verify` in integrity.py; `db`/`purge`, `serve`/`keys`, `hook`
and the AI Act's commands in this package's modules."""

from __future__ import annotations

import csv
import json
import platform
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table
from ulid import ULID

from agentaudit._version import __version__
from agentaudit.cli import target as target_options
from agentaudit.cli.target import announce, fail, resolve, shown
from agentaudit.client import AgentAudit
from agentaudit.errors import AgentAuditError
from agentaudit.extras import explain
from agentaudit.models import Event, SecretType

if TYPE_CHECKING:
    from agentaudit.export import Selection

app = typer.Typer(
    help="AgentAudit: audit and guard every tool call your AI agents make.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

DbOption = target_options.DbOption
DatabaseUrlOption = target_options.DatabaseUrlOption
UrlOption = target_options.ServerUrlOption
KeyOption = target_options.KeyOption


def _print_version(value: bool) -> None:
    if not value:
        return
    from agentaudit.classifier._speedups import engine_status

    _, engine = engine_status()
    console.print(f"agentaudit {__version__} (Python {platform.python_version()})", highlight=False)
    console.print(f"classifier engine: {engine}", highlight=False, soft_wrap=True)
    raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and which classifier engine runs (compiled or Python), then exit.",
        ),
    ] = False,
) -> None:
    """AgentAudit: audit and guard every tool call your AI agents make."""


RISK_STYLE = {"low": "green", "medium": "yellow", "high": "red", "critical": "bold white on red"}


def open_client(
    db: Path | None,
    database_url: str | None = None,
    url: str | None = None,
    api_key: str | None = None,
    *,
    remote: bool = True,
    data_on_stdout: bool = False,
) -> AgentAudit:
    """The client for the store or server the flags or the environment name (cli/target.py),
    announced in the command's first line."""
    place = resolve(db, database_url, url, remote=remote)
    announce(place, data_on_stdout=data_on_stdout)
    try:
        if place.kind == "server":
            return AgentAudit(api_key=api_key, base_url=place.location)
        return AgentAudit(db_path=place.target)
    except AgentAuditError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None


def events_table(events: list[Event], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False)
    for column in ("time", "agent", "action", "risk", "pii", "secrets", "decision", "reason"):
        table.add_column(column, overflow="fold")
    for e in events:
        risk = str(e.risk_level)
        table.add_row(
            e.created_at.strftime("%H:%M:%S"),
            e.agent_id,
            e.action,
            f"[{RISK_STYLE[risk]}]{risk}[/]",
            ", ".join(e.pii_fields),
            ", ".join(e.secret_fields),
            _DECISION_SHOWN.get(str(e.decision), str(e.decision)),
            e.reason or "",
        )
    return table


_DECISION_SHOWN = {"block": "[bold red]BLOCK[/]", "review": "[bold yellow]REVIEW[/]"}


@app.command()
def demo(db: DbOption = None, database_url: DatabaseUrlOption = None) -> None:
    """Push a scripted agent session through the embedded client and print the audit trail."""
    from agentaudit.demo import run_demo

    with open_client(db, database_url, remote=False) as audit:
        session = f"demo-{ULID()}"
        events = run_demo(audit, session)
        console.print(events_table(events, title=f"Audit trail of session {session}"))
        blocked = sum(e.blocked for e in events)
        console.print(
            f"{len(events)} tool calls audited, {blocked} blocked before they could run. "
            f"Stored in {escape(shown(audit.location))}."
        )
        result = audit.verify()
        console.print(("[green]" if result.ok else "[red]") + result.describe())


@app.command()
def events(
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
    agent_id: Annotated[str | None, typer.Option(help="only this agent")] = None,
    action: Annotated[str | None, typer.Option(help="only this action")] = None,
    risk_level: Annotated[
        str | None, typer.Option("--risk", help="low|medium|high|critical")
    ] = None,
    decision: Annotated[str | None, typer.Option(help="allow|block")] = None,
    pii: Annotated[bool | None, typer.Option("--pii/--no-pii", help="with/without PII")] = None,
    session_id: Annotated[str | None, typer.Option(help="only this session")] = None,
    secret_type: Annotated[
        str | None,
        typer.Option(
            help="only events that carried this secret type: api_key|access_token|password|"
            "private_key|db_connection_string"
        ),
    ] = None,
    after: Annotated[datetime | None, typer.Option(help="created at or after (ISO 8601)")] = None,
    before: Annotated[datetime | None, typer.Option(help="created before (ISO 8601)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """List events, newest first, as a table or JSON lines."""
    with open_client(db, database_url, url, api_key, data_on_stdout=as_json) as audit:
        try:
            page = audit.list_events(
                agent_id=agent_id,
                action=action,
                risk_level=risk_level,
                decision=decision,
                pii_detected=pii,
                session_id=session_id,
                # checked where the filter is built (an unknown type is refused, exit 2)
                secret_type=cast("SecretType | None", secret_type),
                after=after,
                before=before,
                limit=limit,
                offset=offset,
            )
        except AgentAuditError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        if as_json:
            for e in page.events:
                sys.stdout.write(e.model_dump_json() + "\n")
            return
        console.print(events_table(page.events))
        console.print(f"{len(page.events)} of {page.total} events (offset {page.offset})")


@app.command()
def erase(
    event_id: Annotated[str, typer.Argument(help="the event whose payload to erase")],
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
) -> None:
    """Erase one event's data, context and reasoning (GDPR Art. 17). The chain still verifies,
    and records the erasure: who (the API key, or the local user) and when."""
    with open_client(db, database_url, url, api_key) as audit:
        try:
            erased = audit.erase(event_id)
        except (AgentAuditError, ValueError) as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
    if not erased:
        err_console.print(f"no payload to erase: no event {event_id!r}, or it was erased already")
        raise typer.Exit(1)
    console.print(f"erased the payload of {event_id}; the erasure is recorded in the chain")


EXPORT_COLUMNS = (
    "id",
    "created_at",
    "agent_id",
    "action",
    "risk_level",
    "pii_detected",
    "pii_fields",
    "secret_fields",
    "frameworks",
    "decision",
    "reason",
    "data",
    "context",
    "reasoning",
)


@app.command()
def export(
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file (default stdout)")
    ] = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="the organisation (name; default: the only one, or default)"),
    ] = None,
    from_seq: Annotated[
        int,
        typer.Option(
            "--from-seq",
            min=1,
            help="first seq of a range: 1, or right after a checkpoint (the range's anchor)",
        ),
    ] = 1,
    to_seq: Annotated[
        int | None, typer.Option("--to-seq", min=1, help="last seq (default: the head)")
    ] = None,
    agent_id: Annotated[str | None, typer.Option(help="select this agent's events")] = None,
    action: Annotated[str | None, typer.Option(help="select this action's events")] = None,
    risk_level: Annotated[
        str | None, typer.Option("--risk", help="select events of this risk level")
    ] = None,
    decision: Annotated[str | None, typer.Option(help="select allow|block|review")] = None,
    pii_type: Annotated[
        str | None, typer.Option(help="select events that carried this PII type")
    ] = None,
    secret_type: Annotated[
        str | None, typer.Option(help="select events that carried this secret type")
    ] = None,
    after: Annotated[datetime | None, typer.Option(help="select from this instant")] = None,
    before: Annotated[datetime | None, typer.Option(help="select before this instant")] = None,
) -> None:
    """Export events, oldest first. From a store, JSON lines are a verifiable export: every
    chained field, hash and payload digest, and the checkpoints that cover the range, checked
    offline by `agentaudit verify --file F --public-key KEY` (docs/integrity.md). With
    $AGENTAUDIT_SIGNING_KEY set, the head is signed first and the file as a whole too. The
    selection options (--agent-id … --before) export the events they match with the chain
    around them (the others' payloads withheld); `verify` re-applies them. From a server
    (--url), and as CSV, the events as the API shows them (not verifiable)."""
    from agentaudit.export import Selection

    if fmt not in ("jsonl", "csv"):
        err_console.print(f"[red]error:[/red] --format must be jsonl or csv, not {fmt!r}")
        raise typer.Exit(2)
    try:
        selection = Selection.of(
            agent_id=agent_id,
            action=action,
            risk_level=risk_level,
            decision=decision,
            pii_type=pii_type,
            secret_type=secret_type,
            after=after,
            before=before,
        )
    except ValueError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    place = resolve(db, database_url, url, remote=True)
    if fmt == "jsonl" and place.kind != "server":
        announce(place, data_on_stdout=output is None)
        _verifiable_export(place.target, output, org, from_seq, to_seq, selection)
        return
    if from_seq != 1 or to_seq is not None or org is not None or selection is not None:
        err_console.print(
            "[red]error:[/red] --org, --from-seq, --to-seq and the selection options are for a"
            " verifiable export (JSON lines from a store)"
        )
        raise typer.Exit(2)
    out = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        with open_client(db, database_url, url, api_key, data_on_stdout=output is None) as audit:
            total = audit.get_stats().total_events
            writer = csv.writer(out) if fmt == "csv" else None
            if writer:
                writer.writerow(EXPORT_COLUMNS)
            with Progress(console=err_console, transient=True, disable=total < 5000) as progress:
                task = progress.add_task("exporting", total=total)
                for e in audit.iter_events():
                    if writer:
                        row = e.model_dump(mode="json")
                        writer.writerow(
                            [
                                json.dumps(row[c]) if isinstance(row[c], dict | list) else row[c]
                                for c in EXPORT_COLUMNS
                            ]
                        )
                    else:
                        out.write(e.model_dump_json() + "\n")
                    progress.advance(task)
    except AgentAuditError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    finally:
        if output:
            out.close()


def _verifiable_export(
    target: str,
    output: Path | None,
    org: str | None,
    from_seq: int,
    to_seq: int | None,
    selection: Selection | None,
) -> None:
    from agentaudit.cli.db import open_existing, orgs_named
    from agentaudit.export import ExportError, write_export
    from agentaudit.signing import Checkpointer, Signer, SigningKeyError

    try:
        signer = Signer.from_env()
    except SigningKeyError as exc:
        fail(str(exc))
    store = open_existing(target)
    try:
        if org is None:
            orgs = store.list_orgs()
            named = [o for o in orgs if o.name == "default"]
            if len(orgs) != 1 and not named:
                names = ", ".join(repr(o.name) for o in orgs) or "none"
                fail(f"the store holds several organisations ({names}): say which with --org")
            chosen = orgs[0] if len(orgs) == 1 else named[0]
        else:
            chosen = orgs_named(store, org)[0]
        if signer is not None:  # the head as it is now, signed: the export ends proven
            Checkpointer(store, signer).sign_due(all_moved=True)
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            summary = write_export(
                store,
                chosen.id,
                chosen.name,
                out,
                first_seq=from_seq,
                last_seq=to_seq,
                signer=signer,
                selection=selection,
            )
        except ExportError as exc:
            if output:
                out.close()
                output.unlink(missing_ok=True)  # no half-written export left behind
            fail(str(exc))
        finally:
            if output:
                out.close()
    finally:
        store.close()
    picked = f"; {summary.selected} selected by {selection.describe()}" if selection else ""
    err_console.print(
        f"exported seq {summary.first_seq} to {summary.last_seq} of {escape(chosen.name)}"
        f" ({summary.events} events{picked}, {summary.checkpoints} checkpoint(s)"
        + (", the file signed" if summary.signed else "")
        + "); check it with `agentaudit verify --file FILE --public-key KEY`",
        highlight=False,
    )


def _register_optional_commands() -> None:
    """The command groups of this package, one module each: `db`/`purge` (the store itself),
    `serve`/`keys`, `hook`, the AI Act's `systems`/`compliance`/`report`, `policy`, `subjects`."""
    from agentaudit.cli import ai_act, db, hook, integrity, policy, serve, subjects

    app.command("verify")(integrity.verify)
    for group in (db, serve, hook, ai_act, policy, subjects):
        group.register(app)
    # The MCP gateway and trail server wrap the adapters' guard, so they live with the adapters.
    __import__("agentaudit_integrations.mcp_commands", fromlist=["register"]).register(app)


_register_optional_commands()


def main() -> None:
    """The `agentaudit` command: `app`, with a missing extra said in one line, not a traceback."""
    try:
        app()
    except ImportError as exc:
        missing = explain(exc, f"`agentaudit {_command(sys.argv[1:])}`")
        if missing is None:
            raise
        err_console.print(f"[red]error:[/red] {escape(str(missing))}", soft_wrap=True)
        raise SystemExit(2) from None


def _command(args: list[str]) -> str:
    """The command's words (`db upgrade`), without its options."""
    words = []
    for arg in args:
        if arg.startswith("-"):
            break
        words.append(arg)
    return " ".join(words) or "this command"
