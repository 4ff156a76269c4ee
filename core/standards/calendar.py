"""The expected-activity calendar: expected occurrences per organization and period, matched with
what was recorded.

Every activity kind with a cycle (core kinds in ``core.registry``, plugin kinds through the tenant
vocabulary) expects ``times`` occurrences per period (week, month, quarter, half year, year) from
every organization that holds it (branches; party groups for group meetings). Matching, per
organization and kind:

1. activities held inside a slot count for that slot (on time when held by its due date: the end
   of the period, or the tenant's fixed themed-day date plus a tolerance); the latest on-time ones
   are taken first, so an early one stays free to catch up the previous slot;
2. a slot still short then takes unused activities held within the grace days after its end
   (``standards.grace_days``): LATE;
3. otherwise MISSING once the slot's due date has passed (today), PENDING before.

Kinds with ``key_dates`` instead of a cycle (重要节点: e.g. patriotic education) expect one
occurrence on each key date the tenant configures, on time within ``standards.key_date_tolerance_days``
before or after it (grace: ``standards.grace_days.KEY_DATE``); no date configured, nothing expected.

The heart-to-heart talk is matched differently: its yearly slot is DONE when the share of current
members who took part reaches ``standards.heart_to_heart_min_coverage``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from core.registry import ActivityKindSpec, Period, key_date_entries
from core.standards import data
from core.standards.api import RuleContext

THEMED_DAY = "THEMED_PARTY_DAY"
HEART_TO_HEART = "HEART_TO_HEART"


class SlotStatus(StrEnum):
    DONE = "DONE"
    LATE = "LATE"
    MISSING = "MISSING"
    PENDING = "PENDING"


STATUS_LABELS = {
    SlotStatus.DONE: "已完成",
    SlotStatus.LATE: "延期完成",
    SlotStatus.MISSING: "缺失",
    SlotStatus.PENDING: "待开展",
}


@dataclass(frozen=True)
class Slot:
    """One expected occurrence window."""

    period: str
    start: dt.date
    end: dt.date
    due: dt.date
    #: the key date's name (重要节点, e.g. 建党纪念日) for key-date slots
    name: str = ""


@dataclass
class CalendarEntry:
    """An expected occurrence of ``kind`` for one organization, and what matched it."""

    organization_id: int
    branch_id: int | None
    kind: str
    kind_label: str
    cycle: str
    period: str
    start: dt.date
    end: dt.date
    due: dt.date
    expected: int
    status: SlotStatus
    held_on: list[dt.date] = field(default_factory=list)
    attendance_rate: float | None = None
    numbers: dict[str, Any] = field(default_factory=dict)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def period_text(label: str) -> str:
    """Chinese text of a period label (``2025-03`` → ``2025年3月``)."""
    if "~" in label:
        start, end = label.split("~")
        return f"{start}至{end}"
    parts = label.split("-")
    if len(parts) == 1:
        return f"{parts[0]}年"
    if len(parts) == 3:  # a key date
        return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日"
    year, rest = parts[0], parts[1]
    if rest.startswith("Q"):
        return f"{year}年第{rest[1:]}季度"
    if rest.startswith("H"):
        return f"{year}年{'上' if rest == 'H1' else '下'}半年"
    if rest.startswith("W"):
        return f"{year}年第{int(rest[1:])}周"
    return f"{year}年{int(rest)}月"


def slots(period: Period | str, start: dt.date, end: dt.date) -> list[Slot]:
    """The slots of ``period`` overlapping [start, end], in order (due = slot end)."""
    period = Period(period)
    result: list[Slot] = []
    if period is Period.WEEK:
        day = start - dt.timedelta(days=start.weekday())
        while day <= end:
            iso = day.isocalendar()
            stop = day + dt.timedelta(days=6)
            result.append(Slot(f"{iso[0]}-W{iso[1]:02d}", day, stop, stop))
            day = stop + dt.timedelta(days=1)
        return result
    months = {Period.MONTH: 1, Period.QUARTER: 3, Period.HALF_YEAR: 6, Period.YEAR: 12}[period]
    year, month = start.year, ((start.month - 1) // months) * months + 1
    while dt.date(year, month, 1) <= end:
        first = dt.date(year, month, 1)
        last_month = month + months - 1
        last = _month_end(year, last_month)
        if period is Period.MONTH:
            label = f"{year}-{month:02d}"
        elif period is Period.QUARTER:
            label = f"{year}-Q{(month - 1) // 3 + 1}"
        elif period is Period.HALF_YEAR:
            label = f"{year}-H{1 if month == 1 else 2}"
        else:
            label = f"{year}"
        result.append(Slot(label, first, last, last))
        month += months
        if month > 12:
            year, month = year + 1, month - 12
    return result


def themed_day_slots(start: dt.date, end: dt.date, fixed_day: int, tolerance: int) -> list[Slot]:
    """Monthly slots due on the tenant's fixed themed-day date (plus ``tolerance`` days)."""
    result = []
    for slot in slots(Period.MONTH, start, end):
        day = min(fixed_day, slot.end.day) if fixed_day > 0 else slot.end.day
        due = min(dt.date(slot.start.year, slot.start.month, day) + dt.timedelta(days=tolerance), slot.end)
        result.append(Slot(slot.period, slot.start, slot.end, due))
    return result


def key_date_slots(entries: list[dict[str, str]], start: dt.date, end: dt.date, tolerance: int) -> list[Slot]:
    """One slot per configured key date (``{"date": "MM-DD", "name": …}``) falling in [start, end]:
    on time within ``tolerance`` days before or after the date (29 February: the 28th in other years)."""
    result = []
    for year in range(start.year, end.year + 1):
        for entry in entries:
            month, day = (int(part) for part in str(entry["date"]).split("-"))
            try:
                date = dt.date(year, month, day)
            except ValueError:
                date = dt.date(year, month, 28)
            if start <= date <= end:
                window = dt.timedelta(days=tolerance)
                name = str(entry.get("name") or "")
                result.append(Slot(date.isoformat(), date - window, date + window, date + window, name))
    return sorted(result, key=lambda slot: slot.start)


def match(
    slot_list: list[Slot], dates: list[dt.date], times: int, grace_days: int, today: dt.date
) -> list[tuple[SlotStatus, list[dt.date], int]]:
    """Match sorted activity ``dates`` to ``slot_list``: (status, dates used, on-time count)."""
    used = [False] * len(dates)
    taken: list[list[int]] = [[] for _ in slot_list]
    for n, slot in enumerate(slot_list):  # 1. inside the slot: the latest on time, then late ones
        lo = bisect_left(dates, slot.start)
        mid = bisect_right(dates, min(slot.due, slot.end))
        hi = bisect_right(dates, slot.end)
        for i in [*range(mid - 1, lo - 1, -1), *range(mid, hi)]:
            if len(taken[n]) >= times:
                break
            if not used[i]:
                used[i] = True
                taken[n].append(i)
        taken[n].sort()
    for n, slot in enumerate(slot_list):  # 2. catch-up within the grace days
        if len(taken[n]) >= times:
            continue
        lo = bisect_right(dates, slot.end)
        hi = bisect_right(dates, slot.end + dt.timedelta(days=grace_days))
        for i in range(lo, hi):
            if len(taken[n]) >= times:
                break
            if not used[i]:
                used[i] = True
                taken[n].append(i)
    result = []
    for n, slot in enumerate(slot_list):
        held = [dates[i] for i in taken[n]]
        on_time = sum(1 for day in held if day <= slot.due)
        if len(held) >= times:
            status = SlotStatus.DONE if on_time >= times else SlotStatus.LATE
        elif slot.due >= today:
            status = SlotStatus.PENDING
        else:
            status = SlotStatus.MISSING
        result.append((status, held, on_time))
    return result


@dataclass(frozen=True)
class Holder:
    organization_id: int
    branch_id: int | None
    established_on: dt.date | None


async def holders(ctx: RuleContext, spec: ActivityKindSpec) -> list[Holder]:
    """Organizations of the scope expected to hold ``spec`` (branches unless ``held_by`` says)."""
    branches = await data.branches(ctx)
    if not spec.held_by:
        return [Holder(b.id, b.id, b.established_on) for b in branches.values()]
    result: list[Holder] = []
    kinds = frozenset(spec.held_by)
    if "PARTY_GROUP" in kinds:
        for group in (await data.party_groups(ctx)).values():
            result.append(Holder(group.id, group.parent_id, group.established_on))
        kinds = kinds - {"PARTY_GROUP"}
    for branch in branches.values():
        if branch.kind in kinds:
            result.append(Holder(branch.id, branch.id, branch.established_on))
    kinds = kinds - ctx.vocabulary.branch_kinds()
    if kinds:
        others = await data.orgs_of_kinds(ctx, frozenset(kinds))
        for org in others.values():
            ancestors = [int(p) for p in org.path.strip("/").split("/") if p][:-1]
            branch_id = next((a for a in reversed(ancestors) if a in branches), None)
            result.append(Holder(org.id, branch_id, org.established_on))
    return result


def _expected_slots(ctx: RuleContext, spec: ActivityKindSpec) -> list[Slot]:
    if spec.key_dates is not None:
        return key_date_slots(
            key_date_entries(ctx.config, spec.key_dates),
            ctx.period_start,
            ctx.period_end,
            int(ctx.section("standards").get("key_date_tolerance_days", 0)),
        )
    assert spec.cycle is not None
    if spec.code == THEMED_DAY:
        activities = ctx.section("activities")
        standards = ctx.section("standards")
        return themed_day_slots(
            ctx.period_start,
            ctx.period_end,
            int(activities.get("themed_party_day", 0)),
            int(standards.get("themed_day_tolerance_days", 0)),
        )
    plan = slots(spec.cycle.period, ctx.period_start, ctx.period_end)
    if spec.due_days is not None:
        section, _, key = spec.due_days.partition(".")
        days = int(ctx.section(section).get(key, 0))
        if days > 0:
            plan = [
                Slot(s.period, s.start, s.end, min(s.start + dt.timedelta(days=days - 1), s.end))
                for s in plan
            ]
    return plan


async def build_calendar(ctx: RuleContext, *, attendance: bool = False) -> list[CalendarEntry]:
    """Every expected occurrence in the context's scope and period, with its status (memoized).

    ``attendance`` adds the themed days' attendance rates (one more aggregate over attendance;
    the rules do not need it, the calendar query does).
    """
    return await data.memo(ctx, f"calendar:{attendance}", lambda: _build(ctx, attendance))


#: the statuses rules report (the calendar rules read only these)
RULE_STATUSES = frozenset({SlotStatus.MISSING, SlotStatus.LATE})


async def calendar_entries(ctx: RuleContext, kind: str, status: SlotStatus) -> list[CalendarEntry]:
    """The entries of :func:`build_calendar` of one kind and status, in calendar order — each
    calendar rule reads its own (indexed once per context, not filtered again by every rule). For
    MISSING and LATE (:data:`RULE_STATUSES`) the index is built on its own, without making the
    DONE and PENDING entries (most of the calendar) that no rule reads."""
    if status not in RULE_STATUSES:
        return [e for e in await build_calendar(ctx) if e.kind == kind and e.status is status]

    async def index() -> dict[tuple[str, SlotStatus], list[CalendarEntry]]:
        grouped: dict[tuple[str, SlotStatus], list[CalendarEntry]] = {}
        built = [
            *await _build_activities(ctx, False, RULE_STATUSES),
            *[e for e in await assessment_calendar(ctx) if e.status in RULE_STATUSES],
        ]
        for entry in built:
            grouped.setdefault((entry.kind, entry.status), []).append(entry)
        return grouped

    return (await data.memo(ctx, "calendar:rule_entries", index)).get((kind, status), [])


async def _build(ctx: RuleContext, attendance: bool) -> list[CalendarEntry]:
    return [*await _build_activities(ctx, attendance), *await assessment_calendar(ctx)]


async def assessment_calendar(ctx: RuleContext) -> list[CalendarEntry]:
    """The committee cadence (年初部署、季度检查、半年点评、年终考核) of every holder organization in
    the scope: DONE when recorded by the due day, LATE when recorded after it, else MISSING or
    PENDING (``core/standards/assessment.py``; memoized, the cadence rules read it alone)."""
    return await data.memo(ctx, "calendar:assessment", lambda: _assessment_entries(ctx))


async def _assessment_entries(ctx: RuleContext) -> list[CalendarEntry]:
    from core.standards import assessment

    kinds = frozenset(ctx.section("assessment").get("holder_kinds") or ())
    items = assessment.expected_between(ctx.config, ctx.period_start, ctx.period_end)
    if not kinds or not items:
        return []
    holders_ = await data.orgs_of_kinds(ctx, kinds)
    if not holders_:
        return []
    records = await assessment.records_in_scope(ctx, sorted({item.start.year for item in items}))
    entries = []
    for org in holders_.values():
        for item in items:
            if org.established_on is not None and org.established_on > item.start:
                continue
            spec = assessment.STAGES[item.stage]
            record = records.get((org.id, item.stage.value, item.period))
            if record is not None:
                status = SlotStatus.DONE if record.held_on <= item.due else SlotStatus.LATE
            elif item.due >= ctx.today:
                status = SlotStatus.PENDING
            else:
                status = SlotStatus.MISSING
            held = [record.held_on] if record is not None else []
            entries.append(
                CalendarEntry(
                    organization_id=org.id,
                    branch_id=None,
                    kind=assessment.kind_of(item.stage),
                    kind_label=spec.label,
                    cycle=spec.cycle,
                    period=item.period,
                    start=item.start,
                    end=item.end,
                    due=item.due,
                    expected=1,
                    status=status,
                    held_on=held,
                    numbers={
                        "expected": 1,
                        "held": len(held),
                        "on_time": int(status is SlotStatus.DONE),
                        "due_days": int(ctx.section("assessment").get(spec.due_key, 0)),
                        "record_id": record.id if record is not None else None,
                    },
                )
            )
    return entries


async def _build_activities(
    ctx: RuleContext, attendance: bool, statuses: frozenset[SlotStatus] | None = None
) -> list[CalendarEntry]:
    """The activity kinds' entries (only those of ``statuses`` when given)."""
    grace_by_period = {k: int(v) for k, v in ctx.section("standards").get("grace_days", {}).items()}
    kinds = [s for s in ctx.vocabulary.activity_kinds.values() if s.scheduled]
    plans = {spec.code: _expected_slots(ctx, spec) for spec in kinds}
    starts = [s.start for plan in plans.values() for s in plan]
    ends = [
        s.end + dt.timedelta(days=grace_by_period.get(spec.schedule, 0))
        for spec in kinds
        for s in plans[spec.code]
    ]
    if not starts:
        return []
    dates = await data.activity_dates(ctx, min(starts), max(ends))
    entries: list[CalendarEntry] = []
    for spec in kinds:
        plan = plans[spec.code]
        if not plan:
            continue
        grace = grace_by_period.get(spec.schedule, 0)
        if spec.code == HEART_TO_HEART:
            entries.extend(
                e for e in await _heart_to_heart(ctx, spec, plan) if statuses is None or e.status in statuses
            )
            continue
        rates = (
            await data.attendance_by_activity(ctx, spec.code, min(starts), max(ends))
            if attendance and spec.code == THEMED_DAY
            else {}
        )
        # holders with the same slots and the same dates match alike (a fixed themed-day date, a
        # meeting every month on the same day): match each distinct (slots, dates) once
        times, schedule, label = spec.times, spec.schedule, spec.label
        own_plans: dict[dt.date | None, list[Slot]] = {}
        matched: dict[tuple[dt.date | None, tuple[dt.date, ...]], list] = {}
        for holder in await holders(ctx, spec):
            held_dates = dates.get((holder.organization_id, spec.code), [])
            established = holder.established_on
            own = own_plans.get(established)
            if own is None:
                own = [s for s in plan if established is None or established <= s.start]
                own_plans[established] = own
            key = (established, tuple(held_dates))
            outcome = matched.get(key)
            if outcome is None:
                outcome = matched[key] = match(own, held_dates, times, grace, ctx.today)
            for slot, (status, held, on_time) in zip(own, outcome, strict=True):
                if statuses is not None and status not in statuses:
                    continue
                entry = CalendarEntry(
                    organization_id=holder.organization_id,
                    branch_id=holder.branch_id,
                    kind=spec.code,
                    kind_label=label,
                    cycle=schedule,
                    period=slot.period,
                    start=slot.start,
                    end=slot.end,
                    due=slot.due,
                    expected=times,
                    status=status,
                    held_on=list(held),
                    numbers={"expected": times, "held": len(held), "on_time": on_time},
                )
                if slot.name:
                    entry.numbers["key_date"] = slot.name
                if rates and held:
                    shares = [
                        present / entitled
                        for day in sorted(set(held))
                        for present, entitled in rates.get((holder.organization_id, day), [])
                        if entitled
                    ]
                    if shares:
                        entry.attendance_rate = round(sum(shares) / len(shares), 4)
                        entry.numbers["attendance_rate"] = entry.attendance_rate
                entries.append(entry)
    return entries


async def _heart_to_heart(ctx: RuleContext, spec: ActivityKindSpec, plan: list[Slot]) -> list[CalendarEntry]:
    minimum = float(ctx.section("standards").get("heart_to_heart_min_coverage", 1.0))
    counts = await data.member_counts(ctx)
    entries = []
    for slot in plan:
        reached = await data.heart_to_heart_reached(ctx, slot.start, slot.end)
        for holder in await holders(ctx, spec):
            if holder.established_on is not None and holder.established_on > slot.start:
                continue
            members = counts.get(holder.organization_id, data.Counts()).members
            got = reached.get(holder.organization_id, 0)
            coverage = round(got / members, 4) if members else 1.0
            if coverage >= minimum:
                status = SlotStatus.DONE
            elif slot.due >= ctx.today:
                status = SlotStatus.PENDING
            else:
                status = SlotStatus.MISSING
            entries.append(
                CalendarEntry(
                    organization_id=holder.organization_id,
                    branch_id=holder.branch_id,
                    kind=spec.code,
                    kind_label=spec.label,
                    cycle=str(spec.cycle.period) if spec.cycle else "",
                    period=slot.period,
                    start=slot.start,
                    end=slot.end,
                    due=slot.due,
                    expected=members,
                    status=status,
                    numbers={
                        "members": members,
                        "reached": got,
                        "coverage": coverage,
                        "min_coverage": minimum,
                    },
                )
            )
    return entries
