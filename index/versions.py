"""Index versions on disk: each build is a new read-only folder, published by a pointer swap.

Layout of an index directory:
  versions/<name>/   one complete index (see `index.store`), never modified once published
  CURRENT            the name of the current version's folder, replaced atomically

A directory holding `manifest.json` itself is an unversioned index (built before versions
existed, or by a benchmark) and is read as it is.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

from motcua.index.store import MANIFEST

VERSIONS = "versions"
POINTER = "CURRENT"


class NoIndex(FileNotFoundError):
    pass


def resolve(index_dir: Path | str, version_path: str | None = None) -> Path:
    """The folder to read: a named version, the pointer's version, or an unversioned index."""
    root = Path(index_dir)
    if version_path:
        return root / version_path
    pointer = root / POINTER
    if pointer.exists():
        return root / pointer.read_text(encoding="utf-8").strip()
    if (root / MANIFEST).exists():
        return root
    raise NoIndex(f"no index at {root}: run `motcua ingest` first")


def new_version(index_dir: Path | str, base: Path | None) -> tuple[Path, str]:
    """A fresh version folder holding a copy of `base` (the current index) when given."""
    root = Path(index_dir)
    name = f"{VERSIONS}/{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    target = root / name
    target.mkdir(parents=True)
    if base is not None and (base / MANIFEST).exists():
        for item in base.iterdir():
            # Published versions are never written to, so a plain copy is consistent. The
            # search files (a folder) are written anew for the new version's store.
            if item.is_file() and not item.name.endswith((".tmp", "-wal", "-shm")):
                shutil.copy2(item, target / item.name)
    return target, name


def point_to(index_dir: Path | str, version_path: str) -> None:
    """Make `version_path` what `resolve` returns, atomically (readers see old or new)."""
    root = Path(index_dir)
    tmp = root / f"{POINTER}.{uuid.uuid4().hex[:6]}.tmp"
    tmp.write_text(version_path, encoding="utf-8")
    os.replace(tmp, root / POINTER)


def remove(index_dir: Path | str, version_path: str) -> None:
    shutil.rmtree(Path(index_dir) / version_path, ignore_errors=True)
