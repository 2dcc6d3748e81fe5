"""Keeps a serving worker on the current index version, without a restart or a torn read.

A new version is opened completely in the background (by the caller's `open_version`: the web
app opens a responder over it), then handed to `on_load`, which swaps it in with one
assignment; a question already being answered keeps what it started with. The worker's lease
tells the cleaner which versions must stay on disk.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from motcua.index.versions import NoIndex, resolve
from motcua.settings import Settings
from motcua.storage.database import Database
from motcua.storage.version_leases import IndexVersions

log = logging.getLogger(__name__)

Opened = TypeVar("Opened")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class IndexWatcher(Generic[Opened]):
    def __init__(
        self,
        settings: Settings,
        database: Database,
        open_version: Callable[[Path], Opened],
        on_load: Callable[[Opened, int | None], None],
    ) -> None:
        self.settings = settings
        self.versions = IndexVersions(database, settings.index_dir)
        self.open_version = open_version
        self.on_load = on_load
        self.worker_id = worker_id()
        self.loaded: int | str | None = None  # version id, or the folder of an unversioned index

    def check(self) -> bool:
        """Load the current version if it is not the one loaded; True when it switched."""
        current = self.versions.current()
        if current is None:
            return self._load_unversioned()
        # Lease first: from here on, cleaning leaves this version's folder alone.
        self.versions.lease(self.worker_id, current.id)
        if current.id == self.loaded:
            return False
        self.on_load(self.open_version(current.directory), current.id)
        previous, self.loaded = self.loaded, current.id
        log.info("index version %s loaded (was %s)", current.id, previous)
        return True

    def _load_unversioned(self) -> bool:
        try:
            folder = str(resolve(self.settings.index_dir))
        except NoIndex:
            return False
        if folder == self.loaded:
            return False
        self.on_load(self.open_version(Path(folder)), None)
        self.loaded = folder
        return True

    async def run(self) -> None:
        """Poll until cancelled; a failed check is logged and retried at the next poll."""
        while True:
            await asyncio.sleep(self.settings.index_poll_seconds)
            try:
                await asyncio.to_thread(self.check)
            except Exception:
                log.exception("checking for a new index version failed")

    def release(self) -> None:
        try:
            self.versions.release(self.worker_id)
        except Exception:
            log.exception("releasing the index lease failed")
