"""Pluggable reminder sources.

A source is an async function ``(SourceContext) -> list[Candidate]`` registered with
:func:`reminder_source` under a kind code. Each candidate carries a ``dedupe_key`` that names the
fact it reminds of (e.g. ``committee-term-expiry:<term>:<ends_on>:6m``), so running a source again
finds the same keys and inserts nothing new. A source may declare the modules and tortoise apps it
reads (``requires``/``apps``); when one is missing (a helper domain not installed) it is skipped.

Plugins and other domains add sources by calling :func:`register_source` (or using the decorator)
at import time.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tortoise import Tortoise
from tortoise.expressions import Q

from core import sql
from core.dues.months import add_months, add_years, month_end, month_start, shift_months
from core.models import Activity, CommitteeTerm, Member, MemberStatus, Organization, Tenant
from core.models.member import CURRENT_MEMBER_STATUSES
from core.registry import Period, Vocabulary


@dataclass(frozen=True)
class Candidate:
    """A reminder a source wants to exist (inserted once per ``dedupe_key``)."""

    kind: str
    subject_type: str
    subject_id: int
    organization_id: int
    due_on: dt.date
    title: str
    dedupe_key: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceContext:
    tenant: Tenant
    config: dict[str, Any]
    today: dt.date
    vocabulary: Vocabulary

    def section(self, name: str) -> dict[str, Any]:
        return self.config.get(name, {})


SourceFn = Callable[[SourceContext], Awaitable[list[Candidate]]]


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    fn: SourceFn
    #: modules that must be importable, and tortoise app labels that must be registered
    requires: tuple[str, ...] = ()
    apps: tuple[str, ...] = ()

    def missing(self) -> str | None:
        """Why the source cannot run here (a missing module or app), or None."""
        return unavailable(self.requires, self.apps)


def unavailable(requires: tuple[str, ...] = (), apps: tuple[str, ...] = ()) -> str | None:
    """Why code needing ``requires`` modules and ``apps`` tortoise apps cannot run, or None."""
    for module in requires:
        try:
            if importlib.util.find_spec(module) is None:
                return f"module {module} not installed"
        except ModuleNotFoundError:
            return f"module {module} not installed"
    for app in apps:
        if app not in (Tortoise.apps or {}):
            return f"tortoise app {app} not registered"
    return None


SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> Source:
    """Add (or replace, by kind) a reminder source."""
    SOURCES[source.kind] = source
    return source


def reminder_source(
    kind: str, label: str, *, requires: tuple[str, ...] = (), apps: tuple[str, ...] = ()
) -> Callable[[SourceFn], SourceFn]:
    """Decorator registering ``fn`` as the source of reminders of ``kind``."""

    def wrap(fn: SourceFn) -> SourceFn:
        register_source(Source(kind, label, fn, requires, apps))
        return fn

    return wrap


#: Labels of kinds a source produces besides its own.
EXTRA_KIND_LABELS: dict[str, str] = {"DUES_ARREARS_FLAGGED": "连续欠缴党费（自行脱党风险）"}


def kind_label(kind: str) -> str:
    source = SOURCES.get(kind)
    return source.label if source else EXTRA_KIND_LABELS.get(kind, kind)


# --- committee terms -----------------------------------------------------------------------------


@reminder_source("COMMITTEE_TERM_EXPIRY", "换届提醒")
async def committee_term_expiry(ctx: SourceContext) -> list[Candidate]:
    """Live terms ending within the configured months ahead (``committee.reminder_months_ahead``,
    default 6 and 1): one reminder per threshold reached, the nearest threshold only."""
    thresholds = sorted({int(m) for m in ctx.section("committee").get("reminder_months_ahead", [6, 1])})
    if not thresholds:
        return []
    horizon = shift_months(ctx.today, thresholds[-1])
    rows = await CommitteeTerm.filter(
        closed_on__isnull=True, ends_on__lte=horizon, organization__dissolved_on__isnull=True
    ).values("id", "organization_id", "ends_on", "organization__name")
    out: list[Candidate] = []
    for row in rows:
        ends_on: dt.date = row["ends_on"]
        months = next((n for n in thresholds if ctx.today >= shift_months(ends_on, -n)), None)
        if months is None:
            continue
        state = "已于" if ends_on < ctx.today else "将于"
        out.append(
            Candidate(
                kind="COMMITTEE_TERM_EXPIRY",
                subject_type="CommitteeTerm",
                subject_id=row["id"],
                organization_id=row["organization_id"],
                due_on=ends_on,
                title=f"{row['organization__name']}委员会任期{state}{ends_on:%Y年%m月%d日}届满，请做好换届准备"
                f"（提前{months}个月提醒）",
                dedupe_key=f"committee-term-expiry:{row['id']}:{ends_on.isoformat()}:{months}m",
                details={"monthsAhead": months, "endsOn": ends_on.isoformat()},
            )
        )
    return out


# --- political birthdays -------------------------------------------------------------------------


@reminder_source("POLITICAL_BIRTHDAY", "政治生日")
async def political_birthdays(ctx: SourceContext) -> list[Candidate]:
    """Current members who joined in this month of an earlier year (one SQL statement)."""
    month_expr = (
        "EXTRACT(MONTH FROM m.joined_on)"
        if sql.dialect() == "postgres"
        else "CAST(strftime('%m', m.joined_on) AS INTEGER)"
    )
    year_start = dt.date(ctx.today.year, 1, 1)
    statuses = ", ".join(f"'{s.value}'" for s in CURRENT_MEMBER_STATUSES)
    rows = await sql.fetch(
        f"SELECT m.id AS id, m.name AS name, m.branch_id AS branch_id, m.joined_on AS joined_on "
        f"FROM member m WHERE m.tenant_id = :tenant_id AND m.status IN ({statuses}) "
        f"AND m.joined_on IS NOT NULL AND m.joined_on < :year_start AND {month_expr} = :month",
        year_start=year_start if sql.dialect() == "postgres" else year_start.isoformat(),
        month=ctx.today.month,
    )
    out: list[Candidate] = []
    for row in rows:
        joined = row["joined_on"]
        joined = joined if isinstance(joined, dt.date) else dt.date.fromisoformat(str(joined)[:10])
        years = ctx.today.year - joined.year
        out.append(
            Candidate(
                kind="POLITICAL_BIRTHDAY",
                subject_type="Member",
                subject_id=int(row["id"]),
                organization_id=int(row["branch_id"]),
                due_on=add_years(joined, years),
                title=f"{row['name']}同志{joined:%Y年%m月%d日}入党，本月是其入党{years}周年政治生日",
                dedupe_key=f"political-birthday:{row['id']}:{ctx.today.year}",
                details={"joinedOn": joined.isoformat(), "years": years},
            )
        )
    return out


# --- expected activities -------------------------------------------------------------------------


def _previous_periods(today: dt.date) -> dict[Period, tuple[dt.date, dt.date]]:
    """The last complete month, and the last complete quarter when a quarter has just ended."""
    last_month = add_months(month_start(today), -1)
    periods = {Period.MONTH: (last_month, month_end(last_month))}
    if today.month in (1, 4, 7, 10):
        quarter_start = add_months(month_start(today), -3)
        periods[Period.QUARTER] = (quarter_start, month_end(last_month))
    return periods


@reminder_source("ACTIVITY_OVERDUE", "组织生活逾期未开展")
async def activities_overdue(ctx: SourceContext) -> list[Candidate]:
    """Expected activities whose due date passed without a record.

    With the standards domain installed, the expected-activity calendar
    (``core.standards.calendar``) decides: every MISSING slot due within the last
    ``reminders.activity_lookback_days`` days. Otherwise a simple check: organizations that held
    no activity of a monthly kind last month (or of a quarterly kind last quarter, in the month
    after a quarter ends).
    """
    if unavailable(("core.standards.calendar",), ("standards",)) is None:
        return await _overdue_from_calendar(ctx)
    return await _overdue_simple(ctx)


async def _overdue_from_calendar(ctx: SourceContext) -> list[Candidate]:
    from core.standards.api import RuleContext
    from core.standards.calendar import SlotStatus, build_calendar, period_text

    lookback = int(ctx.section("reminders").get("activity_lookback_days", 92))
    start = ctx.today - dt.timedelta(days=lookback)
    rule_ctx = RuleContext(
        tenant=ctx.tenant,
        config=ctx.config,
        scope=None,
        scope_path="/",
        period_start=start,
        period_end=ctx.today,
        vocabulary=ctx.vocabulary,
        today=ctx.today,
    )
    entries = await build_calendar(rule_ctx)
    missing = [e for e in entries if e.status == SlotStatus.MISSING and start <= e.due < ctx.today]
    names = dict(
        await Organization.filter(id__in=list({e.organization_id for e in missing})).values_list("id", "name")
    )
    return [
        Candidate(
            kind="ACTIVITY_OVERDUE",
            subject_type="Organization",
            subject_id=e.organization_id,
            organization_id=e.organization_id,
            due_on=e.due,
            title=f"{names.get(e.organization_id, '')}{period_text(e.period)}未按时开展{e.kind_label}",
            dedupe_key=f"activity-overdue:{e.organization_id}:{e.kind}:{e.start.isoformat()}",
            details={
                "activityKind": e.kind,
                "periodStart": e.start.isoformat(),
                "periodEnd": e.end.isoformat(),
                "expected": e.expected,
                "held": len(e.held_on),
            },
        )
        for e in missing
    ]


async def _overdue_simple(ctx: SourceContext) -> list[Candidate]:
    """The fallback without the calendar: one query for the organizations, one grouped query for
    what was held."""
    periods = _previous_periods(ctx.today)
    branch_kinds = ctx.vocabulary.branch_kinds()
    kinds = [
        spec
        for spec in ctx.vocabulary.activity_kinds.values()
        if spec.cycle is not None and spec.cycle.period in periods
    ]
    if not kinds:
        return []
    holders = {spec.code: (spec.held_by or branch_kinds) for spec in kinds}
    org_kinds = sorted(set().union(*holders.values()))
    earliest = min(start for start, _ in periods.values())
    latest = max(end for _, end in periods.values())
    orgs = await Organization.filter(
        Q(established_on__isnull=True) | Q(established_on__lte=earliest),
        dissolved_on__isnull=True,
        kind__in=org_kinds,
    ).values("id", "name", "kind")
    held = await (
        Activity.filter(
            held_on__gte=earliest, held_on__lte=latest, kind__in=list(holders), cancelled_on__isnull=True
        )
        .group_by("organization_id", "kind", "held_on")
        .values_list("organization_id", "kind", "held_on")
    )
    done: set[tuple[int, str, dt.date]] = set()
    for org_id, kind, held_on in held:
        for start, end in periods.values():
            if start <= held_on <= end:
                done.add((org_id, kind, start))
    out: list[Candidate] = []
    for spec in kinds:
        start, end = periods[spec.cycle.period]  # type: ignore[union-attr]
        label = (
            f"{start:%Y年%m月}"
            if spec.cycle.period == Period.MONTH
            else f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
        )  # type: ignore[union-attr]
        for org in orgs:
            if org["kind"] not in holders[spec.code] or (org["id"], spec.code, start) in done:
                continue
            out.append(
                Candidate(
                    kind="ACTIVITY_OVERDUE",
                    subject_type="Organization",
                    subject_id=org["id"],
                    organization_id=org["id"],
                    due_on=end,
                    title=f"{org['name']}{label}未开展{spec.label}",
                    dedupe_key=f"activity-overdue:{org['id']}:{spec.code}:{start.isoformat()}",
                    details={
                        "activityKind": spec.code,
                        "periodStart": start.isoformat(),
                        "periodEnd": end.isoformat(),
                    },
                )
            )
    return out


# --- dues ----------------------------------------------------------------------------------------


@reminder_source("DUES_UNPAID", "党费欠缴", requires=("core.dues.service",), apps=("dues",))
async def dues_unpaid(ctx: SourceContext) -> list[Candidate]:
    """Members with unpaid bills of past months (one per member and latest unpaid month), and a
    separate flag once a run of unpaid months without a good reason reaches
    ``dues.arrears_flag_months`` (自行脱党), one per run."""
    from core.dues.service import arrears

    out: list[Candidate] = []
    for row in await arrears(prefixes=None, as_of=ctx.today):
        out.append(
            Candidate(
                kind="DUES_UNPAID",
                subject_type="Member",
                subject_id=row.member_id,
                organization_id=row.branch_id,
                due_on=month_end(row.latest_unpaid),
                title=f"{row.member_name}自{row.oldest_unpaid:%Y年%m月}起欠缴党费{row.unpaid_months}个月，共{row.owed}元",
                dedupe_key=f"dues-unpaid:{row.member_id}:{row.latest_unpaid.isoformat()}",
                details={
                    "unpaidMonths": row.unpaid_months,
                    "oldestUnpaid": row.oldest_unpaid.isoformat(),
                    "owed": str(row.owed),
                },
            )
        )
        if row.flagged:
            run_from = row.consecutive_from or row.oldest_unpaid
            out.append(
                Candidate(
                    kind="DUES_ARREARS_FLAGGED",
                    subject_type="Member",
                    subject_id=row.member_id,
                    organization_id=row.branch_id,
                    due_on=ctx.today,
                    title=f"{row.member_name}已连续{row.consecutive_months}个月未交纳党费，"
                    "按规定可视为自行脱党，请支部及时研究处理",
                    dedupe_key=f"dues-arrears-flag:{row.member_id}:{run_from.isoformat()}",
                    details={
                        "unpaidMonths": row.unpaid_months,
                        "oldestUnpaid": row.oldest_unpaid.isoformat(),
                        "consecutiveMonths": row.consecutive_months,
                        "consecutiveFrom": run_from.isoformat(),
                    },
                )
            )
    return out


# --- probation -----------------------------------------------------------------------------------


def _probation_candidate(
    member_id: int, name: str, branch_id: int, ends_on: dt.date, today: dt.date
) -> Candidate:
    state = "已于" if ends_on < today else "将于"
    return Candidate(
        kind="PROBATION_ENDING",
        subject_type="Member",
        subject_id=member_id,
        organization_id=branch_id,
        due_on=ends_on,
        title=f"预备党员{name}的预备期{state}{ends_on:%Y年%m月%d日}届满，请及时讨论其转正",
        dedupe_key=f"probation-ending:{member_id}:{ends_on.isoformat()}",
        details={"probationEndsOn": ends_on.isoformat()},
    )


@reminder_source("PROBATION_ENDING", "预备期届满")
async def probation_ending(ctx: SourceContext) -> list[Candidate]:
    """Probationary members whose probation ends within ``reminders.probation_days_ahead`` days.

    The end date comes from the development case (``core.lifecycle``: extensions included) when
    that domain is installed; otherwise, and for members without a case, it is ``joined_on`` plus
    ``reminders.probation_months``.
    """
    section = ctx.section("reminders")
    horizon = ctx.today + dt.timedelta(days=int(section.get("probation_days_ahead", 30)))
    months = int(section.get("probation_months", 12))
    out: list[Candidate] = []
    with_case: set[int] = set()
    if unavailable(("core.lifecycle.models",), ("lifecycle",)) is None:
        from core.lifecycle.models import DevelopmentCase

        cases = await DevelopmentCase.filter(
            member__status=MemberStatus.PROBATIONARY, probation_ends_on__isnull=False
        ).values("member_id", "probation_ends_on", "member__name", "member__branch_id")
        for row in cases:
            with_case.add(row["member_id"])
            if row["probation_ends_on"] <= horizon:
                out.append(
                    _probation_candidate(
                        row["member_id"],
                        row["member__name"],
                        row["member__branch_id"],
                        row["probation_ends_on"],
                        ctx.today,
                    )
                )
    latest_joined = shift_months(horizon, -months)
    rows = await Member.filter(
        status=MemberStatus.PROBATIONARY, joined_on__isnull=False, joined_on__lte=latest_joined
    ).values("id", "name", "branch_id", "joined_on")
    for row in rows:
        if row["id"] in with_case:
            continue
        ends_on = shift_months(row["joined_on"], months)
        out.append(_probation_candidate(row["id"], row["name"], row["branch_id"], ends_on, ctx.today))
    return out


# --- rectification -------------------------------------------------------------------------------


@reminder_source(
    "RECTIFICATION_DEADLINE", "整改期限", requires=("core.rectification.models",), apps=("rectification",)
)
async def rectification_deadlines(ctx: SourceContext) -> list[Candidate]:
    """Unclosed rectification items due within ``reminders.rectification_days_ahead`` days or overdue."""
    from core.rectification.models import RectificationItem

    days = int(ctx.section("reminders").get("rectification_days_ahead", 7))
    rows = await RectificationItem.filter(
        deadline__lte=ctx.today + dt.timedelta(days=days), status__not="CLOSED"
    ).values("id", "organization_id", "title", "deadline", "organization__name")
    out: list[Candidate] = []
    for row in rows:
        state = "已于" if row["deadline"] < ctx.today else "将于"
        out.append(
            Candidate(
                kind="RECTIFICATION_DEADLINE",
                subject_type="RectificationItem",
                subject_id=row["id"],
                organization_id=row["organization_id"],
                due_on=row["deadline"],
                title=f"{row['organization__name']}整改事项“{row['title']}”{state}{row['deadline']:%Y年%m月%d日}到期",
                dedupe_key=f"rectification-deadline:{row['id']}:{row['deadline'].isoformat()}",
                details={"deadline": row["deadline"].isoformat()},
            )
        )
    return out
