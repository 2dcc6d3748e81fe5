"""Answers read from table rows found by the proper name they carry.

"học phí ở phường Kim Long", "con học cấp 3 Nguyễn Tất Thành thu bao nhiêu": people name a ward,
a commune or a school exactly, and that name is the one thing a fee table's row holds that no
other passage does. Embeddings rank such names poorly and the answerability model, reading a
short row that shares few of the question's words, refuses them; a name found in the rows of one
document only, in a question that also asks about what the table lists, picks the row.

A row filed under a group ("I. Đô thị (21 phường …)") is read with the row another table of the
same document keys by that group ("Địa bàn: Đô thị · Mầm non: 190 · …"): a resolution that
classifies communes in one table and sets fees per class in another answers "học phí mầm non ở
phường Kim Long" with both rows.

A row is also named by the words of its item ("tiền nước uống … tối đa bao nhiêu" names "Dịch vụ
nước uống học sinh · Mức trần: 16.000"): a schedule of charges lists services, not places, and
its rows hold the figure a "how much" question wants in a passage too short for the
answerability model to trust.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from motcua.bot.answering.evidence import TermWeights, content_bigrams
from motcua.index.lexical import QUERY_STOPWORDS
from motcua.ingest.chunking import is_row_section, read_row_passage, table_section
from motcua.ingest.restoration.word_lists import dictionary_word_pairs
from motcua.lexicon import Normalized, normalize, vocabulary
from motcua.text import fold_phrase, folded_words
from motcua.types import Chunk, Hit

MAX_NAMED_PASSAGES = 12  # a name in more passages than this names no row in particular
MAX_ROWS = 6  # rows an answer quotes
COMMON_PAIR_SHARE = 0.15  # a word found in more passages than this says nothing of a topic
ITEM_HITS = 3  # a row named by its item's words is looked for among these hits
COLUMN_HITS = 6  # a table whose column a question names is looked for among these hits
# Words of more than this share of a table's row labels name no row of it ("dịch vụ", "học sinh")
COMMON_LABEL_SHARE = 0.5
# Words that ask for a figure: "bao nhiêu", "tối đa", "mức thu", "mức trần"
_AMOUNT_WORDS = ("bao nhieu", "toi da", "muc thu", "muc tran")
_FIGURE = re.compile(r"\d")

# Words that head a name without naming anything ("Phường Kim Long", "Khối 10").
_GENERIC_HEADS = tuple(
    tuple(head.split())
    for head in (
        "phuong", "xa", "thi tran", "thi xa", "quan", "huyen", "tinh", "thanh pho", "tp",
        "truong", "thon", "ap", "khu pho", "khoi", "lop", "buoc", "muc", "dieu", "khoan",
        "bang", "cap", "phu luc", "so",
    )
)  # fmt: skip
_NUMBERING = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s*")
_PARENTHESES = re.compile(r"\([^()]*\)")
_NUMBER_COLUMN = re.compile(r"^(?:stt|tt|so tt|so thu tu)$")


def proper_name(text: str) -> str | None:
    """The folded proper name ending a row's label: the capitalised words at its end, without
    an administrative or school head word ("Trường … Nguyễn Tất Thành" → "nguyen tat thanh",
    "Xã A Lưới 2" → "a luoi 2"). None for labels that end in common words or are all capitals
    (a group heading such as "I. CƠ SỞ GIÁO DỤC MẦM NON")."""
    text = _NUMBERING.sub("", _PARENTHESES.sub(" ", text)).strip()
    letters = [c for c in text if c.isalpha()]
    if not letters or all(c.isupper() for c in letters):
        return None
    run: list[str] = []
    for token in reversed(text.split()):
        if token[0].isupper() or token[0].isdigit() or token in {"-", "–"}:
            run.insert(0, token)
        else:
            break
    if sum(1 for token in run if token.istitle()) < 2:
        return None  # numbers and acronyms ("118/2025/NĐ-CP", "II III") name no place
    words = folded_words(" ".join(run))
    while head := next((h for h in _GENERIC_HEADS if tuple(words[: len(h)]) == h), None):
        words = words[len(head) :]
    if len(words) < 2 or all(w.isdigit() for w in words):
        return None
    return " ".join(words)


def _word_pairs(words: list[str]) -> set[str]:
    """Adjacent syllables that may make a word: a dictionary word ("đồ dùng", whose "do" is
    also the stopword "do") or two content syllables ("nước uống"); not "của học"."""
    known = dictionary_word_pairs()
    return {
        f"{a}_{b}"
        for a, b in zip(words, words[1:], strict=False)
        if f"{a}_{b}" in known or not {a, b} & QUERY_STOPWORDS
    }


def _asks_amount(reading: Normalized) -> bool:
    return any(reading.says(words) for words in _AMOUNT_WORDS)


def _asked_terms(reading: Normalized) -> tuple[set[str], set[str]]:
    """The question's word pairs and content words, with those of the synonyms it uses."""
    pairs = _word_pairs([t.folded for t in reading.tokens])
    words = {reading.tokens[i].folded for i in reading.content_indices()}
    for span in reading.of("synonym"):  # "cuối tuần" names the row of "ngày nghỉ"
        for phrase in vocabulary().synonym_group(span.value):
            pairs |= _word_pairs(list(phrase))
            words.update(phrase)
    return pairs, words


def _names_column(header: str, pairs: set[str], level: str | None) -> bool:
    """Whether a question names a column: every word pair of its header ("Mầm non"), or the
    school level the header is ("Trung học cơ sở" for "cấp 2", "lớp 7")."""
    own = _word_pairs(folded_words(header))
    return (bool(own) and own <= pairs) or (level is not None and _header_level(header) == level)


@lru_cache(maxsize=4096)
def _header_level(header: str) -> str | None:
    reading = normalize(header)
    # The whole header is the level's name, not a column that merely mentions one.
    covered = reading.covered("level")
    return reading.level if covered and len(covered) == len(reading.tokens) else None


def group_key(line: str) -> str:
    """A group heading as another table keys it: "I. Đô thị (21 phường …)" → "do thi"."""
    return fold_phrase(_NUMBERING.sub("", _PARENTHESES.sub(" ", line)))


def _folded(chunk: Chunk) -> str:
    return f" {fold_phrase(chunk.searchable)} "


def rows_lines(rows: list[Chunk], text_of: Callable[[Chunk], str]) -> list[str]:
    """Rows of one table quoted together: the lines that place them (caption, unit, groups)
    once, then each row's fields."""
    lines: list[str] = []
    for row in rows:
        text = text_of(row)
        head = text.split("\n")[:-1]
        lines += [line for line in head if line not in lines]
        lines.append(text.split("\n")[-1])
    return lines


def _key_value(fields: list[tuple[str, str]]) -> str | None:
    """The value that names a row: its first field that is not a number column."""
    for name, value in fields:
        if _NUMBER_COLUMN.match(fold_phrase(name)) or not re.search(r"[^\W\d_]", value):
            continue
        return value
    return None


@dataclass
class RowFinding:
    """Rows a question names, and the rows of other tables their groups lead to."""

    named: list[Chunk]
    linked: list[Chunk] = field(default_factory=list)
    name: str = ""


class TableRows:
    """The table rows of a knowledge base, by the proper names they carry."""

    def __init__(self, chunks: Iterable[Chunk], weights: TermWeights) -> None:
        self.weights = weights
        chunks = list(chunks)
        named: dict[str, list[Chunk]] = {}
        self._groups: dict[int, list[str]] = {}  # chunk id -> its group keys
        self._keyed: dict[tuple[str, str], list[Chunk]] = {}  # (doc, key) -> rows
        self._labels: dict[int, list[list[str]]] = {}  # chunk id -> folded words of its labels
        self._common_by_table: dict[tuple[str, str], set[str]] = {}  # words most labels share
        self._tables: dict[tuple[str, str], list[Chunk]] = {}  # (doc, table) -> rows
        for chunk in chunks:
            if not is_row_section(chunk.section):
                continue
            self._tables.setdefault((chunk.doc_id, table_section(chunk.section)), []).append(chunk)
            head, fields = read_row_passage(chunk.text)
            key = _key_value(fields)
            labels = [line for line in head if _NUMBERING.match(line)]
            for label in [*labels, *([key] if key else [])]:
                # the proper name ("sai dong") and the whole label ("truong tieu hoc do thi sai
                # dong"), so that the longest match tells two schools of one name apart
                name = proper_name(label)
                if name is None:
                    continue
                for form in {name, group_key(label)}:
                    if chunk not in named.setdefault(form, []):
                        named[form].append(chunk)
            self._groups[chunk.chunk_id] = [group_key(line) for line in labels]
            self._labels[chunk.chunk_id] = [
                words
                for line in [*labels, *([key] if key else [])]
                if (words := folded_words(_NUMBERING.sub("", line)))
            ]
            if key:
                self._keyed.setdefault((chunk.doc_id, fold_phrase(key)), []).append(chunk)
        self._passages = len(chunks)
        # The folded passages of the documents that have rows: a topic word is weighed against
        # them (`_common`); an index without tables keeps nothing here.
        with_rows = {row.doc_id for rows in named.values() for row in rows} | {
            doc_id for doc_id, _ in self._keyed
        }
        self._texts: dict[str, list[str]] = {}
        for chunk in chunks:
            if chunk.doc_id in with_rows:
                self._texts.setdefault(chunk.doc_id, []).append(_folded(chunk))
        # A name is a row's when few passages hold it ("Khối 10" is in every school's rows).
        # The rarest of its word pairs bounds how many do; only names past the bound are
        # counted passage by passage.
        self._names: dict[str, list[Chunk]] = {}
        for name, rows in named.items():
            words = name.split()
            bound = min(
                (weights.df(f"{a}_{b}") for a, b in zip(words, words[1:], strict=False)),
                default=0,
            )
            if bound <= MAX_NAMED_PASSAGES or (
                sum(1 for c in chunks if f" {name} " in _folded(c)) <= MAX_NAMED_PASSAGES
            ):
                self._names[name] = rows

    def group_of(self, row: Chunk) -> list[Chunk]:
        """The rows of a row's group in its table (a school's grades, a service's items), in
        order; the row alone when it sits under no numbered group."""
        groups = self._groups.get(row.chunk_id)
        if not groups:
            return [row]
        table = self._tables.get((row.doc_id, table_section(row.section)), [])
        return [c for c in table if self._groups.get(c.chunk_id) == groups]

    def __bool__(self) -> bool:
        return bool(self._names)

    def find(
        self,
        question: str,
        reading: Normalized,
        topic: Callable[[str], str],
        allowed: Callable[[str], bool] | None = None,
    ) -> RowFinding | None:
        """The rows a question names by a proper name, when the question also asks about what
        their table lists (`topic(doc_id)`: the document's title). `allowed` says which
        documents may answer (a filter, the province the question names)."""
        if not self._names:
            return None
        asked = f" {fold_phrase(question)} {fold_phrase(reading.text)} "
        names = [n for n in self._names if f" {n} " in asked]
        names.sort(key=len, reverse=True)
        for name in names:
            by_document: dict[str, list[Chunk]] = {}
            for row in self._names[name]:
                if allowed is None or allowed(row.doc_id):
                    by_document.setdefault(row.doc_id, []).append(row)
            # A commune named in two resolutions' tables: the one whose table is about what
            # the question asks.
            scored = [
                (self._topic(reading, name, rows, topic(doc_id)), rows)
                for doc_id, rows in by_document.items()
            ]
            score, rows = max(scored, key=lambda pair: pair[0], default=(0.0, []))
            if score > 0:
                rows = self._narrowed(reading, name, rows)
                return RowFinding(rows, self._linked(rows), name)
        return None

    def item(
        self,
        reading: Normalized,
        hits: Iterable[Hit],
        allowed: Callable[[str], bool] | None = None,
    ) -> RowFinding | None:
        """The rows among the top hits that a "how much" question names by their item's words.
        A row is named when a word pair of its labels (item and groups) is the question's and
        few of the table's labels and few passages hold it, as with a name ("nước uống",
        "chăm sóc bán trú"; not "học sinh", "công lập"), and the row holds a figure. Of those,
        the rows holding most of the question's other words win ("tiền ăn" + "sáng": the
        breakfast row), quoted together when they score alike ("trông giữ ngoài giờ": by the
        hour and by the day). Only the hits compete: retrieval reads whole rows, and finds a
        school's row by a letter ("Trường Mầm non B") that no label word here would."""
        if not _asks_amount(reading):
            return None
        pairs, words = _asked_terms(reading)
        top = [
            hit.chunk
            for hit in list(hits)[:ITEM_HITS]
            if is_row_section(hit.chunk.section) and (allowed is None or allowed(hit.chunk.doc_id))
        ]
        scored: list[tuple[float, Chunk]] = []
        for row in top:
            own = self._label_terms(row) - self._common_label_terms(row)
            if any(
                "_" in term and term in pairs and self.weights.df(term) <= MAX_NAMED_PASSAGES
                for term in own
            ) and any(_FIGURE.search(v) for _, v in read_row_passage(row.text)[1]):
                scored.append((sum(self.weights.idf(w) for w in own & words), row))
        best = max((score for score, _ in scored), default=0.0)
        rows = [row for score, row in scored if score == best]
        rows = [row for row in rows if row.doc_id == rows[0].doc_id] if rows else rows
        if best <= 0 or len(rows) > MAX_ROWS:
            return None
        return RowFinding(sorted(rows, key=lambda r: r.position))

    def column(
        self,
        reading: Normalized,
        hits: list[Hit],
        allowed: Callable[[str], bool] | None = None,
    ) -> RowFinding | None:
        """Every row of a small table whose column a "how much" question names ("học phí mầm
        non ở Huế": the column "Mầm non" of the fees by area, each area a row). The table must
        be the top document's, among the first hits, its rows few (MAX_ROWS) and holding a
        figure in that column; the article that introduces it ("Điều 2. Quy định mức học phí
        … như sau:") would otherwise be quoted without a single figure."""
        if not hits or not _asks_amount(reading):
            return None
        pairs, _ = _asked_terms(reading)
        top_document = hits[0].chunk.doc_id
        for hit in hits[:COLUMN_HITS]:
            row = hit.chunk
            if row.doc_id != top_document or not is_row_section(row.section):
                continue
            if allowed is not None and not allowed(row.doc_id):
                continue
            table = self._tables.get((row.doc_id, table_section(row.section)), [])
            if not table or len(table) > MAX_ROWS or hits[0].chunk in table:
                # A table whose row ranks first is quoted by the ordinary answer, which cites
                # that row.
                continue
            fields = read_row_passage(row.text)[1]
            if any(
                _FIGURE.search(value) and _names_column(name, pairs, reading.level)
                for name, value in fields[1:]
            ):
                return RowFinding(sorted(table, key=lambda r: r.position))
        return None

    def _common_label_terms(self, row: Chunk) -> set[str]:
        """The words and pairs of more than COMMON_LABEL_SHARE of the labels of a row's table
        (worked out once per table)."""
        table = (row.doc_id, table_section(row.section))
        if table not in self._common_by_table:
            rows = self._tables.get(table, [])
            shares = Counter(term for other in rows for term in self._label_terms(other))
            self._common_by_table[table] = {
                term for term, n in shares.items() if n > COMMON_LABEL_SHARE * len(rows)
            }
        return self._common_by_table[table]

    def _label_terms(self, row: Chunk) -> set[str]:
        """The folded words of a row's labels and their adjacent pairs ("nuoc_uong")."""
        terms: set[str] = set()
        for words in self._labels.get(row.chunk_id, []):
            terms.update(words)
            terms.update(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))
        return terms

    def _other_words(self, reading: Normalized, name: str) -> list[str]:
        skip = set(name.split())
        content = (reading.tokens[i].folded for i in reading.content_indices())
        return [
            w
            for w in dict.fromkeys(content)
            if w not in skip and self.weights.seen(w) and not w.isdigit()
        ]

    def _topic(self, reading: Normalized, name: str, rows: list[Chunk], title: str) -> float:
        """How much the question asks about what the rows' table lists (0: nothing): the
        weight of the two-syllable words ("học phí", "địa bàn", "mức thu") it shares with the
        table's caption, columns and groups or the document's title, leaving out words common
        in the other documents ("học sinh", "năm học"). "Phường Kim Long ở đâu" names the row
        but asks nothing a fee table says."""
        topic_words = folded_words(" ".join([title, rows[0].section or "", rows[0].text]))
        topic = {f"{a}_{b}" for a, b in zip(topic_words, topic_words[1:], strict=False)}
        # the name itself is no topic: it is cut out, and no word pair spans the cut
        asked = f" {fold_phrase(reading.without('filler', 'place'))} ".replace(f" {name} ", " | ")
        pairs = [p for part in asked.split("|") for p in content_bigrams(part, self.weights)]
        shared = [p for p in pairs if p in topic]
        doc_id = rows[0].doc_id
        return sum(self.weights.idf(p) for p in shared if not self._common(p, doc_id))

    def _common(self, pair: str, doc_id: str) -> bool:
        """Whether a word is common outside a document (its own rows all repeat its topic)."""
        own = self._texts.get(doc_id, [])
        phrase = f" {pair.replace('_', ' ')} "
        outside = self.weights.df(pair) - sum(1 for text in own if phrase in text)
        return outside > COMMON_PAIR_SHARE * (self._passages - len(own))

    def _narrowed(self, reading: Normalized, name: str, rows: list[Chunk]) -> list[Chunk]:
        """A school's rows by grade or age: those holding more of the question's other words
        ("khối 10", "nhà trẻ") first; all of them when none does."""
        if len(rows) == 1:
            return rows
        words = set(self._other_words(reading, name)) | {
            t.folded for t in reading.tokens if t.folded.isdigit()
        }

        def held(row: Chunk) -> float:
            _, fields = read_row_passage(row.text)
            present = set(folded_words(" ".join(v for _, v in fields)))
            return sum(self.weights.idf(w) for w in words & present)

        ranked = sorted(rows, key=held, reverse=True)
        best = held(ranked[0])
        if best > 0 and len(rows) > MAX_ROWS:
            ranked = [r for r in ranked if held(r) >= best * 0.5]
        return sorted(ranked[:MAX_ROWS], key=lambda r: r.position)

    def _linked(self, rows: list[Chunk]) -> list[Chunk]:
        """Rows of the same document keyed by a group the named rows sit under, in another
        table."""
        out: list[Chunk] = []
        for row in rows:
            table = table_section(row.section)
            for key in self._groups.get(row.chunk_id, []):
                for other in self._keyed.get((row.doc_id, key), []):
                    if table_section(other.section) != table and other not in out:
                        out.append(other)
        return [r for r in out if r not in rows][:MAX_ROWS]
