"""scripts/build_speedups.py takes a finished build instead of compiling only when it is a build
of exactly the sources at hand, complete, for this interpreter ($AGENTAUDIT_BUILD_REUSE)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_speedups.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_build_speedups_under_test", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType, Path]:
    """The script, the package's `_speedups`, and a folder laid out as a finished build."""
    script = _script()
    sp = script.speedups()
    folder = tmp_path / "_compiled"
    folder.mkdir()
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for name in sorted(script._module_names(sp)):
        (folder / f"{name}{suffix}").write_bytes(b"not really a module")
    (folder / sp.STAMP).write_text("d" * 64 + "\n")
    monkeypatch.setenv(script.REUSE_ENV, str(folder))
    return script, sp, folder


def test_a_build_of_these_sources_is_taken(build: tuple[ModuleType, ModuleType, Path]) -> None:
    script, sp, folder = build
    libs = script._reusable_build(sp, "d" * 64)
    assert sorted(p.name.split(".")[0] for p in libs) == sorted(script._module_names(sp))


def test_a_build_of_other_sources_is_not(build: tuple[ModuleType, ModuleType, Path]) -> None:
    script, sp, _ = build
    assert script._reusable_build(sp, "e" * 64) == []


def test_an_incomplete_build_is_not(build: tuple[ModuleType, ModuleType, Path]) -> None:
    script, sp, folder = build
    next(folder.glob("_engine*")).unlink()
    assert script._reusable_build(sp, "d" * 64) == []


def test_a_build_for_another_interpreter_is_not(
    build: tuple[ModuleType, ModuleType, Path],
) -> None:
    script, sp, folder = build
    for lib in folder.glob("*.so"):
        lib.rename(lib.with_name(lib.name.split(".")[0] + ".cpython-39-x86_64-linux-gnu.so"))
    assert script._reusable_build(sp, "d" * 64) == []


def test_nothing_is_taken_unless_asked(
    build: tuple[ModuleType, ModuleType, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    script, sp, _ = build
    monkeypatch.delenv(script.REUSE_ENV)
    assert script._reusable_build(sp, "d" * 64) == []
