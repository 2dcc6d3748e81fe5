"""Property-based run of schemathesis against the app's own OpenAPI schema."""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from motcua.bot.answering.responder import Responder
from motcua.bot.web.app import create_app
from motcua.index.catalogue import Catalogue
from motcua.ingest.registry import DecreeRegistry
from motcua.settings import Settings
from motcua.types import Answer
from tests.conftest import make_settings


class EchoResponder(Responder):
    """Answers instantly so hypothesis can try many inputs; the HTTP layer is under test."""

    index_version = 0

    def __init__(self) -> None:  # no index needed
        # What the pages and the dialogue read of an index: no restorer, no documents.
        self.index = SimpleNamespace(
            registry=DecreeRegistry(), catalogue=Catalogue(), documents={}, chunks=[]
        )
        self.retriever = SimpleNamespace(restorer=None, documents={}, chunks=[])
        self.settings = Settings(_env_file=None)

    def answer(self, question: str, conversation_id: str | None = None, **_: object) -> Answer:
        return Answer(question=question, answer="ok", refused=False, citations=[])


# A body over the limit is refused with 413 before it is read: a rejection like 422.
REJECTIONS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": [*REJECTIONS, "5xx"]}}}
)
schema = schemathesis.openapi.from_asgi(
    "/openapi.json",
    # Built at import (schemathesis needs the schema then): state goes to a temporary folder.
    create_app(make_settings(Path(tempfile.mkdtemp()) / "unused"), responder=EchoResponder()),
    config=CONFIG,
)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case) -> None:
    case.call_and_validate()
