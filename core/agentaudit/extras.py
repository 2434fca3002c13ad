"""Optional dependencies: which extra installs which module, and one line saying so.

`pip install agentaudit` is the SDK, the embedded store and the CLI; the server, PostgreSQL and
each framework adapter come with an extra (`agentaudit[server]`, …). Whatever needs one imports
it through `require` (or lets the CLI turn the `ModuleNotFoundError` into `MissingExtra`), so a
user reads the command to run instead of a traceback.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# Top-level module -> the extra that installs it (pyproject.toml's optional-dependencies).
EXTRA_OF_MODULE: dict[str, str] = {
    "fastapi": "server",
    "starlette": "server",
    "uvicorn": "server",
    "jinja2": "server",
    "multipart": "server",
    "python_multipart": "server",
    "psycopg": "postgres",
    "psycopg_pool": "postgres",
    "langchain": "langchain",
    "langchain_core": "langchain",
    "langgraph": "langchain",
    "agents": "openai-agents",
    "crewai": "crewai",
}


def install_command(extra: str) -> str:
    return f"pip install 'agentaudit[{extra}]'"


class MissingExtra(ImportError):
    """Something needs an optional dependency that is not installed; the message is one line
    naming the extra to install."""

    def __init__(self, needed_by: str, extra: str, missing: str, reason: str | None = None) -> None:
        because = reason or f"{missing} is not installed"
        super().__init__(
            f"{needed_by} needs the {extra!r} extra ({because}); install it with: "
            f"{install_command(extra)}",
            name=missing,
        )
        self.extra = extra


def require(needed_by: str, extra: str, *modules: str) -> list[ModuleType]:
    """Import `modules`, or raise `MissingExtra` naming `extra` (the original error chained).

    Any ImportError counts here, a version too old to have a module included: what `require`
    is asked for is exactly what the extra pins."""
    imported = []
    for name in modules:
        try:
            imported.append(importlib.import_module(name))
        except ImportError as exc:
            raise MissingExtra(needed_by, extra, exc.name or name, str(exc)) from exc
    return imported


def explain(exc: BaseException, needed_by: str = "this command") -> MissingExtra | None:
    """`MissingExtra` for a `ModuleNotFoundError` of a module an extra provides, else None.

    Only a module that is absent counts: an `ImportError` from a broken installation is left as
    it is, since installing the extra again would not be the fix."""
    if isinstance(exc, MissingExtra):
        return exc
    if not isinstance(exc, ModuleNotFoundError) or not exc.name:
        return None
    extra = EXTRA_OF_MODULE.get(exc.name.split(".")[0])
    return MissingExtra(needed_by, extra, exc.name) if extra else None
