"""Catalog entries: the standardization engine (helper D1's): findings, calendar, score runs,
rankings, attainment rate, inspections. Scopes are organizations; a stored run is authorized on
its scope's path."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from core.tenancy import tenant_scope
from core.testing import gid
from tests.catalog import Op, Target

PERIOD = {"from": "2025-01-01", "to": "2025-12-31"}


async def _run_at(world, pos) -> Any:  # noqa: ANN001
    from core.standards.models import ScoreRun

    org = world.orgs[pos.org]
    with tenant_scope(world.tenant_id):
        return await ScoreRun.create(
            scope_id=org.id,
            scope_path=org.path,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            period="2025",
            scorer="baseline",
            config_version=1,
        )


async def _scope(world, pos):  # noqa: ANN001, ANN202
    return Target({"scope": world.org_gid(pos.org), **PERIOD})


async def _org(world, pos):  # noqa: ANN001, ANN202
    return Target({"org": world.org_gid(pos.org), **PERIOD})


async def _nothing(world, pos):  # noqa: ANN001, ANN202
    return Target({})


async def _runs(world, pos):  # noqa: ANN001, ANN202
    run = await _run_at(world, pos)
    return Target({}, expect=gid("ScoreRun", run.id))


async def _one_run(world, pos):  # noqa: ANN001, ANN202
    run = await _run_at(world, pos)
    return Target({"id": gid("ScoreRun", run.id)})


async def _scope_with_run(world, pos):  # noqa: ANN001, ANN202
    await _run_at(world, pos)
    return Target({"scope": world.org_gid(pos.org)})


async def _inspections(world, pos):  # noqa: ANN001, ANN202
    return Target({"org": world.org_gid(pos.org)})


async def _run_scoring(world, pos):  # noqa: ANN001, ANN202
    return Target(
        {"input": {"scopeId": world.org_gid(pos.org), "periodStart": "2025-01-01", "periodEnd": "2025-12-31"}}
    )


async def _one_job(world, pos):  # noqa: ANN001, ANN202
    from core.standards.models import ScoringJob

    org = world.orgs[pos.org]
    with tenant_scope(world.tenant_id):
        job = await ScoringJob.create(
            scope_id=org.id,
            scope_path=org.path,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            queue="database",
        )
    return Target({"id": gid("ScoringJob", job.id)})


async def _record_inspection(world, pos):  # noqa: ANN001, ANN202
    return Target(
        {
            "input": {
                "organizationId": world.org_gid(pos.org),
                "kind": "VENUE",
                "checkedOn": "2025-06-01",
                "items": ["ROOM", "FLAG"],
            }
        }
    )


_assessment_count = itertools.count()


def _assessment_year() -> int:
    """A year no earlier cell used (artefacts are unique per organization, stage and period)."""
    return 1901 + next(_assessment_count) % 120


async def _assessment_at(world, pos):  # noqa: ANN001, ANN202
    from core.standards.models import AssessmentRecord

    org = world.orgs[pos.org]
    if org.kind != "PARTY_COMMITTEE":
        return None
    year = _assessment_year()
    with tenant_scope(world.tenant_id):
        return await AssessmentRecord.create(
            organization_id=org.id,
            stage="DEPLOYMENT",
            year=year,
            period=str(year),
            held_on=dt.date(year, 1, 10),
            summary="年初部署",
        )


async def _assessments(world, pos):  # noqa: ANN001, ANN202
    return Target({"org": world.org_gid(pos.org)})


async def _record_assessment(world, pos):  # noqa: ANN001, ANN202
    if world.orgs[pos.org].kind != "PARTY_COMMITTEE":
        return None
    year = _assessment_year()
    return Target(
        {
            "input": {
                "organizationId": world.org_gid(pos.org),
                "stage": "QUARTERLY_CHECK",
                "year": year,
                "quarter": 1,
                "heldOn": f"{year}-03-20",
                "summary": "一季度检查各支部“三会一课”落实情况",
            }
        }
    )


async def _update_assessment(world, pos):  # noqa: ANN001, ANN202
    record = await _assessment_at(world, pos)
    if record is None:
        return None
    return Target({"input": {"id": gid("AssessmentRecord", record.id), "summary": "年初部署（修改）"}})


OPERATIONS = [
    Op(
        "findings",
        "query",
        "query($scope: ID, $from: Date!, $to: Date!) { findings(scopeId: $scope, from: $from, to: $to) "
        "{ ruleCode organization { id } } }",
        "STANDARDS_READ",
        "tree",
        _scope,
    ),
    Op(
        "activityCalendar",
        "query",
        "query($org: ID!, $from: Date!, $to: Date!) { activityCalendar(organizationId: $org, from: $from, "
        "to: $to) { kind period status } }",
        "STANDARDS_READ",
        "tree",
        _org,
    ),
    Op("standardRules", "query", "{ standardRules { code } }", "STANDARDS_READ", "holder", _nothing),
    Op("scorers", "query", "{ scorers { code } }", "STANDARDS_READ", "holder", _nothing),
    Op(
        "scoreRuns",
        "query",
        "{ scoreRuns(first: 100) { edges { node { id } } } }",
        "STANDARDS_READ",
        "list",
        _runs,
    ),
    Op(
        "scoreRun",
        "query",
        "query($id: ID!) { scoreRun(id: $id) { id branchCount } }",
        "STANDARDS_READ",
        "tree",
        _one_run,
    ),
    Op(
        "scoringJob",
        "query",
        "query($id: ID!) { scoringJob(id: $id) { id status } }",
        "STANDARDS_READ",
        "tree",
        _one_job,
    ),
    Op(
        "branchRanking",
        "query",
        "query($scope: ID) { branchRanking(scopeId: $scope) { run { id } entries { totalCount } } }",
        "STANDARDS_READ",
        "tree",
        _scope_with_run,
    ),
    Op(
        "attainmentRate",
        "query",
        "query($scope: ID) { attainmentRate(scopeId: $scope) { branches rate } }",
        "STANDARDS_READ",
        "tree",
        _scope_with_run,
    ),
    Op(
        "attainmentProgress",
        "query",
        "query($scope: ID) { attainmentProgress(scopeId: $scope) { year rate { branches } } }",
        "STANDARDS_READ",
        "tree",
        _scope_with_run,
    ),
    Op(
        "inspections",
        "query",
        "query($org: ID!) { inspections(organizationId: $org) { id kind } }",
        "STANDARDS_READ",
        "tree",
        _inspections,
    ),
    Op(
        "runScoring",
        "mutation",
        "mutation($input: RunScoringInput!) { runScoring(input: $input) { errors { code } run { id } } }",
        "STANDARDS_RUN",
        "tree",
        _run_scoring,
    ),
    Op(
        "startScoringRun",
        "mutation",
        "mutation($input: RunScoringInput!) { startScoringRun(input: $input) "
        "{ errors { code } job { id status } } }",
        "STANDARDS_RUN",
        "tree",
        _run_scoring,
    ),
    Op(
        "recordInspection",
        "mutation",
        "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) "
        "{ errors { code } inspection { id } } }",
        "STANDARDS_INSPECT",
        "tree",
        _record_inspection,
    ),
    Op(
        "assessments",
        "query",
        "query($org: ID!) { assessments(organizationId: $org) { id stage period } }",
        "STANDARDS_READ",
        "tree",
        _assessments,
    ),
    Op(
        "recordAssessment",
        "mutation",
        "mutation($input: RecordAssessmentInput!) { recordAssessment(input: $input) "
        "{ errors { code } assessment { id } } }",
        "STANDARDS_INSPECT",
        "tree",
        _record_assessment,
    ),
    Op(
        "updateAssessment",
        "mutation",
        "mutation($input: UpdateAssessmentInput!) { updateAssessment(input: $input) "
        "{ errors { code } assessment { id } } }",
        "STANDARDS_INSPECT",
        "tree",
        _update_assessment,
    ),
]
