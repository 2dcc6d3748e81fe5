"""Generated answers from an OpenAI-compatible language model, behind a hallucination guard.

The model writes a Vietnamese answer from numbered passages with citation markers ([1], [2]).
Nothing it says reaches a user unchecked: sentences that cite a passage that was not given, or
carry a document number, date, fee or other figure found in no passage, are dropped; when too
little survives, or the model fails, `compose` returns None and the caller keeps the
extractive answer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from motcua.bot.answering.templates import render
from motcua.settings import Settings
from motcua.text import fold

log = logging.getLogger(__name__)

# Local servers (vLLM, Ollama, llama.cpp) accept any key, but the client insists on one.
PLACEHOLDER_API_KEY = "not-needed"
# Keeps the prompt inside a small local model's context; the guard checks the same clipped text.
MAX_PASSAGE_CHARS = 2500

# The rendered templates are passed as values, so braces in passages are never parsed.
_PROMPT = ChatPromptTemplate.from_messages([("system", "{system}"), ("human", "{user}")])


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None when no endpoint is set (answers stay extractive)."""
    if not (settings.llm_base_url and settings.llm_model):
        return None
    from langchain_openai import ChatOpenAI  # only needed when a model is configured

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key or PLACEHOLDER_API_KEY,
        timeout=settings.llm_timeout_seconds,
        max_retries=0,  # a slow model must fall back quickly, not be asked again
        temperature=0,
    )


@dataclass
class Passage:
    """A retrieved passage as the model sees it: [number] label (section) text."""

    number: int
    doc_id: str
    label: str
    section: str | None
    text: str


class GeneratedComposer:
    def __init__(self, model: BaseChatModel, max_passage_chars: int = MAX_PASSAGE_CHARS) -> None:
        self.model = model
        self.max_passage_chars = max_passage_chars
        self._chain = _PROMPT | model | StrOutputParser()

    def compose(self, question: str, passages: list[Passage]) -> str | None:
        """A guarded answer citing `passages` by number, or None to fall back to extraction."""
        if not passages:
            return None
        shown = [_clipped(p, self.max_passage_chars) for p in passages]
        system = render("answer_llm_system.txt", numbers=[p.number for p in shown])
        user = render("answer_llm_user.txt", passages=shown, question=question)
        try:
            raw = self._chain.invoke({"system": system, "user": user})
        except Exception as exc:  # any failure (timeout, HTTP, parsing) means: fall back
            log.warning("language model failed, keeping the extractive answer: %r", exc)
            return None
        return guard_answer(raw, shown, question)


def _clipped(passage: Passage, limit: int) -> Passage:
    if len(passage.text) <= limit:
        return passage
    cut = passage.text[:limit].rsplit(" ", 1)[0]
    return Passage(passage.number, passage.doc_id, passage.label, passage.section, cut + " …")


# --- the guard -------------------------------------------------------------------------------

_THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_MARKER_BODY = r"\d+(?:\s*[,;–-]\s*\d+)*"
_MARKER = re.compile(rf"\[({_MARKER_BODY})\]")
# A sentence ends at . ! ? … (with any markers right after it) before more text on the line;
# "1.000" or "86/2018/NĐ-CP." inside a sentence have no space after the dot, so never split.
_BOUNDARY = re.compile(rf"[.!?…]+(?:\s*\[{_MARKER_BODY}\])*(?=\s+\S)")
_LIST_PREFIX = re.compile(r"^\s*(?:[-*•–+]|\d{1,2}[.)]|[a-zđ][.)])\s+", re.IGNORECASE)
_LEAD_IN = re.compile(rf":\s*(?:\*\*)?\s*(?:\[{_MARKER_BODY}\]\s*)*$")

# Patterns below run on normalised text (see `_normalise`): folded, dashes unified.
_DOC_NUMBER = re.compile(
    r"(?<![\w/])\d+/(?:\d{4}/[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[a-z][a-z0-9]*(?:-[a-z0-9]+)+)"
)
_DATE_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/])")
_DATE_WORDS = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\b")
_NUMBER = r"\d+(?:[.,]\d+)*"
_MONEY = re.compile(
    rf"(?<![\d.,])({_NUMBER})\s*(?:(nghin|ngan|trieu|ty)\b(?:\s*(?:dong|vnd|d)\b)?"
    r"|(?:dong|vnd|d)\b)"
)
_MULTIPLIERS = {"nghin": 1_000, "ngan": 1_000, "trieu": 1_000_000, "ty": 1_000_000_000}
_DIGITS = re.compile(_NUMBER)
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
# "Bước 1" numbers the answer's own steps: structure, not a fact to find in a passage.
_STEP = re.compile(r"\bbuoc\s+\d{1,2}\b")


@dataclass
class Figures:
    """The checkable facts of a text: document numbers, dates, money amounts, other numbers."""

    doc_numbers: set[str] = field(default_factory=set)
    dates: set[tuple[int, int, int]] = field(default_factory=set)
    amounts: set[int] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.doc_numbers or self.dates or self.amounts or self.numbers)

    def update(self, other: Figures) -> None:
        self.doc_numbers |= other.doc_numbers
        self.dates |= other.dates
        self.amounts |= other.amounts
        self.numbers |= other.numbers


def _normalise(text: str) -> str:
    """Fold case and diacritics (đ→d), unify dashes, close up spaces around / and -."""
    text = fold(text).replace("–", "-").replace("—", "-").replace("‐", "-")
    return re.sub(r"\s*([/-])\s*", r"\1", text)


def _plain_number(token: str) -> str:
    """Separators of thousands go, a decimal comma becomes a dot, leading zeros go.

    "1.500.000" and "1,500,000" -> "1500000"; "1,5" -> "1.5"; "08" -> "8".
    """
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", token):
        token = re.sub(r"[.,]", "", token)
    return _LEADING_ZEROS.sub("", token.replace(",", "."))


def _amount(number: str, multiplier: str | None) -> int:
    try:
        value = float(_plain_number(number))
    except ValueError:  # "1.2.3 đồng": not an amount anyone wrote on purpose
        return -1
    return round(value * _MULTIPLIERS.get(multiplier or "", 1))


def figures(text: str) -> Figures:
    """Figures of `text`; anything claimed as a document number, date or amount is one only."""
    norm = _normalise(text)
    found = Figures()
    taken: list[tuple[int, int]] = [m.span() for m in _STEP.finditer(norm)]

    def free(match: re.Match[str]) -> bool:
        return not any(s < match.end() and match.start() < e for s, e in taken)

    for match in _DOC_NUMBER.finditer(norm):
        found.doc_numbers.add(_LEADING_ZEROS.sub("", match.group(0).rstrip("-")))
        taken.append(match.span())
    for match in _DATE_NUMERIC.finditer(norm):
        if free(match):
            day, month, year = int(match[1]), int(match[3]), int(match[4])
            found.dates.add((day, month, year))
            taken.append(match.span())
    for match in _DATE_WORDS.finditer(norm):
        if free(match):
            found.dates.add((int(match[1]), int(match[2]), int(match[3])))
            taken.append(match.span())
    for match in _MONEY.finditer(norm):
        if free(match):
            found.amounts.add(_amount(match[1], match[2]))
            taken.append(match.span())
    for match in _DIGITS.finditer(norm):
        if free(match):
            found.numbers.add(_plain_number(match.group(0)))
    return found


def _grounding(passages: list[Passage], question: str) -> Figures:
    """Every figure the model may repeat: those of the passages, their labels and sections."""
    known = Figures()
    for passage in passages:
        text = "\n".join(filter(None, (passage.label, passage.section, passage.text)))
        known.update(figures(text))
        # A number inside a document number or date may be quoted on its own ("năm 2018").
        known.numbers |= {_LEADING_ZEROS.sub("", d) for d in re.findall(r"\d+", _normalise(text))}
    # Plain numbers of the question ("lớp 10") may be echoed; its decree numbers may not.
    known.numbers |= figures(question).numbers
    return known


def _unknown(claimed: Figures, known: Figures) -> list[str]:
    unknown = sorted(claimed.doc_numbers - known.doc_numbers)
    unknown += [f"{d}/{m}/{y}" for d, m, y in sorted(claimed.dates - known.dates)]
    unknown += [f"{a} đồng" for a in sorted(claimed.amounts - known.amounts)]
    unknown += sorted(claimed.numbers - known.numbers)
    return unknown


def _markers(text: str) -> set[int]:
    cited: set[int] = set()
    for body in _MARKER.findall(text):
        for part in re.split(r"\s*[,;]\s*", body):
            ends = [int(n) for n in re.split(r"\s*[–-]\s*", part)]
            if len(ends) == 2 and 0 <= ends[1] - ends[0] <= 20:
                cited.update(range(ends[0], ends[1] + 1))  # "[1-3]"
            else:
                cited.update(ends)
    return cited


def _split(line: str) -> list[str]:
    pieces, start = [], 0
    for match in _BOUNDARY.finditer(line):
        pieces.append(line[start : match.end()].strip())
        start = match.end()
    pieces.append(line[start:].strip())
    return [p for p in pieces if p]


@dataclass
class _Sentence:
    text: str
    line: int
    prefix: str  # its line's list bullet or number, drawn again when the line is rebuilt
    cited: set[int]
    kept: bool = True


def guard_answer(text: str, passages: list[Passage], question: str = "") -> str | None:
    """`text` without unsupported sentences, or None when the answer cannot be trusted."""
    text = _THINKING.sub("", text).strip()
    given = {p.number for p in passages}
    known = _grounding(passages, question)
    lines = text.splitlines()
    units: list[_Sentence] = []
    lead_in: set[int] = set()  # markers of a "…:" line, inherited by the list items after it
    for index, line in enumerate(lines):
        prefix_match = _LIST_PREFIX.match(line)
        prefix = prefix_match.group(0) if prefix_match else ""
        if not prefix and line.strip():
            lead_in = set()
        for sentence in _split(line[len(prefix) :]):
            cited = _markers(sentence)
            if prefix and not cited:
                cited = set(lead_in)
            units.append(_Sentence(sentence, index, prefix, cited))
        if not prefix and _LEAD_IN.search(line):
            lead_in = _markers(line)

    counted = [u for u in units if re.search(r"\w", _MARKER.sub("", u.text))]
    for unit in counted:
        invented = sorted(unit.cited - given)
        claimed = figures(_MARKER.sub(" ", unit.text))
        unknown = _unknown(claimed, known)
        if invented:
            unit.kept = False
            log.info("guard dropped a sentence citing unknown passage %s: %r", invented, unit.text)
        elif unknown:
            unit.kept = False
            log.info("guard dropped a sentence with unsupported %s: %r", unknown, unit.text)
        elif claimed and not unit.cited:
            unit.kept = False
            log.info("guard dropped an uncited sentence with figures: %r", unit.text)

    kept = [u for u in counted if u.kept]
    if not kept or 2 * len(kept) < len(counted):
        log.info("guard rejected the answer: %d of %d sentences kept", len(kept), len(counted))
        return None
    if not any(u.cited for u in kept):
        # Nothing cites a passage: a refusal or a free-floating answer, worse than the extract.
        log.info("guard rejected the answer: no kept sentence cites a passage")
        return None
    return _rebuild(lines, units)


def _rebuild(lines: list[str], units: list[_Sentence]) -> str:
    out: list[str] = []
    for index, line in enumerate(lines):
        mine = [u for u in units if u.line == index]
        if not mine:
            if not line.strip() and out and out[-1]:
                out.append("")  # keep paragraph breaks, never two in a row
            elif line.strip():
                out.append(line.rstrip())  # markup only ("---"): nothing to check
            continue
        kept = [u for u in mine if u.kept]
        if kept:
            prefix = mine[0].prefix
            out.append(prefix + " ".join(u.text for u in kept))
    return "\n".join(out).strip()
