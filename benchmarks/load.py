"""The HTTP service under concurrent clients on loopback: 1, 8 and 32 at a time.

Starts `motcua serve` (extractive mode) on a free loopback port. At each level, that many
threads, each with its own HTTP connection, post the development questions (both forms, in
turn) to /v1/ask until the level has sent `--requests` questions or `--seconds` have passed,
whichever comes first; then the level stops by itself. Prints throughput, p50/p95/p99 latency
and errors (non-200 answers, timeouts, connection failures) per level.

    python -m benchmarks.load [--levels 1 8 32] [--requests 400] [--seconds 60]
"""

from __future__ import annotations

import argparse
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from benchmarks.common import OUT, QUESTION_FILES, build_index, machine, require_shared, write_json
from benchmarks.host import least_disturbed
from benchmarks.latency import percentile
from benchmarks.service import running_service

REQUEST_TIMEOUT = 30.0


class Level:
    """One concurrency level: a shared question counter, results gathered under a lock."""

    def __init__(self, questions: list[str], limit: int, seconds: float) -> None:
        self.questions = questions
        self.limit = limit
        self.deadline = time.perf_counter() + seconds
        self.lock = threading.Lock()
        self.sent = 0
        self.timings: list[float] = []
        self.errors: Counter[str] = Counter()

    def next_question(self) -> str | None:
        with self.lock:
            if self.sent >= self.limit or time.perf_counter() >= self.deadline:
                return None
            question = self.questions[self.sent % len(self.questions)]
            self.sent += 1
            return question

    def client(self, base: str) -> None:
        with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
            while (question := self.next_question()) is not None:
                started = time.perf_counter()
                try:
                    response = client.post(f"{base}/v1/ask", json={"question": question})
                    error = None if response.status_code == 200 else f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    error = type(exc).__name__
                elapsed = (time.perf_counter() - started) * 1000
                with self.lock:
                    if error:
                        self.errors[error] += 1
                    else:
                        self.timings.append(elapsed)


def run_level(base: str, clients: int, questions: list[str], limit: int, seconds: float) -> dict:
    level = Level(questions, limit, seconds)
    threads = [threading.Thread(target=level.client, args=(base,)) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ok = level.timings
    return {
        "clients": clients,
        "requests": level.sent,
        "ok": len(ok),
        "errors": sum(level.errors.values()),
        "error_kinds": dict(level.errors),
        "seconds": round(wall, 2),
        "stopped_by": "count" if level.sent >= limit else "time",
        "per_second": round(len(ok) / wall, 2),
        "p50_ms": round(percentile(ok, 0.5), 1) if ok else None,
        "p95_ms": round(percentile(ok, 0.95), 1) if ok else None,
        "p99_ms": round(percentile(ok, 0.99), 1) if ok else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=OUT / "index-seeds-corpus")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, default=400, help="questions per level")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per level")
    parser.add_argument(
        "--env",
        nargs="*",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the server, e.g. OMP_WAIT_POLICY=PASSIVE",
    )
    args = parser.parse_args()
    require_shared()

    from motcua.evaluation import FORMS, load_questions

    build_index(args.index_dir)
    questions = [q.asked(f) for q in load_questions(*QUESTION_FILES) for f in FORMS]
    rows = []
    extra_env = dict(item.split("=", 1) for item in args.env)
    with running_service(args.index_dir, extra_env) as service:
        with httpx.Client(timeout=REQUEST_TIMEOUT) as warm:
            for question in questions[:3]:
                warm.post(f"{service.base}/v1/ask", json={"question": question})
        for clients in args.levels:
            print(f"{clients} concurrent client(s)...", flush=True)
            row, share, runs = least_disturbed(
                lambda c=clients: run_level(
                    service.base, c, questions, args.requests, args.seconds
                ),
                pids=[service.pid],
            )
            rows.append({**row, "others_cpu_share": share, "runs": runs})

    results = {
        "machine": machine(),
        "mode": "extractive, one uvicorn worker, loopback",
        "server_env": extra_env,
        "bounds": {"requests_per_level": args.requests, "seconds_per_level": args.seconds},
        "levels": rows,
    }
    print(
        f"{'clients':>7s}{'requests':>9s}{'errors':>7s}{'q/s':>7s}{'p50 ms':>9s}{'p95 ms':>9s}"
        f"{'p99 ms':>9s}  stopped by  others' CPU share"
    )
    for r in rows:
        print(
            f"{r['clients']:7d}{r['requests']:9d}{r['errors']:7d}{r['per_second']:7.1f}"
            f"{r['p50_ms'] or 0:9.1f}{r['p95_ms'] or 0:9.1f}{r['p99_ms'] or 0:9.1f}"
            f"  {r['stopped_by']:10s}  {r['others_cpu_share']:.2f}"
        )
    name = "load" if not extra_env else "load-" + "-".join(k.lower() for k in extra_env)
    print(f"written: {write_json(name, results)}")


if __name__ == "__main__":
    main()
