"""`docs/screenshots.py` without the dev extra: one line saying how to get Playwright."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "screenshots.py"


def test_without_playwright_the_script_says_to_install_the_dev_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes `import playwright…` raise ImportError, as when not installed.
    monkeypatch.setitem(sys.modules, "playwright", None)
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script puts the repository first
    spec = importlib.util.spec_from_file_location("screenshots_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)  # importable without Playwright
    out = tmp_path / "shots"
    monkeypatch.setattr(sys, "argv", ["screenshots.py", "--out", str(out)])
    with pytest.raises(SystemExit) as stopped:
        script.main()
    message = str(stopped.value.code)
    assert "make install-dev" in message and "Playwright" in message
    assert "\n" not in message
    assert not out.exists()  # stopped before any work
