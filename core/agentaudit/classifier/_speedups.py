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
import os
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
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return False
    try:
        stamp = (COMPILED_DIR / STAMP).read_text().strip()
        return stamp == source_digest()
    except OSError:
        return False
