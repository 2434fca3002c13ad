"""`agentaudit policy show | set | replay`: the organisation's policy (base and overrides) in the
store the flags or the environment name (cli/target.py), or on a server with `--url`."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import httpx
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from agentaudit.cli.target import (
    DatabaseUrlOption,
    DbOption,
    KeyOption,
    ServerUrlOption,
    announce,
    fail,
    resolve,
)

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

policy_app = typer.Typer(
    help="Show, change and replay the organisation's policy.", no_args_is_help=True
)

FileOption = Annotated[
    Path,
    typer.Option(
        "--file",
        help="a JSON file: a whole policy or the fields to change (merged as PUT /v1/org/policy"
        " merges: nested objects field by field, lists replace)",
        exists=True,
        dir_okay=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")


def _read_patch(file: Path) -> dict[str, Any]:
    try:
        value = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"{file}: not JSON ({exc})")
    if not isinstance(value, dict):
        fail(f"{file}: a policy is a JSON object")
    return value


def _bad_policy(exc: ValidationError) -> NoReturn:
    for e in exc.errors(include_url=False, include_input=False):
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"]).lstrip(".")
        err_console.print(f"[red]error:[/red] {escape(path or 'policy')}: {escape(e['msg'])}")
    raise typer.Exit(2)


def _server(url: str, api_key: str | None) -> httpx.Client:
    key = api_key or os.environ.get("AGENTAUDIT_API_KEY")
    if not key:
        fail("--url needs an API key: --api-key or AGENTAUDIT_API_KEY")
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=600)


def _answer(response: httpx.Response) -> Any:
    if response.status_code == 422:
        for e in response.json().get("detail", []):
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"])
            err_console.print(f"[red]error:[/red] {escape(path.lstrip('.'))}: {escape(e['msg'])}")
        raise typer.Exit(2)
    if response.status_code >= 400:
        fail(f"the server answered {response.status_code}: {response.text[:500]}")
    return response.json()


class _Local:
    """The embedded store's default organisation (what the SDK's embedded client uses)."""

    def __init__(self, target: str) -> None:
        from agentaudit.embedded import EmbeddedBackend

        self.backend = EmbeddedBackend(target)

    def __enter__(self) -> _Local:
        return self

    def __exit__(self, *exc: object) -> None:
        self.backend.close()


@policy_app.command("show")
def show(
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: ServerUrlOption = None,
    api_key: KeyOption = None,
) -> None:
    """Print the policy as JSON (the form `policy set --file` reads)."""
    place = resolve(db, database_url, url)
    announce(place, data_on_stdout=True)
    if place.kind == "server":
        with _server(place.location, api_key) as http:
            policy = _answer(http.get("/v1/org/policy"))
    else:
        with _Local(place.target) as local:
            policy = local.backend.service.get_policy(local.backend.org_id).model_dump(mode="json")
    print(json.dumps(policy, indent=2, ensure_ascii=False))


@policy_app.command("set")
def set_(
    file: FileOption,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: ServerUrlOption = None,
    api_key: KeyOption = None,
) -> None:
    """Change the policy from a JSON file; validated as a whole (nothing changes on an error,
    which names the field, e.g. overrides[1].agents[0])."""
    patch = _read_patch(file)
    place = resolve(db, database_url, url)
    announce(place)
    if place.kind == "server":
        with _server(place.location, api_key) as http:
            _answer(http.put("/v1/org/policy", json=patch))
    else:
        from agentaudit.store.erasure import local_actor

        with _Local(place.target) as local:
            try:
                local.backend.service.update_policy(
                    local.backend.org_id, patch, source="cli", actor=local_actor("cli")
                )
            except ValidationError as exc:
                _bad_policy(exc)
    console.print("policy saved")


@policy_app.command("history")
def history(
    limit: Annotated[int, typer.Option(help="versions to show, newest first", min=1, max=200)] = 20,
    offset: Annotated[int, typer.Option(help="versions to skip", min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="print the page as JSON")] = False,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: ServerUrlOption = None,
    api_key: KeyOption = None,
) -> None:
    """The policy's versions, newest first: who changed it, when, and which fields (each change
    is also a chained event of kind policy_change with the old and new policy)."""
    from agentaudit.policy_history import PolicyHistory

    place = resolve(db, database_url, url)
    announce(place, data_on_stdout=as_json)
    if place.kind == "server":
        with _server(place.location, api_key) as http:
            params = {"limit": limit, "offset": offset}
            page = PolicyHistory.model_validate(
                _answer(http.get("/v1/policy/history", params=params))
            )
    else:
        with _Local(place.target) as local:
            page = local.backend.service.policy_history(local.backend.org_id, limit, offset)
    if as_json:
        print(page.model_dump_json(indent=2))
        return
    console.print(f"policy in force: version {page.current_version}", highlight=False)
    for v in page.versions:
        when = v.changed_at.isoformat() if v.changed_at else "?"
        console.print(
            f"[bold]version {v.version}[/bold] {when} by {escape(v.actor or '?')}"
            f" ({escape(v.source or '?')}), event seq {v.event_seq}",
            highlight=False,
        )
        for c in v.changed:
            old, new = json.dumps(c.old), json.dumps(c.new)
            console.print(f"  {escape(c.path)}: {escape(old)} → {escape(new)}", highlight=False)


@policy_app.command("replay")
def replay_cmd(
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="the candidate: a whole policy or changes to the current one (JSON); default:"
            " the current policy",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    since: Annotated[
        datetime | None, typer.Option(help="first instant (inclusive, UTC unless given)")
    ] = None,
    until: Annotated[datetime | None, typer.Option(help="last instant (exclusive)")] = None,
    examples: Annotated[int, typer.Option(help="event ids per change kind", min=0, max=100)] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: ServerUrlOption = None,
    api_key: KeyOption = None,
) -> None:
    """Decide the stored calls of a period by a candidate policy and report what would change
    (allow→block, block→allow, →review; by rule, agent, action). Nothing is changed."""
    from agentaudit.policy import merge_policy
    from agentaudit.replay import ReplayReport, ReplayRequest, replay

    patch = _read_patch(file) if file is not None else {}
    try:
        req = ReplayRequest(policy=patch, since=since, until=until, examples=examples)
    except ValidationError as exc:
        _bad_policy(exc)
    place = resolve(db, database_url, url)
    announce(place, data_on_stdout=as_json)
    if place.kind == "server":
        with _server(place.location, api_key) as http:
            body = req.model_dump(mode="json", exclude_none=True)
            report = ReplayReport.model_validate(_answer(http.post("/v1/policy/replay", json=body)))
    else:
        with _Local(place.target) as local:
            b = local.backend
            current = b.service.get_policy(b.org_id)
            try:
                candidate = merge_policy(current, req.policy)
            except ValidationError as exc:
                _bad_policy(exc)
            report = replay(
                b.store, b.org_id, current, candidate, since=since, until=until, examples=examples
            )
    if as_json:
        print(report.model_dump_json(indent=2))
        return
    _print_report(report)


def _print_report(report: Any) -> None:
    console.print(
        f"{report.replayed} calls replayed: {report.unchanged} unchanged,"
        f" {report.replayed - report.unchanged} would change"
        f" ({report.erased} with an erased payload, counted apart)",
        highlight=False,
    )
    for title, groups in (("", report.changes), ("erased payload: ", report.erased_changes)):
        for kind, g in groups.items():
            console.print(f"[bold]{title}{kind.replace('_to_', ' → ')}: {g.count}[/bold]")
            for label, counts in (
                ("rules", g.by_rule),
                ("agents", g.by_agent),
                ("actions", g.by_action),
                ("overrides", g.by_override),
            ):
                shown = ", ".join(f"{k} {n}" for k, n in list(counts.items())[:5])
                console.print(f"  {label}: {escape(shown)}", highlight=False)
            if g.examples:
                console.print(f"  examples: {', '.join(g.examples)}", highlight=False)
    console.print(f"[dim]{escape(report.note)}[/dim]")
