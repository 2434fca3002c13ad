"""Wall time of one `agentaudit hook claude-code` call, as Claude Code pays it on every tool call.

Each sample runs the exact command `agentaudit hook install claude-code` writes (through `sh -c`,
as Claude Code runs hooks) with one PreToolUse JSON on stdin, from process start to exit: the
interpreter's start-up, the imports, the decision and the store. Modes:

    bare Python    `python -P -c pass`: the floor any Python hook pays
    remote         against a real `agentaudit serve` (SQLite) on loopback
    remote, down   nothing listens: refused (fail closed) and written to the SDK's spool
    embedded       classify, decide and store in a local SQLite file in the hook's process

    .venv/bin/python benchmarks/hook.py [--runs 40]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT))
from _machine import describe, percentile  # noqa: E402

from agentaudit.hooks.install import hook_command  # noqa: E402
from tests.support.live_server import LiveServer, free_port  # noqa: E402


def hook_input(i: int) -> bytes:
    return json.dumps(
        {
            "session_id": "bench",
            "transcript_path": "/tmp/bench.jsonl",
            "cwd": "/home/dev/project",
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": f"git log -n {i % 50} --oneline", "description": "log"},
            "tool_use_id": f"toolu_{i}",
        }
    ).encode()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sample(
    command: str, env: dict[str, str], runs: int, expect: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds per run (two warm-up runs first: the page cache, a first migration).
    CPU time (the hook's processes, user + system) moves less than wall time on a busy machine."""
    wall, cpu = [], []
    for i in range(runs + 2):
        cpu0, start = _children_cpu(), time.perf_counter()
        done = subprocess.run(
            ["sh", "-c", command], input=hook_input(i), capture_output=True, env=env, check=False
        )
        elapsed, used = time.perf_counter() - start, _children_cpu() - cpu0
        if done.returncode != expect:
            raise SystemExit(f"{command!r} exited {done.returncode}: {done.stderr.decode()}")
        if i >= 2:
            wall.append(elapsed)
            cpu.append(used)
    return wall, cpu


def line(name: str, sampled: tuple[list[float], list[float]]) -> str:
    ms = [t * 1000 for t in sampled[0]]
    cpu = [t * 1000 for t in sampled[1]]
    return (
        f"{name:<14} wall median {statistics.median(ms):6.1f} ms  p90 {percentile(ms, 0.9):6.1f}"
        f"  min {min(ms):6.1f}   CPU median {statistics.median(cpu):6.1f} ms   ({len(ms)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory() as tmp:
        base = {k: v for k, v in os.environ.items() if not k.startswith("AGENTAUDIT_")}
        base["PYTHONPATH"] = os.pathsep.join([str(ROOT / "core"), str(ROOT)])
        base["AGENTAUDIT_SPOOL_DIR"] = str(Path(tmp) / "spool")
        base["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        python = sys.executable
        print(line("bare Python", sample(f"{python} -P -c pass", base, args.runs, 0)))

        server = LiveServer(db_path=Path(tmp) / "server.db", org="bench")
        server.start()
        try:
            env = {**base, "AGENTAUDIT_API_KEY": server.api_key}
            remote = hook_command(url=server.url)
            print(line("remote", sample(remote, env, args.runs, 0)))
        finally:
            server.stop()
        down = hook_command(url=f"http://127.0.0.1:{free_port()}")
        print(line("remote, down", sample(down, env, args.runs, 2)))

        embedded = hook_command(db=str(Path(tmp) / "embedded.db"))
        print(line("embedded", sample(embedded, base, args.runs, 0)))


if __name__ == "__main__":
    main()
