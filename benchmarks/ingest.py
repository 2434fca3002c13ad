"""REST ingest: a real `agentaudit serve` (SQLite, loopback) measured from another process.

1. one sequential client, single-event POST /v1/events: p50 / p99 latency;
2. 16 concurrent clients (keep-alive connections), single-event POSTs: events/s;
3. POST /v1/events/batch with 1,000 events per request (4 clients): events/s;
then SIGKILL the server right after the last acknowledgement, restart it and check that every
acknowledged event is stored and the chain verifies. Each throughput line also says where the
CPU went per event (server processes, PostgreSQL's processes, this load generator; Linux /proc)
and how many of the two cores were busy, so a figure shows what bounds it.

The client is a minimal asyncio HTTP/1.1 keep-alive client, so the figures are the server's, not
a heavy client's. Events are the labelled tool calls of tests/data/classifier_dev.jsonl.

    .venv/bin/python benchmarks/ingest.py [--seconds 5] [--clients 16] [--batch 1000] \
        [--workers N] [--database-url postgresql://…]

With `--compare-signing ROUNDS` it measures only the batch phase, against servers without and
with checkpoint signing (AGENTAUDIT_SIGNING_KEY; default interval, or --checkpoint-events),
alternating in the same run (off, on, on, off, …) so drift on a shared machine falls on both,
and prints each round and the median difference.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
from _machine import cpu_seconds, describe, load_calls, postgres_cpu_seconds, processes  # noqa: E402

from tests.support.live_server import LiveServer  # noqa: E402


class Conn:
    """One keep-alive HTTP/1.1 connection: send a POST, read status and JSON body."""

    def __init__(self, port: int, key: str) -> None:
        self.port = port
        self.key = key

    async def open(self) -> Conn:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


def bodies(calls: list[dict]) -> list[bytes]:
    return [json.dumps(c).encode() for c in calls]


async def sequential(
    port: int, key: str, payloads: list[bytes], n: int
) -> tuple[list[float], list[str]]:
    conn = await Conn(port, key).open()
    latencies, ids = [], []
    for i in range(n):
        t = time.perf_counter()
        status, body = await conn.post("/v1/events", payloads[i % len(payloads)])
        latencies.append(time.perf_counter() - t)
        assert status == 201, body
        ids.append(json.loads(body)["id"])
    conn.close()
    return latencies, ids


async def concurrent(
    port: int, key: str, payloads: list[bytes], clients: int, seconds: float
) -> tuple[int, float, list[str]]:
    deadline = time.perf_counter() + seconds
    ids: list[str] = []

    async def client(c: int) -> None:
        conn = await Conn(port, key).open()
        i = c
        while time.perf_counter() < deadline:
            status, body = await conn.post("/v1/events", payloads[i % len(payloads)])
            assert status == 201, body
            ids.append(json.loads(body)["id"])
            i += clients
        conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(clients)))
    return len(ids), time.perf_counter() - start, ids


async def batched(
    port: int, key: str, calls: list[dict], size: int, seconds: float, clients: int = 2
) -> tuple[int, float, list[str]]:
    batch = [calls[i % len(calls)] for i in range(size)]
    body = json.dumps({"events": batch}).encode()
    deadline = time.perf_counter() + seconds
    ids: list[str] = []

    async def client() -> None:
        conn = await Conn(port, key).open()
        while time.perf_counter() < deadline:
            status, out = await conn.post("/v1/events/batch", body)
            assert status == 201, out[:300]
            ids.extend(e["id"] for e in json.loads(out)["events"])
        conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return len(ids), time.perf_counter() - start, ids


class CpuSplit:
    """CPU seconds used by the server's process tree, PostgreSQL and this process."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def read(self) -> tuple[float, float, float]:
        procs = processes()
        tree, todo = set(), [self.server_pid]
        while todo:
            pid = todo.pop()
            tree.add(pid)
            todo += [p for p, (parent, _) in procs.items() if parent == pid]
        server = sum(cpu_seconds(p) for p in tree)
        pg = postgres_cpu_seconds(procs)
        return server, pg, time.process_time()

    def describe(self, before: tuple[float, float, float], events: int, secs: float) -> str:
        used = [(b - a) / events * 1e6 for a, b in zip(before, self.read(), strict=True)]
        busy = sum(used) * events / secs / 1e6
        return (
            f"   CPU per event: server {used[0]:.0f} µs, PostgreSQL {used[1]:.0f} µs,"
            f" load generator {used[2]:.0f} µs; {busy:.2f} cores busy"
        )


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def compare_signing(args: argparse.Namespace, calls: list[dict], tmp: str) -> None:
    """Batched ingest without and with checkpoint signing, alternated, same run."""
    sys.path.insert(0, str(ROOT / "core"))
    from agentaudit.signing import create_key_file

    key = Path(tmp) / "signing.key"
    create_key_file(key)
    env_on = {
        "AGENTAUDIT_SIGNING_KEY": str(key),
        "AGENTAUDIT_CHECKPOINT_FILE": str(Path(tmp) / "checkpoints.jsonl"),
    }
    if args.checkpoint_events:
        env_on["AGENTAUDIT_CHECKPOINT_EVENTS"] = str(args.checkpoint_events)
    rates: dict[str, list[float]] = {"off": [], "on": []}
    for r in range(args.compare_signing):
        order = ("off", "on") if r % 2 == 0 else ("on", "off")
        for mode in order:
            store = (
                {"database_url": args.database_url}
                if args.database_url
                else {"db_path": Path(tmp) / f"{mode}-{r}.db"}
            )
            server = LiveServer(
                **store,
                env=env_on if mode == "on" else {},
                workers=args.workers,
                org=f"sign-{mode}-{uuid.uuid4().hex[:8]}",
            )
            server.start()
            try:
                asyncio.run(batched(server.port, server.api_key, calls, args.batch, 1.0, 1))
                n, secs, _ = asyncio.run(
                    batched(
                        server.port,
                        server.api_key,
                        calls,
                        args.batch,
                        args.seconds,
                        args.batch_clients,
                    )
                )
            finally:
                server.stop()
            rates[mode].append(n / secs)
            print(f"round {r + 1} signing {mode:3}: {n / secs:8.0f} events/s ({n} in {secs:.1f} s)")
    off, on = statistics.median(rates["off"]), statistics.median(rates["on"])
    print(
        f"batch POST of {args.batch} ({args.batch_clients} clients), median of"
        f" {args.compare_signing}: signing off {off:.0f} events/s, on {on:.0f} events/s"
        f" ({(on - off) / off * 100:+.1f} %)"
    )
    lines = (Path(tmp) / "checkpoints.jsonl").read_text().splitlines()
    print(f"{len(lines)} checkpoints signed while measuring (and at each shutdown)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequential", type=int, default=3000, help="single POSTs, one client")
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput phase")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--batch-clients", type=int, default=4, help="clients of the batch phase")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument(
        "--compare-signing",
        type=int,
        metavar="ROUNDS",
        help="only the batch phase, without and with checkpoint signing, alternated",
    )
    parser.add_argument(
        "--checkpoint-events", type=int, help="with --compare-signing: sign every N events"
    )
    args = parser.parse_args()

    calls = load_calls()
    payloads = bodies(calls)
    print(describe())
    print(
        f"{len(calls)} distinct tool calls from classifier_dev.jsonl, server on {'PostgreSQL' if args.database_url else 'SQLite (WAL)'},"
        f" {args.workers} worker process(es)"
    )
    if args.compare_signing:
        with tempfile.TemporaryDirectory() as tmp:
            compare_signing(args, calls, tmp)
        return
    with tempfile.TemporaryDirectory() as tmp:
        store = (
            {"database_url": args.database_url}
            if args.database_url
            else {"db_path": Path(tmp) / "ingest.db"}
        )
        # an organisation of this run's own: a reused PostgreSQL database may hold earlier runs
        server = LiveServer(**store, workers=args.workers, org=f"ingest-{uuid.uuid4().hex[:8]}")
        server.start()
        try:
            acked: list[str] = []
            asyncio.run(sequential(server.port, server.api_key, payloads, 300))  # warm-up
            warm = 300
            lat, ids = asyncio.run(
                sequential(server.port, server.api_key, payloads, args.sequential)
            )
            acked += ids
            ms = [x * 1000 for x in lat]
            print(
                f"sequential single POST ({len(ms)} requests): p50 {statistics.median(ms):.2f} ms,"
                f" p90 {pct(ms, 90):.2f} ms, p99 {pct(ms, 99):.2f} ms, max {max(ms):.2f} ms"
                f" ({len(ms) / sum(lat):.0f} events/s)"
            )
            split = CpuSplit(server.process.pid)
            before = split.read()
            n, secs, ids = asyncio.run(
                concurrent(server.port, server.api_key, payloads, args.clients, args.seconds)
            )
            acked += ids
            print(
                f"{args.clients} concurrent clients, single POST: {n / secs:.0f} events/s ({n} in {secs:.1f} s)"
            )
            print(split.describe(before, n, secs))
            before = split.read()
            n, secs, ids = asyncio.run(
                batched(
                    server.port, server.api_key, calls, args.batch, args.seconds, args.batch_clients
                )
            )
            acked += ids
            print(
                f"batch POST of {args.batch} ({args.batch_clients} clients): {n / secs:.0f} events/s ({n} in {secs:.1f} s)"
            )
            print(split.describe(before, n, secs))

            server.kill()  # at once, right after the last acknowledgement
            server.start()
            import httpx

            headers = {"Authorization": f"Bearer {server.api_key}"}
            total = httpx.get(f"{server.url}/v1/events/stats", headers=headers).json()[
                "total_events"
            ]
            verify = httpx.get(f"{server.url}/v1/verify", headers=headers, timeout=120).json()
            expected = len(acked) + warm
            ok = total == expected and len(set(acked)) == len(acked) and verify["ok"]
            print(
                f"after SIGKILL and restart: {total} stored of {expected} acknowledged,"
                f" chain {'verifies' if verify['ok'] else 'BROKEN'} -> {'OK' if ok else 'LOST EVENTS'}"
            )
        finally:
            server.stop()
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
