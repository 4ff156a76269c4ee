"""Process settings, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Settings for one zhibu process (server, CLI or test run)."""

    db_url: str = field(default_factory=lambda: os.environ.get("ZHIBU_DB_URL", "sqlite://zhibu.sqlite3"))
    debug: bool = field(default_factory=lambda: _env_bool("ZHIBU_DEBUG"))
    secret_key: str = field(
        default_factory=lambda: os.environ.get(
            "ZHIBU_SECRET_KEY", "zhibu-development-secret-not-for-production-use"
        )
    )
    max_page_size: int = 100
    default_page_size: int = 20


def get_settings() -> Settings:
    """Return the settings as the environment has them now."""
    return Settings()
