"""Compile the classifier's engine with mypyc into core/agentaudit/classifier/_compiled/.

The engine is plain, type-annotated Python; mypyc turns it into a C extension that classifies
about 1.4x faster (benchmarks/classify.py prints which engine ran). The compiled module is used
only while its stamp (the SHA-256 of the source it was built from) matches `_engine.py`, so an
edited engine runs as Python until this script runs again (`make` does it). Without mypy or a
C compiler nothing is built and the pure-Python engine is used: same answers, slower.

    .venv/bin/python scripts/build_speedups.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "core"))
from agentaudit.classifier._speedups import COMPILED_DIR, ENGINE_SOURCE, STAMP, source_digest  # noqa: E402


def main() -> int:
    if shutil.which("mypyc", path=str(Path(sys.executable).parent)) is None:
        print("build_speedups: mypyc is not installed; the classifier runs as Python")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "core" / "agentaudit", work / "agentaudit")
        done = subprocess.run(
            [str(Path(sys.executable).parent / "mypyc"), "agentaudit/classifier/_engine.py"],
            cwd=work,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
            print("build_speedups: mypyc failed; the classifier runs as Python")
            return 0
        built = sorted((work / "agentaudit" / "classifier").glob("_engine*.so"))
        shutil.rmtree(COMPILED_DIR, ignore_errors=True)
        COMPILED_DIR.mkdir()
        for lib in built:
            shutil.copy2(lib, COMPILED_DIR / lib.name)
    (COMPILED_DIR / STAMP).write_text(source_digest(ENGINE_SOURCE) + "\n")
    print(f"build_speedups: compiled {ENGINE_SOURCE.name} into {COMPILED_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
