"""`agentaudit verify` (also spelled `agentaudit db verify`): one command that checks the hash
chain of the store the flags or the environment name (cli/target.py), or of a server's
organisation with `--url`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from agentaudit.store.checkpoint import Checkpoint

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

OrgOption = Annotated[str | None, typer.Option("--org", help="only this organisation (name)")]
PublicKeyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--public-key",
        help="the checkpoint key to trust: base64 as `keys signing-init` printed it, or a PEM"
        " file (repeat for keys used over time; default: the public half of"
        " $AGENTAUDIT_SIGNING_KEY)",
        show_default=False,
    ),
]
CheckpointsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--checkpoints",
        help="a file of checkpoints kept apart from the store (the server's plain copy): the"
        " chain must match these too, even if their rows were deleted from the store",
        show_default=False,
    ),
]


def verify(
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="check an export (`agentaudit export`) offline instead of a store; give"
            " --public-key",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    database_url: DatabaseUrlOption = None,
    url: ServerUrlOption = None,
    api_key: KeyOption = None,
    org: OrgOption = None,
    public_key: PublicKeyOption = None,
    checkpoints: CheckpointsOption = None,
) -> None:
    """Recompute the hash chain of every organisation in the store (or one, --org; with --url,
    the API key's) and check it against every signed checkpoint: a chain rewritten
    consistently after a checkpoint is reported naming the first checkpoint it contradicts.
    With --file, check an export offline: nothing but the file and the public key.
    Exit 1 when anything fails, 2 when it cannot be checked."""
    if file is not None:
        if db is not None or database_url or url:
            fail("--file checks an export offline: give it without --db, --database-url or --url")
        _verify_file(file, public_key)
        return
    place = resolve(db, database_url, url, remote=True)
    announce(place)
    if place.kind == "server":
        _verify_remote(place.location, api_key, org)
        return
    keys = _trusted_keys(public_key)
    kept = _read_checkpoint_files(checkpoints or [])
    from agentaudit.cli.db import open_existing, orgs_named

    store = open_existing(place.target)
    broken = 0
    seen_checkpoints = 0
    try:
        chosen = orgs_named(store, org)
        for o in chosen:
            stored = store.list_checkpoints(o.id)
            combined = _merged(stored, kept.pop(o.id, []))
            seen_checkpoints += len(combined)
            problem = _signature_problem(combined, keys)
            result = store.verify(o.id, combined)
            if problem is None and result.ok:
                console.print(f"[green]{escape(o.name)}: {escape(result.describe())}")
                continue
            broken += 1
            for line in (problem, None if result.ok else result.describe()):
                if line is not None:
                    err_console.print(f"[red]{escape(o.name)}: {escape(line)}")
        if org is None:
            for org_id, lost in kept.items():  # checkpoints of an organisation no longer here
                broken += 1
                err_console.print(
                    f"[red]organisation {escape(org_id)}: {escape(lost[0].describe())} is in"
                    " the checkpoint file, but the store holds no such organisation: its chain"
                    " was removed"
                )
    finally:
        store.close()
    if seen_checkpoints and not keys:
        err_console.print(
            "[yellow]note: checkpoint signatures were not checked (give --public-key, or set"
            " AGENTAUDIT_SIGNING_KEY): the chain matches the checkpoints, but without the key"
            " the checkpoints themselves are not proven[/yellow]"
        )
    if broken:
        raise typer.Exit(1)


def _trusted_keys(texts: list[str] | None) -> list[Ed25519PublicKey]:
    """The public keys to check signatures with: given, else the signing key's own half."""
    from agentaudit.signing import Signer, SigningKeyError, load_public_key

    try:
        if texts:
            return [load_public_key(text) for text in texts]
        signer = Signer.from_env()
    except SigningKeyError as exc:
        fail(str(exc))
    return [signer.public] if signer is not None else []


def _read_checkpoint_files(paths: list[Path]) -> dict[str, list[Checkpoint]]:
    """Checkpoints from plain files (one JSON object a line), by organisation id."""
    from agentaudit.store.checkpoint import Checkpoint

    found: dict[str, list[Checkpoint]] = {}
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror}")
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                cp = Checkpoint.from_json(line)
            except ValueError as exc:
                fail(f"{path}, line {number}: not a checkpoint ({exc})")
            found.setdefault(cp.org_id, []).append(cp)
    return found


def _merged(*groups: list[Checkpoint]) -> list[Checkpoint]:
    """One of each checkpoint (the store's and a file's copy of one are the same), by seq."""
    unique = {(cp.seq, cp.key_id, cp.signature): cp for group in groups for cp in group}
    return sorted(unique.values(), key=lambda cp: (cp.seq, cp.key_id))


def _signature_problem(checkpoints: list[Checkpoint], keys: list[Ed25519PublicKey]) -> str | None:
    """The first checkpoint no trusted key signed, said so; None when all are signed (or
    there is no key to check with)."""
    if not keys:
        return None
    from agentaudit.signing import bad_signatures

    bad = bad_signatures(checkpoints, keys)
    if not bad:
        return None
    return (
        f"checkpoint FORGED: {bad[0].describe()} does not verify with the trusted public"
        f" key(s) ({len(bad)} of {len(checkpoints)} checkpoints fail): it was altered, or"
        " signed with a key that is not yours"
    )


def _verify_file(path: Path, public_key: list[str] | None) -> None:
    from agentaudit.export import verify_export

    console.print(f"export file: {escape(str(path))} (offline, no store)", highlight=False)
    keys = _trusted_keys(public_key)
    try:
        with path.open("rb") as lines:
            check = verify_export(lines, keys)
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    if not check.ok:
        err_console.print(f"[red]{escape(check.describe())}")
        raise typer.Exit(1)
    console.print(f"[green]{escape(check.describe())}")
    for note in check.notes:
        err_console.print(f"[yellow]note: {escape(note)}[/yellow]")


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
