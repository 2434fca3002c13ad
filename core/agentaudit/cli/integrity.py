"""`agentaudit verify` (also spelled `agentaudit db verify`): one command that checks the hash
chain of the store the flags or the environment name (cli/target.py), or of a server's
organisation with `--url`."""

from __future__ import annotations

from typing import Annotated

import typer
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

OrgOption = Annotated[str | None, typer.Option("--org", help="only this organisation (name)")]


def verify(
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: ServerUrlOption = None,
    api_key: KeyOption = None,
    org: OrgOption = None,
) -> None:
    """Recompute the hash chain of every organisation in the store (or one, --org; with --url,
    the API key's); exit 1 naming the first broken link, 2 when it cannot be checked."""
    place = resolve(db, database_url, url, remote=True)
    announce(place)
    if place.kind == "server":
        _verify_remote(place.location, api_key, org)
        return
    from agentaudit.cli.db import open_existing, orgs_named

    store = open_existing(place.target)
    broken = 0
    try:
        for o in orgs_named(store, org):
            result = store.verify(o.id)
            if result.ok:
                console.print(f"[green]{escape(o.name)}: {escape(result.describe())}")
            else:
                broken += 1
                err_console.print(f"[red]{escape(o.name)}: {escape(result.describe())}")
    finally:
        store.close()
    if broken:
        raise typer.Exit(1)


def _verify_remote(url: str, api_key: str | None, org: str | None) -> None:
    from agentaudit.client import AgentAudit
    from agentaudit.errors import AgentAuditError

    if org is not None:
        fail("--org is for a store; a server verifies the organisation of its API key")
    try:
        with AgentAudit(api_key=api_key, base_url=url) as audit:
            result = audit.verify()
    except AgentAuditError as exc:
        fail(str(exc))
    if result.ok:
        console.print(f"[green]{escape(result.describe())}")
        return
    err_console.print(f"[red]{escape(result.describe())}")
    raise typer.Exit(1)
