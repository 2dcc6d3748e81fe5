"""The HTTP service for a benchmark: `motcua serve` on a free loopback port, extractive mode.

The server runs from a temporary working directory with every MOTCUA_ variable removed from
its environment, so no `.env` or exported setting can switch on a language model or a channel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.latency import free_port, wait_ready


@dataclass
class Service:
    base: str  # http://127.0.0.1:PORT
    pid: int
    worker_pids: list[int] = field(default_factory=list)  # with --workers N: the N workers

    @property
    def pids(self) -> list[int]:
        return [self.pid, *self.worker_pids]


def wait_workers(base: str, workers: int, timeout: float = 300.0) -> list[int]:
    """Pids of all `workers` once each has answered /healthz (each loads the index first).

    Every probe opens a new connection, so the kernel hands them to whichever worker accepts.
    """
    deadline = time.monotonic() + timeout
    seen: set[int] = set()
    while len(seen) < workers:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {len(seen)} of {workers} workers answered in {timeout:.0f} s")
        try:
            seen.add(httpx.get(f"{base}/healthz", timeout=2.0).json()["pid"])
        except httpx.HTTPError:
            time.sleep(0.2)
    return sorted(seen)


@contextmanager
def running_service(
    index_dir: Path, extra_env: dict[str, str] | None = None, workers: int = 1
) -> Iterator[Service]:
    """Yield the running service (base URL and process ids); stop it afterwards."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="motcua-serve-") as workdir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
        env["MOTCUA_DATA_DIR"] = str(Path(workdir) / "data")
        env.update(extra_env or {})
        command = [sys.executable, "-m", "motcua.commands.cli", "serve", "--port", str(port)]
        if workers > 1:
            command += ["--workers", str(workers)]
        server = subprocess.Popen(
            [*command, "--index-dir", str(Path(index_dir).resolve())],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            if workers > 1:
                service = Service(base, server.pid, wait_workers(base, workers))
            else:
                wait_ready(base)
                service = Service(base, server.pid)
            yield service
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
