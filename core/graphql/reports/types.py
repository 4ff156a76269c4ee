"""GraphQL types of the quarterly report: the frozen content is re-read from the snapshot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.graphql.organizations.types import Organization, organization_by_id
from core.graphql.statistics.types import (
    ActivityKindRate,
    CountBy,
    DevelopmentStageCount,
    DuesStatistics,
    RectificationStatistics,
)
from core.models.member import MemberStatus
from core.permissions import Permission
from core.reports import models
from core.services.members import STATUS_LABELS

ReportStatus = strawberry.enum(
    models.ReportStatus, description="SUBMITTED 已报送待审核, APPROVED 已审核, RETURNED 已退回。"
)


@strawberry.enum(description="上级对季度报表的审核结论。")
class ReportDecision(Enum):
    APPROVE = "APPROVE"
    RETURN = "RETURN"


@strawberry.type(description="季度报表中的党员队伍情况。")
class ReportMembers:
    total: int
    joined_in_period: int
    by_status: list[CountBy]


@strawberry.type(description="党建工作季度报表的内容（由记录自动汇总）。")
class QuarterlyReportContent:
    period_from: dt.date = strawberry.field(name="from")
    period_to: dt.date = strawberry.field(name="to")
    members: ReportMembers
    activities: list[ActivityKindRate]
    dues: DuesStatistics
    development: list[DevelopmentStageCount]
    rectification: RectificationStatistics

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuarterlyReportContent:
        dues = data["dues"]
        billed, collected = Decimal(dues["billed"]), Decimal(dues["collected"])
        members = data["members"]
        return cls(
            period_from=dt.date.fromisoformat(data["period"]["from"]),
            period_to=dt.date.fromisoformat(data["period"]["to"]),
            members=ReportMembers(
                total=members["total"],
                joined_in_period=members["joinedInPeriod"],
                by_status=[
                    CountBy(key=k, label=STATUS_LABELS[MemberStatus(k)], count=v)
                    for k, v in sorted(members["byStatus"].items())
                ],
            ),
            activities=[
                ActivityKindRate(
                    kind=a["kind"],
                    label=a["label"],
                    expected=a["expected"],
                    met=a["met"],
                    late=a["late"],
                    held=a["held"],
                    rate=round(a["met"] / a["expected"], 4) if a["expected"] else None,
                )
                for a in data["activities"]
            ],
            dues=DuesStatistics(
                bills=dues["bills"],
                billed=billed,
                paid_bills=dues["paidBills"],
                collected=collected,
                rate=round(float(collected / billed), 4) if billed else None,
            ),
            development=[
                DevelopmentStageCount(stage=d["stage"], label=d["label"], open_cases=d["openCases"])
                for d in data["development"]
            ],
            rectification=RectificationStatistics(**{_snake(k): v for k, v in data["rectification"].items()}),
        )


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


@strawberry.type(description="一个组织一个季度的党建工作季度报表（报送后冻结）。")
class QuarterlyReport(ModelNode):
    model = models.QuarterlyReport

    id: relay.NodeID[int]
    year: int
    quarter: int
    status: ReportStatus
    note: str
    submitted_by: str
    submitted_at: dt.datetime
    reviewed_by: str
    reviewed_at: dt.datetime | None
    review_comment: str
    organization_id: strawberry.Private[int]
    raw_content: strawberry.Private[dict]
    scope_path: strawberry.Private[str]

    @classmethod
    def build(cls, row: models.QuarterlyReport, path: str | None = None) -> QuarterlyReport:
        """Needs ``row.organization`` fetched (select_related) or ``path`` for the permission path."""
        path = path if path is not None else row.organization.path
        return cls.from_model(row, raw_content=row.content, scope_path=path)

    @field(permission=Permission.ORG_READ, description="The organization that submitted it.")
    async def organization(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.organization_id)

    @strawberry.field(description="The figures as frozen when submitted.")
    def content(self) -> QuarterlyReportContent:
        return QuarterlyReportContent.from_json(self.raw_content)


@strawberry.type(description="一个范围某季度的报表报送情况：已报送的报表和尚未报送的组织。")
class QuarterlyReportOverview:
    year: int
    quarter: int
    submitted: strawberry.Private[list[QuarterlyReport]]
    missing: strawberry.Private[list[Organization]]

    @field(permission=Permission.ORG_READ, description="The reports submitted (those the caller may read).")
    def reports(self) -> list[QuarterlyReport]:
        return self.submitted

    @field(permission=Permission.ORG_READ, description="Returned reports count as not submitted.")
    def not_submitted(self) -> list[Organization]:
        return self.missing


@strawberry.input(description="报送季度报表（内容由系统根据记录汇总）。")
class SubmitQuarterlyReportInput:
    organization_id: strawberry.ID
    year: int
    quarter: int
    note: str = ""


@strawberry.input(description="上级审核季度报表。")
class ReviewQuarterlyReportInput:
    id: strawberry.ID
    decision: ReportDecision
    comment: str = ""


@strawberry.type
class QuarterlyReportPayload(MutationPayload):
    report: QuarterlyReport | None = None
