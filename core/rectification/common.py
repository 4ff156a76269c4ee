"""Small helpers shared by rectification and acceptance: today, the caller, tree paths."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError

from core.errors import DomainError, ErrorCode
from core.guard import current_principal

TIMEZONE = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    """Today in the platform timezone (deadlines and overdue are calendar dates in China)."""
    return dt.datetime.now(TIMEZONE).date()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def actor() -> tuple[str, int | None]:
    """(label, user id) of the caller; trusted code (CLI, seeders) acts as 系统."""
    principal = current_principal()
    if principal is None:
        return "系统", None
    return (principal.label or "")[:200], principal.user_id


def parent_path(path: str) -> str | None:
    """The path of the organization directly above ``path``; ``None`` for a root (tenant-wide)."""
    parts = [p for p in path.strip("/").split("/") if p]
    if len(parts) <= 1:
        return None
    return "/" + "/".join(parts[:-1]) + "/"


@asynccontextmanager
async def unique_or(code: ErrorCode, *, field: str | None = None, **details: Any) -> AsyncIterator[None]:
    """Turn a unique-constraint violation (a concurrent request won the race) into a typed error."""
    try:
        yield
    except IntegrityError as exc:
        raise DomainError(code, field=field, **details) from exc
