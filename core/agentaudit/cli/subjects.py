"""`agentaudit subjects search | erase VALUE` (data-subject requests, GDPR Art. 15 and 17) and
`agentaudit db index-subjects` (index the events stored before the index existed).

`subjects` acts on a store (`--db`, `--database-url`) or a server (`--url`, `--api-key`), chosen
as every command chooses (cli/target.py). The value can be left out: it is then typed unseen or
piped in, which keeps a person's identifier out of the shell's history. docs/subjects.md.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agentaudit.cli import target as target_options
from agentaudit.cli.target import announce, fail, resolve
from agentaudit.subjects import INDEXED_TYPES

subjects_app = typer.Typer(
    help="Data-subject requests: find (Art. 15) or erase (Art. 17) every event that carried a"
    " person's identifier.",
    no_args_is_help=True,
)
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

ValueArg = Annotated[
    str | None,
    typer.Argument(
        help="the identifier (e-mail, phone, IBAN, …); leave it out to type it unseen or pipe it"
        " in, which keeps it out of the shell's history",
        show_default=False,
    ),
]
TypeOption = Annotated[
    str | None,
    typer.Option(
        "--type",
        help="how to read the value: " + "|".join(sorted(INDEXED_TYPES)) + " (default: as"
        " every type it can be)",
        show_default=False,
    ),
]
OrgOption = Annotated[
    str | None,
    typer.Option("--org", help="the organisation (name; default: the only one, or default)"),
]


def register(app: typer.Typer) -> None:
    """Add `subjects …` and `db index-subjects` to the `agentaudit` command line."""
    from agentaudit.cli.db import db_app

    app.add_typer(subjects_app, name="subjects")
    db_app.command("index-subjects")(index_subjects)


def _value(value: str | None) -> str:
    if value is None:
        value = (
            typer.prompt("value", hide_input=True)
            if sys.stdin.isatty()
            else sys.stdin.read().strip("\r\n")
        )
    if not value.strip():
        fail("the value is empty")
    return value


def _type(typ: str | None) -> str | None:
    if typ is not None and typ not in INDEXED_TYPES:
        fail(f"--type {typ!r} is not one of {', '.join(sorted(INDEXED_TYPES))}")
    return typ


def _org(store: Any, name: str | None) -> str:
    """The organisation's id: the one named, else the only one, else "default"."""
    if name is not None:
        found = store.find_org(name)
        if found is None:
            fail(f"no organisation named {name!r}")
        return str(found.id)
    orgs = store.list_orgs()
    named = [o for o in orgs if o.name == "default"]
    if len(orgs) == 1:
        return str(orgs[0].id)
    if named:
        return str(named[0].id)
    names = ", ".join(repr(o.name) for o in orgs) or "none"
    fail(f"the store holds several organisations ({names}): say which with --org")


def _remote(url: str, api_key: str | None, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST to a server's /v1/subjects/…; the value stays in the body."""
    import httpx

    if not api_key:
        fail("a server needs an API key: --api-key or $AGENTAUDIT_API_KEY")
    try:
        answer = httpx.post(
            url.rstrip("/") + path,
            json=body,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=120,
        )
    except httpx.HTTPError as exc:
        fail(f"cannot reach {url}: {exc}")
    if answer.status_code != 200:
        fail(f"the server answered {answer.status_code}: {answer.text}")
    result: dict[str, Any] = answer.json()
    if result.get("readable") is False:
        shown = f" as {body['type']}" if body.get("type") else ""
        fail(f"the value cannot be read{shown}: too short or not of that type")
    return result


def _local(target: str, org: str | None, act: Any) -> dict[str, Any]:
    """`act(store, org_id)` on the store at `target`, for the organisation named or implied."""
    from agentaudit.cli.db import open_existing
    from agentaudit.subjects import NoUsableValue

    store = open_existing(target)
    try:
        return dict(act(store, _org(store, org)))
    except NoUsableValue as exc:
        fail(str(exc))
    finally:
        store.close()


@subjects_app.command("search")
def search(
    value: ValueArg = None,
    typ: TypeOption = None,
    db: target_options.DbOption = None,
    database_url: target_options.DatabaseUrlOption = None,
    url: target_options.ServerUrlOption = None,
    api_key: target_options.KeyOption = None,
    org: OrgOption = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """List the events that carried this identifier (GDPR Art. 15), oldest first."""
    from agentaudit import subjects

    place = resolve(db, database_url, url, remote=True)
    announce(place, data_on_stdout=as_json)
    text, kind = _value(value), _type(typ)
    body = {"value": text, "type": kind, "limit": limit, "offset": offset}
    if place.kind == "server":
        page = _remote(place.location, api_key, "/v1/subjects/search", body)
    else:

        def act(store: Any, org_id: str) -> dict[str, Any]:
            found = subjects.search(store, org_id, text, kind, limit=limit, offset=offset)
            events = [{**vars(e), "created_at": e.created_at.isoformat()} for e in found.events]
            return {"events": events, "total": found.total, "offset": found.offset}

        page = _local(place.target, org, act)
    if as_json:
        for e in page["events"]:
            sys.stdout.write(json.dumps(e) + "\n")
        return
    table = Table()
    for column in ("id", "time", "agent", "action", "found as", "payload"):
        table.add_column(column, overflow="fold")
    for e in page["events"]:
        table.add_row(
            e["id"],
            str(e["created_at"])[:19].replace("T", " "),
            escape(e["agent_id"]),
            escape(e["action"]),
            ", ".join(e["pii_types"]),
            "erased" if e["erased"] else "stored",
        )
    console.print(table)
    console.print(f"{len(page['events'])} of {page['total']} events (offset {page['offset']})")


@subjects_app.command("erase")
def erase(
    value: ValueArg = None,
    typ: TypeOption = None,
    db: target_options.DbOption = None,
    database_url: target_options.DatabaseUrlOption = None,
    url: target_options.ServerUrlOption = None,
    api_key: target_options.KeyOption = None,
    org: OrgOption = None,
) -> None:
    """Erase the payloads of every event that carried this identifier (GDPR Art. 17). The
    chain still verifies and records each erasure (who: the API key or the local user)."""
    from agentaudit import subjects
    from agentaudit.store.erasure import local_actor

    place = resolve(db, database_url, url, remote=True)
    announce(place)
    text, kind = _value(value), _type(typ)
    if place.kind == "server":
        done = _remote(place.location, api_key, "/v1/subjects/erase", {"value": text, "type": kind})
    else:

        def act(store: Any, org_id: str) -> dict[str, Any]:
            actor = local_actor("agentaudit subjects erase")
            result = subjects.erase(store, org_id, text, kind, actor=actor)
            wait = getattr(store, "wait_for_vacuum", None)
            if wait is not None and result.erased:
                wait()  # PostgreSQL: the erased row versions vacuumed before the command ends
            return {
                "erased": result.erased,
                "event_ids": result.event_ids,
                "already_erased": result.already_erased,
                "erasure_records": result.records,
            }

        done = _local(place.target, org, act)
    for event_id in done["event_ids"]:
        console.print(event_id)
    line = f"erased the payloads of {done['erased']} event(s)"
    if done["already_erased"]:
        line += f"; {done['already_erased']} more carried it and were erased before"
    if done["erasure_records"]:
        line += f"; {len(done['erasure_records'])} erasure record(s) chained"
    console.print(line)


def index_subjects(
    db: target_options.DbOption = None,
    database_url: target_options.DatabaseUrlOption = None,
    org: Annotated[str | None, typer.Option("--org", help="only this organisation (name)")] = None,
    batch: Annotated[int, typer.Option(min=1, max=10_000, help="payloads per batch")] = 500,
) -> None:
    """Index the identifiers of events stored before the data-subject index existed, so that
    `agentaudit subjects` finds them: each stored payload is classified again with its
    organisation's policy. Safe to run again (it adds only what is missing)."""
    from agentaudit.cli.db import open_existing
    from agentaudit.subjects import backfill

    place = resolve(db, database_url)
    announce(place)
    store = open_existing(place.target)
    try:
        orgs = store.list_orgs()
        if org is not None:
            orgs = [o for o in orgs if o.name == org]
            if not orgs:
                fail(f"no organisation named {org!r}")
        for o in orgs:
            report = backfill(store, o.id, batch=batch)
            console.print(
                f"{escape(o.name)}: {report.checked} stored payloads read,"
                f" {report.added} index entries added"
            )
    finally:
        store.close()
