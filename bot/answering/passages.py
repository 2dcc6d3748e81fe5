"""Which passage of each retrieved document answers a question, and what is quoted with it:
a passage that is little more than its heading with the one after it, a table row with the
rows of its group. A question naming a school level sets other levels' cards back."""

from __future__ import annotations

from dataclasses import replace

from motcua.bot.answering.answerability import answer_type_found
from motcua.bot.answering.document_labels import DocumentLabels
from motcua.bot.answering.evidence import (
    QuestionTerms,
    TermWeights,
    content_terms,
    question_terms,
    terms_coverage,
)
from motcua.bot.answering.extractive import MAX_QUOTE_CHARS
from motcua.bot.answering.procedures import card_levels
from motcua.bot.answering.question_shapes import (
    asked_topic,
    asks_list,
    heading_asked,
    introduces_list,
    passage_fits,
)
from motcua.bot.answering.table_answers import MAX_ROWS, TableRows, rows_lines
from motcua.index.build import FACTS_SECTION, SIGNATURE_SECTION
from motcua.index.loaded import LoadedIndex
from motcua.ingest.cards import ProcedureCard
from motcua.ingest.chunking import is_row_section
from motcua.lexicon import Normalized
from motcua.types import Chunk, Hit

# A document's passages scoring at least this share of its best one compete to answer
# (measured on the dev set: 0.4-0.5 picked the answering passage where the opening won).
PASSAGE_RATIO = 0.5
WHOLE_DOCUMENTS = 1  # the best documents whose every passage competes to answer
SHORT_PASSAGE = 160  # characters: a passage this short is read with the one after it
LIST_OPENING = 0.5  # share of the question a list's opening line covers to be the list asked
HEADING_NAMES = 0.5  # share of the question a passage's own heading covers to name the part asked
CLOSE_COVERAGE = 0.85  # passages covering this share of the best one's coverage still compete
# Share of a heading's words the question holds, and of the question's (the document's name
# aside) the heading holds, for the question to ask for that part as a whole.
WHOLE_PART = 0.5
# Roman numerals, which number parts ("Chương II", "III. TỔ CHỨC THỰC HIỆN") and name nothing.
_NUMERALS = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"})


class PassageChoice:
    def __init__(
        self,
        index: LoadedIndex,
        labels: DocumentLabels,
        weights: TermWeights,
        table_rows: TableRows,
    ) -> None:
        self.index = index  # passages by document, indexed cards: read, never copied
        self.labels = labels
        self.weights = weights
        self.table_rows = table_rows

    def answering_passages(
        self, question: str, hits: list[Hit], reading: Normalized | None = None
    ) -> list[Hit]:
        """One passage per document, documents in ranking order (citations name distinct
        sources). Within a document the passages ranked close to its best compete on how much
        of the question they cover beyond the document's own name: a plan's opening ("Kế
        hoạch tuyên truyền CCHC năm 2024 … như sau:") shares its title's words with every
        question about the plan, yet answers none of them. Among passages covering nearly as
        much, one holding a fact of the kind asked (a date for "khi nào", an organisation for
        "cơ quan nào") wins."""
        shaped = passage_fits(question)  # "X được hiểu là gì": “X” là …
        listing = asks_list(question)  # "gồm những bộ phận nào"
        by_document: dict[str, list[Hit]] = {}
        for hit in hits:
            by_document.setdefault(hit.chunk.doc_id, []).append(hit)
        chosen = []
        for rank, (doc_id, doc_hits) in enumerate(by_document.items()):
            rivals = [h for h in doc_hits if h.score >= doc_hits[0].score * PASSAGE_RATIO]
            if rank < WHOLE_DOCUMENTS and doc_id not in self.index.cards:
                # Retrieval finds the document; the passage that answers may rank below
                # passages that repeat the document's name, so all of them compete (with no
                # retrieval score: they win on covering more of the question only).
                retrieved = {h.chunk.chunk_id for h in doc_hits}
                # Table rows are left out (retrieval ranks rows well, and a list of hundreds
                # holds some row that repeats more of the question's words), and so are the
                # particulars and the signature block, quoted only where retrieval finds them.
                rivals += [
                    Hit(c, 0.0)
                    for c in self.index.chunks_of.get(doc_id, [])
                    if c.chunk_id not in retrieved
                    and c.section not in (FACTS_SECTION, SIGNATURE_SECTION)
                    and not is_row_section(c.section)
                ]
            if len(rivals) == 1:
                chosen.append(rivals[0])
                continue
            topic = f"{asked_topic(question)} {heading_asked(question)}"
            terms = question_terms(topic, self.weights, known=self.labels.identity(doc_id))

            def answers(
                hit: Hit, terms: QuestionTerms = terms
            ) -> tuple[float, float, float, float, float]:
                section = hit.chunk.section or ""
                text = f"{section}\n{hit.chunk.searchable}"
                # Between passages that both cover the question, the one filed under a heading
                # that names it ("3. Đối tượng tuyên truyền") beats one that mentions it in
                # passing, or sits under a parent heading that lists it among others ("I. MỤC
                # ĐÍCH, YÊU CẦU, ĐỐI TƯỢNG > 1. Mục tiêu"): its own heading counts first, then
                # the whole path, then how little else the heading names ("Điều 12. Điều
                # khoản thi hành" before "Chương III. Tổ chức thực hiện và điều khoản thi
                # hành" for "điều khoản thi hành").
                heading = section.rsplit(" > ", 1)[-1]
                return (
                    round(terms_coverage(terms, heading, self.weights), 3),
                    round(terms_coverage(terms, text, self.weights), 3),
                    round(terms_coverage(terms, section, self.weights), 3),
                    round(self._heading_precision(terms, heading), 3),
                    hit.score,
                )

            scored = [(answers(h), h) for h in rivals]
            defining = [p for p in scored if shaped and shaped(p[1].chunk.searchable)]
            if defining:
                # The passage that defines the term answers "X là gì" however little else of
                # the question it holds: the article "Giải thích từ ngữ" opens with "được hiểu
                # như sau" and its later passages hold only the terms.
                scored = defining
            best = max(key[1] for key, _ in scored)
            # A passage whose own heading names what is asked ("3. Đối tượng tuyên truyền")
            # competes however much more of the question's words another one holds.
            close = [
                (key, h)
                for key, h in scored
                if key[1] >= best * CLOSE_COVERAGE or key[0] >= HEADING_NAMES
            ]
            # Among definitions, all of the asked shape, coverage alone decides.
            typed = (
                []
                if defining
                else [
                    (key, h)
                    for key, h in close
                    if (reading is not None and answer_type_found(reading, h.chunk.searchable))
                    # A list opens with a line ending "…:" in the question's words, or is the
                    # body of a heading that names it ("Điều 3. Chính sách của Nhà nước về an
                    # ninh mạng", then "1. …", "2. …").
                    or (listing and key[0] >= HEADING_NAMES)
                    or (listing and self._lists_about(terms, h.chunk.searchable))
                ]
            )
            if all(is_row_section(h.chunk.section) for _, h in typed or close):
                # Rows of a table repeat its caption and columns, so their coverage differs
                # by a word or two: retrieval, which reads the whole row, ranks them better.
                chosen.append(max(typed or close, key=lambda pair: pair[1].score)[1])
                continue
            chosen.append(_section_opening(typed or close))
        return chosen

    def _heading_precision(self, terms: QuestionTerms, heading: str) -> float:
        """The share of a heading's words (numbering aside) that the question holds."""
        words = [
            w
            for w in content_terms(heading, self.weights.tokenize)
            if w.isalpha() and w not in _NUMERALS
        ]
        if not words:
            return 0.0
        asked = set(terms.words)
        return sum(w in asked for w in words) / len(words)

    def _lists_about(self, terms: QuestionTerms, passage: str) -> bool:
        """Whether a passage opens a list ("… các bộ phận tạo thành cơ bản sau đây:") in the
        question's words: most articles open some list, the one asked for is about them."""
        return any(
            introduces_list(line) and terms_coverage(terms, line, self.weights) >= LIST_OPENING
            for line in passage.split("\n")
        )

    def with_body(self, hit: Hit, question: str = "") -> Hit:
        """A passage that is little more than its heading ("6. Liên đoàn Lao động tỉnh, Tỉnh
        Đoàn…") continues in the next passage of its section: quote from both. So does one
        whose heading is what the question asks for ("… nhằm mục đích gì?" of "1. Mục đích",
        a section continued over several passages), up to the quote's length. A table row is
        quoted with the other rows of its group (a school's grades or ages), as the one that
        fits ("20 tháng tuổi") is for the reader to see."""
        chunk = hit.chunk
        if is_row_section(chunk.section):
            rows = self.table_rows.group_of(chunk)
            if not 1 < len(rows) <= MAX_ROWS:
                return hit
            joined = replace(
                chunk,
                text="\n".join(rows_lines(rows, lambda c: c.text)),
                readable="\n".join(rows_lines(rows, lambda c: c.shown)) if chunk.readable else None,
                repaired=None,
            )
            return replace(hit, chunk=joined)
        if chunk.section == FACTS_SECTION:
            return hit
        whole = bool(question) and self._asks_whole_part(question, chunk)
        if len(chunk.shown) >= SHORT_PASSAGE and not whole:
            return hit
        parts = [chunk, *self._continuation(chunk, MAX_QUOTE_CHARS if whole else 0)]
        if len(parts) == 1:
            return hit
        joined = replace(
            chunk,
            text="\n".join(c.text for c in parts),
            readable="\n".join(c.shown for c in parts) if chunk.readable else None,
            repaired="\n".join(c.searchable for c in parts) if chunk.repaired else None,
        )
        return replace(hit, chunk=joined)

    def _continuation(self, chunk: Chunk, chars: int) -> list[Chunk]:
        """The passages after `chunk` in its section: the next one, and more while the whole
        stays within `chars` characters."""
        passages = {c.position: c for c in self.index.chunks_of.get(chunk.doc_id, [])}
        following: list[Chunk] = []
        length = len(chunk.shown)
        while (after := passages.get(chunk.position + len(following) + 1)) is not None:
            if not (after.section or "").startswith(chunk.section or ""):
                break
            if following and length + len(after.shown) > chars:
                break
            following.append(after)
            length += len(after.shown)
        return following

    def _asks_whole_part(self, question: str, chunk: Chunk) -> bool:
        """Whether the question asks for the part the passage heads ("Kế hoạch 110 nhằm mục
        đích gì?" of "1. Mục đích"): the heading's words are the question's, and they are
        much of what the question holds beyond the document's name. Then the part as a whole
        answers, not the sentences of its first passage alone."""
        if not chunk.section:
            return False
        # A scan's heading as repaired ("1. Mục đích", not "1. Muc dich").
        heading = self.labels.readable(chunk.doc_id, chunk.section).rsplit(" > ", 1)[-1]
        every_word = QuestionTerms(content_terms(question, self.weights.tokenize), [])
        if self._heading_precision(every_word, heading) < WHOLE_PART:
            return False  # most passages: their heading is not the question's (read cheaply)
        terms = question_terms(
            asked_topic(question), self.weights, known=self.labels.identity(chunk.doc_id)
        )
        if not terms.words:
            return False
        return (
            self._heading_precision(terms, heading) >= WHOLE_PART
            and terms_coverage(QuestionTerms(terms.words, []), heading, self.weights) >= WHOLE_PART
        )

    def for_level(self, ranked: list[Hit], level: str | None) -> list[Hit]:
        """A question that names a school level ("lớp 8", "cấp 3") is not answered from a
        procedure card of another level: such cards step back (the sort is stable)."""
        if level is None:
            return ranked

        def other_level(hit: Hit) -> bool:
            card = self._card(hit)
            return card is not None and level not in card_levels(card)

        return sorted(ranked, key=other_level)

    def _card(self, hit: Hit) -> ProcedureCard | None:
        """The procedure card a hit belongs to, when the best source is one."""
        return self.index.cards.get(hit.chunk.doc_id)


def _parent(section: str | None) -> str:
    return (section or "").rsplit(" > ", 1)[0]


def _section_opening(candidates: list[tuple[tuple[float, ...], Hit]]) -> Hit:
    """The passage covering the question best; when the question names its heading, the first
    of the passages of the same part of the text that cover it exactly as well ("Mục tiêu …
    là gì?" of "1.1. Mục tiêu chung" and "1.2. Mục tiêu cụ thể", a section continued over
    several passages): the question asks for the part as a whole, and retrieval's order among
    them is chance. A question its heading does not name ("những cuộc thi nào" under "Hình
    thức") asks for something within, which retrieval, reading the whole question, places."""
    key, best = max(candidates, key=lambda pair: pair[0])
    if key[0] <= 0:
        return best
    tied = [
        h
        for k, h in candidates
        if k[:-1] == key[:-1]  # every coverage, retrieval's score aside
        and h.chunk.doc_id == best.chunk.doc_id
        and _parent(h.chunk.section) == _parent(best.chunk.section)
    ]
    return min(tied, key=lambda h: h.chunk.position)
