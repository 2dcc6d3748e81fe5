"""The department's curated answer as the bot serves it: marked as the department's own, with
the date it was approved and the passages staff cited."""

from __future__ import annotations

import time

from motcua.bot.answering.templates import render
from motcua.storage.curated import CuratedMatch
from motcua.types import Answer, Citation


def curated_reply(match: CuratedMatch, question: str) -> Answer:
    curated = match.curated
    text = render(
        "answer_curated.txt",
        answer=curated.answer.strip(),
        sources=curated.sources,
        updated=time.strftime("%d/%m/%Y", time.localtime(curated.updated_at)),
    )
    citations = [
        Citation(
            doc_id=s.doc_id,
            title=s.title,
            so_hieu=s.so_hieu,
            section=s.section,
            quote=s.quote,
            score=round(match.score, 4),
        )
        for s in curated.sources
    ]
    return Answer(
        question=question,
        answer=text,
        refused=False,
        citations=citations,
        curated_id=curated.id,
    )
