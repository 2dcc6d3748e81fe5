"""Tables of the shared-state database (SQLAlchemy Core), one `MetaData` for Alembic.

Every table is written for both SQLite (the embedded default) and PostgreSQL: times are Unix
seconds as floats, JSON is stored as text, identifiers are short strings made by the code.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

conversation_turns = Table(
    "conversation_turns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(200), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("asked", Text, nullable=False),
    Column("understood", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("refused", Boolean, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("suggestions", Text),  # JSON list of {label, question} offered by a clarify turn
    Index("ix_conversation_turns_conversation", "conversation_id", "created_at"),
    Index("ix_conversation_turns_created", "created_at"),
)

# Every question answered on any channel: the unanswered view and feedback read it.
questions = Table(
    "questions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("user_key", String(200)),
    Column("question", Text, nullable=False),
    Column("folded", Text, nullable=False),  # lower case, no diacritics: groups rewordings
    Column("answer", Text, nullable=False),
    Column("citations", Text, nullable=False),  # JSON list
    Column("refused", Boolean, nullable=False),
    Column("curated_id", Integer),
    Column("created_at", Float, nullable=False),
    Column("status", String(16)),  # answered | clarify | refused (Answer.status)
    Column("elapsed_ms", Integer),  # from the question's arrival to its answer; None before 0003
    Index("ix_questions_created", "created_at"),
    # A wording's latest askings, with what tells an unanswered one (channel, status).
    Index("ix_questions_folded", "folded", "created_at", "channel", "status"),
    # Cover the insights page's counts and its search for the refused, so neither reads the
    # long question and answer rows of every question in the period.
    Index("ix_questions_stats", "created_at", "channel", "status", "elapsed_ms"),
    Index("ix_questions_status", "status", "created_at", "channel", "folded"),
)

# One row per document an answer cited (from `questions.citations`), with the question's time
# and channel: "most cited" counts these rows instead of parsing every answer's JSON.
question_citations = Table(
    "question_citations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "question_id", String(32), ForeignKey("questions.id", ondelete="CASCADE"), nullable=False
    ),
    Column("doc_id", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("so_hieu", String(100)),
    Column("channel", String(32), nullable=False),
    Column("created_at", Float, nullable=False),
    Index("ix_question_citations_created", "created_at", "channel", "doc_id"),
    Index("ix_question_citations_question", "question_id"),
)

# Embeddings of the folded wording of unanswered questions, per embedder: computed once (a
# few tens of milliseconds each on a small CPU), read by every insights page after that.
question_vectors = Table(
    "question_vectors",
    metadata,
    Column("embedder", String(200), primary_key=True),
    Column("form_key", String(64), primary_key=True),  # sha256 of the folded wording
    Column("vector", LargeBinary, nullable=False),  # float32, little-endian
    Column("created_at", Float, nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "question_id", String(32), ForeignKey("questions.id", ondelete="CASCADE"), nullable=False
    ),
    Column("user_key", String(200), nullable=False),
    Column("rating", String(8), nullable=False),  # "up" | "down"
    Column("created_at", Float, nullable=False),
    UniqueConstraint("question_id", "user_key", name="uq_feedback_question_user"),
)

zalo_tokens = Table(
    "zalo_tokens",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1: one OA per deployment
    Column("access_token", Text, nullable=False),
    Column("refresh_token", Text, nullable=False),
    Column("expires_at", Float),
    Column("seed", Text),
    Column("updated_at", Float, nullable=False),
)

# Documents staff uploaded; the files themselves live under data_dir/uploads.
documents = Table(
    "documents",
    metadata,
    Column("doc_id", String(200), primary_key=True),
    Column("filename", String(300), nullable=False),
    Column("stored_path", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # pending | indexed | failed | deleting
    Column("error", Text),
    Column("uploaded_by", String(100)),
    Column("uploaded_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

ingest_jobs = Table(
    "ingest_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("action", String(16), nullable=False),  # add | delete
    Column("doc_ids", Text, nullable=False),  # JSON list
    Column("status", String(16), nullable=False),  # queued | running | done | failed
    Column("progress", Integer, nullable=False, default=0),
    Column("total", Integer, nullable=False, default=0),
    Column("message", Text),
    Column("error", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("worker", String(100)),
    Column("heartbeat_at", Float),
    Column("version_id", Integer),  # the index version the job published
    Column("created_at", Float, nullable=False),
    Column("started_at", Float),
    Column("finished_at", Float),
    Index("ix_ingest_jobs_status", "status"),
)

index_versions = Table(
    "index_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("root", Text, nullable=False),  # the index directory (one database, several roots)
    Column("path", Text, nullable=False),  # the version's folder, relative to the root
    Column("state", String(16), nullable=False),  # building | current | retired | deleted
    Column("documents", Integer, nullable=False, default=0),
    Column("chunks", Integer, nullable=False, default=0),
    Column("job_id", String(32)),
    Column("created_at", Float, nullable=False),
    Column("published_at", Float),
    Index("ix_index_versions_root_state", "root", "state"),
)

# Which version each serving worker has loaded; cleaning keeps versions with a fresh lease.
index_leases = Table(
    "index_leases",
    metadata,
    Column("worker_id", String(100), primary_key=True),
    Column("version_id", Integer, nullable=False),
    Column("seen_at", Float, nullable=False),
)

curated_answers = Table(
    "curated_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", String(32), nullable=False),  # all versions of one curated answer
    Column("version", Integer, nullable=False),
    Column("question", Text, nullable=False),
    Column("folded", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("sources", Text, nullable=False),  # JSON list of cited passages
    Column("source_hashes", Text, nullable=False),  # JSON {doc_id: content hash when approved}
    Column("status", String(16), nullable=False),  # active | review | retired | superseded
    Column("review_reason", Text),
    Column("author", String(100)),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    UniqueConstraint("group_id", "version", name="uq_curated_group_version"),
    Index("ix_curated_status", "status"),
)
