"""Which store a command acts on, chosen the same way by every command that reads or writes
events: `--db PATH`, `--database-url URL` or (for the commands a server can answer) `--url`,
else $AGENTAUDIT_DB, $AGENTAUDIT_DATABASE_URL or $AGENTAUDIT_URL, else ./agentaudit.db.

A flag wins over the environment. Two places given at one level (two flags, or two of the
variables and no flag) are refused, not ranked: with a URL exported as the README says, a
command that silently chose the local file would check, or write to, a store nobody meant.
Every command names the store it used in the first line it prints (`announce`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from agentaudit.store.target import BadTarget, parse_target

DB_ENV = "AGENTAUDIT_DB"
DATABASE_URL_ENV = "AGENTAUDIT_DATABASE_URL"
SERVER_URL_ENV = "AGENTAUDIT_URL"
DEFAULT_DB = "agentaudit.db"

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help=f"SQLite file (default ${DB_ENV}, else ./{DEFAULT_DB})", show_default=False
    ),
]
DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help=f"postgresql://… (default ${DATABASE_URL_ENV})",
        show_default=False,
    ),
]
# No `envvar=`: the variable is read by `resolve`, which must know whether a flag was given.
ServerUrlOption = Annotated[
    str | None,
    typer.Option("--url", help=f"server base URL, remote mode (default ${SERVER_URL_ENV})"),
]
KeyOption = Annotated[
    str | None,
    typer.Option("--api-key", envvar="AGENTAUDIT_API_KEY", help="API key (remote mode)"),
]

_err = Console(stderr=True, soft_wrap=True)
_out = Console(soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    _err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


@dataclass(frozen=True)
class Resolved:
    """The place a command acts on: a store (a SQLite path or a PostgreSQL URL) or a server."""

    kind: Literal["sqlite", "postgres", "server"]
    location: str  # the path, the URL (with its password: never print it, see `shown`)
    source: str  # which flag or variable named it ("default" when none did)

    @property
    def target(self) -> str:
        """What `open_store` takes (a store only)."""
        if self.kind == "server":
            raise ValueError("a server is not a store")
        return self.location


def resolve(
    db: Path | None,
    database_url: str | None,
    url: str | None = None,
    *,
    remote: bool = False,
) -> Resolved:
    """The place named by the flags, else the environment; two at one level are refused.
    `remote`: the command can also ask a server (`--url`, $AGENTAUDIT_URL)."""
    flags = {
        name: value
        for name, value in (("--db", db), ("--database-url", database_url), ("--url", url))
        if value is not None and value != ""
    }
    if len(flags) > 1:
        fail(f"give {' or '.join(flags)}, not both: each names a different store")
    if flags:
        ((source, value),) = flags.items()
        return _named(source, str(value))
    names = [DB_ENV, DATABASE_URL_ENV] + ([SERVER_URL_ENV] if remote else [])
    found = {name: os.environ[name] for name in names if os.environ.get(name)}
    if len(found) > 1:
        flag_list = "--db, --database-url" + (" or --url" if remote else "")
        fail(
            f"{' and '.join(found)} are both set and name different stores; unset one, or"
            f" say which to use with {flag_list}"
        )
    if found:
        ((source, value),) = found.items()
        return _named(source, value)
    return Resolved("sqlite", DEFAULT_DB, "default")


def _named(source: str, value: str) -> Resolved:
    if source in ("--url", SERVER_URL_ENV):
        return Resolved("server", value, source)
    try:
        found = parse_target(value, url_only=source in ("--database-url", DATABASE_URL_ENV))
    except BadTarget as exc:
        fail(f"{source}: {exc}")
    return Resolved(found.kind, found.location, source)


def resolve_target(db: Path | None, database_url: str | None) -> str:
    """The store a store-only command (`db …`, `purge`, `keys`, `serve`) acts on."""
    return resolve(db, database_url).target


def shown(target: str) -> str:
    """A store's path or URL for messages: a URL without its password."""
    try:
        kind = parse_target(target).kind
    except BadTarget:
        return target
    if kind == "postgres":
        from agentaudit.store.postgres import redact

        return redact(target)
    return target


def describe(place: Resolved | str) -> str:
    """`SQLite /abs/path.db`, `PostgreSQL postgresql://user:***@host/db` or `server URL`."""
    if isinstance(place, str):
        kind = parse_target(place).kind
        place = Resolved(kind, parse_target(place).location, "")
    if place.kind == "server":
        return f"server {place.location}"
    if place.kind == "postgres":
        return f"PostgreSQL {shown(place.location)}"
    return f"SQLite {Path(place.location).absolute()}"


def announce(place: Resolved | str, *, data_on_stdout: bool = False) -> None:
    """The first line of a command's output: which store it acts on, and who chose it. On
    stderr when stdout carries data (JSON lines, CSV, a key), so that stays parseable."""
    source = place.source if isinstance(place, Resolved) else ""
    by = " (default)" if source == "default" else f" (from {source})" if source else ""
    (_err if data_on_stdout else _out).print(
        f"store: {escape(describe(place))}{escape(by)}", highlight=False
    )
