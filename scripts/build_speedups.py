"""Compile the classifier with mypyc into core/agentaudit/classifier/_compiled/.

The engine, its detectors and its rule set are plain, type-annotated Python; mypyc turns them
into one group of C extensions (`_speedups.GROUP`), so the engine reads rules and vocabularies
as native objects. The compiled modules are used only while their stamp (the SHA-256 of the
sources they were built from) matches, so edited sources run as Python until this script runs
again (`make` does it). Without mypy or a C compiler nothing is built and the pure-Python
classifier is used: same answers, slower (benchmarks/classify.py prints which one ran).

    .venv/bin/python scripts/build_speedups.py
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "core"))
from agentaudit.classifier._speedups import (  # noqa: E402
    COMPILED_DIR,
    GROUP,
    SOURCES,
    STAMP,
    source_digest,
)

SETUP = """
from setuptools import setup
from mypyc.build import mypycify

setup(name="agentaudit-speedups", ext_modules=mypycify({sources!r}, group_name={group!r}))
"""


def main() -> int:
    if importlib.util.find_spec("mypyc") is None:
        print("build_speedups: mypyc is not installed; the classifier runs as Python")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "core" / "agentaudit", work / "agentaudit")
        sources = [str(p.relative_to(ROOT / "core")) for p in SOURCES]
        # laid out as the `mypyc` command does it (setup.py in build/, run from the tree's root)
        (work / "build").mkdir()
        (work / "build" / "setup.py").write_text(SETUP.format(sources=sources, group=GROUP))
        done = subprocess.run(
            [sys.executable, "build/setup.py", "build_ext", "--inplace"],
            cwd=work,
            env=_env(),
            capture_output=True,
            text=True,
        )
        package = work / "agentaudit" / "classifier"
        built = [p for p in package.glob("*.so") if p.name.split(".")[0] in _module_names()]
        if done.returncode != 0 or len(built) != len(SOURCES) + 1:
            print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
            print("build_speedups: mypyc failed; the classifier runs as Python")
            return 0
        shutil.rmtree(COMPILED_DIR, ignore_errors=True)
        COMPILED_DIR.mkdir()
        for lib in built:
            shutil.copy2(lib, COMPILED_DIR / lib.name)
    (COMPILED_DIR / STAMP).write_text(source_digest() + "\n")
    names = ", ".join(p.name for p in SOURCES)
    print(f"build_speedups: compiled {names} into {COMPILED_DIR.relative_to(ROOT)}")
    return 0


def _env() -> dict[str, str]:
    """The environment the `mypyc` command gives its build: mypyc's install first on the path.
    Without it, mypy also reports on modules of the package that are not compiled (store,
    batcher, …) and the build fails."""
    import mypyc

    env = os.environ.copy()
    base = str(Path(mypyc.__file__).parent.parent)
    env["PYTHONPATH"] = base + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _module_names() -> set[str]:
    """The extension modules of the group: one per source, and the shared library."""
    return {p.stem for p in SOURCES} | {GROUP.rsplit(".", 1)[-1] + "__mypyc"}


if __name__ == "__main__":
    raise SystemExit(main())
