"""Running the HTTP service: one process, or several uvicorn worker processes on one port.

Uvicorn starts extra workers as fresh (spawned) interpreters that import the app by name, so
they cannot receive a Settings object: the parent writes the CLI's overrides into the
`MOTCUA_*` environment the workers inherit, and `worker_app` rebuilds the settings from it.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from motcua.logs import configure_logging
from motcua.settings import Settings, get_settings

WORKER_APP = "motcua.commands.serve:worker_app"
# Uvicorn replaces a worker that does not answer its supervisor's ping in time; loading the
# index on a busy 2-core machine can take longer than uvicorn's 5 s default.
WORKER_HEALTHCHECK_SECONDS = 30


def settings_env(settings: Settings, base: Settings) -> dict[str, str]:
    """`MOTCUA_*` variables that turn `base` (what the environment says) into `settings`."""
    env: dict[str, str] = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value is None or value == getattr(base, name):
            continue
        if isinstance(value, Path):
            value = value.resolve()  # a worker may not share the parent's idea of "here"
        env[f"MOTCUA_{name.upper()}"] = str(value)
    return env


def worker_app() -> FastAPI:
    """App factory each uvicorn worker process calls (settings from the environment)."""
    from motcua.bot.web.app import create_app

    settings = get_settings()
    configure_logging(settings)
    return create_app(settings)


def proxy_options(settings: Settings) -> dict[str, object]:
    """uvicorn's trust in forwarded headers: only from the configured proxy. uvicorn's own
    default believes any X-Forwarded-For from 127.0.0.1, so anyone on the host (or a proxy
    that passes the header through) could choose the address rate limits count."""
    return {
        "proxy_headers": bool(settings.forwarded_allow_ips),
        "forwarded_allow_ips": settings.forwarded_allow_ips or "",
    }


def run(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    configure_logging(settings)
    if settings.public_url is None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        settings = settings.model_copy(update={"public_url": f"http://{shown}:{port}"})
    # Our handler formats uvicorn's records too; its access log gives way to the
    # request-id middleware's line.
    options: dict = {
        "host": host,
        "port": port,
        "log_config": None,
        "log_level": settings.log_level.lower(),
        "access_log": False,
        **proxy_options(settings),
    }
    if workers <= 1:
        from motcua.bot.web.app import create_app

        uvicorn.run(create_app(settings), **options)
        return
    # Workers would otherwise all run the schema migrations at once on start, and SQLite has
    # no lock to serialise them; done here once, the workers find the schema current.
    from motcua.storage.database import Database, DatabaseUnavailable

    try:
        Database.open(settings).close()
    except DatabaseUnavailable as exc:
        raise SystemExit(str(exc)) from exc
    os.environ.update(settings_env(settings, Settings()))
    # The embedder's OpenMP threads default to one per core in every worker; N workers would
    # run N times as many threads as cores and stall at each other's barriers.
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))
    uvicorn.run(
        WORKER_APP,
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        **options,
    )
