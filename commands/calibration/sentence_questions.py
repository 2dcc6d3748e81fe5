"""Questions from a document's sentences: each informative sentence asked for the value it
holds (what a term means, a cited text, when the document takes effect, a website, a deadline,
an amount, what a body is made of, who decides, who does what)."""

from __future__ import annotations

import re

from motcua.commands.calibration.document_sections import (
    _Draft,
    _Section,
    _sentence_ok,
    _strip_numbering,
)
from motcua.commands.calibration.phrases import _capital, _function_words, _salient
from motcua.commands.calibration.transforms import lower_first
from motcua.text import fold, fold_phrase

_DATE = r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2} tháng \d{1,2} năm \d{4}"
_DAY = r"\d{1,2} tháng \d{1,2}(?: năm \d{4})?|\d{1,2}/\d{1,2}(?:/\d{4})?"
_CODE = r"\d+[\w.-]*(?:\s?/[\w.&-]+)+"
_TYPES = (
    "Thông tư liên tịch|Nghị định|Thông tư|Quyết định|Nghị quyết|Chỉ thị|Kế hoạch|Luật"
    "|Công văn|Chương trình|Pháp lệnh"
)
_REF_HEAD = re.compile(rf"(?P<type>{_TYPES})\s+(?:số\s+)?(?P<code>{_CODE})")
_URL = re.compile(
    r"(?P<place>(?:Cổng|cổng|Trang|trang|[Ww]ebsite)[^,;:()]{0,60}?)\s+(?:tại\s+)?"
    r"(?:địa chỉ\s+)?(?P<url>https?://[^\s,;)]+[^\s,;).])"
)
_EFFECT = re.compile(rf"có hiệu lực(?: thi hành)?(?: kể)? từ ngày (?P<date>{_DATE})")
_DEADLINE = re.compile(rf"(?P<prep>trước|chậm nhất là|chậm nhất vào) ngày (?P<date>{_DAY})")
_AMOUNT_CUES = (
    "thời hạn|trong vòng|không quá|tối đa|ít nhất là|ít nhất|chậm nhất|tối thiểu|mức|"
    "hỗ trợ|kéo dài|sau|trong|là|bằng"
)


# Words that make a "X là Y" sentence a statement rather than a definition of X.
_VERBISH = frozenset({"duoc", "coi", "co", "phai", "se", "da", "khong", "deu", "cung", "van"})


class _SentenceQuestions:
    """Drafts of questions from one document's sentences, one maker per kind of value.

    Mixed into `_DocumentQuestions` (`document_questions`), which holds the document (`d`), the
    templates (`data`), the seeded `rng`, the words common in the document (`common`) and the
    numbers of the index's texts (`so_hieu`), names the document (`name`, `lower_name`) and
    tells text fit to quote (`fit`, `fit_phrase`)."""

    def about(self, clause: str, name: str) -> str:
        """The clause with the document's reference to itself replaced by its name, or the
        clause prefixed by "Theo <name>,"."""
        for ref in sorted(self.data["values"]["self_reference"], key=len, reverse=True):
            if ref in clause:
                return _capital(clause.replace(ref, name, 1))
        return f"Theo {name}, {lower_first(clause)}"

    def sentence(self, section: _Section, sentence: str) -> _Draft | None:
        body = _strip_numbering(sentence)
        if not _sentence_ok(body) or not self.fit(body):
            return None
        for maker in (
            self.definition,
            self.reference,
            self.effect,
            self.url,
            self.deadline,
            self.amount,
            self.composition,
            self.decided_by,
            self.actor,
        ):
            draft = maker(section, body)
            if draft:
                return draft
        return None

    def definition(self, section: _Section, body: str) -> _Draft | None:
        match = re.match(r"^[“\"](?P<term>[^”\"]{2,60})[”\"]\s+là\s+(?P<def>.{10,})$", body)
        if not match and section.in_definitions:
            match = re.match(r"^(?P<term>[^,;:]{3,50}?)\s+là\s+(?P<def>.{10,})$", body)
        if not match:
            # "Ủy ban thường vụ Quốc hội là cơ quan thường trực của Quốc hội": a name, "là", and
            # a class noun; not "Người bị buộc tội được coi là không có tội".
            match = re.match(r"^(?P<term>[A-ZĐ][^,;:()]{2,50}?)\s+là\s+(?P<def>.{15,})$", body)
            heads = self.data["values"]["definition_heads"]
            term_words = fold_phrase(match.group("term")).split() if match else []
            if match and (
                len(term_words) < 2
                or term_words[0] in _function_words()
                or set(term_words) & _VERBISH
                or not any(
                    fold_phrase(match.group("def")).startswith(fold_phrase(h) + " ") for h in heads
                )
            ):
                match = None
        name = self.name()
        if not match or not name or len(match.group("term").split()) > 8:
            return None
        term = match.group("term").strip()
        templates = self.data["values"]["definition_ask"]
        question = _capital(self.rng.choice(templates).format(doc=name, term=self.lower_name(term)))
        avoid = set(fold_phrase(question).split())
        phrase = _salient(match.group("def"), avoid, common=self.common, max_words=6)
        if not phrase or not self.fit_phrase(phrase):
            return None
        return _Draft(question, [phrase], section.key, "definition")

    def reference(self, section: _Section, body: str) -> _Draft | None:
        verbs: dict[str, str] = self.data["values"]["reference_verbs"]
        verb_re = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
        tail = re.compile(
            rf"(?:\s*,?\s*ngày\s+(?:{_DATE}))?(?:\s+(?:của|do)\s+(?P<issuer>[^,;:()\d]{{2,60}}?))?"
            rf"\s+(?P<verb>{verb_re})\s+(?P<topic>[^;:()“”\"]+)"
        )
        name = self.name()
        if not name:
            return None
        for head in _REF_HEAD.finditer(body):
            code = head.group("code").replace(" ", "")
            if self.d.number and fold_phrase(code) == fold_phrase(self.d.number):
                continue
            match = tail.match(body, head.end())
            if not match:
                continue
            issuer = match.group("issuer") or ""
            if re.search(_TYPES, issuer) or len(issuer.split()) > 8:
                continue
            # The topic runs to the next cited text or the end of the clause.
            topic = re.split(rf"\s(?:và|,)\s*(?:{_TYPES})\b|\.\s+(?=[A-ZĐ])", match.group("topic"))[
                0
            ]
            if len(topic.split()) > 18:
                # "… năm 2025 trong ngành giáo dục, Phòng GD&ĐT xây dựng …": the clause ends
                # where the sentence's own subject starts.
                topic = topic.split(",")[0]
            topic = topic.strip(" ,.")
            while topic and fold(topic.split()[-1]) in _function_words():
                topic = " ".join(topic.split()[:-1])
            if not 4 <= len(topic.split()) <= 18 or not self.fit_phrase(topic):
                continue
            values = self.data["values"]
            templates = (
                values["preamble_ask"] if body.startswith("Căn cứ") else values["reference_ask"]
            )
            question = self.rng.choice(templates).format(
                doc=name,
                type=head.group("type").lower(),
                verb=verbs[match.group("verb")],
                topic=lower_first(topic) if not topic[:2].isupper() else topic,
            )
            extra = [self.so_hieu[k] for k in [fold_phrase(code)] if k in self.so_hieu]
            return _Draft(_capital(question), [code], section.key, "reference", extra)
        return None

    def effect(self, section: _Section, body: str) -> _Draft | None:
        match = _EFFECT.search(body)
        name = self.name()
        if not match or not name:
            return None
        own = any(r in body[: match.start()] for r in self.data["values"]["self_reference"])
        if not own:
            return None
        question = _capital(self.rng.choice(self.data["values"]["effect_ask"]).format(doc=name))
        return _Draft(question, [match.group("date")], section.key, "effect")

    def url(self, section: _Section, body: str) -> _Draft | None:
        match = _URL.search(body)
        name = self.name()
        if not match or not name:
            return None
        place = match.group("place").strip()
        place = re.sub(r"\s+tại$", "", place)
        if len(place.split()) < 2 or not self.fit_phrase(place):
            return None
        question = self.rng.choice(self.data["values"]["url_ask"]).format(doc=name, place=place)
        return _Draft(_capital(question), [match.group("url")], section.key, "url")

    def _clause(self, body: str, start: int, end: int) -> tuple[str, int, int] | None:
        """The ';'-clause of `body` around [start, end) with offsets, if short enough."""
        left = body.rfind(";", 0, start) + 1
        right = body.find(";", end)
        right = len(body) if right < 0 else right
        clause = body[left:right]
        lead = len(clause) - len(clause.lstrip())
        clause = clause.strip().rstrip(".")
        if len(clause.split()) > 30 or len(clause.split()) < 5 or re.search(r"[()“”\"]", clause):
            return None
        return clause, start - left - lead, end - left - lead

    def deadline(self, section: _Section, body: str) -> _Draft | None:
        match = _DEADLINE.search(body)
        name = self.name()
        if not match or not name:
            return None
        found = self._clause(body, match.start("date"), match.end("date"))
        if not found:
            return None
        clause, s, e = found
        asked = clause[:s] + "nào" + clause[e:]
        asked = asked.replace("ngày nào hàng năm", "ngày nào hằng năm")
        return _Draft(self.about(asked, name) + "?", [match.group("date")], section.key, "deadline")

    def amount(self, section: _Section, body: str) -> _Draft | None:
        units: dict[str, str] = self.data["values"]["amount_units"]
        unit_re = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
        # A cue before the number tells an amount from a date ("ngày 05 tháng 3") or a period
        # in a list ("hàng quý, 6 tháng, năm").
        pattern = re.compile(
            rf"\b(?:{_AMOUNT_CUES})\s+(?P<amount>(?P<num>\d+(?:[.,]\d+)*)\s*(?P<unit>{unit_re}))"
            rf"(?![\w/])(?!\s*\d)(?! năm)"
        )
        match = pattern.search(body)
        name = self.name()
        if not match or not name:
            return None
        found = self._clause(body, match.start("amount"), match.end("amount"))
        if not found:
            return None
        clause, s, e = found
        asked = clause[:s] + units[match.group("unit")] + clause[e:]
        amount = match.group("amount")
        return _Draft(self.about(asked, name) + "?", [amount], section.key, "amount")

    def composition(self, section: _Section, body: str) -> _Draft | None:
        """ "X gồm A, B, C" asks what (or who) X is made of."""
        match = re.match(
            r"^(?P<subject>[A-ZĐ][^,;:()]{3,60}?)\s+(?:bao gồm|gồm)\s+(?P<list>.{5,})$", body
        )
        name = self.name()
        if not match or not name or len(match.group("subject").split()) > 10:
            return None
        items = match.group("list")
        items = items.split(":", 1)[1] if ":" in items[:40] else items
        values = self.data["values"]
        people = any(items.strip().startswith(p) for p in values["people"])
        phrases = []
        for item in re.split(r"[,;]", items)[:4]:
            item = re.sub(r"\([^)]*\)?", "", item).strip(" .")
            item = re.sub(r"^(?:các|những|và)\s+", "", item)
            if 2 <= len(item.split()) <= 6 and self.fit_phrase(item):
                phrases.append(item)
        if not phrases:
            return None
        question = self.rng.choice(values["composition_ask"]).format(
            doc=name,
            subject=self.lower_name(match.group("subject")),
            what="những ai" if people else "những gì",
        )
        return _Draft(_capital(question), phrases, section.key, "composition")

    def decided_by(self, section: _Section, body: str) -> _Draft | None:
        """ "X do Y quyết định" asks who decides X, in place."""
        verbs = "|".join(sorted(self.data["values"]["decided_by_verbs"], key=len, reverse=True))
        match = re.match(
            rf"^(?P<subject>[A-ZĐ][^;:()]{{5,80}}?)\s+do\s+(?P<actor>[A-ZĐ][^,;.()]{{2,60}}?)"
            rf"\s+(?P<verb>{verbs})(?P<rest>[^;]*)",
            body,
        )
        name = self.name()
        if not match or not name or not self.fit_phrase(match.group("actor")):
            return None
        people = any(match.group("actor").startswith(p) for p in self.data["values"]["people"])
        who = "ai" if people else "cơ quan nào"
        rest = match.group("rest").rstrip(" .")
        if len(rest.split()) > 8:
            rest = ""
        asked = f"{self.lower_name(match.group('subject'))} do {who} {match.group('verb')}{rest}"
        return _Draft(
            self.about(asked, name) + "?", [match.group("actor")], section.key, "decided_by"
        )

    def _actor_name(self, body: str) -> tuple[str, str, str] | None:
        """(actor, its head, the words after it) for a sentence opened by an actor."""
        actors: dict[str, str] = self.data["values"]["actors"]
        head = next(
            (a for a in sorted(actors, key=len, reverse=True) if body.startswith(a + " ")), None
        )
        if not head:
            return None
        words = body[len(head) :].split()
        taken: list[str] = []
        i = 0
        while i < len(words):
            word, nxt = words[i], words[i + 1] if i + 1 < len(words) else ""
            if word in ("cấp", "các") and nxt in ("tỉnh", "huyện", "xã", "cấp"):
                taken += [word, nxt]  # "Ủy ban nhân dân cấp xã", "Sở, ngành các cấp"
                i += 2
                continue
            if word[:1].isupper() or word in ("-", "–") or (word == "và" and nxt[:1].isupper()):
                taken.append(word)
                i += 1
                continue
            break
        actor = " ".join([head, *taken]).rstrip(",;.")
        if len(actor.split()) < 2 or not self.fit_phrase(actor):
            return None
        return actor, head, " ".join(words[len(taken) :])

    def actor(self, section: _Section, body: str) -> _Draft | None:
        if not section.key:
            return None  # the opening: "Chính phủ ban hành Nghị định …" names the issuer
        found = self._actor_name(body)
        name = self.name()
        if not found or not name:
            return None
        actor, head, rest = found
        verbs = sorted(self.data["actor_verbs"], key=len, reverse=True)
        if not any(rest.startswith(v + " ") for v in verbs):
            return None
        rest = rest.split(";")[0].split(". ")[0].rstrip(".")
        if not 4 <= len(rest.split()) <= 25 or re.search(r"[()]", rest):
            return None
        asked = self.about(f"{self.data['values']['actors'][head]} {rest}", name)
        return _Draft(asked + "?", [actor], section.key, "actor")
