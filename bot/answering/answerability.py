"""Can the knowledge base answer this question? The signals read to decide it.

No single score separates answerable questions from others: a chat question leaves words the
documents never use ("ad", "giùm", a place name) and an out-of-scope one may share most of its
words with some passage ("hồ sơ", "nộp", "lệ phí"). So several signals are read (how much of
the question's normalized content the best passages cover, with and without the words the
knowledge base never saw; how close in meaning they are; whether lexical and dense retrieval
agree; whether the question names another sector's procedure, a number the documents hold, a
procedure card's subject…); the model fitted on labelled questions (`motcua calibrate`,
`answerability_model`) turns them into a probability.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from motcua.bot.answering.evidence import TermWeights, holds_pair, joined_terms
from motcua.bot.answering.evidence import coverage as weighted_share
from motcua.index.lexical import QUERY_STOPWORDS
from motcua.index.passage_terms import (
    ACCENTED,
    EVIDENCE,
    PassageTerms,
    accented_words,
    evidence_text,
)
from motcua.index.retriever import Retrieval
from motcua.ingest.cards import ProcedureCard, card_to_document
from motcua.ingest.restoration.word_lists import dictionary_word_pairs
from motcua.lexicon import Normalized, name_without_levels, vocabulary
from motcua.text import fold_phrase, folded_words, strip_diacritics
from motcua.types import Chunk, Hit

TOP = 3  # passages whose coverage counts

# Signals whose value in generated questions is an artifact of how they are made are left out:
# generated questions name documents by number far more often than people do, and their
# out-of-scope families are education-flavoured by design, so "names a known number" and
# "names the education sector" would teach the model what the templates look like.
FEATURES: tuple[str, ...] = (
    "coverage_seen",  # weighted share of the seen content words the best passage holds
    "clause_coverage",  # the best-covered clause ("…, gửi bưu điện xin bản sao được không")
    "document_coverage",  # the best document's retrieved passages together
    "coverage_accented",  # words with their marks ("phở" is not "phố"), seen ones only
    "unseen_share",  # content words the knowledge base never saw
    "missing_rarest",  # weight of the rarest seen word the best passage lacks (0-1)
    "answer_type_missing",  # asks for an amount, date, place… the best passage lacks
    "card_coverage",  # share of the content words a procedure card among the hits names
    "dense_top",  # best cosine similarity of the top passages
    "dense_z",  # how far the best passage's cosine stands above all passages' (in SDs)
    "lexical_top",  # log of the best BM25 score
    "lexical_z",  # the same for BM25
    "rank_agreement",  # where each retriever ranks the other's best document (1 = first)
    "top_overlap",  # documents shared by the two retrievers' five best
    "other_sector_only",  # another sector's procedure, nothing of education nor an indexed text
    "content_words",  # log of the number of content words
)


@dataclass
class Signals:
    values: dict[str, float]

    def vector(self, features: tuple[str, ...] = FEATURES) -> np.ndarray:
        return np.asarray([self.values[f] for f in features], dtype=np.float64)


DOCUMENT_TYPE = "document"  # the answer type "which legal text" (lexicon/answer_types.yaml)
AMOUNT_TYPE = "amount"  # "bao nhiêu tiền", "phí bao nhiêu"

_NUMBER = re.compile(r"\b\d{2,5}\b")


class IndexTerms:
    """What the knowledge base holds, for reading questions against it: word weights, folded
    and with their marks."""

    def __init__(self, chunks: Collection[Chunk] = (), counted: PassageTerms | None = None) -> None:
        """Counted over `chunks`, or read from `counted` (stored with the index)."""
        folded = counted.evidence if counted is not None else EVIDENCE.count(chunks)
        accented = counted.accented if counted is not None else ACCENTED.count(chunks)
        self.folded = TermWeights.of(folded, EVIDENCE.tokenize)
        self.accented = TermWeights.of(accented, ACCENTED.tokenize)
        self._pairs = dictionary_word_pairs()

    def is_word_pair(self, a: str, b: str) -> bool:
        return self.folded.seen(f"{a}_{b}") or f"{a}_{b}" in self._pairs


def _is_content(folded: str) -> bool:
    return folded not in QUERY_STOPWORDS and (not folded.isdigit() or len(folded) > 2)


@dataclass
class QuestionWords:
    """The content words of a normalized question (folded) and its word pairs, with the
    synonyms each belongs to."""

    words: list[str]
    pairs: list[str]
    accented: list[str]
    synonyms: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


_CLAUSE_BREAK = re.compile(r"[,;.?!:\n]|\s(?:thì|thi|mà|ma|nhưng|nhung|nên|nen|vì|vi)\s")


def clauses(reading: Normalized) -> list[list[int]]:
    """Token indices of each clause: people put context first ("nhà em ở Bình Dương, quê ở
    Nghệ An,") and the request last, and the request is what the documents must cover."""
    cuts = {m.start() for m in _CLAUSE_BREAK.finditer(reading.text)}
    out: list[list[int]] = [[]]
    for i, token in enumerate(reading.tokens):
        if out[-1] and any(reading.tokens[out[-1][-1]].end <= c < token.start + 1 for c in cuts):
            out.append([])
        out[-1].append(i)
    return [c for c in out if c]


def question_words(
    reading: Normalized, terms: IndexTerms, only: set[int] | None = None
) -> QuestionWords:
    keep = [i for i in reading.content_indices() if only is None or i in only]
    tokens = reading.tokens
    words, accented, pairs = [], [], []
    synonyms: dict[str, tuple[tuple[str, ...], ...]] = {}
    vocab = vocabulary()
    for span in reading.of("synonym"):
        group = vocab.synonym_group(span.value)
        for i in range(span.first, span.end):
            synonyms[tokens[i].folded] = group
    previous: int | None = None
    for i in keep:
        word = tokens[i].folded
        if not _is_content(word):
            previous = None
            continue
        words.append(word)
        marked = accented_words(tokens[i].text)
        accented.append(marked[0] if marked else word)
        if previous is not None and previous == i - 1:
            a = tokens[previous].folded
            if terms.is_word_pair(a, word):
                pairs.append(f"{a}_{word}")
        previous = i
    return QuestionWords(
        list(dict.fromkeys(words)),
        list(dict.fromkeys(pairs)),
        list(dict.fromkeys(accented)),
        synonyms,
    )


def _covered(word: str, present: frozenset[str], flat: str, qwords: QuestionWords) -> bool:
    if word in present or ("_" in word and holds_pair(flat, word)):
        return True
    group = qwords.synonyms.get(word.split("_")[0])
    return bool(group) and any(_padded(member) in flat for member in group)


@cache
def _padded(phrase: tuple[str, ...]) -> str:
    """A phrase as `passage_terms` joins a passage's syllables: found with one `in`."""
    return f" {' '.join(phrase)} "


def _weighted(items: list[str], covered: set[str], weights: TermWeights, seen_only: bool) -> float:
    pool = [t for t in items if weights.seen(t)] if seen_only else items
    return weighted_share(pool, covered, weights)


def covered_terms(qwords: QuestionWords, text: str | list[str]) -> set[str]:
    """The question's words and pairs that `text` holds (several texts: read as one)."""
    present, flat = joined_terms(folded_words, text)
    return {t for t in (*qwords.words, *qwords.pairs) if _covered(t, present, flat, qwords)}


def coverage(
    qwords: QuestionWords, text: str | list[str], terms: IndexTerms, seen_only: bool
) -> float:
    """Weighted share of the question's words and word pairs that `text` holds."""
    covered = covered_terms(qwords, text)
    unigram = _weighted(qwords.words, covered, terms.folded, seen_only)
    pairs = [p for p in qwords.pairs if terms.folded.seen(p)] if seen_only else qwords.pairs
    if not pairs:
        return unigram
    return (unigram + _weighted(pairs, covered, terms.folded, seen_only)) / 2


def accented_coverage(qwords: QuestionWords, text: str, terms: IndexTerms) -> float:
    present = set(accented_words(text))
    pool = [w for w in qwords.accented if terms.accented.seen(w)]
    return weighted_share(pool, present, terms.accented)


_CARD_TEXTS: dict[tuple[str, str], str] = {}


def _card_text(card: ProcedureCard) -> str:
    """A card's whole text, rendered once per card (and source, as a card file may change)."""
    key = (card.id, card.source_path)
    if key not in _CARD_TEXTS:
        _CARD_TEXTS[key] = card_to_document(card).text
    return _CARD_TEXTS[key]


def hit_text(hit: Hit, cards: Mapping[str, ProcedureCard]) -> str:
    """What a hit says: a card's whole text, a passage's with its headings."""
    card = cards.get(hit.chunk.doc_id)
    if card is not None:
        return _card_text(card)
    return evidence_text(hit.chunk) + "\n" + hit.chunk.text


def card_text(card: ProcedureCard) -> str:
    """What a card is about: its name and the phrasings people use for it."""
    return " ".join([card.ten, *card.tu_khoa])


def signals(
    reading: Normalized,
    hits: list[Hit],
    terms: IndexTerms,
    cards: dict[str, ProcedureCard],
    retrieval: Retrieval | None = None,
    identities: Mapping[str, str] | None = None,
    names_text: bool = False,
) -> Signals:
    """`identities` name each document (type and number): a passage of a legal text answers
    "văn bản nào quy định …" by being part of it, whether or not it repeats its own number.
    `names_text`: the question names an indexed text by its number, so it is about that
    text even in another sector's words ("Thông tư 101/2018 … chi đóng bảo hiểm y tế")."""
    qwords = question_words(reading, terms)
    top = hits[:TOP]
    # A card is answered whole (its lead, then every field), so it covers what any of its
    # sections says: "chuyển trường cần giấy tờ gì" is answered by the card's papers section
    # even when retrieval's best passage of it is the title.
    texts = [hit_text(h, cards) for h in top]
    seen = [w for w in qwords.words if terms.folded.seen(w)]
    seen_coverage = [coverage(qwords, t, terms, True) for t in texts]
    at = int(np.argmax(seen_coverage)) if texts else 0
    best = texts[at] if texts else ""
    identity = (identities or {}).get(top[at].chunk.doc_id, "") if top else ""
    lacking = [w for w in seen if w not in covered_terms(qwords, best)]
    first_document = [
        t for h, t in zip(top, texts, strict=True) if h.chunk.doc_id == top[0].chunk.doc_id
    ]
    first_document += [
        evidence_text(h.chunk) + "\n" + h.chunk.text
        for h in hits[TOP:10]
        if h.chunk.doc_id == top[0].chunk.doc_id
    ]
    clause_words = [question_words(reading, terms, set(c)) for c in clauses(reading)]
    clause_words = [w for w in clause_words if len(w.words) >= 2]
    card_hits = [cards[h.chunk.doc_id] for h in hits[:10] if h.chunk.doc_id in cards]
    sector = bool(reading.sectors)
    education = bool(reading.of("education") or reading.levels or reading.objects)
    values = {
        "coverage_seen": max(seen_coverage, default=0.0),
        "clause_coverage": max(
            (coverage(w, t, terms, True) for w in clause_words for t in texts), default=0.0
        ),
        "document_coverage": coverage(qwords, first_document[:5], terms, True),
        "coverage_accented": max(
            (accented_coverage(qwords, evidence_text(h.chunk), terms) for h in top), default=0.0
        ),
        "unseen_share": 1 - len(seen) / len(qwords.words) if qwords.words else 0.0,
        "missing_rarest": max((terms.folded.idf(w) for w in lacking), default=0.0)
        / (math.log(terms.folded.n + 1) + 1.0),
        "answer_type_missing": float(_answer_type_missing(reading, best, identity)),
        "card_coverage": max(
            (coverage(qwords, card_text(c), terms, True) for c in card_hits), default=0.0
        ),
        "dense_top": max((h.dense for h in hits), default=0.0),
        "lexical_top": math.log1p(max((h.lexical for h in top), default=0.0)),
        "other_sector_only": float(sector and not education and not names_text),
        "content_words": math.log1p(len(qwords.words)),
    }
    shape = retrieval if retrieval is not None else _from_hits(hits)
    values.update(_retrieval_shape(shape, lambda doc_id: _procedure(doc_id, cards)))
    return Signals(values)


def _procedure(doc_id: str, cards: dict[str, ProcedureCard]) -> str:
    """What a document is about, for agreement: one procedure's cards for two school levels
    ("Chuyển trường … THCS" and "… THPT") read alike, and retrievers may pick either."""
    card = cards.get(doc_id)
    if card is None:
        return doc_id
    return "card:" + name_without_levels(card.ten)


def answer_type_found(reading: Normalized, passage: str) -> bool | None:
    """Whether `passage` holds a fact of the kind the question asks for (None: asks none)."""
    asked = reading.values("answer_type")
    if not asked:
        return None
    folded = fold_phrase(passage)
    kinds = [k for k in vocabulary().answer_types if k.key in asked]
    if any(p.search(folded) for k in kinds for p in k.patterns):
        return True
    names = [p for k in kinds for p in k.names]  # places and bodies only: amounts have none
    if not names:
        return False
    cased = strip_diacritics(passage)
    return any(p.search(cased) for p in names)


def amount_unsaid(reading: Normalized, passages: list[str]) -> bool:
    """The question asks for a sum and nothing else, and none of `passages` states one (nor
    that there is nothing to pay, nor who sets it): quoting them would pass for an answer
    about a sum they never name."""
    if reading.values("answer_type") != [AMOUNT_TYPE]:
        return False
    return not any(answer_type_found(reading, p) for p in passages)


def _answer_type_missing(reading: Normalized, passage: str, identity: str = "") -> bool:
    if answer_type_found(reading, passage) is not False:
        return False
    # Only which text it is comes from the document's name; a date or an amount must be said.
    asks_document = reading.values("answer_type") == [DOCUMENT_TYPE]
    return not (asks_document and identity and answer_type_found(reading, identity))


def _from_hits(hits: list[Hit]) -> Retrieval:
    """Without the full score arrays (a test, a filter-less call), the hits stand in."""
    return Retrieval(
        hits,
        [h.chunk for h in hits],
        np.asarray([h.lexical for h in hits]),
        np.asarray([h.dense for h in hits]),
    )


def _z(scores: np.ndarray) -> float:
    if len(scores) < 2:
        return 0.0
    spread = float(scores.std())
    return float((scores.max() - scores.mean()) / spread) if spread > 0 else 0.0


def _document_order(
    chunks: list[Chunk], scores: np.ndarray, key: Callable[[str], str]
) -> list[str]:
    """The documents (as `key` names them) by their best chunk's score, best first; ties in
    the order the documents first appear."""
    names, order, starts = _document_codes(chunks, key)
    # Each document's best score: the chunks grouped by document once, then one reduction
    # (`np.maximum.at` over the chunks took longer than the rest of the reading).
    best = np.maximum.reduceat(scores[order], starts) if len(order) else np.zeros(0)
    return [names[i] for i in np.argsort(-best, kind="stable")]


# The chunks searched are the index's same list for every question without a filter: which
# document each one belongs to is worked out once for it, not per chunk per question.
_LAST_CODES: tuple[list[Chunk], list[str], np.ndarray, np.ndarray] | None = None


def _document_codes(
    chunks: list[Chunk], key: Callable[[str], str]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The documents' names in order of first appearance, the chunk positions grouped by
    document (in that order) and where each document's group starts."""
    global _LAST_CODES
    last = _LAST_CODES
    if last is not None and last[0] is chunks:
        return last[1], last[2], last[3]
    by_doc: dict[str, str] = {}
    numbers: dict[str, int] = {}
    codes = np.empty(len(chunks), dtype=np.int64)
    for i, chunk in enumerate(chunks):
        name = by_doc.get(chunk.doc_id)
        if name is None:
            name = by_doc[chunk.doc_id] = key(chunk.doc_id)
        codes[i] = numbers.setdefault(name, len(numbers))
    names = list(numbers)
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(len(names)))
    _LAST_CODES = (chunks, names, order, starts)
    return names, order, starts


def _retrieval_shape(retrieval: Retrieval, key: Callable[[str], str]) -> dict[str, float]:
    if not retrieval.chunks:
        return {"dense_z": 0.0, "lexical_z": 0.0, "rank_agreement": 0.0, "top_overlap": 0.0}
    lexical = _document_order(retrieval.chunks, retrieval.lexical, key)
    dense = _document_order(retrieval.chunks, retrieval.dense, key)
    agreement = (1 / (1 + dense.index(lexical[0])) + 1 / (1 + lexical.index(dense[0]))) / 2
    return {
        "dense_z": _z(retrieval.dense),
        "lexical_z": _z(retrieval.lexical),
        "rank_agreement": agreement,
        "top_overlap": len(set(lexical[:5]) & set(dense[:5])) / 5,
    }
