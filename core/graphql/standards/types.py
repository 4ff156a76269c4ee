"""GraphQL types of the standardization engine: findings, calendar, score runs, rankings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from core.graphql.core.connection import Connection, paginate
from core.graphql.core.context import Info
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.graphql.organizations.types import Organization
from core.models import Organization as OrganizationModel
from core.standards import api
from core.standards.assessment import STAGES
from core.standards.calendar import STATUS_LABELS, CalendarEntry, SlotStatus
from core.standards.models import AssessmentRecord as AssessmentRecordModel
from core.standards.models import AssessmentStage as AssessmentStageEnum
from core.standards.models import BranchScoreRecord, FindingRecord, JobStatus
from core.standards.models import Inspection as InspectionModel
from core.standards.models import ScoreRun as ScoreRunModel
from core.standards.models import ScoringJob as ScoringJobModel

FindingSeverity = strawberry.enum(api.Severity, name="FindingSeverity", description="严重程度")
StandardArea = strawberry.enum(api.Area, name="StandardArea", description="党支部标准化八个方面")
ScoringJobStatus = strawberry.enum(
    JobStatus, name="ScoringJobStatus", description="评分任务状态：排队、执行中、完成、失败"
)
CalendarStatus = strawberry.enum(SlotStatus, name="CalendarStatus", description="应开展活动的完成情况")
AssessmentStage = strawberry.enum(
    AssessmentStageEnum,
    name="AssessmentStage",
    description="考核工作环节：年初部署、季度检查、半年点评、年终考核",
)


async def load_org(info: Info, org_id: int | None) -> Organization | None:
    if org_id is None:
        return None
    row = await info.context.loaders.by_id(OrganizationModel).load(org_id)
    return Organization.from_model(row) if row is not None else None


@strawberry.type(description="A rule not met by an organization in a period (live evaluation).")
class Finding:
    rule_code: str
    title: str = strawberry.field(description="The rule's title (the standard measured against).")
    severity: FindingSeverity
    area: StandardArea
    message: str
    period: str = strawberry.field(description="2025, 2025-Q4, 2025-03, 2025-W07 or the window label.")
    numbers: JSON = strawberry.field(description="The figures the rule used (thresholds and observed).")
    plugin: str | None
    organization_id: strawberry.Private[int]
    branch_id: strawberry.Private[int]

    @classmethod
    def from_finding(cls, f: api.Finding) -> Finding:
        return cls(
            rule_code=f.rule_code,
            title=f.title,
            severity=f.severity,
            area=f.area,
            message=f.message,
            period=f.period,
            numbers=f.numbers,
            plugin=f.plugin,
            organization_id=f.organization_id,
            branch_id=f.scored_branch_id,
        )

    @strawberry.field(description="中文：方面")
    def area_label(self) -> str:
        return api.AREA_LABELS[api.Area(self.area)]

    @strawberry.field(description="中文：严重程度")
    def severity_label(self) -> str:
        return api.SEVERITY_LABELS[api.Severity(self.severity)]

    @strawberry.field(description="The organization the finding is about (a branch or party group).")
    async def organization(self, info: Info) -> Organization | None:
        return await load_org(info, self.organization_id)

    @strawberry.field(description="The branch the finding counts against when scoring.")
    async def branch(self, info: Info) -> Organization | None:
        return await load_org(info, self.branch_id)


@strawberry.type(description="An expected occurrence of an activity kind and what matched it.")
class CalendarItem:
    kind: str
    kind_label: str
    cycle: str
    period: str
    start: dt.date
    end: dt.date
    due: dt.date = strawberry.field(description="Held by this day counts as on time.")
    expected: int
    status: CalendarStatus
    held_on: list[dt.date]
    attendance_rate: float | None = strawberry.field(description="Themed day: share of 应到 present.")
    numbers: JSON
    organization_id: strawberry.Private[int]

    @classmethod
    def from_entry(cls, e: CalendarEntry) -> CalendarItem:
        return cls(
            kind=e.kind,
            kind_label=e.kind_label,
            cycle=e.cycle,
            period=e.period,
            start=e.start,
            end=e.end,
            due=e.due,
            expected=e.expected,
            status=e.status,
            held_on=list(e.held_on),
            attendance_rate=e.attendance_rate,
            numbers=e.numbers,
            organization_id=e.organization_id,
        )

    @strawberry.field(description="中文：完成情况")
    def status_label(self) -> str:
        return STATUS_LABELS[SlotStatus(self.status)]

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await load_org(info, self.organization_id)


@strawberry.type(description="Points of one area (or of a domain scorer's dimension).")
class AreaScore:
    area: str
    label: str
    max_points: float
    points: float


@strawberry.type(description="A stored finding of a score run and the points it cost.")
class StoredFinding(ModelNode):
    model = FindingRecord

    id: relay.NodeID[int]
    rule_code: str
    severity: str
    area: str
    message: str
    period: str
    numbers: JSON
    points: float
    plugin: str | None
    organization_id: strawberry.Private[int]
    branch_id: strawberry.Private[int]
    run_id: strawberry.Private[int]

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await load_org(info, self.organization_id)


@strawberry.type(description="The stored score of one branch in a run.")
class BranchScore(ModelNode):
    model = BranchScoreRecord

    id: relay.NodeID[int]
    total: float
    grade: str
    grade_label: str
    passed: bool = strawberry.field(description="达标")
    needs_rectification: bool = strawberry.field(description="The scorer sends this branch to rectification.")
    rank: int | None = strawberry.field(description="Race rank across the run's scope (支部赛马).")
    details: JSON
    finding_count: int
    breakdown_rows: strawberry.Private[list[dict[str, Any]]]
    organization_id: strawberry.Private[int]
    run_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: BranchScoreRecord) -> BranchScore:
        return cls.from_model(row, breakdown_rows=row.breakdown)

    @strawberry.field(description="Per area (or per dimension of the domain scorer).")
    def breakdown(self) -> list[AreaScore]:
        return [AreaScore(**row) for row in self.breakdown_rows]

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await load_org(info, self.organization_id)

    @strawberry.field(description="The findings that cost this branch points.")
    async def findings(self, info: Info) -> list[StoredFinding]:
        rows = await info.context.loaders.group_by(
            FindingRecord,
            "branch_id",
            order_by=("rule_code", "period", "id"),
            run_id=self.run_id,
            points__gt=0,
        ).load(self.organization_id)
        return [StoredFinding.from_model(r) for r in rows]


BranchScoreConnection = Connection[BranchScore]
StoredFindingConnection = Connection[StoredFinding]


@strawberry.type(description="A stored scoring of a subtree for a period (who, when, which config).")
class ScoreRun(ModelNode):
    model = ScoreRunModel

    id: relay.NodeID[int]
    period_start: dt.date
    period_end: dt.date
    period: str
    scorer: str
    config_version: int
    run_by: str
    run_by_user_id: int | None
    created_at: dt.datetime
    branch_count: int
    passed_count: int
    finding_count: int
    rule_codes: list[str]
    scope_id: strawberry.Private[int | None]
    scope_path: strawberry.Private[str]

    @strawberry.field(description="达标率 of the run's branches.")
    def attainment_rate(self) -> float:
        return round(self.passed_count / self.branch_count, 4) if self.branch_count else 0.0

    @strawberry.field(description="The scored subtree (null: the whole tenant).")
    async def scope(self, info: Info) -> Organization | None:
        return await load_org(info, self.scope_id)

    @strawberry.field(description="Branch scores, best first.")
    async def scores(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> BranchScoreConnection:
        query = BranchScoreRecord.filter(run_id=self.id).order_by("-total", "organization_id")
        return await paginate(query, BranchScore.from_row, first=first, after=after)

    @strawberry.field(description="Stored findings of the run.")
    async def findings(
        self,
        info: Info,
        rule_code: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> StoredFindingConnection:
        query = FindingRecord.filter(run_id=self.id)
        if rule_code:
            query = query.filter(rule_code=rule_code)
        return await paginate(
            query.order_by("branch_id", "rule_code", "period", "id"),
            StoredFinding.from_model,
            first=first,
            after=after,
        )


ScoreRunConnection = Connection[ScoreRun]


@strawberry.type(description="A place in the branch race (支部赛马) of a subtree.")
class RankingEntry:
    rank: int = strawberry.field(description="Rank within the requested subtree (ties share a rank).")
    score: BranchScore


RankingConnection = Connection[RankingEntry]


@strawberry.type
class BranchRanking:
    run: ScoreRun
    entries: RankingConnection


@strawberry.type
class GradeCount:
    grade: str
    label: str
    count: int


@strawberry.type(description="达标率 of a subtree in a stored run.")
class AttainmentRate:
    run: ScoreRun
    branches: int
    passed: int
    rate: float
    target: float = strawberry.field(description="The target of the run's year (see targetSource).")
    target_source: str = strawberry.field(
        description="YEAR (standards.attainment_targets), DEADLINE (every branch from "
        "standards.attainment_deadline on) or DEFAULT (standards.attainment_target)."
    )
    deadline: dt.date | None = strawberry.field(description="The date from which every branch must pass.")
    meets_target: bool
    shortfall: int = strawberry.field(description="Branches that still have to pass to reach the target.")
    by_grade: list[GradeCount]


@strawberry.type(description="One year of the attainment plan (逐年达标比例): its target and the latest run.")
class AttainmentYear:
    year: int
    target: float
    target_source: str
    deadline: dt.date | None
    rate: AttainmentRate | None = strawberry.field(
        description="The scope's latest run whose period ends this year, against this target (null: none)."
    )


@strawberry.type(description="A rule in force for the tenant.")
class StandardRule:
    code: str
    title: str
    area: StandardArea
    area_label: str
    severity: FindingSeverity
    plugin: str | None
    source: str
    config_keys: list[str]


@strawberry.type
class GradeInfo:
    code: str
    label: str


@strawberry.type(description="A scoring method available to the tenant.")
class ScorerInfo:
    code: str
    label: str
    plugin: str | None
    grades: list[GradeInfo]
    is_tenant_scorer: bool


@strawberry.type(description="An on-site check: annual setup review, venue or records.")
class Inspection(ModelNode):
    model = InspectionModel

    id: relay.NodeID[int]
    kind: str
    checked_on: dt.date
    items: list[str]
    conclusion: str
    recorded_by: str
    organization_id: strawberry.Private[int]

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await load_org(info, self.organization_id)


@strawberry.input
class RunScoringInput:
    scope_id: strawberry.ID | None = strawberry.field(default=None, description="Null: the whole tenant.")
    period_start: dt.date
    period_end: dt.date
    scorer: str | None = strawberry.field(default=None, description="Default: the tenant's scoring plugin.")


@strawberry.type
class RunScoringPayload(MutationPayload):
    run: ScoreRun | None = None


@strawberry.type(
    description="A score run executed in the background (startScoringRun): status, progress and, "
    "when DONE, the stored run."
)
class ScoringJob(ModelNode):
    model = ScoringJobModel

    id: relay.NodeID[int]
    status: ScoringJobStatus
    period_start: dt.date
    period_end: dt.date
    scorer: str | None = strawberry.field(description="Null: the tenant's scoring plugin.")
    requested_by: str
    rules_total: int = strawberry.field(description="Rules to evaluate (known once the job runs).")
    rules_done: int = strawberry.field(description="Rules evaluated so far.")
    branches_total: int = strawberry.field(description="Branches scored (known once the rules ran).")
    branches_stored: int = strawberry.field(description="Branch scores stored (all of them when DONE).")
    findings_stored: int
    error_code: str | None = strawberry.field(description="Why the job FAILED: a stable code.")
    error_message: str = strawberry.field(description="Why the job FAILED, in Chinese.")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    run_id: strawberry.Private[int | None]
    scope_id: strawberry.Private[int | None]
    scope_path: strawberry.Private[str]

    @strawberry.field(description="Share of the work done, 0 to 1 (1 when DONE).")
    def progress(self) -> float:
        if self.status == JobStatus.DONE:
            return 1.0
        return round(self.rules_done / self.rules_total, 4) if self.rules_total else 0.0

    @strawberry.field(description="The stored run once the job is DONE.")
    async def run(self, info: Info) -> ScoreRun | None:
        if self.run_id is None:
            return None
        row = await info.context.loaders.by_id(ScoreRunModel).load(self.run_id)
        return ScoreRun.from_model(row) if row is not None else None

    @strawberry.field(description="The subtree being scored (null: the whole tenant).")
    async def scope(self, info: Info) -> Organization | None:
        return await load_org(info, self.scope_id)


@strawberry.type
class StartScoringRunPayload(MutationPayload):
    job: ScoringJob | None = None


@strawberry.input
class RecordInspectionInput:
    organization_id: strawberry.ID
    kind: str = strawberry.field(description="SETUP_REVIEW, VENUE or RECORDS.")
    checked_on: dt.date
    items: list[str] = strawberry.field(default_factory=list, description="Items found in order.")
    conclusion: str = ""


@strawberry.type
class InspectionPayload(MutationPayload):
    inspection: Inspection | None = None


@strawberry.type(
    description="One artefact of a committee's assessment cadence (年初部署、季度检查、半年点评、年终考核)."
)
class AssessmentRecord(ModelNode):
    model = AssessmentRecordModel

    id: relay.NodeID[int]
    stage: AssessmentStage
    year: int
    period: str = strawberry.field(description="The period it covers: 2025, 2025-Q2, 2025-H1.")
    held_on: dt.date
    summary: str
    recorded_by: str
    organization_id: strawberry.Private[int]

    @strawberry.field(description="中文：考核环节")
    def stage_label(self) -> str:
        return STAGES[AssessmentStageEnum(self.stage)].label

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await load_org(info, self.organization_id)


@strawberry.input
class RecordAssessmentInput:
    organization_id: strawberry.ID = strawberry.field(description="The holder (a 党委 by default).")
    stage: AssessmentStage
    year: int
    quarter: int | None = strawberry.field(default=None, description="1–4, for QUARTERLY_CHECK only.")
    held_on: dt.date
    summary: str = strawberry.field(description="What was deployed, checked, reviewed or assessed.")


@strawberry.input
class UpdateAssessmentInput:
    id: strawberry.ID
    held_on: dt.date | None = None
    summary: str | None = None


@strawberry.type
class AssessmentPayload(MutationPayload):
    assessment: AssessmentRecord | None = None
