"""Issue 17, "done means": schemathesis against the served OpenAPI, without the admin key, finds
no server error. The app runs as `motcua serve` runs it (uvicorn, over loopback HTTP) with the
real question pipeline over the built-in cards, the admin login on, and both channels on, so
their webhooks are in the schema. The console's answer API runs the same engine and stays out
of the public schema; its operation, as FastAPI describes the route, is added for the run.

schemathesis needs its schema when the module is collected, before the server starts (its
fixture-loaded schemas fail under pytest 9), so the schema comes from the same app built with
the same settings, and a test checks it is the one the server serves."""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.openapi.utils import get_openapi
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from motcua.bot.web.app import create_app
from motcua.bot.web.routes import console
from motcua.settings import Settings
from tests.bot.channels.test_channel_zalo import APP_ID, OA_SECRET
from tests.conftest import make_settings
from tests.live_server import serve_app
from tests.telegram_stub import SECRET, TOKEN, running_stub

# Beyond the shared index of the cards, the run takes 15-30 s on two busy cores: the slow lane.
pytestmark = pytest.mark.slow

CONSOLE_ANSWER = "/console/api/answer"
WEBHOOKS = ("/webhook/telegram", "/webhook/zalo")


def console_answer_schema() -> dict[str, Any]:
    """The OpenAPI of the console's answer route alone, as FastAPI would publish it."""
    route = next(r for r in console.router.routes if getattr(r, "path", "") == CONSOLE_ANSWER)
    shown = copy.copy(route)
    shown.include_in_schema = True
    return get_openapi(title="console", version="0", routes=[shown])


def with_console_answer(served: dict[str, Any]) -> dict[str, Any]:
    extra = console_answer_schema()
    merged = copy.deepcopy(served)
    merged["paths"].update(extra["paths"])
    schemas = merged.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(extra.get("components", {}).get("schemas", {}))
    return merged


def served_settings(index_dir: Path, data_dir: Path, telegram_url: str) -> Settings:
    """Admin on (the run never sends its key or logs in), Telegram and Zalo on."""
    return make_settings(
        index_dir,
        data_dir=data_dir,
        admin_api_key="khoa-quan-tri-khong-gui",
        admin_password="mat-khau-khong-gui",
        telegram_bot_token=TOKEN,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=f"{telegram_url}/bot",
        zalo_app_id=APP_ID,
        zalo_oa_secret_key=OA_SECRET,
        zalo_access_token="access-1",
        zalo_refresh_token="refresh-1",
        # never reached (no event passes the signature check), and never Zalo's own
        zalo_api_base_url=telegram_url,
        zalo_oauth_base_url=telegram_url,
    )


def as_json(document: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(document))


# Built, never started: only its routes are read. State goes to a temporary folder.
_unused = Path(tempfile.mkdtemp())
SCHEMA = as_json(
    with_console_answer(
        create_app(
            served_settings(_unused / "index", _unused / "data", "http://127.0.0.1:9")
        ).openapi()
    )
)
schema = schemathesis.openapi.from_dict(SCHEMA)


@pytest.fixture(scope="module")
def served_url(cards_index: Path, cards_responder, tmp_path_factory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("schemathesis-served")
    with ExitStack() as stack:
        telegram = stack.enter_context(running_stub())  # the Bot API the channel starts against
        app_settings = served_settings(cards_index, data, telegram.url)
        yield stack.enter_context(serve_app(app_settings, cards_responder))


def test_the_run_uses_the_schema_the_server_serves(served_url: str) -> None:
    served = httpx.get(f"{served_url}/openapi.json", timeout=30).raise_for_status().json()
    assert set(WEBHOOKS) <= served["paths"].keys()  # the channels are on
    assert CONSOLE_ANSWER not in served["paths"]  # the console stays out of the public schema
    assert as_json(with_console_answer(served)) == SCHEMA


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_served_api_has_no_server_error(case, served_url: str) -> None:
    # Only server errors are this test's concern: the webhooks answer 401/403 without their
    # secret, statuses their plain routes do not declare (conformance is tests/bot/
    # test_schemathesis.py's, in process).
    case.call_and_validate(base_url=served_url, checks=[not_a_server_error], timeout=60)
