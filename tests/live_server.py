"""A small real index and the real app served over loopback HTTP.

Shared by the console tests, the browser tests and `docs/screenshots.py`, so the screenshots
show exactly what the tests exercise.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from motcua.settings import Settings

# Two of the customer's plans: a department's scanned plan (2025, cites 61/2018/NĐ-CP, which
# 107/2021/NĐ-CP amends) and a school's plan; with the built-in cards, ingest takes ~20 s.
CONSOLE_SEEDS = ("000_5348ec65c6d4a033.txt", "004_6c8115b2801e23a2.txt")
START_TIMEOUT_SECONDS = 60.0


def console_settings(index_dir: Path) -> Settings:
    return Settings(
        index_dir=index_dir,
        data_dir=index_dir.parent / f"{index_dir.name}-data",
        _env_file=None,
    )


ADMIN_API_KEY = "khoa-api-cua-kiem-thu"  # scripts (test set-up) write through the API with it


def admin_settings(index_dir: Path, password: str) -> Settings:
    """Settings of a server whose admin pages are on (the session login, and `ADMIN_API_KEY`
    for scripts) and which follows a new index version within a fraction of a second."""
    return Settings(
        index_dir=index_dir,
        data_dir=index_dir.parent / f"{index_dir.name}-data",
        admin_password=password,
        admin_api_key=ADMIN_API_KEY,
        index_poll_seconds=0.2,
        _env_file=None,
    )


def build_cards_index(index_dir: Path) -> Path:
    """A writable index of the built-in procedure cards only (seconds to build)."""
    from motcua.index.builds import ingest_into_index

    report = ingest_into_index([], console_settings(index_dir), builtin=True)
    if report.failed or not report.added:
        raise RuntimeError(f"ingest of the built-in cards failed: {report.failed}")
    return index_dir


def build_console_index(index_dir: Path, seeds_dir: Path) -> Path:
    """Ingest the built-in cards and `CONSOLE_SEEDS` into `index_dir`."""
    from motcua.index.builds import ingest_into_index

    missing = [name for name in CONSOLE_SEEDS if not (seeds_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"seed documents missing from {seeds_dir}: {missing}")
    report = ingest_into_index(
        [seeds_dir / name for name in CONSOLE_SEEDS], console_settings(index_dir), builtin=True
    )
    if report.failed:
        raise RuntimeError(f"ingest failed: {report.failed}")
    return index_dir


@contextmanager
def serve_app(settings: Settings, responder: Any = None) -> Iterator[str]:
    """Run `create_app(settings, responder)` with uvicorn in a background thread; yields its
    base URL. Without `responder` the app loads the index itself, as `motcua serve` does.

    The socket is bound here (port 0) and handed to uvicorn, so no other process can take
    the port between choosing and listening.
    """
    from motcua.bot.web.app import create_app
    from motcua.commands.serve import proxy_options

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings, responder),
        log_level="warning",
        lifespan="on",
        **proxy_options(settings),  # as `motcua serve` runs it
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"the app did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
