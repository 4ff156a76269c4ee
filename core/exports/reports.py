"""Quarterly party-work reports (党建工作季度报表) as a workbook: one submitted report, or a
subtree's reports for a quarter, as ``quarterlyReports`` shows them.

``id`` (a ``QuarterlyReport``) needs ``ORG_READ`` on its organization; ``scopeId`` + ``year`` +
``quarter`` need ``ORG_READ`` on the scope and list the reports of organizations the caller may read
and the reporting organizations that have not submitted (returned reports count as not submitted).
The figures are the frozen content, not recomputed. Sheet 季度报表: one row per report (status,
who submitted and reviewed it when, the members, dues and rectification figures — money as
numbers). Sheet 组织生活: per report and activity kind, expected, met on time, late, recorded.
Sheet 发展党员: the open development cases by stage. Sheet 未报送: who has not submitted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.permissions import Permission
from core.principal import Principal
from core.reports import service
from core.reports.models import QuarterlyReport, ReportStatus
from core.services.organizations import subtree_root
from core.spreadsheets.exporting import Export, ExportKind, NamePaths, Param, allows
from core.spreadsheets.xlsx import DATETIME, MONEY, NUMBER, PERCENT, Col, Sheet

STATUS_LABELS = {ReportStatus.SUBMITTED: "已报送待审核", ReportStatus.APPROVED: "已审核",
                 ReportStatus.RETURNED: "已退回"}  # fmt: skip

REPORT_COLUMNS = [
    Col("组织", 30), Col("年度", 6, NUMBER), Col("季度", 6, NUMBER), Col("状态", 12), Col("报送人", 12),
    Col("报送时间", 17, DATETIME), Col("审核人", 12), Col("审核时间", 17, DATETIME), Col("审核意见", 24),
    Col("说明", 24), Col("党员总数", 9, NUMBER), Col("正式党员", 9, NUMBER), Col("预备党员", 9, NUMBER),
    Col("本季度入党", 10, NUMBER), Col("党费应缴笔数", 12, NUMBER), Col("党费应缴金额", 12, MONEY),
    Col("党费已缴笔数", 12, NUMBER), Col("党费已缴金额", 12, MONEY), Col("新增整改事项", 12, NUMBER),
    Col("已销号", 8, NUMBER), Col("未销号", 8, NUMBER), Col("逾期未销号", 10, NUMBER),
]  # fmt: skip
LIFE_COLUMNS = [
    Col("组织", 30), Col("活动类型", 14), Col("应开展", 8, NUMBER), Col("按期开展", 9, NUMBER),
    Col("逾期补开", 9, NUMBER), Col("已记录", 8, NUMBER), Col("完成率", 8, PERCENT),
]  # fmt: skip
DEVELOPMENT_COLUMNS = [Col("组织", 30), Col("阶段", 20), Col("在办", 8, NUMBER)]
MISSING_COLUMNS = [Col("组织", 30), Col("组织类型", 14)]


async def _reports(
    principal: Principal | None,
    report_id: int | None,
    scope_id: int | None,
    year: int | None,
    quarter: int | None,
) -> tuple[list[QuarterlyReport], list[Any], Any]:
    if report_id is not None:
        if scope_id is not None or year is not None or quarter is not None:
            raise ValidationFailed("指定了报表（id）时不再指定范围与季度", field="id")
        report = await QuarterlyReport.get_or_none(id=report_id).select_related("organization")
        if report is None:
            raise NotFound("季度报表", report_id, field="id")
        if not allows(principal, Permission.ORG_READ, report.organization.path):
            raise PermissionDenied("没有查看该组织的权限", permission=Permission.ORG_READ)
        return [report], [], report_id
    if scope_id is None:
        raise ValidationFailed("请指定报表（id），或范围与季度（scopeId、year、quarter）", field="scopeId")
    for name, value in (("year", year), ("quarter", quarter)):
        if value is None:
            raise ValidationFailed(f"缺少参数 {name}", field=name)
    scope = await subtree_root(scope_id, "scopeId")
    if not allows(principal, Permission.ORG_READ, scope.path):
        raise PermissionDenied("没有查看该组织的权限", permission=Permission.ORG_READ)
    reports, missing = await service.overview(scope, year, quarter)
    readable = [r for r in reports if allows(principal, Permission.ORG_READ, r.organization.path)]
    return readable, [o for o in missing if allows(principal, Permission.ORG_READ, o.path)], scope_id


async def build(
    principal: Principal | None,
    *,
    id: int | None,  # noqa: A002 - the parameter's name
    scope_id: int | None,
    year: int | None,
    quarter: int | None,
) -> Export:
    from core.services.organizations import current_vocabulary

    reports, missing, target = await _reports(principal, id, scope_id, year, quarter)
    names = await NamePaths.load([r.organization.path for r in reports] + [o.path for o in missing])
    vocabulary = await current_vocabulary()
    rows, life, development = [], [], []
    for report in reports:
        c, org = report.content, names(report.organization.path)
        members, dues, rect = c["members"], c["dues"], c["rectification"]
        rows.append([
            org, report.year, report.quarter, STATUS_LABELS[ReportStatus(report.status)], report.submitted_by,
            report.submitted_at, report.reviewed_by, report.reviewed_at, report.review_comment, report.note,
            members["total"], members["byStatus"].get("FULL", 0), members["byStatus"].get("PROBATIONARY", 0),
            members["joinedInPeriod"], dues["bills"], Decimal(dues["billed"]), dues["paidBills"],
            Decimal(dues["collected"]), rect["opened"], rect["closed"], rect["openNow"], rect["overdue"],
        ])  # fmt: skip
        for a in c["activities"]:
            rate = a["met"] / a["expected"] if a["expected"] else None
            life.append([org, a["label"], a["expected"], a["met"], a["late"], a["held"], rate])
        development += [[org, d["label"], d["openCases"]] for d in c["development"]]

    def kind_label(code: str) -> str:
        spec = vocabulary.organization_kinds.get(code)
        return spec.label if spec else code

    gaps = [[names(o.path), kind_label(o.kind)] for o in missing]
    period = f"{reports[0].year}Q{reports[0].quarter}" if id is not None else f"{year}Q{quarter}"
    return Export(
        title=f"党建工作季度报表{period}",
        sheets=[
            Sheet("季度报表", REPORT_COLUMNS, rows),
            Sheet("组织生活", LIFE_COLUMNS, life),
            Sheet("发展党员", DEVELOPMENT_COLUMNS, development),
            Sheet("未报送", MISSING_COLUMNS, gaps),
        ],
        rows=len(rows),
        target_id=target,
        facts={"notSubmitted": len(gaps)},
    )


KIND = ExportKind(
    name="reports",
    operation="exportQuarterlyReports",
    target="QuarterlyReportExport",
    permission=Permission.ORG_READ,
    help="quarterly party-work reports (党建工作季度报表): one, or a subtree's for a quarter",
    params=(
        Param("id", "--report", "node:QuarterlyReport", "one submitted report"),
        Param("scopeId", "--scope", "org", "… or the reports of this subtree (with year and quarter)"),
        Param("year", "--year", "int", "the year"),
        Param("quarter", "--quarter", "int", "the quarter, 1–4"),
    ),
    build=build,
)
