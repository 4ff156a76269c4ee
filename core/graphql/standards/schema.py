"""Query and mutation fields of the standardization engine."""

from __future__ import annotations

import strawberry

from core.error_codes import StandardsErrorCode
from core.errors import ValidationFailed
from core.graphql.core.connection import paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, scope_argument, scoped
from core.graphql.core.filters import DateFrom, DateTo
from core.graphql.core.mutations import mutation, run_mutation
from core.graphql.core.nodes import decode_id
from core.graphql.standards.types import (
    AssessmentPayload,
    AssessmentRecord,
    AttainmentRate,
    AttainmentYear,
    BranchRanking,
    BranchScore,
    CalendarItem,
    CalendarStatus,
    Finding,
    FindingSeverity,
    GradeCount,
    GradeInfo,
    Inspection,
    InspectionPayload,
    RankingEntry,
    RecordAssessmentInput,
    RecordInspectionInput,
    RunScoringInput,
    RunScoringPayload,
    ScorerInfo,
    ScoreRun,
    ScoreRunConnection,
    ScoringJob,
    StandardArea,
    StandardRule,
    StartScoringRunPayload,
    UpdateAssessmentInput,
)
from core.permissions import Permission
from core.standards import assessment, engine, jobs, service
from core.standards.api import AREA_LABELS
from core.standards.models import AssessmentRecord as AssessmentRecordModel
from core.standards.models import BranchScoreRecord, InspectionKind
from core.standards.models import Inspection as InspectionModel
from core.standards.models import ScoreRun as ScoreRunModel
from core.standards.models import ScoringJob as ScoringJobModel
from core.standards.rules import rules_for
from core.years import check_year


def _attainment_rate(result: service.Attainment) -> AttainmentRate:
    return AttainmentRate(
        run=ScoreRun.from_model(result.run),
        branches=result.branches,
        passed=result.passed,
        rate=result.rate,
        target=result.target,
        target_source=result.target_source,
        deadline=result.deadline,
        meets_target=result.meets_target,
        shortfall=result.shortfall,
        by_grade=[GradeCount(grade=g, label=label, count=n) for g, label, n in result.by_grade],
    )


@strawberry.type
class Query:
    @field(
        permission=Permission.STANDARDS_READ,
        description="Evaluate the rules now for an organization's subtree (or the tenant) and period.",
    )
    async def findings(
        self,
        info: Info,
        period_from: DateFrom,
        period_to: DateTo,
        scope_id: strawberry.ID | None = None,
        rule_codes: list[str] | None = None,
        severities: list[FindingSeverity] | None = None,
        areas: list[StandardArea] | None = None,
    ) -> list[Finding]:
        scope = await scope_argument(info, scope_id)
        found = await service.live_findings(scope, period_from, period_to, rule_codes=rule_codes)
        wanted_severity = {str(s) for s in severities or ()}
        wanted_area = {str(a) for a in areas or ()}
        return [
            Finding.from_finding(f)
            for f in found
            if (not wanted_severity or str(f.severity) in wanted_severity)
            and (not wanted_area or str(f.area) in wanted_area)
        ]

    @field(
        permission=Permission.STANDARDS_READ,
        description="Expected activities of an organization's subtree for a period: done, late, missing.",
    )
    async def activity_calendar(
        self,
        info: Info,
        organization_id: strawberry.ID,
        period_from: DateFrom,
        period_to: DateTo,
        kinds: list[str] | None = None,
        statuses: list[CalendarStatus] | None = None,
    ) -> list[CalendarItem]:
        org = await scope_argument(info, organization_id, field="organizationId")
        assert org is not None
        entries = await service.calendar(org, period_from, period_to)
        wanted_status = {str(s) for s in statuses or ()}
        return [
            CalendarItem.from_entry(e)
            for e in entries
            if (not kinds or e.kind in kinds) and (not wanted_status or str(e.status) in wanted_status)
        ]

    @field(permission=Permission.STANDARDS_READ, description="The rules in force for this tenant.")
    async def standard_rules(self, info: Info) -> list[StandardRule]:
        tenant = await info.context.tenant()
        rules = rules_for(tuple(tenant.enabled_plugins or ()), await info.context.vocabulary())
        return [
            StandardRule(
                code=r.code,
                title=r.title,
                area=r.area,
                area_label=AREA_LABELS[r.area],
                severity=r.severity,
                plugin=r.plugin,
                source=r.source,
                config_keys=list(r.config_keys),
            )
            for r in sorted(rules, key=lambda r: (list(AREA_LABELS).index(r.area), r.code))
        ]

    @field(permission=Permission.STANDARDS_READ, description="Scoring methods available to this tenant.")
    async def scorers(self, info: Info) -> list[ScorerInfo]:
        tenant = await info.context.tenant()
        return [
            ScorerInfo(
                code=s.code,
                label=s.label,
                plugin=s.plugin,
                grades=[GradeInfo(code=c, label=label) for c, label in s.grades.items()],
                is_tenant_scorer=s.code == (tenant.scoring_plugin or "baseline"),
            )
            for s in engine.available_scorers(tenant)
        ]

    @field(permission=Permission.STANDARDS_READ, description="Stored score runs, newest first.")
    async def score_runs(
        self,
        info: Info,
        scope_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> ScoreRunConnection:
        query = scoped(info, ScoreRunModel.all(), "scope_path")
        if scope_id is not None:
            scope = await scope_argument(info, scope_id)
            assert scope is not None
            query = query.filter(scope_path__startswith=scope.path)
        return await paginate(
            query.order_by("-created_at", "-id"), ScoreRun.from_model, first=first, after=after
        )

    @field(permission=Permission.STANDARDS_READ, description="One stored score run.")
    async def score_run(self, info: Info, id: strawberry.ID) -> ScoreRun | None:
        row = await info.context.loaders.by_id(ScoreRunModel).load(decode_id(id, "ScoreRun"))
        return ScoreRun.from_model(row) if row else None

    @field(
        permission=Permission.STANDARDS_READ,
        description="A background score run (startScoringRun): status, progress, the run when done.",
    )
    async def scoring_job(self, info: Info, id: strawberry.ID) -> ScoringJob | None:
        row = await info.context.loaders.by_id(ScoringJobModel).load(decode_id(id, "ScoringJob"))
        return ScoringJob.from_model(row) if row else None

    @field(
        permission=Permission.STANDARDS_READ,
        description="Branch race (支部赛马) of a subtree in a stored run (default: the latest covering it).",
    )
    async def branch_ranking(
        self,
        info: Info,
        scope_id: strawberry.ID | None = None,
        run_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> BranchRanking:
        scope = await scope_argument(info, scope_id)
        run = await service.find_run(decode_id(run_id, "ScoreRun", field="runId") if run_id else None, scope)
        ranks = await service.subtree_ranks(run, scope)
        query = BranchScoreRecord.filter(run_id=run.id, id__in=list(ranks) or [0]).order_by(
            "-total", "organization_id"
        )

        def convert(row: BranchScoreRecord) -> RankingEntry:
            return RankingEntry(rank=ranks[row.id], score=BranchScore.from_row(row))

        return BranchRanking(
            run=ScoreRun.from_model(run), entries=await paginate(query, convert, first=first, after=after)
        )

    @field(
        permission=Permission.STANDARDS_READ,
        description="达标率 of a subtree in a stored run (default: the latest covering it).",
    )
    async def attainment_rate(
        self, info: Info, scope_id: strawberry.ID | None = None, run_id: strawberry.ID | None = None
    ) -> AttainmentRate:
        scope = await scope_argument(info, scope_id)
        run = await service.find_run(decode_id(run_id, "ScoreRun", field="runId") if run_id else None, scope)
        return _attainment_rate(await service.attainment(run, scope))

    @field(
        permission=Permission.STANDARDS_READ,
        description="The attainment plan year by year (逐年达标比例, 全部达标期限), each year's latest run.",
    )
    async def attainment_progress(
        self, info: Info, scope_id: strawberry.ID | None = None
    ) -> list[AttainmentYear]:
        scope = await scope_argument(info, scope_id)
        return [
            AttainmentYear(
                year=item.year,
                target=item.target.rate,
                target_source=item.target.source,
                deadline=item.target.deadline,
                rate=_attainment_rate(item.attainment) if item.attainment is not None else None,
            )
            for item in await service.attainment_progress(scope)
        ]

    @field(
        permission=Permission.STANDARDS_READ, description="On-site checks of an organization, newest first."
    )
    async def inspections(
        self,
        info: Info,
        organization_id: strawberry.ID,
        kind: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> list[Inspection]:
        org = await scope_argument(info, organization_id, field="organizationId")
        assert org is not None
        query = InspectionModel.filter(organization_id=org.id)
        if kind:
            try:
                query = query.filter(kind=InspectionKind(kind))
            except ValueError as exc:
                raise ValidationFailed(f"未知的检查类型：{kind}", field="kind") from exc
        rows = await query.order_by("-checked_on", "-id").limit(100)
        return [Inspection.from_model(r) for r in rows]

    @field(
        permission=Permission.STANDARDS_READ,
        description="A committee's recorded assessment cadence (年初部署、季度检查、半年点评、年终考核).",
    )
    async def assessments(
        self, info: Info, organization_id: strawberry.ID, year: int | None = None
    ) -> list[AssessmentRecord]:
        org = await scope_argument(info, organization_id, field="organizationId")
        assert org is not None
        query = AssessmentRecordModel.filter(organization_id=org.id)
        if year is not None:
            query = query.filter(year=check_year(year))
        rows = await query.order_by("year", "period", "stage").limit(200)
        return [AssessmentRecord.from_model(r) for r in rows]


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.STANDARDS_RUN,
        description="Score a subtree (or the tenant) for a period with its scorer and store the run.",
    )
    async def run_scoring(self, info: Info, input: RunScoringInput) -> RunScoringPayload:
        run = await service.run_scoring(
            decode_id(input.scope_id, "Organization", field="scopeId") if input.scope_id else None,
            input.period_start,
            input.period_end,
            scorer=input.scorer,
        )
        return {"run": ScoreRun.from_model(run)}

    @mutation(
        atomic=False,
        permission=Permission.STANDARDS_RUN,
        description="Queue a score run of a subtree (or the tenant) as a background job — for "
        "tenant-sized scopes; read its status and progress with scoringJob(id).",
    )
    async def start_scoring_run(self, info: Info, input: RunScoringInput) -> StartScoringRunPayload:
        async def action() -> dict:
            job = await jobs.enqueue(
                decode_id(input.scope_id, "Organization", field="scopeId") if input.scope_id else None,
                input.period_start,
                input.period_end,
                scorer=input.scorer,
                request_id=info.context.request_id,
            )
            queued.append(job)
            return {"job": ScoringJob.from_model(job)}

        queued: list[ScoringJobModel] = []
        payload = await run_mutation(info, StartScoringRunPayload, action)
        if payload.job is not None:  # committed: now the job may start
            jobs.dispatch(queued[0])
        return payload

    @mutation(
        permission=Permission.STANDARDS_INSPECT,
        description="Record an on-site check (annual setup review, venue, records) of an organization.",
    )
    async def record_inspection(self, info: Info, input: RecordInspectionInput) -> InspectionPayload:
        inspection = await service.record_inspection(
            decode_id(input.organization_id, "Organization", field="organizationId"),
            input.kind,
            input.checked_on,
            input.items,
            input.conclusion,
        )
        return {"inspection": Inspection.from_model(inspection)}

    @mutation(
        permission=Permission.STANDARDS_INSPECT,
        description="Record a deployment, quarterly check, half-year review or year-end assessment.",
    )
    async def record_assessment(self, info: Info, input: RecordAssessmentInput) -> AssessmentPayload:
        record = await assessment.record_assessment(
            decode_id(input.organization_id, "Organization", field="organizationId"),
            stage=input.stage.value,
            year=input.year,
            quarter=input.quarter,
            held_on=input.held_on,
            summary=input.summary,
        )
        return {"assessment": AssessmentRecord.from_model(record)}

    @mutation(
        permission=Permission.STANDARDS_INSPECT,
        description="Correct the day or the text of a recorded assessment artefact.",
    )
    async def update_assessment(self, info: Info, input: UpdateAssessmentInput) -> AssessmentPayload:
        record = await assessment.update_assessment(
            decode_id(input.id, "AssessmentRecord"), held_on=input.held_on, summary=input.summary
        )
        return {"assessment": AssessmentRecord.from_model(record)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(StandardsErrorCode),)
