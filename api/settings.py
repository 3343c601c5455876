"""Service settings, read once from the environment (prefix ``SVA_``) when the app is built."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """``SVA_DATABASE_URL``, ``SVA_API_KEYS``, ``SVA_MAX_UPLOAD_MB``, ``SVA_MAX_PAGES``."""

    model_config = SettingsConfigDict(env_prefix="SVA_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./sva.db",
        description="SQLAlchemy URL; default a SQLite file in the working directory. "
        "PostgreSQL: postgresql+psycopg://user:password@host/dbname",
    )
    api_keys: str = Field(
        default="",
        description="Comma-separated API keys; when set, every /v1 call needs the X-API-Key header.",
    )
    max_upload_mb: float = Field(default=25, gt=0, description="Largest upload accepted, in MB.")
    max_pages: int = Field(default=500, gt=0, description="Most PDF pages assessed per document.")

    @field_validator("database_url")
    @classmethod
    def _url_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("SVA_DATABASE_URL is empty")
        return value.strip()

    @property
    def keys(self) -> frozenset[str]:
        """The API keys in force (empty: the API is open)."""
        return frozenset(k.strip() for k in self.api_keys.split(",") if k.strip())

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)
