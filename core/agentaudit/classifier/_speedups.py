"""Use the mypyc-compiled classifier (scripts/build_speedups.py) when it matches the source.

The engine, its detectors and its rule set are compiled together, so rules and vocabularies are
native objects whose fields the engine reads directly. The compiled modules live in `_compiled/`
beside this file under their own module names; putting that folder first on this package's
`__path__` (before any of them is imported) makes `import ._engine` and the others find them.
They are used only while their stamp equals the SHA-256 of the sources they were built from
(never a stale build), and never with AGENTAUDIT_PURE_PYTHON=1.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import os
import sys
from pathlib import Path

PURE_ENV = "AGENTAUDIT_PURE_PYTHON"
HERE = Path(__file__).parent
COMPILED_DIR = HERE / "_compiled"
ENGINE_SOURCE = HERE / "_engine.py"
# Compiled as one group; their shared library is GROUP's last part + "__mypyc". Every module of
# the classifier but this one and the package's __init__, the engine first.
SOURCES = (ENGINE_SOURCE,) + tuple(
    sorted(
        p for p in HERE.glob("_*.py") if p.name not in ("__init__.py", "_speedups.py", "_engine.py")
    )
)
GROUP = "agentaudit.classifier._native"
STAMP = "SOURCE_SHA256"


def source_digest(paths: tuple[Path, ...] = SOURCES) -> str:
    """One digest over the compiled sources, by name and content."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def compiled_engine_usable() -> bool:
    return _pure_reason() is None


def build_is_current() -> bool:
    """Whether `_compiled/` holds a build of exactly the current sources."""
    try:
        return (COMPILED_DIR / STAMP).read_text().strip() == source_digest()
    except OSError:
        return False


def _pure_reason() -> str | None:
    """Why the compiled modules must not be used; None when they may."""
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return f"{PURE_ENV}={os.environ[PURE_ENV]} is set"
    try:
        stamp = (COMPILED_DIR / STAMP).read_text().strip()
    except OSError:
        return (
            "no compiled build beside the sources (`make` or scripts/build_speedups.py builds "
            "one in a source tree; a wheel carries one when a C compiler was there to build it)"
        )
    if stamp != source_digest():
        return "the compiled build is stale: the sources changed since (run `make` again)"
    return None


def engine_status() -> tuple[bool, str]:
    """(compiled?, a sentence): the engine that really runs, and why Python when it is Python.

    Read from the modules imported, so a build made for another interpreter (whose extension
    modules this one skips) shows as Python too."""
    import agentaudit.classifier._engine as engine

    where = Path(engine.__file__ or "")
    if any(where.name.endswith(s) for s in importlib.machinery.EXTENSION_SUFFIXES):
        return True, f"compiled with mypyc ({where.parent})"
    reason = _pure_reason()
    if reason is None:
        built = sorted(p.name for p in COMPILED_DIR.glob(f"{ENGINE_SOURCE.stem}.*"))
        reason = (
            f"the compiled build ({', '.join(built) or 'no engine module'}) does not load on "
            f"this Python ({sys.implementation.cache_tag})"
        )
    return False, f"pure Python: {reason}"
