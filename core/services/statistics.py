"""Statistics of a subtree for a period, each block one SQL aggregate (or a few) — never a loop over
the tenant's rows in Python.

A scope is an organization (its subtree) or ``None`` (the whole tenant); ``prefix`` below is the
scope's path followed by ``%``. Periods are closed date ranges ``[start, end]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from core import sql
from core.lifecycle.steps import STAGES, STEPS
from core.models.member import CURRENT_MEMBER_STATUSES

#: days are the tenant's days (the database stores instants; the product runs on Beijing time)
TIMEZONE = ZoneInfo("Asia/Shanghai")

#: age bands (upper bound inclusive, label); the last is open-ended
AGE_BANDS: tuple[tuple[int | None, str], ...] = (
    (30, "30岁及以下"),
    (40, "31至40岁"),
    (50, "41至50岁"),
    (60, "51至60岁"),
    (None, "61岁及以上"),
)
#: bands of Party standing (years since joining)
STANDING_BANDS: tuple[tuple[int | None, str], ...] = (
    (5, "党龄5年及以下"),
    (10, "6至10年"),
    (30, "11至30年"),
    (None, "30年以上"),
)


@dataclass(frozen=True)
class Count:
    key: str
    count: int


def prefix_of(path: str | None) -> str:
    return (path or "/") + "%"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _band_sql(column: str, bands: tuple[tuple[int | None, str], ...], as_of: dt.date) -> tuple[str, dict]:
    """``CASE`` over ``column`` (a date) by years before ``as_of``: band index; NULL dates → -1."""
    params: dict = {}
    cases = [f"WHEN {column} IS NULL THEN -1"]
    for index, (upper, _) in enumerate(bands):
        if upper is None:
            cases.append(f"ELSE {index}")
        else:
            params[f"band_{index}"] = _years_before(as_of, upper + 1)
            cases.append(f"WHEN {column} > :band_{index} THEN {index}")
    return "CASE " + " ".join(cases) + " END", params


async def member_counts(path: str | None, as_of: dt.date) -> dict[str, list[Count]]:
    """Current members (probationary and full) of the subtree by status, gender, age band, Party
    standing, education and ethnicity, plus members by special category; one statement each."""
    statuses = [str(s) for s in CURRENT_MEMBER_STATUSES]
    base = (
        "FROM member m JOIN organization o ON o.id = m.branch_id AND o.tenant_id = m.tenant_id "
        "WHERE m.tenant_id = :tenant_id AND o.path LIKE :prefix AND m.status IN ("
        + ", ".join(f":status_{i}" for i in range(len(statuses)))
        + ")"
    )
    params = {"prefix": prefix_of(path), **{f"status_{i}": s for i, s in enumerate(statuses)}}
    age, age_params = _band_sql("m.birth_date", AGE_BANDS, as_of)
    standing, standing_params = _band_sql("m.joined_on", STANDING_BANDS, as_of)
    out: dict[str, list[Count]] = {}
    for name, expression, extra in (
        ("status", "m.status", {}),
        ("gender", "COALESCE(m.gender, '')", {}),
        ("age", age, age_params),
        ("standing", standing, standing_params),
        ("education", "m.education", {}),
        ("ethnicity", "m.ethnicity", {}),
    ):
        rows = await sql.fetch(
            f"SELECT {expression} AS k, COUNT(*) AS n {base} GROUP BY {expression} ORDER BY {expression}",
            **params,
            **extra,
        )
        out[name] = [Count(str(r["k"]), int(r["n"])) for r in rows]
    rows = await sql.fetch(
        "SELECT c.category AS k, COUNT(*) AS n FROM member_category c "
        "JOIN member m ON m.id = c.member_id AND m.tenant_id = c.tenant_id "
        "JOIN organization o ON o.id = m.branch_id AND o.tenant_id = m.tenant_id "
        "WHERE c.tenant_id = :tenant_id AND o.path LIKE :prefix AND m.status IN ("
        + ", ".join(f":status_{i}" for i in range(len(statuses)))
        + ") GROUP BY c.category ORDER BY c.category",
        **params,
    )
    out["category"] = [Count(str(r["k"]), int(r["n"])) for r in rows]
    return out


async def joined_in(path: str | None, start: dt.date, end: dt.date) -> int:
    """Members of the subtree who joined (were admitted as probationary) in the period."""
    rows = await sql.fetch(
        "SELECT COUNT(*) AS n FROM member m JOIN organization o ON o.id = m.branch_id "
        "AND o.tenant_id = m.tenant_id WHERE m.tenant_id = :tenant_id AND o.path LIKE :prefix "
        "AND m.joined_on BETWEEN :start AND :end",
        prefix=prefix_of(path),
        start=start,
        end=end,
    )
    return int(rows[0]["n"])


@dataclass(frozen=True)
class StageCount:
    stage: int
    label: str
    open_cases: int


async def development_pipeline(path: str | None) -> list[StageCount]:
    """Open development cases of the subtree by the stage of their next step (SQL groups by the last
    recorded step; the 25 steps map to their 5 stages)."""
    rows = await sql.fetch(
        "SELECT c.last_sequence AS seq, COUNT(*) AS n FROM development_case c "
        "JOIN member m ON m.id = c.member_id AND m.tenant_id = c.tenant_id "
        "JOIN organization o ON o.id = m.branch_id AND o.tenant_id = m.tenant_id "
        "WHERE c.tenant_id = :tenant_id AND o.path LIKE :prefix AND c.status = 'OPEN' "
        "GROUP BY c.last_sequence",
        prefix=prefix_of(path),
    )
    stage_of_next = {step.sequence - 1: step.stage for step in STEPS}
    per_stage = dict.fromkeys(STAGES, 0)
    for row in rows:
        per_stage[stage_of_next.get(int(row["seq"]), max(STAGES))] += int(row["n"])
    return [StageCount(stage, STAGES[stage], per_stage[stage]) for stage in STAGES]


@dataclass(frozen=True)
class DuesTotals:
    bills: int
    billed: Decimal
    paid_bills: int
    collected: Decimal


async def dues_totals(path: str | None, start: dt.date, end: dt.date) -> DuesTotals:
    """Bills of months in the period: how many and how much billed, and how much of it paid."""
    rows = await sql.fetch(
        "SELECT COUNT(*) AS bills, COALESCE(SUM(b.amount), 0) AS billed, "
        "SUM(CASE WHEN b.payment_id IS NOT NULL THEN 1 ELSE 0 END) AS paid_bills, "
        "COALESCE(SUM(CASE WHEN b.payment_id IS NOT NULL THEN b.amount ELSE 0 END), 0) AS collected "
        "FROM dues_bill b JOIN organization o ON o.id = b.branch_id AND o.tenant_id = b.tenant_id "
        "WHERE b.tenant_id = :tenant_id AND o.path LIKE :prefix AND b.period BETWEEN :start AND :end",
        prefix=prefix_of(path),
        start=start.replace(day=1),
        end=end,
    )
    row = rows[0]
    return DuesTotals(
        int(row["bills"] or 0),
        Decimal(str(row["billed"] or 0)).quantize(Decimal("0.01")),
        int(row["paid_bills"] or 0),
        Decimal(str(row["collected"] or 0)).quantize(Decimal("0.01")),
    )


@dataclass(frozen=True)
class RectificationTotals:
    opened: int
    closed: int
    overdue: int
    open_now: int


async def rectification_totals(
    path: str | None, start: dt.date, end: dt.date, today: dt.date
) -> RectificationTotals:
    """Items opened in the period, closed in the period, and — now — still open and overdue."""
    rows = await sql.fetch(
        "SELECT "
        "SUM(CASE WHEN i.created_at >= :start_at AND i.created_at < :end_at THEN 1 ELSE 0 END) AS opened, "
        "SUM(CASE WHEN i.status = 'CLOSED' AND i.closed_at >= :start_at AND i.closed_at < :end_at "
        "THEN 1 ELSE 0 END) AS closed, "
        "SUM(CASE WHEN i.status <> 'CLOSED' AND i.deadline < :today THEN 1 ELSE 0 END) AS overdue, "
        "SUM(CASE WHEN i.status <> 'CLOSED' THEN 1 ELSE 0 END) AS open_now "
        "FROM rectification_item i JOIN organization o ON o.id = i.organization_id "
        "AND o.tenant_id = i.tenant_id WHERE i.tenant_id = :tenant_id AND o.path LIKE :prefix",
        prefix=prefix_of(path),
        start_at=dt.datetime.combine(start, dt.time.min, TIMEZONE),
        end_at=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, TIMEZONE),
        today=today,
    )
    row = rows[0]
    return RectificationTotals(*(int(row[k] or 0) for k in ("opened", "closed", "overdue", "open_now")))


@dataclass(frozen=True)
class ActivityRate:
    kind: str
    label: str
    expected: int
    met: int
    late: int
    held: int

    @property
    def rate(self) -> float | None:
        return round(self.met / self.expected, 4) if self.expected else None


async def activity_rates(scope, start: dt.date, end: dt.date) -> list[ActivityRate]:  # noqa: ANN001
    """Per activity kind: expected occurrences in the period (the calendar, which knows every
    kind's cycle, holders and tolerances), how many were met (late ones included) and how many
    activities were recorded (one SQL count)."""
    from core.standards import service

    entries = (
        await service.calendar(scope, start, end) if scope is not None else await _tenant_calendar(start, end)
    )
    expected: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    for entry in entries:
        if str(entry.status) == "PENDING":
            continue
        bucket = expected.setdefault(entry.kind, [0, 0, 0])
        labels[entry.kind] = entry.kind_label
        bucket[0] += 1
        bucket[1] += str(entry.status) in ("DONE", "LATE")
        bucket[2] += str(entry.status) == "LATE"
    rows = await sql.fetch(
        "SELECT a.kind AS kind, COUNT(*) AS n FROM activity a "
        "JOIN organization o ON o.id = a.organization_id AND o.tenant_id = a.tenant_id "
        "WHERE a.tenant_id = :tenant_id AND o.path LIKE :prefix AND a.cancelled_on IS NULL "
        "AND a.held_on BETWEEN :start AND :end GROUP BY a.kind",
        prefix=prefix_of(scope.path if scope is not None else None),
        start=start,
        end=end,
    )
    held = {r["kind"]: int(r["n"]) for r in rows}
    kinds = sorted(set(expected) | set(held))
    return [
        ActivityRate(
            kind,
            labels.get(kind, kind),
            expected.get(kind, [0, 0, 0])[0],
            expected.get(kind, [0, 0, 0])[1],
            expected.get(kind, [0, 0, 0])[2],
            held.get(kind, 0),
        )
        for kind in kinds
    ]


async def _tenant_calendar(start: dt.date, end: dt.date) -> list:
    from core.standards import service
    from core.standards.calendar import build_calendar

    ctx = await service.context_for(None, start, end)
    return await build_calendar(ctx)
