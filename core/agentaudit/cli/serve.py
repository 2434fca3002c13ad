"""`agentaudit serve` and `agentaudit keys create | list | revoke`.

FastAPI and uvicorn are imported inside the commands, so `import agentaudit.cli` stays fast and
works without the `server` extra.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agentaudit.cli import target as target_options
from agentaudit.cli.target import announce, resolve, shown

keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

DbOption = target_options.DbOption
UrlOption = target_options.DatabaseUrlOption
BOOTSTRAP_ORG = "default"


def register(app: typer.Typer) -> None:
    """Add `serve` and `keys` to the `agentaudit` command line."""
    app.command("serve")(serve)
    app.add_typer(keys_app, name="keys")


def _fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


def _store(db: Path | None, database_url: str | None, *, data_on_stdout: bool = False) -> str:
    """The store the flags or the environment name (cli/target.py), announced."""
    place = resolve(db, database_url)
    announce(place, data_on_stdout=data_on_stdout)
    return place.target


def _open(target: str):  # -> EventStore
    from agentaudit.store import SchemaOutOfDate, open_store

    try:
        return open_store(target, auto_upgrade=False)
    except SchemaOutOfDate as exc:
        _fail(str(exc))
    except Exception as exc:  # unreachable database, bad path: say which, no traceback
        _fail(f"cannot open the store {shown(target)}: {exc}")


def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port")] = 8000,
    db: DbOption = None,
    database_url: UrlOption = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="worker processes; connections are spread over them (SQLite or PostgreSQL)",
        ),
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="log every request")] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Serve the REST API. On the first start with an empty store, create an organisation and
    print its API key once."""
    import uvicorn

    from agentaudit.server.app import STORE_ENV
    from agentaudit.server.workers import (
        WorkersFailed,
        balanced_workers_supported,
        run_workers,
    )
    from agentaudit.service import SESSIONS_ENV

    place = resolve(db, database_url)
    announce(place)
    target = place.target
    _announce_signing()
    store = _open(target)
    try:
        if not store.list_api_keys():
            from agentaudit.server.keys import create_key

            new = create_key(store, BOOTSTRAP_ORG, name="first start")
            console.print(
                f"First start: created organisation {new.org_name!r} and its API key "
                "(shown once, store it now):"
            )
            console.print(new.key, highlight=False)
    finally:
        store.close()
    os.environ[STORE_ENV] = target
    url = f"http://{_browsable(host)}:{port}"
    listen = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    console.print(f"AgentAudit serving {shown(target)} on {listen}", highlight=False)
    console.print(f"  dashboard      {url}/dashboard (sign in with an API key)", highlight=False)
    console.print(f"  API reference  {url}/docs and {url}/redoc", highlight=False)
    sys.stdout.flush()
    options: dict[str, Any] = {
        "app": "agentaudit.server.app:app_from_env",
        "factory": True,
        "http": _best("httptools", "h11"),
        "loop": _best("uvloop", "asyncio"),
        "access_log": access_log,
        "log_level": log_level,
        "server_header": False,
    }
    if workers > 1:
        # the workers judge each other's sessions' calls: SQLite keeps them in the file too
        os.environ.setdefault(SESSIONS_ENV, "store")
    if workers > 1 and balanced_workers_supported():
        try:
            run_workers(workers, host, port, options)
        except OSError as exc:
            _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        except WorkersFailed as exc:
            _fail(str(exc), code=1)
        return
    app = options.pop("app")
    uvicorn.run(app, host=host, port=port, workers=workers if workers > 1 else None, **options)


def _announce_signing() -> None:
    """Say whether checkpoints will be signed, and fail now on a key that cannot be used."""
    from agentaudit.signing import Signer, SigningKeyError, checkpoint_file_for, checkpoint_interval

    try:
        signer = Signer.from_env()
        events, seconds = checkpoint_interval()
    except (SigningKeyError, ValueError) as exc:
        _fail(str(exc))
    if signer is None:
        console.print(
            "checkpoints: off (set AGENTAUDIT_SIGNING_KEY to a key made by"
            " `agentaudit keys signing-init`)",
            highlight=False,
        )
        return
    console.print(
        f"checkpoints: signed with key {signer.key_id} every {events} events or {seconds:g} s,"
        f" and at shutdown; copies appended to {checkpoint_file_for(signer)}",
        highlight=False,
    )


def _browsable(host: str) -> str:
    """The host to put in a URL a browser opens: a wildcard address is this machine."""
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _best(module: str, fallback: str) -> str:
    import importlib.util

    return module if importlib.util.find_spec(module) is not None else fallback


@keys_app.command("create")
def keys_create(
    org: Annotated[str, typer.Option("--org", help="organisation name (created if new)")],
    name: Annotated[str | None, typer.Option(help="a label for the key")] = None,
    db: DbOption = None,
    database_url: UrlOption = None,
) -> None:
    """Create an API key; the key is the last line printed (shown once, only its hash is kept)."""
    from agentaudit.server.keys import create_key

    if not org.strip() or len(org) > 256:
        _fail("--org must be 1 to 256 characters")
    store = _open(_store(db, database_url, data_on_stdout=True))
    try:
        new = create_key(store, org, name)
    finally:
        store.close()
    err_console.print(
        f"created key {new.info.id} ({new.info.prefix}…) for organisation {escape(new.org_name)!r}"
    )
    print(new.key)


@keys_app.command("signing-init")
def signing_init(
    path: Annotated[
        Path | None,
        typer.Option(
            "--path",
            help="where to create the key (default $AGENTAUDIT_SIGNING_KEY, else"
            " ./agentaudit-signing.key); an existing file is never overwritten",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create the Ed25519 key that signs checkpoints (mode 0600) and print its public key,
    last, for auditors: keep the file outside the database and its backups."""
    from agentaudit.signing import SIGNING_KEY_ENV, create_key_file, key_id, public_text

    target = path or Path(os.environ.get(SIGNING_KEY_ENV) or "agentaudit-signing.key")
    try:
        key = create_key_file(target)
    except FileExistsError:
        _fail(f"{target} exists; a signing key is never overwritten (its checkpoints need it)")
    except OSError as exc:
        _fail(f"cannot create {target}: {exc.strerror}")
    public = key.public_key()
    err_console.print(
        f"created signing key {escape(str(target))} (mode 0600, key id {key_id(public)});"
        f" set AGENTAUDIT_SIGNING_KEY={escape(str(target))} for `agentaudit serve`."
        " Public key (give it to auditors, `agentaudit verify --public-key`):"
    )
    print(public_text(public))


@keys_app.command("list")
def keys_list(
    org: Annotated[str | None, typer.Option("--org", help="only this organisation")] = None,
    db: DbOption = None,
    database_url: UrlOption = None,
) -> None:
    """List keys (id, prefix, organisation, state); keys themselves are never stored."""
    store = _open(_store(db, database_url))
    try:
        orgs = {o.id: o.name for o in store.list_orgs()}
        org_id = None
        if org is not None:
            found = store.find_org(org)
            if found is None:
                _fail(f"no organisation {org!r}")
            org_id = found.id
        keys = store.list_api_keys(org_id)
    finally:
        store.close()
    table = Table()
    for column in ("id", "prefix", "organisation", "name", "created", "revoked"):
        table.add_column(column, overflow="fold")
    for k in keys:
        table.add_row(
            k.id,
            k.prefix + "…",
            orgs.get(k.org_id, k.org_id),
            k.name or "",
            k.created_at.strftime("%Y-%m-%d %H:%M"),
            k.revoked_at.strftime("%Y-%m-%d %H:%M") if k.revoked_at else "",
        )
    # piped or captured: wide enough that ids and prefixes are never folded
    Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200).print(table)


@keys_app.command("revoke")
def keys_revoke(
    key: Annotated[str, typer.Argument(help="the key's id or prefix (from `keys list`)")],
    db: DbOption = None,
    database_url: UrlOption = None,
) -> None:
    """Revoke a key at once; the organisation and its events stay."""
    store = _open(_store(db, database_url))
    try:
        done = store.revoke_api_key(key.removesuffix("…"))
    finally:
        store.close()
    if not done:
        _fail(f"no active key with id or prefix {key!r}", code=1)
    console.print(f"revoked {escape(key)}")
