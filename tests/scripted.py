"""A responder that answers some questions from a script: the answer shapes issue 15 adds
(clarify with suggestions, an aspect-led answer), so channels and pages are tested on them
whatever the real responder produces today. Other questions go to the real responder, if any.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from motcua.settings import Settings
from motcua.storage.curated import CuratedAnswer, CuratedMatch
from motcua.types import STATUS_CLARIFY, Answer, Citation, Suggestion

UNCLEAR = "thủ tục chuyển trường"
# Hostile on purpose: markup and ampersands must reach people as text.
SUGGESTIONS = [
    Suggestion(
        "Chuyển trường THCS <trong tỉnh> & ngoài tỉnh",
        "Hồ sơ chuyển trường cho học sinh THCS <trong tỉnh> & ngoài tỉnh gồm những gì?",
    ),
    Suggestion("Chuyển trường THPT", "Hồ sơ chuyển trường cho học sinh THPT gồm những gì?"),
    Suggestion("Xin học lại", "Thủ tục xin học lại tại trường khác?"),
]
CLARIFY_TEXT = "Bạn muốn hỏi thủ tục nào? Mỗi thủ tục có hồ sơ khác nhau."

FEE_QUESTION = "lệ phí cấp bản sao văn bằng"
LEAD = "Lệ phí: không thu phí <miễn phí> & nhận ngay."
DETAILS = "Thủ tục cấp bản sao văn bằng, chứng chỉ từ sổ gốc:\n\n1. Nộp đơn.\n2. Nhận bản sao."
CITATION = Citation(
    doc_id="tthc-ban-sao-van-bang",
    title="Thủ tục cấp bản sao <văn bằng> & chứng chỉ",
    so_hieu=None,
    section="Lệ phí",
    quote="Không thu phí.",
    score=0.9,
)


def clarify(question: str) -> Answer:
    return Answer(
        question, CLARIFY_TEXT, False, status=STATUS_CLARIFY, suggestions=list(SUGGESTIONS)
    )


def led(question: str) -> Answer:
    return Answer(question, f"{LEAD}\n\n{DETAILS}", False, [CITATION], lead=LEAD)


def plain(question: str) -> Answer:
    return Answer(question, f"Trả lời cho “{question}”.", False, [CITATION])


class ScriptedResponder:
    """Served where a `Responder` is (the pipeline puts a `Dialogue` over it); records what
    reached it."""

    def __init__(
        self,
        script: dict[str, Callable[[str], Answer]] | None = None,
        inner: Any = None,
        settings: Settings | None = None,
    ) -> None:
        self.script = script if script is not None else {UNCLEAR: clarify, FEE_QUESTION: led}
        self.inner = inner
        self.settings = settings or (inner.settings if inner else Settings(_env_file=None))
        self.retriever = inner.retriever if inner else SimpleNamespace(documents={}, chunks=[])
        self.index = inner.index if inner else SimpleNamespace(documents={}, chunks=[])
        self.index_version = inner.index_version if inner else 0
        self.questions: list[str] = []
        self.settled: list[bool] = []  # whether each question came settled (not to ask back)

    def answer(self, question: str, conversation_id: str | None = None, **kwargs: Any) -> Answer:
        self.questions.append(question)
        self.settled.append(bool(kwargs.get("settled")))
        scripted = self.script.get(question)
        if scripted is not None:
            return scripted(question)
        if self.inner is not None:
            return self.inner.answer(question, conversation_id, **kwargs)
        return plain(question)

    def refusal(self, question: str) -> Answer:
        return self.inner.refusal(question)

    def __getattr__(self, name: str) -> Any:
        # registry, index_version, readable…: the real responder's, when there is one.
        inner = self.__dict__.get("inner")
        if inner is None:
            raise AttributeError(name)
        return getattr(inner, name)


class OneCuratedAnswer:
    """A curated lookup that knows staff's answer to one question (served before the
    responder's)."""

    def __init__(self, question: str, curated_id: int = 7) -> None:
        self.question = question
        self.curated_id = curated_id

    def match(self, question: str) -> CuratedMatch | None:
        if question != self.question:
            return None
        curated = CuratedAnswer(
            id=self.curated_id,
            group_id="g-test",
            version=1,
            question=self.question,
            answer=f"Câu trả lời chuẩn: {self.question}",
            sources=[],
            source_hashes={},
            status="active",
            review_reason=None,
            author="admin",
            created_at=1_800_000_000.0,
            updated_at=1_800_000_000.0,
        )
        return CuratedMatch(curated, 1.0, "exact")
