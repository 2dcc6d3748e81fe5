"""The shape of answer a question asks for, beyond the kind of fact (date, amount…): a
definition ("thủ tục hành chính được hiểu là gì?") or a list ("gồm những bộ phận nào?").

Legal texts answer a definition in a clause of the form “X” là … (Điều "Giải thích từ ngữ"),
and a list after a sentence that introduces it ("… các bộ phận tạo thành cơ bản sau đây:").
A passage or sentence of that shape is preferred among those that cover the question about as
well; nothing here decides whether the question is answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from motcua.text import fold_phrase

# "X là gì", "X được hiểu là gì (ạ)", "X được hiểu như thế nào", "X nghĩa là gì", "định nghĩa
# X", each clause on its own ("Theo Nghị định 63/2010, X được hiểu là gì?"), the source also
# named after it ("X là gì theo Nghị định 30/2020?").
_DEFINED = (
    re.compile(
        r"^(?P<term>[a-z0-9 ]+?) (?:(?:duoc hieu (?:la )?|(?:co )?nghia )?la (?:gi|the nao)"
        r"|duoc hieu (?:nhu )?(?:the nao|ra sao))(?: \w+)?(?: (?:theo|trong) [a-z0-9 ]+)?$"
    ),
    re.compile(r"^(?:dinh nghia|khai niem)(?: ve)? (?P<term>[a-z0-9 ]+?)(?: la gi)?$"),
)
MAX_TERM_WORDS = 8  # "X" is a name, not a sentence
# "gồm những ai", "những bộ phận nào", "bao gồm gì", "các bước nào".
_LISTING = re.compile(
    r"\b(?:gom (?:nhung )?(?:gi|ai|nhung)|bao gom|(?:nhung|cac) (?:[a-z]+ ){1,4}nao)\b"
)
# "phần biện pháp bảo vệ … gồm những gì": "phần" names the part whose items are asked, not
# what they are about (and folded it reads as "phân", "phận").
_LIST_PART = re.compile(r"\bphan (?=(?:[a-z0-9]+ ){1,12}(?:bao )?gom\b)")


def defined_term(question: str) -> str | None:
    """The folded term a question asks to define, or None."""
    for clause in reversed(question.split(",")):
        folded = fold_phrase(clause)
        for pattern in _DEFINED:
            if (m := pattern.match(folded)) is not None:
                term = m.group("term").strip()
                if 0 < len(term.split()) <= MAX_TERM_WORDS and not term.startswith("theo "):
                    return term
    return None


def defines(term: str) -> Callable[[str], bool]:
    """Whether a passage holds a definition of `term`: "“term” là …", "term được hiểu là …"."""
    pattern = re.compile(rf"\b{re.escape(term)} (?:duoc hieu (?:nhu sau )?)?la\b")
    return lambda text: bool(pattern.search(fold_phrase(text)))


def asks_list(question: str) -> bool:
    return bool(_LISTING.search(fold_phrase(question)))


# "gồm", "bao gồm": the verb that asks for a list, not what the list is about (a passage
# holding "bao gồm" anywhere would otherwise cover more of the question).
_LIST_VERB = re.compile(r"\b(?:bao )?gom\b")
# "… quy định thế nào về X", "… nói gì về X", "… đề cập gì đến X": X is what is asked; the
# words before it name the text, whose passages all share them.
_ABOUT = re.compile(
    r"\b(?:quy dinh|noi|de cap|huong dan)(?: (?:nhu )?the nao| gi| ra sao| nhung gi)?"
    r" (?:ve|den|toi) (?P<topic>(?!(?:cai |nhung )?(?:gi|ji|j|zi)\b)[a-z0-9 ]+)$"
)

# "nghị định nào quy định về X": a text is asked for, and the passage citing one is the answer.
_WHICH_TEXT_SAYS = re.compile(r"\bnao (?:quy dinh|noi|de cap|huong dan)\b")


def asked_topic(question: str) -> str:
    """What a question asks about (folded): after "quy định thế nào về", "nói gì về" only
    what follows; a list question without the word naming the part listed and the verb that
    lists. Otherwise the question as it is."""
    folded = fold_phrase(question)
    about = _ABOUT.search(folded)
    narrowed = about is not None and not _WHICH_TEXT_SAYS.search(folded)
    if narrowed:
        folded = about.group("topic")
    if _LISTING.search(folded):
        folded = _LIST_VERB.sub("", _LIST_PART.sub("", folded))
    elif not narrowed:
        return question
    return " ".join(folded.split())


# "tuyên truyền cho những ai", "áp dụng cho ai": whom a text is for, which plans and laws file
# under "Đối tượng …", a heading the question's own words never name.
_FOR_WHOM = re.compile(r"\b(?:cho|danh cho) (?:nhung )?ai\b")


def heading_asked(question: str) -> str:
    """The heading's words a question asks for in its own ("đối tượng" for "cho những ai"),
    or ""."""
    return "doi tuong" if _FOR_WHOM.search(fold_phrase(question)) else ""


def introduces_list(sentence: str) -> bool:
    """A sentence that announces the items after it ("… sau đây:", "… gồm:")."""
    return sentence.rstrip().endswith(":")


def passage_fits(question: str) -> Callable[[str], bool] | None:
    """Whether a passage defines the term a question asks to define, or None. (A list is
    not looked for at this level: most passages of a legal text introduce one, and a long
    list goes on in passages that no longer hold its opening.)"""
    term = defined_term(question)
    return defines(term) if term is not None else None


def shape_fits(question: str) -> Callable[[str], bool] | None:
    """A test of whether a sentence has the shape the question asks for, or None."""
    term = defined_term(question)
    if term is not None:
        return defines(term)
    if asks_list(question):
        return introduces_list
    return None
