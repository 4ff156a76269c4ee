"""Queries and mutations of the quarterly party-work report (党建工作季度报表)."""

from __future__ import annotations

import datetime as dt

import strawberry

from core.error_codes import ReportErrorCode
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.graphql.organizations.types import Organization
from core.graphql.plugins.helpers import organization_for
from core.graphql.reports.types import (
    QuarterlyReport,
    QuarterlyReportContent,
    QuarterlyReportOverview,
    QuarterlyReportPayload,
    ReportDecision,
    ReviewQuarterlyReportInput,
    SubmitQuarterlyReportInput,
)
from core.permissions import Permission
from core.reports import service


@strawberry.type
class Query:
    @field(
        permission=Permission.ORG_READ,
        description="季度报表预览：按现有记录为一个组织汇总某季度的报表内容（不保存）。",
    )
    async def quarterly_report_preview(
        self, info: Info, organization_id: strawberry.ID, year: int, quarter: int
    ) -> QuarterlyReportContent:
        org = await organization_for(organization_id, info=info, read=Permission.ORG_READ)
        content = await service.build_content(org, year, quarter, dt.date.today())
        return QuarterlyReportContent.from_json(content)

    @field(
        permission=Permission.ORG_READ,
        description="一个组织及其下级某季度的报表：已报送的，和尚未报送的组织。",
    )
    async def quarterly_reports(
        self, info: Info, scope_id: strawberry.ID, year: int, quarter: int
    ) -> QuarterlyReportOverview:
        scope = await organization_for(scope_id, field="scopeId", info=info, read=Permission.ORG_READ)
        reports, missing = await service.overview(scope, year, quarter)
        return QuarterlyReportOverview(
            year=year,
            quarter=quarter,
            submitted=[QuarterlyReport.build(r) for r in reports],
            missing=[Organization.from_model(o) for o in missing],
        )


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.ORG_MANAGE,
        description="报送季度报表：季度结束后，由系统按记录汇总并冻结（退回后可重新报送）。",
    )
    async def submit_quarterly_report(
        self, info: Info, input: SubmitQuarterlyReportInput
    ) -> QuarterlyReportPayload:
        org = await organization_for(input.organization_id, write=True)
        report = await service.submit(org, input.year, input.quarter, input.note, dt.date.today())
        return {"report": QuarterlyReport.build(report, org.path)}

    @mutation(
        permission=Permission.ORG_MANAGE,
        description="上级组织审核季度报表：通过，或写明原因退回。",
    )
    async def review_quarterly_report(
        self, info: Info, input: ReviewQuarterlyReportInput
    ) -> QuarterlyReportPayload:
        report = await service.review(
            decode_id(input.id, "QuarterlyReport"),
            input.decision == ReportDecision.APPROVE,
            input.comment,
        )
        return {"report": QuarterlyReport.build(report)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(ReportErrorCode),)
