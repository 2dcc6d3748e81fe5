"""Issue 17, item 8: the console's answer API ran the same engine as /v1/ask with no limit, and
a spoofed X-Forwarded-For was believed from 127.0.0.1 (uvicorn's default), so anyone on the
host chose the address the limit counted."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import make_settings
from tests.live_server import serve_app

QUESTION = "chuyển trường THCS cần giấy tờ gì"


def ask_three_times(url: str) -> list[int]:
    codes = []
    for n in range(3):
        spoofed = {"X-Forwarded-For": f"203.0.113.{n}"}
        if n % 2:
            response = httpx.get(
                f"{url}/console/api/answer", params={"q": QUESTION}, headers=spoofed, timeout=60
            )
        else:
            response = httpx.post(
                f"{url}/v1/ask", json={"question": QUESTION}, headers=spoofed, timeout=60
            )
        codes.append(response.status_code)
    return codes


def hold_one_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limiters count per fixed minute: requests straddling a minute's end would start a
    new count (as 507908a and 49e34fd found in the other limit tests)."""
    monkeypatch.setattr("motcua.storage.ephemeral.window_clock", lambda: 1_800_000_030.0)


def test_one_budget_for_the_api_and_the_console_and_no_spoofing(
    cards_index: Path, cards_responder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold_one_minute(monkeypatch)
    settings = make_settings(cards_index, api_rate_limit_per_minute=2, data_dir=tmp_path / "data")
    with serve_app(settings, cards_responder) as url:
        assert ask_three_times(url) == [200, 200, 429]


def test_forwarded_addresses_are_believed_only_from_the_configured_proxy(
    cards_index: Path, cards_responder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold_one_minute(monkeypatch)
    settings = make_settings(
        cards_index,
        api_rate_limit_per_minute=2,
        forwarded_allow_ips="127.0.0.1",
        data_dir=tmp_path / "data",
    )
    with serve_app(settings, cards_responder) as url:
        assert ask_three_times(url) == [200, 200, 200]  # three clients behind the proxy
