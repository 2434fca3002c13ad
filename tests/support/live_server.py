"""A real `agentaudit serve` process on a free loopback port, for tests that talk HTTP.

    with run_server(db_path=tmp_path / "srv.db") as srv:   # or database_url="postgresql://…"
        srv.url, srv.api_key, srv.new_key(org="other"), srv.kill(), srv.start(), srv.stop()

The key of org "test" is created before the start with `agentaudit keys create`, as a user would.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

START_TIMEOUT = 20.0
STOP_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli_command() -> list[str]:
    """The `agentaudit` command of the running interpreter's environment."""
    return [sys.executable, "-m", "agentaudit.cli"]


class ServerError(RuntimeError):
    """The server did not come up (its stderr is in the message)."""


class LiveServer:
    def __init__(
        self,
        *,
        db_path: str | Path | None = None,
        database_url: str | None = None,
        env: dict[str, str] | None = None,
        workers: int | None = None,
        org: str = "test",
        port: int | None = None,
    ) -> None:
        if (db_path is None) == (database_url is None):
            raise ValueError("give exactly one of db_path and database_url")
        self.store_args = ["--db", str(db_path)] if db_path is not None else []
        if database_url is not None:
            self.store_args = ["--database-url", database_url]
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.workers = workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_dir = Path(tempfile.mkdtemp(prefix="agentaudit-live-"))
        self._starts = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.api_key = self.new_key(org=org)

    # -- keys ---------------------------------------------------------------------------------
    def new_key(self, org: str = "other") -> str:
        """A fresh key of organisation `org` (created if new), made with the real CLI."""
        done = subprocess.run(
            [*cli_command(), "keys", "create", "--org", org, *self.store_args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=60,
        )
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            raise ServerError(
                f"`agentaudit keys create` failed ({done.returncode}):\n{done.stderr}"
            )
        return lines[-1].strip()

    # -- process --------------------------------------------------------------------------------
    @property
    def stderr_path(self) -> Path:
        return self._log_dir / f"stderr-{self._starts}.log"

    def output(self) -> str:
        """What the server wrote to stdout and stderr in its latest run."""
        out = self._log_dir / f"stdout-{self._starts}.log"
        parts = [p.read_text(errors="replace") for p in (out, self.stderr_path) if p.exists()]
        return "\n".join(parts)

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start on the same port and store; return once GET /health answers."""
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError("the server is running already")
        self._starts += 1
        args = [
            *cli_command(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *self.store_args,
        ]
        if self.workers:
            args += ["--workers", str(self.workers)]
        with (
            open(self._log_dir / f"stdout-{self._starts}.log", "wb") as out,
            open(self.stderr_path, "wb") as err,
        ):
            self.process = subprocess.Popen(
                args, stdout=out, stderr=err, env=self.env, start_new_session=True
            )
        self._wait_healthy(timeout)

    def _wait_healthy(self, timeout: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"the server exited with {self.process.returncode}:\n{self.output()}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return
            time.sleep(0.05)
        self._signal(signal.SIGKILL)
        raise ServerError(f"the server did not answer /health within {timeout} s:\n{self.output()}")

    def _signal(self, sig: signal.Signals) -> None:
        """Signal the server's whole process group (uvicorn's workers too)."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        if self.process is None:
            return
        self._signal(signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        """SIGTERM and wait (graceful: queued commits finish); SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@contextlib.contextmanager
def run_server(
    *,
    db_path: str | Path | None = None,
    database_url: str | None = None,
    env: dict[str, str] | None = None,
    workers: int | None = None,
    org: str = "test",
) -> Iterator[LiveServer]:
    """A started server; stopped (SIGTERM) on exit, whatever happened inside."""
    server = LiveServer(
        db_path=db_path, database_url=database_url, env=env, workers=workers, org=org
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def unreachable_client(fail_mode: str, tmp_path: Path) -> Any:
    """A remote client of a server that is not there: nothing listens on its port, it does not
    retry, and events it cannot send go to a spool in `tmp_path` (for fail-mode tests)."""
    from agentaudit import AgentAudit

    return AgentAudit(
        api_key="aa_live_x",
        base_url=f"http://127.0.0.1:{free_port()}",
        fail_mode=fail_mode,  # type: ignore[arg-type]
        max_retries=0,
        timeout=1,
        spool_dir=tmp_path / "spool",
    )
