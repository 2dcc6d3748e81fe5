"""Reading an untrusted file in a child process, under memory and time limits.

A parser fed a hostile file (a DOCX whose XML inflates to gigabytes, a PDF of fifty thousand
pages) can take all the memory of the process running it and keep it. Uploads are read here
instead: the child is limited in address space and wall time, and whatever it used is given
back when it ends. A PDF over the page limit is refused from its page count, before its text
is read. The child prints the text (UTF-8) or, for a file it cannot read, the loader's message
with exit status 2, on standard output (libraries write their warnings to standard error).

    python -m motcua.ingest.isolated FILE [MAX_PDF_PAGES]
"""

from __future__ import annotations

import logging
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

from motcua.ingest.loaders import LoaderError, check_pdf_pages, load_text

log = logging.getLogger(__name__)

UNREADABLE = 2
OUT_OF_MEMORY = 3


def load_text_isolated(
    path: Path, seconds: int, memory_mb: int, max_pdf_pages: int | None = None
) -> str:
    """`load_text(path)` run in a child process; LoaderError when the file cannot be read, is
    a PDF of more than `max_pdf_pages` pages, or its reading takes more than `seconds` or
    `memory_mb` of address space."""
    limit = memory_mb * 1024 * 1024

    def constrain() -> None:  # runs in the child, before Python starts
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    command = [sys.executable, "-m", "motcua.ingest.isolated", str(path)]
    if max_pdf_pages is not None:
        command.append(str(max_pdf_pages))
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            timeout=seconds,
            preexec_fn=constrain,  # noqa: PLW1509 - only setrlimit, no threads involved
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise LoaderError(
            f"{path}: đọc tệp quá {seconds} giây (tệp quá lớn hoặc bất thường) / "
            f"reading took over {seconds} s"
        ) from exc
    if done.returncode == 0:
        return done.stdout.decode("utf-8")
    if done.returncode == UNREADABLE:
        raise LoaderError(done.stdout.decode("utf-8", "replace").strip())
    if done.returncode == OUT_OF_MEMORY:
        raise LoaderError(
            f"{path}: đọc tệp cần quá {memory_mb} MB bộ nhớ (tệp bất thường) / "
            f"reading needed over {memory_mb} MB"
        )
    # A parser that crashed on the file: the file is what could not be read, whatever the
    # cause; the operator finds the traceback's last line in the log.
    failure = _failure(done.returncode, done.stderr)
    log.warning("%s: the reader failed (%s): %s", path, failure, _last_line(done.stderr))
    raise LoaderError(
        f"{path}: không đọc được tệp, trình đọc gặp lỗi ({failure}) / "
        f"the file could not be read: the reader failed ({failure})"
    )


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else ""


def _failure(returncode: int, stderr: bytes) -> str:
    """The exception's class name from a traceback's last line, or the signal that ended the
    child: never the exception's text, which may name server paths."""
    if returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    name = _last_line(stderr).split(":", 1)[0]
    return name if re.fullmatch(r"[A-Za-z_][\w.]*", name) else f"exit status {returncode}"


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    try:
        if len(argv) > 1 and path.suffix.lower() == ".pdf":
            check_pdf_pages(path, int(argv[1]))
        data = load_text(path).encode("utf-8")
    except LoaderError as exc:
        sys.stdout.write(str(exc))
        return UNREADABLE
    except MemoryError:  # the address-space limit: told apart from a parser's own failure
        return OUT_OF_MEMORY
    sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
