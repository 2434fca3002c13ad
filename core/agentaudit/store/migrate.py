"""Schema migrations (Alembic) for every store; `agentaudit db upgrade` calls `upgrade`."""

from __future__ import annotations

from pathlib import Path

SCHEMA_HEAD = "0029"  # keep equal to the newest revision (a test checks); ids follow issues
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config(sqlalchemy_url: str):  # -> alembic.config.Config (imported lazily: it is slow)
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", sqlalchemy_url.replace("%", "%%"))
    return cfg


def upgrade(sqlalchemy_url: str, revision: str = "head") -> None:
    """Bring the schema at `sqlalchemy_url` to `revision`."""
    from alembic import command

    command.upgrade(_config(sqlalchemy_url), revision)


def script_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config("sqlite://")).get_current_head()
    assert head is not None
    return head
