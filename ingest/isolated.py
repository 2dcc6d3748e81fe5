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

import resource
import subprocess
import sys
from pathlib import Path

from motcua.ingest.loaders import LoaderError, check_pdf_pages, load_text

UNREADABLE = 2


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
    raise LoaderError(
        f"{path}: đọc tệp vượt quá {memory_mb} MB bộ nhớ hoặc bị lỗi (tệp bất thường) / "
        f"reading needed over {memory_mb} MB or failed"
    )


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    try:
        if len(argv) > 1 and path.suffix.lower() == ".pdf":
            check_pdf_pages(path, int(argv[1]))
        text = load_text(path)
    except LoaderError as exc:
        sys.stdout.write(str(exc))
        return UNREADABLE
    sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
