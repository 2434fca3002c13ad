"""The wheel as users install it: built from the sdist (`python -m build`, isolated, as a release
is built), installed into a fresh venv without extras, and run there.

It carries the compiled classifier for this platform, `py.typed` and the licence; a build
without a C compiler still succeeds and gives a pure-Python wheel that answers the same. Takes a
few minutes (two builds, one venv); pip needs its index or cache for the dependencies.

When the source tree holds a current compiled build (`make` made it), the release build is told
to reuse it ($AGENTAUDIT_BUILD_REUSE; taken only if its stamp names exactly the sdist's sources)
instead of compiling the same sources a second time, which costs minutes on a slow machine:
`make` has just exercised the compile itself, and this file checks what the wheel carries.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import agentaudit
from agentaudit.classifier._speedups import COMPILED_DIR, build_is_current

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

REPO = Path(__file__).resolve().parent.parent
REUSE_ENV = "AGENTAUDIT_BUILD_REUSE"  # scripts/build_speedups.py
# The acceptance example of DESIGN.md and what it must classify as.
SEED = {
    "agent_id": "my-custom-agent",
    "action": "database_query",
    "data": {
        "query": "SELECT * FROM customers WHERE email = 'jane@example.com'",
        "database": "production",
    },
    "context": {"environment": "production", "user_id": "developer-123"},
    "reasoning": "Customer requested account information",
}
EXPECTED = {
    "risk_level": "high",
    "pii_fields": ["email"],
    "frameworks": {"gdpr": ["art_30", "art_15"], "ai_act": ["art_14", "art_9"]},
}
CLASSIFY = f"""
import json
from agentaudit import classify
c = classify(**{SEED!r})
print(json.dumps({{"risk_level": str(c.risk_level), "pii_fields": c.pii_fields,
                  "frameworks": c.frameworks}}))
"""


def run(args: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; its output (stdout, then stderr), or a failure showing it."""
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without what would point Python at the source tree or force an engine."""
    drop = ("PYTHONPATH", "AGENTAUDIT_PURE_PYTHON", "AGENTAUDIT_EXPECT_COMPILED", "VIRTUAL_ENV")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


@dataclass
class Installed:
    venv: Path
    wheel: Path
    cwd: Path

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.venv / "bin" / "python", "-c", code],
            cwd=self.cwd,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def agentaudit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.venv / "bin" / "agentaudit", *args],
            cwd=self.cwd,
            env=clean_env(COLUMNS="200"),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def classified(self) -> dict:
        done = self.python(CLASSIFY)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def engine(self) -> str:
        done = self.agentaudit("--version")
        assert done.returncode == 0, done.stderr
        first, engine = done.stdout.strip().splitlines()
        assert first.startswith(f"agentaudit {agentaudit.__version__} ")
        return engine


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The release build (sdist, then the wheel from it) installed into a fresh venv."""
    tmp = tmp_path_factory.mktemp("packaging")
    dist = tmp / "dist"
    reuse = {REUSE_ENV: str(COMPILED_DIR)} if build_is_current() else {}
    out = run(
        [sys.executable, "-m", "build", "--outdir", dist, REPO], cwd=tmp, env=clean_env(**reuse)
    )
    if reuse:
        assert f"reused the build of these exact sources in {COMPILED_DIR}" in out
    wheel = next(dist.glob("agentaudit-*.whl"))
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=tmp, env=clean_env())
    pip = [venv / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run([*pip, wheel], cwd=tmp, env=clean_env())
    yield Installed(venv, wheel, tmp)


def test_the_wheel_carries_the_compiled_classifier_types_and_licence(installed: Installed) -> None:
    assert installed.wheel.name.startswith(f"agentaudit-{agentaudit.__version__}-cp3")
    assert not installed.wheel.name.endswith("-none-any.whl")  # tagged for this platform
    names = zipfile.ZipFile(installed.wheel).namelist()
    compiled = [n for n in names if n.startswith("agentaudit/classifier/_compiled/")]
    assert "agentaudit/classifier/_compiled/SOURCE_SHA256" in compiled and len(compiled) >= 4
    assert "agentaudit/py.typed" in names and "agentaudit_integrations/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "agentaudit/server/vendor/swagger-ui/swagger-ui-bundle.js" in names
    assert not any(n.startswith(("tests/", "scripts/", "benchmarks/")) for n in names)


def test_installed_it_runs_the_compiled_engine_and_classifies(installed: Installed) -> None:
    assert installed.engine().startswith("classifier engine: compiled with mypyc (")
    assert installed.classified() == EXPECTED


def test_installed_without_extras_each_missing_extra_is_one_line(installed: Installed) -> None:
    serve = installed.agentaudit("serve", "--db", str(installed.cwd / "s.db"))
    assert serve.returncode == 2
    assert serve.stderr.strip().splitlines() == [
        "error: `agentaudit serve` needs the 'server' extra (uvicorn is not installed); "
        "install it with: pip install 'agentaudit[server]'"
    ]
    for module, name, extra in (
        ("langchain", "AgentAuditMiddleware", "langchain"),
        ("crewai", "instrument", "crewai"),
    ):
        use = "audit = __import__('agentaudit').AgentAudit(db_path='a.db')\n"
        use += f"from agentaudit_integrations.{module} import {name}\n"
        use += f"{name}(audit)" if module == "crewai" else f"{name}"
        done = installed.python(use)
        assert done.returncode == 1
        last = done.stderr.strip().splitlines()[-1]
        assert last.endswith(f"install it with: pip install 'agentaudit[{extra}]'"), last


def test_without_a_c_compiler_the_build_gives_a_pure_wheel(installed: Installed) -> None:
    """CC=false: mypyc cannot compile; the build still succeeds, the wheel is py3-none-any and
    the installed classifier is Python, says why, and answers the same."""
    sdist = next(installed.wheel.parent.glob("agentaudit-*.tar.gz"))
    out = installed.cwd / "pure"
    pip = [installed.venv / "bin" / "python", "-m", "pip"]
    run(
        [*pip, "wheel", "--no-deps", "-q", "-w", out, sdist],
        cwd=installed.cwd,
        env=clean_env(CC="false"),
    )
    wheel = next(out.glob("agentaudit-*.whl"))
    assert wheel.name.endswith("-py3-none-any.whl")
    assert not any("_compiled/" in n for n in zipfile.ZipFile(wheel).namelist())
    run(
        [*pip, "install", "-q", "--no-deps", "--force-reinstall", wheel],
        cwd=installed.cwd,
        env=clean_env(),
    )
    assert installed.engine() == (
        "classifier engine: pure Python: no compiled build beside the sources (`make` or "
        "scripts/build_speedups.py builds one in a source tree; a wheel carries one when a C "
        "compiler was there to build it)"
    )
    assert installed.classified() == EXPECTED
