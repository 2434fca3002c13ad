"""Use the mypyc-compiled engine (scripts/build_speedups.py) when it matches the source.

The compiled modules live in `_compiled/` beside this file under the engine's own module name;
putting that folder first on this package's `__path__` makes `import ._engine` find them. They
are used only while their stamp equals the SHA-256 of `_engine.py` (never a stale build), and
never with AGENTAUDIT_PURE_PYTHON=1.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PURE_ENV = "AGENTAUDIT_PURE_PYTHON"
COMPILED_DIR = Path(__file__).with_name("_compiled")
ENGINE_SOURCE = Path(__file__).with_name("_engine.py")
STAMP = "SOURCE_SHA256"


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compiled_engine_usable() -> bool:
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return False
    try:
        stamp = (COMPILED_DIR / STAMP).read_text().strip()
        return stamp == source_digest(ENGINE_SOURCE)
    except OSError:
        return False
