"""Use cases of the standardization engine behind GraphQL: live findings, calendar, runs,
rankings, attainment rate and inspections."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from core import audit, sql
from core.error_codes import StandardsErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import current_principal, require
from core.models import Organization
from core.services.organizations import subtree_root
from core.services.tenants import current_tenant
from core.standards import engine
from core.standards.api import Finding, RuleContext
from core.standards.calendar import CalendarEntry, build_calendar
from core.standards.models import Inspection, InspectionKind, ScoreRun
from core.tenancy import current_tenant_id
from core.tenant_config import effective_config


async def get_scope(scope_id: int | None, *, field: str = "scopeId") -> Organization | None:
    """The organization a request is about (None = the whole tenant)."""
    return await subtree_root(scope_id, field)


async def context_for(
    scope: Organization | None, start: dt.date, end: dt.date, *, scoring: bool = False
) -> RuleContext:
    return await engine.make_context(await current_tenant(), scope, start, end, scoring=scoring)


async def live_findings(
    scope: Organization | None,
    start: dt.date,
    end: dt.date,
    *,
    rule_codes: list[str] | None = None,
) -> list[Finding]:
    """Evaluate the tenant's rules now over ``scope`` for [start, end] (nothing is stored)."""
    ctx = await context_for(scope, start, end)
    return await engine.evaluate(ctx, codes=set(rule_codes) if rule_codes else None)


async def calendar(org: Organization, start: dt.date, end: dt.date) -> list[CalendarEntry]:
    """Expected occurrences of ``org``'s subtree for [start, end], matched with the records."""
    ctx = await context_for(org, start, end)
    entries = await build_calendar(ctx, attendance=True)
    return sorted(entries, key=lambda e: (e.organization_id, e.kind, e.start))


async def run_scoring(
    scope_id: int | None, start: dt.date, end: dt.date, *, scorer: str | None = None
) -> ScoreRun:
    """Score ``scope_id``'s subtree (or the tenant) for the period and store the run."""
    scope = await get_scope(scope_id)
    require(scope.path if scope is not None else None)
    principal = current_principal()
    return await engine.run_scoring(
        await current_tenant(),
        scope,
        start,
        end,
        scorer_code=scorer,
        run_by=principal.label if principal else "system",
        run_by_user_id=principal.user_id if principal else None,
    )


async def find_run(run_id: int | None, scope: Organization | None) -> ScoreRun:
    """Run ``run_id``, or the latest run whose scope contains ``scope``."""
    if run_id is not None:
        run = await ScoreRun.get_or_none(id=run_id)
        if run is None:
            raise NotFound("评分记录", run_id, field="runId")
        if scope is not None and not scope.path.startswith(run.scope_path):
            raise DomainError(StandardsErrorCode.RUN_SCOPE_MISMATCH, field="runId")
        return run
    path = scope.path if scope is not None else "/"
    prefixes = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
    run = await ScoreRun.filter(scope_path__in=prefixes).order_by("-created_at", "-id").first()
    if run is None:
        raise DomainError(StandardsErrorCode.NO_SCORE_RUN, field="scopeId")
    return run


async def subtree_ranks(run: ScoreRun, scope: Organization | None) -> dict[int, int]:
    """Race rank of every branch score of ``run`` within ``scope`` (SQL window function)."""
    rows = await sql.fetch(
        "SELECT s.id AS id, RANK() OVER (ORDER BY s.total DESC) AS position "
        "FROM standards_branch_score s "
        "JOIN organization o ON o.id = s.organization_id AND o.tenant_id = s.tenant_id "
        "WHERE s.tenant_id = :tenant_id AND s.run_id = :run_id AND o.path LIKE :prefix",
        run_id=run.id,
        prefix=(scope.path if scope is not None else "/") + "%",
    )
    return {r["id"]: int(r["position"]) for r in rows}


@dataclass(frozen=True)
class Target:
    """The 达标率 a run is measured against, and where that number came from."""

    rate: float
    #: ``YEAR`` (standards.attainment_targets), ``DEADLINE`` (all branches from
    #: standards.attainment_deadline on) or ``DEFAULT`` (standards.attainment_target)
    source: str
    deadline: dt.date | None = None


def target_for(config: dict, period_end: dt.date) -> Target:
    """The target in force for a run whose period ends on ``period_end`` under ``config``."""
    standards = config.get("standards") or {}
    deadline = (
        dt.date.fromisoformat(standards["attainment_deadline"])
        if standards.get("attainment_deadline")
        else None
    )
    if deadline is not None and period_end >= deadline:
        return Target(1.0, "DEADLINE", deadline)
    for entry in standards.get("attainment_targets") or []:
        if int(entry["year"]) == period_end.year:
            return Target(float(entry["rate"]), "YEAR", deadline)
    return Target(float(standards.get("attainment_target", 0.9)), "DEFAULT", deadline)


@dataclass
class Attainment:
    run: ScoreRun
    branches: int
    passed: int
    target: float
    by_grade: list[tuple[str, str, int]]
    target_source: str = "DEFAULT"
    deadline: dt.date | None = None

    @property
    def rate(self) -> float:
        return round(self.passed / self.branches, 4) if self.branches else 0.0

    @property
    def needed(self) -> int:
        """Branches that must pass to reach the target (exact: 0.9 of 10 is 9)."""
        return math.ceil(Fraction(str(self.target)) * self.branches)

    @property
    def meets_target(self) -> bool:
        return self.branches > 0 and self.passed >= self.needed

    @property
    def shortfall(self) -> int:
        """Branches still to pass to reach the target."""
        return max(0, self.needed - self.passed)


async def attainment(run: ScoreRun, scope: Organization | None, config: dict | None = None) -> Attainment:
    """达标率 of ``scope``'s branches in ``run``, and the count per grade (one SQL aggregate).

    Measured against the target of the run's year in the config it was scored with (``config``
    overrides, e.g. the targets in force now)."""
    rows = await sql.fetch(
        "SELECT s.grade AS grade, s.grade_label AS label, COUNT(*) AS n, "
        "SUM(CASE WHEN s.passed THEN 1 ELSE 0 END) AS passed "
        "FROM standards_branch_score s "
        "JOIN organization o ON o.id = s.organization_id AND o.tenant_id = s.tenant_id "
        "WHERE s.tenant_id = :tenant_id AND s.run_id = :run_id AND o.path LIKE :prefix "
        "GROUP BY s.grade, s.grade_label ORDER BY s.grade",
        run_id=run.id,
        prefix=(scope.path if scope is not None else "/") + "%",
    )
    target = target_for(config if config is not None else run.config, run.period_end)
    return Attainment(
        run=run,
        branches=sum(int(r["n"]) for r in rows),
        passed=sum(int(r["passed"] or 0) for r in rows),
        target=target.rate,
        by_grade=[(r["grade"], r["label"], int(r["n"])) for r in rows],
        target_source=target.source,
        deadline=target.deadline,
    )


@dataclass
class YearProgress:
    year: int
    target: Target
    attainment: Attainment | None


async def attainment_progress(scope: Organization | None) -> list[YearProgress]:
    """Year by year: the target in force now and the latest run covering ``scope`` whose period
    ends in that year (years with a target or a run, and every year up to the deadline)."""
    config = effective_config(await current_tenant())
    path = scope.path if scope is not None else "/"
    prefixes = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
    latest: dict[int, ScoreRun] = {}
    for run in await ScoreRun.filter(scope_path__in=prefixes).order_by("-created_at", "-id"):
        latest.setdefault(run.period_end.year, run)
    standards = config["standards"]
    years = set(latest) | {int(e["year"]) for e in standards["attainment_targets"]}
    deadline = (
        dt.date.fromisoformat(standards["attainment_deadline"]) if standards["attainment_deadline"] else None
    )
    if deadline is not None:
        years.add(deadline.year)
    if years and deadline is not None:
        years |= set(range(min(years), deadline.year + 1))
    out = []
    for year in sorted(years):
        run = latest.get(year)
        end = run.period_end if run is not None else dt.date(year, 12, 31)
        result = await attainment(run, scope, config) if run is not None else None
        out.append(YearProgress(year, target_for(config, end), result))
    return out


async def record_inspection(
    organization_id: int,
    kind: str,
    checked_on: dt.date,
    items: list[str],
    conclusion: str = "",
) -> Inspection:
    """Record an on-site check (annual setup review, venue, records) of an organization."""
    org = await get_scope(organization_id, field="organizationId")
    assert org is not None
    require(org.path)
    try:
        inspection_kind = InspectionKind(kind)
    except ValueError as exc:
        raise ValidationFailed(f"未知的检查类型：{kind}", field="kind") from exc
    if checked_on > dt.date.today():
        raise ValidationFailed("检查日期不能晚于今天", field="checkedOn")
    tenant = await current_tenant()
    config = effective_config(tenant)["standards"]
    allowed = {
        InspectionKind.VENUE: set(config["venue_items"]),
        InspectionKind.RECORDS: set(config["records_items"]),
        InspectionKind.SETUP_REVIEW: None,
    }[inspection_kind]
    cleaned = sorted({item.strip() for item in items if item.strip()})
    if allowed is not None:
        unknown = [item for item in cleaned if item not in allowed]
        if unknown:
            raise ValidationFailed(f"未知的检查项：{'、'.join(unknown)}", field="items")
    principal = current_principal()
    inspection = await Inspection.create(
        tenant_id=current_tenant_id(),
        organization_id=org.id,
        kind=inspection_kind,
        checked_on=checked_on,
        items=cleaned,
        conclusion=conclusion.strip()[:300],
        recorded_by=principal.label if principal else "",
    )
    audit.created(inspection)
    return inspection
