"""The insights page: each logged question's outcome and answer time, the documents answers
cited as rows, and a cache of unanswered questions' embeddings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BATCH = 2000  # rows copied per insert while filling question_citations from the log

_questions = sa.table(
    "questions",
    sa.column("id", sa.String),
    sa.column("channel", sa.String),
    sa.column("citations", sa.Text),
    sa.column("refused", sa.Boolean),
    sa.column("created_at", sa.Float),
    sa.column("status", sa.String),
)
_citations = sa.table(
    "question_citations",
    sa.column("question_id", sa.String),
    sa.column("doc_id", sa.String),
    sa.column("title", sa.Text),
    sa.column("so_hieu", sa.String),
    sa.column("channel", sa.String),
    sa.column("created_at", sa.Float),
)


def _cited_rows(row: sa.Row) -> list[dict[str, object]]:
    """The documents one logged answer cited, once each (a malformed log entry cites none)."""
    try:
        cited = json.loads(row.citations or "[]")
    except ValueError:
        return []
    rows, seen = [], set()
    for citation in cited if isinstance(cited, list) else []:
        doc_id = citation.get("doc_id") if isinstance(citation, dict) else None
        if not doc_id or doc_id in seen:
            continue
        seen.add(doc_id)
        rows.append(
            {
                "question_id": row.id,
                "doc_id": str(doc_id)[:200],
                "title": str(citation.get("title") or doc_id),
                "so_hieu": (str(citation["so_hieu"])[:100] if citation.get("so_hieu") else None),
                "channel": row.channel,
                "created_at": row.created_at,
            }
        )
    return rows


def upgrade() -> None:
    # Nullable: answers logged before this revision have no measured time.
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("elapsed_ms", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_questions_stats", ["created_at", "channel", "status", "elapsed_ms"], unique=False
        )
        batch_op.create_index(
            "ix_questions_status", ["status", "created_at", "channel", "folded"], unique=False
        )
        # The insights read a wording's latest unanswered askings: the folded index gains
        # the time, the channel and the status.
        batch_op.drop_index("ix_questions_folded")
        batch_op.create_index(
            "ix_questions_folded", ["folded", "created_at", "channel", "status"], unique=False
        )
    # Before this revision a clarifying answer was logged as answered: the log cannot tell.
    op.execute(
        _questions.update().values(
            status=sa.case((_questions.c.refused.is_(True), "refused"), else_="answered")
        )
    )
    op.create_table(
        "question_citations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("doc_id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("so_hieu", sa.String(length=100), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("question_citations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_citations_created", ["created_at", "channel", "doc_id"], unique=False
        )
        batch_op.create_index("ix_question_citations_question", ["question_id"], unique=False)
    op.create_table(
        "question_vectors",
        sa.Column("embedder", sa.String(length=200), nullable=False),
        sa.Column("form_key", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("embedder", "form_key"),
    )
    # Pages of the log in id order: a large log is never held in memory at once.
    bind = op.get_bind()
    last = ""
    while True:
        page = bind.execute(
            sa.select(
                _questions.c.id,
                _questions.c.channel,
                _questions.c.citations,
                _questions.c.created_at,
            )
            .where(_questions.c.refused.is_(False), _questions.c.id > last)
            .order_by(_questions.c.id)
            .limit(BATCH)
        ).fetchall()
        if not page:
            break
        last = page[-1].id
        cited = [c for row in page for c in _cited_rows(row)]
        if cited:
            bind.execute(_citations.insert(), cited)


def downgrade() -> None:
    op.drop_table("question_vectors")
    with op.batch_alter_table("question_citations", schema=None) as batch_op:
        batch_op.drop_index("ix_question_citations_question")
        batch_op.drop_index("ix_question_citations_created")
    op.drop_table("question_citations")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_folded")
        batch_op.create_index("ix_questions_folded", ["folded"], unique=False)
        batch_op.drop_index("ix_questions_status")
        batch_op.drop_index("ix_questions_stats")
        batch_op.drop_column("elapsed_ms")
        batch_op.drop_column("status")
