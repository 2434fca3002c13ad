"""`agentaudit serve --workers N`: N uvicorn processes, each on its own `SO_REUSEPORT` socket.

uvicorn's own multi-worker mode shares one listening socket, and whichever worker wakes first
accepts every connection waiting: a handful of keep-alive clients (SDKs, a load balancer's pool)
then all land on one worker while the others idle. With one socket per worker the Linux kernel
spreads new connections across the workers by their address hash instead.

The supervisor only starts, restarts and stops workers; it never accepts a connection itself.
Where `SO_REUSEPORT` does not balance (not Linux), `serve` falls back to uvicorn's mode.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

RESTART_PAUSE_SECONDS = 1.0  # a worker that dies at once is not restarted in a tight loop
STOP_TIMEOUT_SECONDS = 30.0
EARLY_EXIT_SECONDS = 10.0  # a worker that exits this soon after its start failed to start
MAX_FAILED_STARTS = 3  # in a row: then the supervisor gives up instead of looping forever


class WorkersFailed(RuntimeError):
    """Workers keep exiting right after they start (a broken install, an unusable store)."""


def balanced_workers_supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket of the worker group on host:port (the group shares the port)."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn

    sock = listening_socket(host, port)
    sock.listen(2048)
    config = uvicorn.Config(host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])


def free_port_or_fail(host: str, port: int) -> int:
    """Bind host:port without `SO_REUSEPORT` and let go: a port in use (even by another
    reuse-port group, such as a second `serve`) fails here, before any worker starts.
    Returns the port (the one the kernel picked when `port` is 0)."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        return int(probe.getsockname()[1])


def run_workers(count: int, host: str, port: int, options: dict[str, Any]) -> None:
    """Run `count` workers until SIGINT/SIGTERM; a worker that dies is replaced.

    `options` are `uvicorn.Config` arguments (the app as an import string, so that each worker
    builds its own). Raises `WorkersFailed` when workers keep dying as soon as they start.
    """
    port = free_port_or_fail(host, port)
    ctx = multiprocessing.get_context("spawn")
    stopping = False
    failed_starts = 0

    def start() -> tuple[BaseProcess, float]:
        proc = ctx.Process(target=_worker, args=(host, port, options), name="agentaudit-worker")
        proc.start()
        return proc, time.monotonic()

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    workers = [start() for _ in range(count)]
    try:
        while not stopping:
            for i, (proc, started) in enumerate(workers):
                if not proc.is_alive() and not stopping:
                    early = time.monotonic() - started < EARLY_EXIT_SECONDS
                    failed_starts = failed_starts + 1 if early else 0
                    if failed_starts >= MAX_FAILED_STARTS:
                        raise WorkersFailed(
                            f"{failed_starts} workers in a row exited within"
                            f" {EARLY_EXIT_SECONDS:.0f} s of starting (last exit code"
                            f" {proc.exitcode}); see the errors above"
                        )
                    print(
                        f"agentaudit: worker {proc.pid} exited with {proc.exitcode};"
                        " starting another",
                        file=sys.stderr,
                        flush=True,
                    )
                    time.sleep(RESTART_PAUSE_SECONDS)
                    workers[i] = start()
            time.sleep(0.2)
    finally:
        for proc, _ in workers:
            if proc.is_alive():
                proc.terminate()  # SIGTERM: uvicorn finishes requests, the committer commits
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for proc, _ in workers:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
