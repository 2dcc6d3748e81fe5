"""Chores done now and then on the way of a frequent call (deleting what is past retention
as questions come in), at most once per interval whatever the number of threads."""

from __future__ import annotations

import threading


class Periodic:
    def __init__(self, interval_seconds: float) -> None:
        self.interval = interval_seconds
        self._last = float("-inf")  # the first call is always due
        self._lock = threading.Lock()

    def due(self, now: float) -> bool:
        """True for one caller once `interval` has passed since the last time it was."""
        with self._lock:
            if now - self._last < self.interval:
                return False
            self._last = now
            return True
