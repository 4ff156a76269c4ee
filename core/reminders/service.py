"""Generating reminders (idempotently) and acknowledging them.

:func:`run_for_current_tenant` asks every available source for candidates and inserts them with
``INSERT … ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING id`` against the unique
``(tenant_id, dedupe_key)``: repeated runs, and several workers running at the same time, never
create a reminder twice, and each run counts exactly the rows it inserted.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

from core import audit, sql
from core.dues.months import china_today
from core.error_codes import ReminderErrorCode
from core.errors import DomainError, NotFound
from core.guard import require
from core.models import Organization
from core.registry import vocabulary_for
from core.reminders.models import Reminder
from core.reminders.sources import SOURCES, Candidate, SourceContext
from core.services.tenants import current_tenant
from core.tenant_config import effective_config

log = logging.getLogger("zhibu.reminders")

_CHUNK = 200


@dataclass
class KindReport:
    kind: str
    candidates: int = 0
    created: int = 0


@dataclass
class RunReport:
    """What one run did for one tenant."""

    tenant_id: int
    today: dt.date
    kinds: dict[str, KindReport] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return sum(k.created for k in self.kinds.values())

    @property
    def candidates(self) -> int:
        return sum(k.candidates for k in self.kinds.values())


_COLUMNS = (
    "tenant_id, kind, subject_type, subject_id, organization_id, due_on, title, details, dedupe_key, "
    "created_at, acknowledged_by, acknowledge_note"
)


async def store(candidates: list[Candidate]) -> int:
    """Insert the candidates; returns how many rows this call inserted.

    One multi-row ``INSERT … ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING id`` per
    chunk (the same statement on PostgreSQL and SQLite ≥ 3.35): the unique index decides, also
    between workers running at the same time, and only rows really inserted come back.
    """
    unique: dict[str, Candidate] = {}
    for candidate in candidates:
        unique.setdefault(candidate.dedupe_key, candidate)
    rows = list(unique.values())
    postgres = sql.dialect() == "postgres"
    now = dt.datetime.now(dt.UTC)
    inserted = 0
    for i in range(0, len(rows), _CHUNK):
        params: dict[str, object] = {"now": now if postgres else str(now)}
        values = []
        for n, c in enumerate(rows[i : i + _CHUNK]):
            params.update(
                {
                    f"k{n}": c.kind,
                    f"st{n}": c.subject_type,
                    f"si{n}": c.subject_id,
                    f"o{n}": c.organization_id,
                    f"d{n}": c.due_on if postgres else c.due_on.isoformat(),
                    f"t{n}": c.title[:300],
                    f"j{n}": json.dumps(c.details, ensure_ascii=False, separators=(",", ":")),
                    f"dk{n}": c.dedupe_key,
                }
            )
            values.append(
                f"(:tenant_id, :k{n}, :st{n}, :si{n}, :o{n}, :d{n}, :t{n}, :j{n}, :dk{n}, :now, '', '')"
            )
        result = await sql.fetch(
            f"INSERT INTO reminder ({_COLUMNS}) VALUES {', '.join(values)} "
            "ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING id",
            **params,
        )
        inserted += len(result)
    return inserted


async def run_for_current_tenant(today: dt.date | None = None) -> RunReport:
    """Run every available source for the bound tenant (as of ``today``)."""
    tenant = await current_tenant()
    config = effective_config(tenant)
    today = today or china_today()
    ctx = SourceContext(tenant, config, today, vocabulary_for(tuple(tenant.enabled_plugins or ())))
    disabled = set(config.get("reminders", {}).get("disabled_kinds") or [])
    report = RunReport(tenant.id, today)
    seen: set[int] = set()
    for kind, source in SOURCES.items():
        if id(source.fn) in seen:
            continue
        if kind in disabled:
            report.skipped[kind] = "disabled in tenant config"
            continue
        reason = source.missing()
        if reason is not None:
            report.skipped[kind] = reason
            continue
        seen.add(id(source.fn))
        candidates = [c for c in await source.fn(ctx) if c.kind not in disabled]
        by_kind: dict[str, list[Candidate]] = {}
        for candidate in candidates:
            by_kind.setdefault(candidate.kind, []).append(candidate)
        for candidate_kind, group in by_kind.items():
            entry = report.kinds.setdefault(candidate_kind, KindReport(candidate_kind))
            entry.candidates += len(group)
            entry.created += await store(group)
    log.info("reminders for tenant %s on %s: %s new", tenant.id, today, report.created)
    return report


async def acknowledge(reminder_id: int, *, by: str, by_id: int | None, note: str = "") -> Reminder:
    """Mark a reminder handled (the caller must be allowed at its organization)."""
    reminder = await Reminder.get_or_none(id=reminder_id)
    if reminder is None:
        raise NotFound("提醒", reminder_id, field="id")
    org = await Organization.get(id=reminder.organization_id)
    require(org.path)
    if reminder.acknowledged_at is not None:
        raise DomainError(
            ReminderErrorCode.REMINDER_ALREADY_ACKNOWLEDGED,
            field="id",
            by=f"{reminder.acknowledged_by or '他人'}于{reminder.acknowledged_at:%Y-%m-%d %H:%M}",
        )
    before = audit.snapshot(reminder)
    reminder.acknowledged_at = dt.datetime.now(dt.UTC)
    reminder.acknowledged_by = by[:200]
    reminder.acknowledged_by_id = by_id
    reminder.acknowledge_note = note.strip()[:300]
    claimed = await Reminder.filter(id=reminder.id, acknowledged_at__isnull=True).update(
        acknowledged_at=reminder.acknowledged_at,
        acknowledged_by=reminder.acknowledged_by,
        acknowledged_by_id=by_id,
        acknowledge_note=reminder.acknowledge_note,
    )
    if not claimed:
        raise DomainError(ReminderErrorCode.REMINDER_ALREADY_ACKNOWLEDGED, field="id", by="他人")
    audit.changed(reminder, before)
    return reminder
