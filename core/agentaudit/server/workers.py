"""`agentaudit serve --workers N`: N uvicorn worker processes behind one listening socket.

The supervisor accepts every connection and hands it to the workers in turn, passing the
socket itself over a Unix socket (SCM_RIGHTS); the worker serves it as if it had accepted it.
Both ways the kernel offers spread a handful of keep-alive clients (SDKs, a load balancer's
pool) badly: uvicorn's shared socket lets the first worker to wake accept every waiting
connection, and one `SO_REUSEPORT` socket per worker spreads them by address hash, which put
all four connections of the batch benchmark on one worker one time in eight and three on one
half the time, so throughput depended on the luck of the hash rather than on the workers.

The supervisor also restarts a worker that dies and stops them all on SIGINT/SIGTERM. Where
file descriptors cannot be passed (not Unix), `serve` falls back to uvicorn's mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import selectors
import signal
import socket
import sys
import tempfile
import time
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

RESTART_PAUSE_SECONDS = 1.0  # a worker that dies at once is not restarted in a tight loop
STOP_TIMEOUT_SECONDS = 30.0
EARLY_EXIT_SECONDS = 10.0  # a worker that exits this soon after its start failed to start
MAX_FAILED_STARTS = 3  # in a row: then the supervisor gives up instead of looping forever
POLL_SECONDS = 0.2  # how often the supervisor looks at its workers and its stop flag
LISTEN_BACKLOG = 2048


class WorkersFailed(RuntimeError):
    """Workers keep exiting right after they start (a broken install, an unusable store)."""


def balanced_workers_supported() -> bool:
    return hasattr(socket, "send_fds") and hasattr(socket, "AF_UNIX")


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=LISTEN_BACKLOG)


# -- worker side -------------------------------------------------------------------------------
def _worker(hub_path: str, options: dict[str, Any]) -> None:
    import uvicorn

    class HandedServer(uvicorn.Server):
        """A uvicorn server with no listening socket of its own: it serves the connections the
        supervisor hands it over `hub_path`."""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=[])
            loop = asyncio.get_running_loop()
            self._hub = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._hub.connect(hub_path)
            self._hub.setblocking(False)
            loop.add_reader(self._hub.fileno(), self._receive, loop)

        def _receive(self, loop: asyncio.AbstractEventLoop) -> None:
            try:
                message, fds, _, _ = socket.recv_fds(self._hub, 256, 256)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                message, fds = b"", []
            if not message:  # the supervisor is gone: finish what is open, then stop
                self._stop_receiving(loop)
                self.should_exit = True
            for fd in fds:
                conn = socket.socket(fileno=fd)
                conn.setblocking(False)
                loop.create_task(loop.connect_accepted_socket(self._protocol, conn))

        def _protocol(self) -> asyncio.Protocol:
            return self.config.http_protocol_class(  # type: ignore[call-arg]
                config=self.config, server_state=self.server_state, app_state=self.lifespan.state
            )

        def _stop_receiving(self, loop: asyncio.AbstractEventLoop) -> None:
            if self._hub.fileno() != -1:
                loop.remove_reader(self._hub.fileno())
                self._hub.close()

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            self._stop_receiving(asyncio.get_running_loop())
            await super().shutdown(sockets)

    HandedServer(uvicorn.Config(**options)).run()


# -- supervisor side ---------------------------------------------------------------------------
class _Dispatcher:
    """Hands accepted connections to the connected workers, round robin."""

    def __init__(self) -> None:
        self.channels: list[socket.socket] = []
        self._next = 0

    def add(self, channel: socket.socket) -> None:
        self.channels.append(channel)

    def hand(self, conn: socket.socket) -> None:
        """Pass `conn` to the next worker that takes it; a dead worker's channel is dropped."""
        with conn:
            while self.channels:
                self._next %= len(self.channels)
                channel = self.channels[self._next]
                self._next += 1
                try:
                    socket.send_fds(channel, [b"c"], [conn.fileno()])
                    return
                except OSError:
                    self.channels.remove(channel)
                    channel.close()

    def close(self) -> None:
        for channel in self.channels:
            channel.close()
        self.channels.clear()


def run_workers(count: int, host: str, port: int, options: dict[str, Any]) -> None:
    """Run `count` workers until SIGINT/SIGTERM; a worker that dies is replaced.

    `options` are `uvicorn.Config` arguments (the app as an import string, so that each worker
    builds its own). Raises OSError when host:port cannot be listened on, and `WorkersFailed`
    when workers keep dying as soon as they start.
    """
    listener = _listen(host, port)
    options = {**options, "host": host, "port": listener.getsockname()[1]}
    with tempfile.TemporaryDirectory(prefix="agentaudit-") as tmp:  # mode 0700: ours alone
        _supervise(count, listener, os.path.join(tmp, "workers.sock"), options)


def _supervise(count: int, listener: socket.socket, hub_path: str, options: dict[str, Any]) -> None:
    """Deal `listener`'s connections to `count` workers, which connect back on `hub_path`."""
    ctx = multiprocessing.get_context("spawn")
    stopping = False
    failed_starts = 0

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    def start() -> tuple[BaseProcess, float]:
        proc = ctx.Process(target=_worker, args=(hub_path, options), name="agentaudit-worker")
        proc.start()
        return proc, time.monotonic()

    def replace_dead() -> None:
        nonlocal failed_starts
        for i, (proc, started) in enumerate(workers):
            if proc.is_alive() or stopping:
                continue
            early = time.monotonic() - started < EARLY_EXIT_SECONDS
            failed_starts = failed_starts + 1 if early else 0
            if failed_starts >= MAX_FAILED_STARTS:
                raise WorkersFailed(
                    f"{failed_starts} workers in a row exited within"
                    f" {EARLY_EXIT_SECONDS:.0f} s of starting (last exit code"
                    f" {proc.exitcode}); see the errors above"
                )
            print(
                f"agentaudit: worker {proc.pid} exited with {proc.exitcode}; starting another",
                file=sys.stderr,
                flush=True,
            )
            time.sleep(RESTART_PAUSE_SECONDS)
            workers[i] = start()

    hub = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    hub.bind(hub_path)
    hub.listen(count * 4)
    dispatcher = _Dispatcher()
    selector = selectors.DefaultSelector()
    selector.register(hub, selectors.EVENT_READ)
    listening = False
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    workers = [start() for _ in range(count)]
    try:
        while not stopping:
            # accept clients only while a worker is there to take them (the backlog waits)
            if bool(dispatcher.channels) != listening:
                listening = not listening
                if listening:
                    selector.register(listener, selectors.EVENT_READ)
                else:
                    selector.unregister(listener)
            for key, _ in selector.select(POLL_SECONDS):
                if key.fileobj is hub:
                    dispatcher.add(hub.accept()[0])
                else:
                    with contextlib.suppress(BlockingIOError, ConnectionAbortedError):
                        dispatcher.hand(listener.accept()[0])
            replace_dead()
    finally:
        listener.close()  # no new connections; the workers finish the ones they hold
        selector.close()
        for proc, _ in workers:
            if proc.is_alive():
                proc.terminate()  # SIGTERM: uvicorn finishes requests, the committer commits
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for proc, _ in workers:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()
        dispatcher.close()
        hub.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
