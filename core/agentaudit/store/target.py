"""Which store a target names: a PostgreSQL URL or a SQLite file. Anything else is refused, with
a message, before anything is created (a mistyped URL must not become a new SQLite file with a
new organisation and key in a directory named after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")


class BadTarget(ValueError):
    """The text names no store this code can open."""


@dataclass(frozen=True)
class Target:
    kind: Literal["sqlite", "postgres"]
    location: str  # a file path, or the URL with its scheme in lower case


def _shown(text: str) -> str:
    """The text for a message, without a password."""
    return repr(re.sub(r"(://[^:/@\s]+):[^@/\s]*@", r"\1:***@", text))


def parse_target(text: str, *, url_only: bool = False) -> Target:
    """The store `text` names. A `scheme://` prefix makes it a URL: PostgreSQL's schemes (any
    case) or `sqlite:///PATH`; any other scheme is refused. Without one it is a SQLite path,
    unless `url_only` (what `--database-url` and $AGENTAUDIT_DATABASE_URL take)."""
    if not text:
        raise BadTarget("the database URL or path is empty")
    if text != text.strip():
        raise BadTarget(f"{_shown(text)} starts or ends with white space; remove it")
    match = _URL.match(text)
    if match is None:
        if url_only:
            raise BadTarget(
                f"{_shown(text)} is not a database URL: give postgresql://user@host/dbname"
                " (schemes postgresql, postgres, postgresql+psycopg), or a SQLite file with --db"
            )
        return Target("sqlite", text)
    scheme = match.group(1).lower()
    rest = text[match.end() :]
    if scheme in POSTGRES_SCHEMES:
        return Target("postgres", f"{scheme}://{rest}")
    if scheme == "sqlite" and rest.startswith("/") and len(rest) > 1:
        return Target("sqlite", rest[1:])  # SQLAlchemy's form: sqlite:////abs, sqlite:///rel
    raise BadTarget(
        f"{_shown(text)}: unsupported database URL scheme {scheme!r}; AgentAudit stores events"
        " in PostgreSQL (postgresql://…) or in a SQLite file (a path, or sqlite:///PATH)"
    )
