"""The OpenAPI document against the real server: schemathesis (coverage, fuzzing and stateful
phases) finds no 5xx and no response that breaks the documented schema."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.live_server import run_server

# A fixed amount of work (30 examples per operation, a fixed seed) that takes 2-4 minutes on a
# slow machine sharing its cores with other tests: generous limits (a request's 10 s default is
# short for a PDF report on a loaded machine), and Hypothesis's check that data is generated fast
# enough (a property of the machine, not of the server) off.
pytestmark = pytest.mark.timeout(900)


def schemathesis_cli() -> list[str]:
    exe = Path(sys.executable).with_name("schemathesis")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("schemathesis")
    assert found, "schemathesis is part of the dev extra"
    return [found]


def test_schemathesis_finds_no_server_error_and_no_schema_violation(tmp_path: Path) -> None:
    from agentaudit.signing import SIGNING_KEY_ENV, create_key_file

    key = tmp_path / "signing.key"
    create_key_file(key)  # checkpoints signed: every route, the well-known key too, is reached
    env = {SIGNING_KEY_ENV: str(key)}
    with run_server(db_path=tmp_path / "fuzz.db", env=env) as srv:
        # a call held for review, whose approval request the approvals routes are given (random
        # ids would all be 404: schemathesis warns of missing test data)
        h = {"Authorization": f"Bearer {srv.api_key}"}
        httpx.put(f"{srv.url}/v1/org/policy", headers=h, json={"review_actions": ["held_call"]})
        held = httpx.post(
            f"{srv.url}/v1/events", headers=h, json={"agent_id": "a", "action": "held_call"}
        ).json()
        config = f'[parameters]\n"path.approval_id" = "{held["approval_id"]}"\n'
        (tmp_path / "schemathesis.toml").write_text(config)
        done = subprocess.run(
            [
                *schemathesis_cli(),
                "run",
                f"{srv.url}/openapi.json",
                "--max-examples",
                "30",
                "--checks",
                "not_a_server_error,response_schema_conformance",
                "--header",
                f"Authorization: Bearer {srv.api_key}",
                "--seed",
                "20250101",
                "--no-color",
                "--suppress-health-check",
                "too_slow",
                "--request-timeout",
                "60",
            ],
            capture_output=True,
            text=True,
            timeout=720,
            cwd=tmp_path,
        )
        server_log = srv.output()
    assert done.returncode == 0, f"{done.stdout[-8000:]}\n{done.stderr[-2000:]}"
    assert "No issues found" in done.stdout
    assert "Traceback" not in server_log
