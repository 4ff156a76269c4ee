"""The quarterly party-work report (党建工作季度报表): derived from recorded facts only.

An organization submits its report for a quarter once the quarter is over; the content is computed
from the records (members, activities against the calendar, dues, development, rectification — the
same SQL as :mod:`core.services.statistics`) and frozen with who submitted it and when. The superior
organization (the parent) approves it or returns it with a comment; a returned report may be
submitted again (computed afresh). Nothing in a report is typed in by hand except the note.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import audit
from core.error_codes import ReportErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import current_principal, require
from core.models import Organization
from core.reports.models import QuarterlyReport, ReportStatus
from core.services import statistics

#: organization kinds that do not report on their own (their branch does)
NON_REPORTING_KINDS = frozenset({"PARTY_GROUP"})


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of ``quarter`` (1–4) of ``year``."""
    if not 1 <= quarter <= 4:
        raise ValidationFailed("季度应为1至4", field="quarter")
    if not 2000 <= year <= 2100:
        raise ValidationFailed("年份超出范围", field="year")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


async def build_content(org: Organization, year: int, quarter: int, today: dt.date) -> dict[str, Any]:
    """The report's figures for ``org``'s subtree and the quarter, as JSON-ready data."""
    start, end = quarter_bounds(year, quarter)
    members = await statistics.member_counts(org.path, min(end, today))
    activities = await statistics.activity_rates(org, start, min(end, today))
    dues = await statistics.dues_totals(org.path, start, end)
    rectification = await statistics.rectification_totals(org.path, start, end, today)
    development = await statistics.development_pipeline(org.path)
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "members": {
            "total": sum(c.count for c in members["status"]),
            "joinedInPeriod": await statistics.joined_in(org.path, start, end),
            "byStatus": {c.key: c.count for c in members["status"]},
        },
        "activities": [
            {
                "kind": a.kind,
                "label": a.label,
                "expected": a.expected,
                "met": a.met,
                "late": a.late,
                "held": a.held,
            }
            for a in activities
        ],
        "dues": {
            "bills": dues.bills,
            "billed": str(dues.billed),
            "paidBills": dues.paid_bills,
            "collected": str(dues.collected),
        },
        "development": [{"stage": s.stage, "label": s.label, "openCases": s.open_cases} for s in development],
        "rectification": {
            "opened": rectification.opened,
            "closed": rectification.closed,
            "openNow": rectification.open_now,
            "overdue": rectification.overdue,
        },
    }


def _actor() -> tuple[str, int | None]:
    principal = current_principal()
    return (principal.label, principal.user_id) if principal else ("system", None)


async def submit(org: Organization, year: int, quarter: int, note: str, today: dt.date) -> QuarterlyReport:
    """Submit (or, after a return, resubmit) ``org``'s report: computed now, then frozen."""
    require(org.path)
    if org.kind in NON_REPORTING_KINDS:
        raise DomainError(ReportErrorCode.REPORT_NOT_FOR_KIND, field="organizationId")
    _, end = quarter_bounds(year, quarter)
    if end >= today:
        raise DomainError(ReportErrorCode.REPORT_QUARTER_NOT_OVER, field="quarter")
    existing = await QuarterlyReport.get_or_none(organization_id=org.id, year=year, quarter=quarter)
    if existing is not None and existing.status != ReportStatus.RETURNED:
        raise DomainError(ReportErrorCode.REPORT_ALREADY_SUBMITTED, field="quarter")
    actor, user_id = _actor()
    values = {
        "status": ReportStatus.SUBMITTED,
        "content": await build_content(org, year, quarter, today),
        "note": note.strip(),
        "submitted_by": actor,
        "submitted_by_user_id": user_id,
        "submitted_at": dt.datetime.now(dt.UTC),
        "reviewed_by": "",
        "reviewed_at": None,
        "review_comment": "",
    }
    if existing is None:
        report = await QuarterlyReport.create(organization_id=org.id, year=year, quarter=quarter, **values)
        audit.created(report)
        return report
    before = audit.snapshot(existing)
    for name, value in values.items():
        setattr(existing, name, value)
    await existing.save()
    audit.changed(existing, before)
    return existing


async def review(report_id: int, approve: bool, comment: str) -> QuarterlyReport:
    """The superior approves a submitted report, or returns it (a comment is required)."""
    report = await QuarterlyReport.get_or_none(id=report_id).select_related("organization")
    if report is None:
        raise NotFound("季度报表", report_id, field="id")
    parent = (
        await Organization.get_or_none(id=report.organization.parent_id)
        if report.organization.parent_id
        else None
    )
    if parent is None:
        raise DomainError(ReportErrorCode.REPORT_NO_SUPERIOR, field="id")
    require(parent.path)
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(ReportErrorCode.REPORT_NOT_SUBMITTED, field="id")
    if not approve and not comment.strip():
        raise ValidationFailed("退回时应写明原因", field="comment")
    before = audit.snapshot(report)
    actor, _ = _actor()
    report.status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    report.reviewed_by = actor
    report.reviewed_at = dt.datetime.now(dt.UTC)
    report.review_comment = comment.strip()
    await report.save()
    audit.changed(report, before)
    return report


async def overview(
    scope: Organization, year: int, quarter: int
) -> tuple[list[QuarterlyReport], list[Organization]]:
    """Reports of ``scope``'s subtree for the quarter, and the reporting organizations with none
    submitted (returned ones count as not submitted). Two statements."""
    quarter_bounds(year, quarter)
    reports = await (
        QuarterlyReport.filter(organization__path__startswith=scope.path, year=year, quarter=quarter)
        .select_related("organization")
        .order_by("organization__path")
    )
    done = {r.organization_id for r in reports if r.status != ReportStatus.RETURNED}
    orgs = await Organization.filter(
        path__startswith=scope.path, dissolved_on__isnull=True, kind__not_in=list(NON_REPORTING_KINDS)
    ).order_by("path")
    return list(reports), [o for o in orgs if o.id not in done]
