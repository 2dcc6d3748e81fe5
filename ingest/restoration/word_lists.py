"""Word lists the restorer learns from or forces: all-caps acronyms, the question wording users
type, and the dictionary pyvi ships."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from motcua.lexicon.vocabulary import written_phrases
from motcua.text import fold

__all__ = [
    "ACRONYMS",
    "QUESTION_PHRASES",
    "default_training_text",
    "dictionary_word_pairs",
]

# All-caps abbreviations of education/administrative texts, forced when typed in capitals:
# an LM trained on lower-cased text sees them too rarely to put the Đ back ("HDND" → "HĐND"),
# and listing the Đ-less ones keeps them from being "restored" as words.
# fmt: off
ACRONYMS: tuple[str, ...] = (
    "ĐT", "GDĐT", "SGDĐT", "BGDĐT", "PGDĐT", "NLĐ", "HĐND", "TTHĐND", "ĐTBXH", "LĐTBXH",
    "BLĐTBXH", "SLĐTBXH", "NĐ", "QĐ", "ĐH", "CĐ", "ĐHQG", "BCĐ", "ĐVHC", "ĐBQH", "ĐBSCL",
    "TĐKT", "VNĐ", "CBCCVC", "CBCC", "UBND", "CCHC", "TTHC", "THCS", "THPT", "GDTX", "CNTT",
)
# fmt: on
_ACRONYM_BY_FOLD: dict[str, str] = {fold(a): a for a in ACRONYMS}


# Question wording that legal texts rarely contain but users type (written for this project;
# counted like dictionary entries, so it only settles within-phrase choices such as đâu/đầu).
# fmt: off
QUESTION_PHRASES: tuple[str, ...] = (
    "ở đâu", "nộp ở đâu", "làm ở đâu", "là gì", "giấy tờ gì", "những gì", "cần những gì",
    "bao nhiêu", "mất bao lâu", "bao lâu", "bao giờ", "khi nào", "lúc nào", "như thế nào",
    "thế nào", "làm sao", "làm thế nào", "vì sao", "tại sao", "có được không", "được không",
    "có phải", "hay không", "ai ký", "ai có thẩm quyền", "cơ quan nào", "văn bản nào",
    "nghị định nào", "thông tư nào", "quy định nào", "điều kiện gì", "hồ sơ gồm những gì",
    "lệ phí bao nhiêu", "thời hạn giải quyết", "trong bao nhiêu ngày", "xin cấp lại", "cho con",
    "con tôi", "tôi muốn", "tôi cần", "tôi phải", "em muốn hỏi", "cho hỏi", "xin hỏi",
    "phụ huynh", "học sinh trung học", "trẻ em", "mầm non", "tiểu học", "trung học cơ sở",
    "trung học phổ thông", "giáo dục thường xuyên", "chuyển trường", "nhập học", "tuyển sinh",
    "bằng tốt nghiệp", "học bạ", "bản sao", "chứng thực", "trực tuyến", "một cửa",
    # what a fee or a wait costs, as parents ask it ("co mat phi ko" is not "cỏ mật phí")
    "có mất phí không", "mất phí", "mất tiền", "mất bao nhiêu tiền", "mất bao nhiêu ngày",
    "mất mấy ngày", "mấy ngày", "có tốn phí không", "tốn phí", "tốn tiền",
    "tốn bao nhiêu tiền", "bao nhiêu tiền", "đóng phí", "đóng tiền", "đóng tiền ở đâu",
    "phải đóng", "nộp phí", "nộp tiền", "thu phí", "thu tiền", "miễn phí", "cần giấy tờ gì",
    "cần những giấy tờ gì", "có cần", "cần mang",
    # the diploma as parents name it: "sao bang" is not "sao băng" (a shooting star), "mat
    # bang" not "mặt bằng" (premises)
    "bản sao bằng", "sao bằng", "mất bằng", "làm mất bằng",
)
# fmt: on


def default_training_text() -> Iterator[str]:
    """Text shipped by a dependency that the default model may learn from.

    pyvi (MIT licence, already a dependency) ships a list of ~31K Vietnamese words; each
    multi-syllable entry contributes within-word n-grams and every entry a known spelling.
    The project's own `QUESTION_PHRASES` follow, then the lexicon's phrases as written
    (places, what a question asks, politeness): the words people type that documents lack.
    """
    yield from _pyvi_words()
    yield from QUESTION_PHRASES
    yield from written_phrases()


@lru_cache(maxsize=1)
def dictionary_word_pairs() -> frozenset[str]:
    """Two-syllable words of the shipped dictionary, folded: {"giay_to", "khai_sinh", ...}."""
    pairs = set()
    for entry in _pyvi_words():
        syllables = fold(entry).split()
        if len(syllables) == 2:
            pairs.add("_".join(syllables))
    return frozenset(pairs)


def _pyvi_words() -> Iterator[str]:
    try:
        dist = metadata.distribution("pyvi")
    except metadata.PackageNotFoundError:
        return
    path = Path(str(dist.locate_file("pyvi/models/words.txt")))
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                yield line
