"""The HTTP service for a benchmark: `motcua serve` on a free loopback port, extractive mode.

The server runs from a temporary working directory with every MOTCUA_ variable removed from
its environment, so no `.env` or exported setting can switch on a language model or a channel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.latency import free_port, wait_ready


@dataclass
class Service:
    base: str  # http://127.0.0.1:PORT
    pid: int


@contextmanager
def running_service(index_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[Service]:
    """Yield the running service (base URL and process id); stop it afterwards."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="motcua-serve-") as workdir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
        env["MOTCUA_DATA_DIR"] = str(Path(workdir) / "data")
        env.update(extra_env or {})
        command = [sys.executable, "-m", "motcua.cli", "serve", "--port", str(port)]
        server = subprocess.Popen(
            [*command, "--index-dir", str(Path(index_dir).resolve())],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_ready(base)
            yield Service(base, server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
