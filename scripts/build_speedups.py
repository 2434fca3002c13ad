"""Compile the classifier with mypyc: into the source tree (`make`), or into a wheel (setup.py).

The engine, its detectors and its rule set (`_speedups.SOURCES`) are plain, type-annotated
Python; mypyc turns them into one group of C extensions (`_speedups.GROUP`), so the engine reads
rules and vocabularies as native objects. The modules go to a `_compiled/` folder beside the
sources with a stamp (the SHA-256 of the sources they were built from); they are used only while
the stamp matches, so edited sources run as Python until the next build. Without mypyc or a C
compiler nothing is built and the pure-Python classifier runs: same answers, slower
(`agentaudit --version` says which engine runs, and why).

    .venv/bin/python scripts/build_speedups.py          # core/agentaudit/classifier/_compiled

`compile_classifier(package, out_dir)` is the one build both use; setup.py's build step calls it
with the wheel's build folder. This file imports nothing of the package (only `_speedups.py`, by
path), so it also runs in a build environment that has mypy but not the package's dependencies.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "core" / "agentaudit"
# What mypy is told: check the compiled modules only. The rest of the package and its
# dependencies are still read for their types ("silent"), and a dependency missing from a build
# environment is typed Any rather than an error.
# A finished build to take instead of compiling, when its stamp matches (see _reusable_build).
REUSE_ENV = "AGENTAUDIT_BUILD_REUSE"
MYPY_FLAGS = ["--follow-imports=silent", "--ignore-missing-imports"]
SETUP = """
from setuptools import setup
from mypyc.build import mypycify

setup(
    name="agentaudit-speedups",
    ext_modules=mypycify({flags!r} + {sources!r}, group_name={group!r}),
)
"""


def speedups(package: Path = PACKAGE) -> ModuleType:
    """`agentaudit.classifier._speedups` of `package`, loaded from its file (the package itself
    is not imported: its dependencies may not be installed where this runs)."""
    path = package / "classifier" / "_speedups.py"
    spec = importlib.util.spec_from_file_location("_agentaudit_speedups", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compile_classifier(package: Path, out_dir: Path, log: Callable[[str], None] = print) -> bool:
    """Compile `package`'s classifier into `out_dir` (emptied first) and stamp it; False, with
    the reason logged and `out_dir` gone, when it cannot be built here."""
    package, out_dir = package.resolve(), out_dir.resolve()
    shutil.rmtree(out_dir, ignore_errors=True)
    if importlib.util.find_spec("mypyc") is None:
        log("build_speedups: mypyc is not installed; the classifier runs as Python")
        return False
    sp = speedups(package)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(package, work / "agentaudit", ignore=shutil.ignore_patterns("_compiled"))
        sources = [str(Path("agentaudit") / p.relative_to(package)) for p in sp.SOURCES]
        # the stamp names the sources compiled: the copies, not the tree (edited meanwhile)
        digest = sp.source_digest(tuple(work / source for source in sources))
        reused = _reusable_build(sp, digest)
        if reused:
            _install(reused, out_dir, sp.STAMP, digest)
            log(f"build_speedups: reused the build of these exact sources in {reused[0].parent}")
            return True
        # laid out as the `mypyc` command does it (setup.py in build/, run from the tree's root)
        (work / "build").mkdir()
        (work / "build" / "setup.py").write_text(
            SETUP.format(flags=MYPY_FLAGS, sources=sources, group=sp.GROUP)
        )
        done = subprocess.run(
            [sys.executable, "build/setup.py", "build_ext", "--inplace"],
            cwd=work,
            env=_env(),
            capture_output=True,
            text=True,
        )
        built = [
            p
            for p in (work / "agentaudit" / "classifier").glob("*.so")
            if p.name.split(".")[0] in _module_names(sp)
        ]
        if done.returncode != 0 or len(built) != len(sp.SOURCES) + 1:
            log(done.stdout[-3000:] + "\n" + done.stderr[-3000:])
            log("build_speedups: mypyc failed (see above); the classifier runs as Python")
            return False
        _install(built, out_dir, sp.STAMP, digest)
    log(f"build_speedups: compiled {', '.join(p.name for p in sp.SOURCES)} into {out_dir}")
    return True


def _install(libs: list[Path], out_dir: Path, stamp: str, digest: str) -> None:
    """The modules into `out_dir`, then the stamp that names the sources they were built from."""
    out_dir.mkdir(parents=True)
    for lib in libs:
        shutil.copy2(lib, out_dir / lib.name)
    (out_dir / stamp).write_text(digest + "\n")


def _reusable_build(sp: ModuleType, digest: str) -> list[Path]:
    """The modules of a finished build of exactly these sources, for this interpreter, in the
    folder named by $AGENTAUDIT_BUILD_REUSE (a source tree's `_compiled/`); none when unset or
    when anything differs. mypyc's output is a function of the sources, the interpreter and
    the compiler: a second build of the same sources on the same machine gives the same modules
    (a release build and the packaging test would otherwise compile twice what `make` built)."""
    folder = os.environ.get(REUSE_ENV, "")
    if not folder:
        return []
    found = Path(folder)
    try:
        if (found / sp.STAMP).read_text().strip() != digest:
            return []
    except OSError:
        return []
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    libs = [p for p in found.glob(f"*{suffix}") if p.name.split(".")[0] in _module_names(sp)]
    return libs if len(libs) == len(sp.SOURCES) + 1 else []


def _env() -> dict[str, str]:
    """The environment the `mypyc` command gives its build: mypyc's install first on the path
    (mypy then finds the installed dependencies' types as it does for `mypyc`)."""
    import mypyc

    env = os.environ.copy()
    base = str(Path(mypyc.__file__).parent.parent)
    env["PYTHONPATH"] = base + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _module_names(sp: ModuleType) -> set[str]:
    """The extension modules of the group: one per source, and the shared library."""
    return {p.stem for p in sp.SOURCES} | {sp.GROUP.rsplit(".", 1)[-1] + "__mypyc"}


def main() -> int:
    sp = speedups()
    if sp.build_is_current():
        print(f"build_speedups: {sp.COMPILED_DIR.relative_to(ROOT)} is up to date")
        return 0
    compile_classifier(PACKAGE, sp.COMPILED_DIR)
    return 0  # a failed build leaves the Python classifier, never a broken tree


if __name__ == "__main__":
    raise SystemExit(main())
