"""Whether text is fit to quote in a label: OCR text, even repaired, may hold debris or a
wrong but real word, and a label quoting it would expect a phrase no answer holds."""

from __future__ import annotations

import re
from collections.abc import Iterable

from motcua.commands.calibration.phrases import _words
from motcua.ingest.restoration.word_lists import default_training_text
from motcua.text import fold, nfc


class _Checker:
    """Whether repaired OCR text is fit to quote: no debris left, every syllable a Vietnamese
    one, and (for phrases) every pair of syllables seen in clean text.

    Syllables and pairs come from the shipped word list and the index's clean documents. A
    repaired line can still hold a wrong but real word; pairs catch most of those in short
    phrases, where one wrong word is the whole phrase."""

    def __init__(self, clean_texts: Iterable[str]) -> None:
        self.syllables: set[str] = set()
        self.pairs: set[tuple[str, str]] = set()
        for entry in default_training_text():
            self._learn(entry.lower().split())
        for text in clean_texts:
            self._learn([w.lower() for w in _words(nfc(text))])

    def _learn(self, tokens: list[str]) -> None:
        self.syllables.update(tokens)
        self.pairs.update(zip(tokens, tokens[1:], strict=False))

    @staticmethod
    def _debris(text: str) -> bool:
        if re.search(r"[@€¢¥|\\{}<>~^_=‘’`ﬁﬂ]", text):
            return True
        # "&" belongs inside an acronym ("GD&ĐT"); "Sở&", "v&" are OCR debris.
        for i, ch in enumerate(text):
            if ch == "&" and not (
                0 < i < len(text) - 1 and text[i - 1].isupper() and text[i + 1].isupper()
            ):
                return True
        return False

    def _token_ok(self, token: str, in_capitals: bool) -> bool:
        if token.isdigit() or re.fullmatch(r"\d+[a-z]?", token):
            return True
        if re.search(r"\d", token):
            return bool(re.fullmatch(r"[A-ZĐ\d]+", token))  # "HS250H", never "s6", "16ng"
        if token.lower() in self.syllables:
            # In running text a marked word in capitals is a repair's slip ("BỘ phận");
            # acronyms carry no vowel marks (CCHC, GD, ĐT).
            return (
                in_capitals
                or not token.isupper()
                or len(token) == 1
                or (fold(token).upper() == token.replace("Đ", "D"))
            )
        return (
            token.isupper() and len(token) <= 10 and fold(token).upper() == token.replace("Đ", "D")
        )

    def fit(self, text: str, *, phrase: bool = False, pair_slack: float = 0.1) -> bool:
        if self._debris(text):
            return False
        tokens = _words(text)
        letters = [c for c in text if c.isalpha()]
        in_capitals = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
        if not tokens or not all(self._token_ok(t, in_capitals) for t in tokens):
            return False
        low = [t.lower() for t in tokens]
        if any(a == b and a.isalpha() and len(a) > 1 for a, b in zip(low, low[1:], strict=False)):
            return False  # "hài lòng lòng": a repair that doubled a word
        pairs = [
            (a, b)
            for (a, b), (x, y) in zip(
                zip(low, low[1:], strict=False), zip(tokens, tokens[1:], strict=False), strict=True
            )
            if a.isalpha() and b.isalpha() and (in_capitals or not (x.isupper() or y.isupper()))
        ]
        unseen = sum(1 for p in pairs if p not in self.pairs)
        if phrase:
            return unseen == 0
        return unseen <= pair_slack * max(len(pairs), 1)


class _Trusting(_Checker):
    """Clean documents are quoted as written."""

    def __init__(self) -> None:
        pass

    def fit(self, text: str, *, phrase: bool = False, pair_slack: float = 0.1) -> bool:
        return bool(text.strip())
