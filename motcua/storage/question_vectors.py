"""Embeddings of unanswered questions' folded wordings, kept per embedder.

The insights page groups unanswered questions by meaning; embedding one wording takes tens of
milliseconds on the department's CPU, so each is embedded once and read back afterwards.
Rows are keyed by a hash of the wording, so the table holds no question text; `purge` in
`Interactions` deletes them with the questions past retention.
"""

from __future__ import annotations

import hashlib
import time

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from motcua.storage.database import Database
from motcua.storage.schema import question_vectors

LOOKUP_BATCH = 500  # keys per IN (...) list


def form_key(form: str) -> str:
    return hashlib.sha256(form.encode("utf-8")).hexdigest()


class QuestionVectors:
    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, embedder: str, forms: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those `forms` that have one."""
        by_key = {form_key(f): f for f in forms}
        keys = list(by_key)
        found: dict[str, np.ndarray] = {}
        t = question_vectors.c
        with self.database.read() as connection:
            for start in range(0, len(keys), LOOKUP_BATCH):
                query = select(t.form_key, t.vector).where(
                    t.embedder == embedder, t.form_key.in_(keys[start : start + LOOKUP_BATCH])
                )
                for key, blob in connection.execute(query):
                    found[by_key[key]] = np.frombuffer(blob, dtype="<f4")
        return found

    def put(self, embedder: str, vectors: dict[str, np.ndarray]) -> None:
        """Store new vectors in one transaction; those another worker stored meanwhile are
        kept as they are."""
        known = self.get(embedder, list(vectors))
        now = time.time()
        rows = [
            {
                "embedder": embedder,
                "form_key": form_key(form),
                "vector": np.asarray(vector, dtype="<f4").tobytes(),
                "created_at": now,
            }
            for form, vector in vectors.items()
            if form not in known
        ]
        if not rows:
            return
        try:
            with self.database.write() as connection:
                connection.execute(insert(question_vectors), rows)
        except IntegrityError:  # a race with another worker: keep whatever is not there yet
            for row in rows:
                try:
                    with self.database.write() as connection:
                        connection.execute(insert(question_vectors).values(**row))
                except IntegrityError:
                    continue
