"""How `motcua ingest` shows its progress: a bar on a terminal (files done of all, the file
being embedded, passages and time left), kept as the last word when it ends; elsewhere (a log,
a pipe, CI) one plain line per file, since a bar redrawn in place is noise in a file."""

from __future__ import annotations

import os
from typing import TextIO

from tqdm import tqdm

from motcua.index.build import IngestProgress

# "Nạp 3/12 tệp · 000_5348ec65c6d4a033.txt |████▌     | 420/1100 đoạn [05:12<08:27]"
BAR_FORMAT = "{desc} |{bar}| {n_fmt}/{total_fmt} đoạn [{elapsed}<{remaining}]"
NAME_WIDTH = 40  # a long file name is shortened so the bar keeps one line
FALLBACK_COLUMNS = 100  # a terminal that reports no width (0 columns would hide the bar)


def _short(name: str) -> str:
    return name if len(name) <= NAME_WIDTH else "…" + name[-(NAME_WIDTH - 1) :]


class TerminalProgress(IngestProgress):
    """A tqdm bar over the passages to embed (time left follows from them: embedding is
    the slow part), its description the files done and the file being embedded."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar: tqdm | None = None
        self.files = self.done = 0

    def planned(self, files: int, chunks: int) -> None:
        if not files:
            return  # nothing new: the summary says so
        self.files = files
        sized = _columns(self.stream) > 0
        self.bar = tqdm(
            total=chunks,
            file=self.stream,
            bar_format=BAR_FORMAT,
            dynamic_ncols=sized,
            ncols=None if sized else FALLBACK_COLUMNS,
            leave=True,  # the last state stays on screen as the summary
        )
        self._describe("")

    def file_started(self, name: str, chunks: int) -> None:
        self._describe(f" · {_short(name)}")

    def embedded(self, chunks: int) -> None:
        if self.bar is not None:
            self.bar.update(chunks)

    def file_done(self, name: str, chunks: int, seconds: float) -> None:
        self.done += 1
        if self.done == self.files:
            self._describe("")
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _describe(self, current: str) -> None:
        if self.bar is not None:
            verb = "Đã nạp" if self.done == self.files else "Nạp"
            self.bar.set_description_str(f"{verb} {self.done}/{self.files} tệp{current}")


class LineProgress(IngestProgress):
    """One line per file as it is done: its place, name, passages and seconds."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.files = self.done = 0

    def planned(self, files: int, chunks: int) -> None:
        self.files = files
        if files:
            self._say(f"Nạp {files} tệp, {chunks} đoạn (embedding {files} files, {chunks} chunks)")

    def file_done(self, name: str, chunks: int, seconds: float) -> None:
        self.done += 1
        self._say(f"[{self.done}/{self.files}] {name}: {chunks} đoạn, {seconds:.1f} giây")

    def close(self) -> None:
        pass  # every line is out already

    def _say(self, line: str) -> None:
        print(line, file=self.stream, flush=True)


def _columns(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 0


def progress_for(stream: TextIO) -> TerminalProgress | LineProgress:
    """A bar where a person watches a terminal, plain lines anywhere else."""
    isatty = getattr(stream, "isatty", None)
    return TerminalProgress(stream) if isatty is not None and isatty() else LineProgress(stream)
