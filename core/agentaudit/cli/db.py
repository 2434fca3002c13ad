"""`agentaudit db upgrade | current | verify (= `agentaudit verify`) | mask-secrets | fingerprint` and `agentaudit purge`:
operating a store directly.

These act on the database itself (every organisation), not through a server or an API key, so
they are for whoever runs the store. psycopg and Alembic are imported only when a command runs.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from agentaudit.cli import target as target_options
from agentaudit.cli.target import announce, resolve, shown
from agentaudit.store.migrate import SCHEMA_HEAD
from agentaudit.store.target import BadTarget, parse_target

db_app = typer.Typer(
    help="The store's schema (migrations), chain checks and masking of stored secrets.",
    no_args_is_help=True,
)
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

DbOption = target_options.DbOption
UrlOption = target_options.DatabaseUrlOption
OrgOption = Annotated[str | None, typer.Option("--org", help="only this organisation (name)")]


def register(app: typer.Typer) -> None:
    """Add these commands to the `agentaudit` command line."""
    from agentaudit.cli.integrity import verify

    app.add_typer(db_app, name="db")
    app.command("purge")(purge)
    db_app.command("verify", help="The same command as `agentaudit verify` (kept as an alias).")(
        verify
    )


def _store(db: Path | None, database_url: str | None) -> str:
    """The store the flags or the environment name (cli/target.py), announced."""
    place = resolve(db, database_url)
    announce(place)
    return place.target


def _is_url(target: str) -> bool:
    try:
        return parse_target(target).kind == "postgres"
    except BadTarget:
        return False


def _fail(message: str, code: int = 2) -> None:
    err_console.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


def current_revision(target: str) -> str | None:
    """The schema revision stored at `target`, None when it holds no schema."""
    if _is_url(target):
        import psycopg

        from agentaudit.store.postgres import libpq_url, schema_version

        with psycopg.connect(libpq_url(target), autocommit=True, connect_timeout=10) as conn:
            return schema_version(conn)
    if not Path(target).exists():
        return None
    with sqlite3.connect(target) as conn:
        has = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone() if has else None
    return row[0] if row else None


def open_existing(target: str):  # -> EventStore; refuses a schema that is behind, as a server does
    from agentaudit.store import SchemaOutOfDate, open_store

    try:
        return open_store(target, create=False, auto_upgrade=False)
    except SchemaOutOfDate as exc:
        _fail(str(exc))
    except Exception as exc:  # connection refused, bad URL: say so without a trace
        _fail(f"cannot open {escape(shown(target))}: {exc}")


@db_app.command()
def upgrade(db: DbOption = None, database_url: UrlOption = None) -> None:
    """Create or bring the schema forward to the newest revision (safe to run again)."""
    target = _store(db, database_url)
    try:
        before = current_revision(target)
        if _is_url(target):
            from agentaudit.store.postgres import upgrade_postgres

            upgrade_postgres(target)
        else:
            from agentaudit.store.migrate import upgrade as upgrade_sqlite
            from agentaudit.store.sqlite import create_private

            create_private(target)  # 0600 before SQLite creates it 0644
            upgrade_sqlite(f"sqlite:///{target}")
    except Exception as exc:
        _fail(f"upgrading {escape(shown(target))} failed: {exc}")
    if before == SCHEMA_HEAD:
        console.print(f"{escape(shown(target))}: schema already at {SCHEMA_HEAD} (head)")
    else:
        console.print(
            f"{escape(shown(target))}: schema upgraded from {before or 'empty'} to {SCHEMA_HEAD}"
        )


@db_app.command()
def current(db: DbOption = None, database_url: UrlOption = None) -> None:
    """Print the schema revision; exit 1 when it is behind the code."""
    target = _store(db, database_url)
    try:
        revision = current_revision(target)
    except Exception as exc:
        _fail(f"cannot read {escape(shown(target))}: {exc}")
    if revision == SCHEMA_HEAD:
        console.print(f"{revision} (head)")
        return
    flag = "--database-url" if _is_url(target) else "--db"
    console.print(
        f"{revision or 'no schema'} (head is {SCHEMA_HEAD}):"
        f" run `agentaudit db upgrade {flag} {escape(shown(target))}`"
    )
    raise typer.Exit(1)


def orgs_named(store, name: str | None) -> list:
    if name is None:
        return store.list_orgs()
    found = store.find_org(name)
    if found is None:
        _fail(f"no organisation named {name!r}")
    return [found]


def purge(
    db: DbOption = None,
    database_url: UrlOption = None,
    org: OrgOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="count what would be erased, erase nothing")
    ] = False,
) -> None:
    """Erase payloads older than each organisation's retention_days; the chain stays verifiable.

    Only data, context and reasoning are erased (as for a GDPR erasure); the event's metadata
    and hash remain, so `agentaudit verify` still passes, and each erasure is recorded in the
    chain (by whom, when, up to which date). Organisations without retention_days keep
    everything. One organisation's failure does not stop the others: the command goes on, then
    exits 1 naming every organisation it could not purge.
    """
    from agentaudit.store.erasure import local_actor

    store = open_existing(_store(db, database_url))
    now = datetime.now(UTC)
    total = 0
    failed: list[str] = []
    try:
        for o in orgs_named(store, org):
            try:
                days = store.get_policy(o.id).retention_days
                if days is None:
                    console.print(f"{escape(o.name)}: no retention_days set, nothing erased")
                    continue
                cutoff = now - timedelta(days=days)
                actor = local_actor(f"agentaudit purge (retention_days {days})")
                n = store.purge(o.id, cutoff, dry_run=dry_run, actor=actor)
            except Exception as exc:  # one organisation's trouble must not stop the others
                failed.append(o.name)
                err_console.print(
                    f"[red]{escape(o.name)}: purge failed: {escape(type(exc).__name__)}:"
                    f" {escape(str(exc))}"
                )
                continue
            total += n
            verb = "would erase" if dry_run else "erased"
            console.print(
                f"{escape(o.name)}: {verb} {n} payloads of events before {cutoff:%Y-%m-%d %H:%M:%S}Z"
                f" (retention {days} days)"
            )
        wait = getattr(store, "wait_for_vacuum", None)
        if wait is not None and total and not dry_run:
            wait()  # PostgreSQL: the erased row versions vacuumed before the command ends
    finally:
        store.close()
    console.print(f"{'would erase' if dry_run else 'erased'} {total} payloads in total")
    if failed:
        names = ", ".join(repr(name) for name in failed)
        err_console.print(f"[red]error:[/red] could not purge {escape(names)}; see above")
        raise typer.Exit(1)


@db_app.command("mask-secrets")
def mask_secrets(
    db: DbOption = None,
    database_url: UrlOption = None,
    org: OrgOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="count what would be masked, write nothing")
    ] = False,
    every_payload: Annotated[
        bool,
        typer.Option(
            "--all",
            help="classify every stored payload again, not only those whose event names a"
            " secret type (slower; finds what an older classifier missed)",
        ),
    ] = False,
) -> None:
    """Mask the secrets of payloads stored in clear (before masking was the default, or under
    store_secrets: clear), as ingest masks them: [SECRET:<type>:<fingerprint>].

    Each batch of masked payloads is recorded in the chain (which events, where, which secret
    types, who asked), and `agentaudit db verify` still passes. A payload masked once is not
    masked again, so running it twice masks nothing the second time. A block reason that
    quotes a secret is masked too (the record vouches for it). An event that no longer matches
    its hash is left as it is, for `verify` to name.
    """
    from agentaudit.mask_stored import mask_stored_secrets
    from agentaudit.store.erasure import local_actor

    store = open_existing(_store(db, database_url))
    total = 0
    try:
        for o in orgs_named(store, org):
            actor = local_actor("agentaudit db mask-secrets")
            report = mask_stored_secrets(
                store, o.id, actor=actor, dry_run=dry_run, every_payload=every_payload
            )
            total += report.masked
            verb = "would mask" if dry_run else "masked"
            types = ", ".join(f"{t} {n}" for t, n in sorted(report.types.items()))
            line = f"{escape(o.name)}: {verb} secrets in {report.masked} of {report.checked}"
            line += " payloads checked"
            if types:
                line += f" ({escape(types)})"
            if report.records:
                line += f"; {report.records} masking record(s) chained"
            console.print(line)
            if report.changed_meanwhile:
                console.print(
                    f"{escape(o.name)}: {report.changed_meanwhile} payload(s) changed or were"
                    " erased while this ran and were left as they are: run it again"
                )
            if report.reasons_masked:
                console.print(
                    f"{escape(o.name)}: {report.reasons_masked} block reason(s) quoted a secret"
                    " and were masked too"
                )
            if report.not_intact:
                err_console.print(
                    f"[yellow]{escape(o.name)}: {report.not_intact} event(s) no longer match"
                    " their hash and were left as they are: run `agentaudit db verify`[/yellow]"
                )
        wait = getattr(store, "wait_for_vacuum", None)
        if wait is not None and total and not dry_run:
            wait()  # PostgreSQL: the old row versions vacuumed before the command ends
    finally:
        store.close()
    console.print(f"{'would mask' if dry_run else 'masked'} secrets in {total} payloads in total")


@db_app.command("fingerprint")
def fingerprint_command(
    org: Annotated[str, typer.Option("--org", help="the organisation (name)")],
    value: Annotated[
        str | None,
        typer.Argument(
            help="the candidate secret; leave it out to type it unseen or pipe it in, which"
            " keeps it out of the shell's history",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    database_url: UrlOption = None,
    find: Annotated[
        bool,
        typer.Option("--find", help="also list the events whose payload holds it masked"),
    ] = False,
) -> None:
    """Did this secret leak into the trail? Print its fingerprint in this organisation (masked
    secrets read [SECRET:<type>:<fingerprint>]) and, with --find, the events that hold it.

    A match of the 8 hex digits is strong evidence, not proof (one value in four billion
    shares them). Computing fingerprints needs the store's key: that is why this is a command
    for whoever runs the store, and not an API call.
    """
    import sys

    from agentaudit.secret_mask import fingerprint

    if value is None:
        value = (
            typer.prompt("secret", hide_input=True)
            if sys.stdin.isatty()
            else sys.stdin.read().rstrip("\r\n")
        )
    if not value.strip():
        _fail("the candidate secret is empty")
    store = open_existing(_store(db, database_url))
    try:
        found = orgs_named(store, org)[0]
        fp = fingerprint(store.fingerprint_key(found.id), value)
        shown_as = escape(f"[SECRET:<type>:{fp}]")
        console.print(f"fingerprint {fp}: masked as {shown_as} in {escape(found.name)}")
        if find:
            events = store.find_fingerprint(found.id, fp)
            for e in events:
                console.print(
                    f"{e.id}  {e.created_at:%Y-%m-%d %H:%M:%S}Z  {escape(e.agent_id)}"
                    f"  {escape(e.action)}  {', '.join(e.masked_fields) or 'evidence'}"
                )
            console.print(
                f"{len(events)} event(s) hold it" + (" (first 100)" if len(events) == 100 else "")
            )
    finally:
        store.close()
