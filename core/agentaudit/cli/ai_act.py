"""`agentaudit systems …`, `agentaudit compliance status` and `agentaudit report ai-act | fria`:
the AI Act register from the command line, embedded (`--db`) or against a server (`--url`)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agentaudit.cli import target as target_options
from agentaudit.cli.target import announce, resolve
from agentaudit.client import AgentAudit
from agentaudit.errors import AgentAuditError

systems_app = typer.Typer(help="The register of AI systems (EU AI Act).", no_args_is_help=True)
compliance_app = typer.Typer(help="AI Act compliance status.", no_args_is_help=True)
report_app = typer.Typer(help="Reports: AI Act compliance, FRIA.", no_args_is_help=True)

console = Console()
err_console = Console(stderr=True)
# the same options as every command's (cli/target.py: one way to point at a store)
DbOption = target_options.DbOption
DatabaseUrlOption = target_options.DatabaseUrlOption
UrlOption = target_options.ServerUrlOption
KeyOption = target_options.KeyOption
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON")]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="FIELD=VALUE for any other field (VALUE read as JSON when it parses, e.g. true)",
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(systems_app, name="systems")
    app.add_typer(compliance_app, name="compliance")
    app.add_typer(report_app, name="report")


def open_client(
    db: Path | None,
    database_url: str | None,
    url: str | None,
    api_key: str | None,
    data_on_stdout: bool,
) -> AgentAudit:
    """The client for the store or server the flags or the environment name, announced."""
    place = resolve(db, database_url, url, remote=True)
    announce(place, data_on_stdout=data_on_stdout)
    try:
        if place.kind == "server":
            return AgentAudit(api_key=api_key, base_url=place.location)
        return AgentAudit(db_path=place.target)
    except AgentAuditError as exc:
        raise _fail(exc) from None


def _fail(exc: Exception) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {escape(str(exc))}")
    return typer.Exit(2)


def _pairs(items: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or []:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="--set")
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        out[name.strip()] = value
    return out


def _print(model: Any, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(model.model_dump_json(indent=2) + "\n")
        return
    table = Table(show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for key, value in model.model_dump(mode="json").items():
        table.add_row(
            key,
            escape(json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value),
        )
    console.print(table)


# -- systems ---------------------------------------------------------------------------------------
@systems_app.command("list")
def list_systems(
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
    include_inactive: Annotated[bool, typer.Option("--all", help="also deactivated ones")] = False,
    as_json: JsonOption = False,
) -> None:
    """The registered AI systems."""
    with open_client(db, database_url, url, api_key, as_json) as audit:
        try:
            found = audit.list_systems(include_inactive=include_inactive)
        except AgentAuditError as exc:
            raise _fail(exc) from None
    if as_json:
        sys.stdout.write(found.model_dump_json(indent=2) + "\n")
        return
    table = Table(title=f"{found.total} AI systems")
    for column in ("id", "name", "class", "annex III", "FRIA", "patterns", "active"):
        table.add_column(column, overflow="fold")
    for s in found.systems:
        table.add_row(
            s.id,
            escape(s.name),
            s.risk_classification.value,
            s.annex_iii_category.value if s.annex_iii_category else "",
            s.fria_status.value,
            escape(", ".join(s.agent_id_patterns)),
            "yes" if s.is_active else "no",
        )
    console.print(table)


@systems_app.command("show")
def show_system(
    system_id: str,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """One system, every field."""
    with open_client(db, database_url, url, api_key, as_json) as audit:
        try:
            _print(audit.get_system(system_id), as_json)
        except AgentAuditError as exc:
            raise _fail(exc) from None


def _fields(
    name: str | None,
    vendor: str | None,
    description: str | None,
    use_case: str | None,
    pattern: list[str] | None,
    risk: str | None,
    annex: str | None,
    role: str | None,
    extra: list[str] | None,
) -> dict[str, Any]:
    given = {
        "name": name,
        "vendor": vendor,
        "description": description,
        "use_case": use_case,
        "agent_id_patterns": pattern or None,
        "risk_classification": risk,
        "annex_iii_category": annex,
        "role": role,
    }
    return {**{k: v for k, v in given.items() if v is not None}, **_pairs(extra)}


NameOpt = Annotated[str | None, typer.Option(help="the system's name")]
PatternOpt = Annotated[
    list[str] | None,
    typer.Option("--pattern", help="agent id pattern (`*` wildcard); repeat for more"),
]
RiskOpt = Annotated[
    str | None, typer.Option("--risk", help="prohibited|high|limited|minimal|unclassified")
]
AnnexOpt = Annotated[str | None, typer.Option("--annex", help="Annex III area, e.g. employment")]


@systems_app.command("create")
def create_system(
    name: Annotated[str, typer.Option(help="the system's name")],
    vendor: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    use_case: Annotated[str | None, typer.Option()] = None,
    pattern: PatternOpt = None,
    risk: RiskOpt = None,
    annex: AnnexOpt = None,
    role: Annotated[str | None, typer.Option(help="deployer|provider|both")] = None,
    extra: SetOption = None,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register an AI system; prints it (its id first)."""
    fields = _fields(name, vendor, description, use_case, pattern, risk, annex, role, extra)
    with open_client(db, database_url, url, api_key, as_json) as audit:
        try:
            _print(audit.create_system(fields), as_json)
        except AgentAuditError as exc:
            raise _fail(exc) from None


@systems_app.command("update")
def update_system(
    system_id: str,
    name: NameOpt = None,
    vendor: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    use_case: Annotated[str | None, typer.Option()] = None,
    pattern: PatternOpt = None,
    risk: RiskOpt = None,
    annex: AnnexOpt = None,
    role: Annotated[str | None, typer.Option(help="deployer|provider|both")] = None,
    extra: SetOption = None,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change the fields given, nothing else (`--set fria_next_review=null` clears a date)."""
    fields = _fields(name, vendor, description, use_case, pattern, risk, annex, role, extra)
    if not fields:
        raise typer.BadParameter("nothing to change: give at least one field")
    with open_client(db, database_url, url, api_key, as_json) as audit:
        try:
            _print(audit.update_system(system_id, fields), as_json)
        except AgentAuditError as exc:
            raise _fail(exc) from None


@systems_app.command("delete")
def delete_system(
    system_id: str,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
) -> None:
    """Deactivate a system (kept for the trail and past reports)."""
    with open_client(db, database_url, url, api_key, False) as audit:
        try:
            audit.delete_system(system_id)
        except AgentAuditError as exc:
            raise _fail(exc) from None
    console.print(f"deactivated {escape(system_id)}")


@systems_app.command("suggest")
def suggest_classification(
    system_id: str,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Suggest a classification from the system's metadata and recent events, step by step."""
    with open_client(db, database_url, url, api_key, as_json) as audit:
        try:
            found = audit.get_classification_suggestion(system_id)
        except AgentAuditError as exc:
            raise _fail(exc) from None
    if as_json:
        sys.stdout.write(found.model_dump_json(indent=2) + "\n")
        return
    category = f" ({found.suggested_category.value})" if found.suggested_category else ""
    console.print(f"[bold]suggested: {found.suggested_classification.value}{category}[/bold]")
    console.print(escape(found.rationale))
    for step in found.steps:
        console.print(f"  {step.step}. {escape(step.question)} [bold]{escape(step.answer)}[/bold]")
        console.print(f"     {escape(step.because)}")


# -- compliance ------------------------------------------------------------------------------------
@compliance_app.command("status")
def status(
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
    logging_days: Annotated[int, typer.Option(min=1, help="Art. 12: events within N days")] = 30,
    verify: Annotated[bool, typer.Option(help="also recompute the hash chain")] = False,
    as_json: JsonOption = False,
) -> None:
    """Checks, score, deadlines and next steps; exit 1 when a check fails."""
    with open_client(db, database_url, url, api_key, as_json) as audit:
        try:
            found = audit.get_compliance_status(logging_days=logging_days, verify=verify)
        except AgentAuditError as exc:
            raise _fail(exc) from None
    if as_json:
        sys.stdout.write(found.model_dump_json(indent=2) + "\n")
    else:
        console.print(f"[bold]score {found.score}/100[/bold]")
        table = Table()
        for column in ("check", "article", "result"):
            table.add_column(column)
        for key, value in found.checks.items():
            shown = "n/a" if value is None else ("[green]pass[/]" if value else "[red]FAIL[/]")
            table.add_row(key, found.check_articles[key], shown)
        console.print(table)
        for n in found.next_steps:
            who = f"{escape(n.system)}: " if n.system else ""
            console.print(f"  - {who}{escape(n.action)} ({n.article})")
    if any(v is False for v in found.checks.values()):
        raise typer.Exit(1)


# -- reports ---------------------------------------------------------------------------------------
FormatOpt = Annotated[str, typer.Option("--format", help="pdf or html")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="file to write")]


def _write(body: bytes, output: Path | None, default: str) -> None:
    target = output or Path(default)
    target.write_bytes(body)
    console.print(f"wrote {escape(str(target))} ({len(body):,} bytes)")


def _instant(text: str | None, name: str) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD) or ISO 8601 instant", param_hint=name
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@report_app.command("ai-act")
def ai_act_report(
    fmt: FormatOpt = "pdf",
    output: OutputOpt = None,
    after: Annotated[
        str | None, typer.Option("--from", help="period start (default: 90 days ago)")
    ] = None,
    before: Annotated[
        str | None, typer.Option("--to", help="period end, exclusive (default: now)")
    ] = None,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
) -> None:
    """The AI Act compliance report of a period: register, status, activity, blocked and
    critical calls, articles, policy history, retention and the chain's verification."""
    if fmt not in ("pdf", "html"):
        raise typer.BadParameter("must be pdf or html", param_hint="--format")
    start, end = _instant(after, "--from"), _instant(before, "--to")
    with open_client(db, database_url, url, api_key, output is None) as audit:
        try:
            body = audit.ai_act_report(format=fmt, after=start, before=end)
        except (AgentAuditError, RuntimeError) as exc:
            raise _fail(exc) from None
    _write(body, output, f"ai-act-report.{fmt}")


@report_app.command("fria")
def fria_report(
    system_id: str,
    fmt: FormatOpt = "pdf",
    output: OutputOpt = None,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: UrlOption = None,
    api_key: KeyOption = None,
) -> None:
    """The pre-filled fundamental-rights impact assessment (Art. 27) of one system."""
    if fmt not in ("pdf", "html"):
        raise typer.BadParameter("must be pdf or html", param_hint="--format")
    with open_client(db, database_url, url, api_key, output is None) as audit:
        try:
            body = audit.fria_report(system_id, format=fmt)
        except (AgentAuditError, RuntimeError) as exc:
            raise _fail(exc) from None
    _write(body, output, f"fria-{system_id}.{fmt}")
