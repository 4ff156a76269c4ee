"""Stored results of the standardization engine (tortoise app ``standards``).

A score run is stored with its scope, period, scorer, config version and who ran it, plus one row
per branch score and per finding, so results can be reproduced and compared over time.
Inspections record the checks people make on site (annual setup review, venue, records).
Assessment records are the committee's work cycle (年初部署、季度检查、半年点评、年终考核).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class InspectionKind(StrEnum):
    SETUP_REVIEW = "SETUP_REVIEW"
    VENUE = "VENUE"
    RECORDS = "RECORDS"


class AssessmentStage(StrEnum):
    """The committee-level assessment cadence (年初有部署、季度有检查、半年有点评、年终有考核)."""

    DEPLOYMENT = "DEPLOYMENT"
    QUARTERLY_CHECK = "QUARTERLY_CHECK"
    HALF_YEAR_REVIEW = "HALF_YEAR_REVIEW"
    YEAR_END_ASSESSMENT = "YEAR_END_ASSESSMENT"


class ScoreRun(TenantModel):
    """One scoring of a subtree for a period by one scorer, with the config version it used."""

    id = fields.IntField(primary_key=True)
    scope: fields.ForeignKeyNullableRelation = reference(
        "core.Organization", related_name="score_runs", null=True
    )
    scope_id: int | None
    scope_path = fields.CharField(max_length=512, default="/")
    period_start = fields.DateField()
    period_end = fields.DateField()
    period = fields.CharField(max_length=32)
    scorer = fields.CharField(max_length=63)
    config_version = fields.IntField()
    config: dict = fields.JSONField(default=dict)
    rule_codes: list = fields.JSONField(default=list)
    run_by = fields.CharField(max_length=200, default="")
    run_by_user_id = fields.IntField(null=True)
    branch_count = fields.IntField(default=0)
    passed_count = fields.IntField(default=0)
    finding_count = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "standards_score_run"
        indexes = (("tenant_id", "scope_id", "created_at"), ("tenant_id", "created_at"))


class BranchScoreRecord(TenantModel):
    """The stored score of one branch in one run (total, grade, per-area breakdown, race rank)."""

    id = fields.IntField(primary_key=True)
    run: fields.ForeignKeyRelation[ScoreRun] = reference(
        "standards.ScoreRun", related_name="scores", on_delete=fields.CASCADE
    )
    run_id: int
    organization: fields.ForeignKeyRelation = reference("core.Organization", related_name="branch_scores")
    organization_id: int
    total = fields.FloatField()
    grade = fields.CharField(max_length=32)
    grade_label = fields.CharField(max_length=32)
    passed = fields.BooleanField()
    needs_rectification = fields.BooleanField(default=False)
    rank = fields.IntField(null=True)
    breakdown: list = fields.JSONField(default=list)
    details: dict = fields.JSONField(default=dict)
    finding_count = fields.IntField(default=0)

    class Meta:
        table = "standards_branch_score"
        unique_together = (("tenant_id", "run_id", "organization_id"),)
        indexes = (("tenant_id", "run_id", "rank"), ("tenant_id", "organization_id", "run_id"))


class FindingRecord(TenantModel):
    """A stored finding of a run: rule code, organization, period, numbers and the points it cost."""

    id = fields.IntField(primary_key=True)
    run: fields.ForeignKeyRelation[ScoreRun] = reference(
        "standards.ScoreRun", related_name="findings", on_delete=fields.CASCADE
    )
    run_id: int
    organization: fields.ForeignKeyRelation = reference("core.Organization", related_name="finding_records")
    organization_id: int
    branch_id = fields.IntField()
    rule_code = fields.CharField(max_length=64)
    severity = fields.CharField(max_length=8)
    area = fields.CharField(max_length=32)
    message = fields.CharField(max_length=500)
    numbers: dict = fields.JSONField(default=dict)
    period = fields.CharField(max_length=32)
    points = fields.FloatField(default=0)
    plugin = fields.CharField(max_length=63, null=True)

    class Meta:
        table = "standards_finding"
        indexes = (
            ("tenant_id", "run_id", "branch_id"),
            ("tenant_id", "rule_code", "organization_id", "period"),
        )


class Inspection(TenantModel):
    """An on-site check of an organization: annual setup review, venue or records (items met)."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization", related_name="inspections")
    organization_id: int
    kind = fields.CharEnumField(InspectionKind, max_length=16)
    checked_on = fields.DateField()
    items: list = fields.JSONField(default=list)
    conclusion = fields.CharField(max_length=300, default="")
    recorded_by = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "standards_inspection"
        indexes = (
            ("tenant_id", "organization_id", "kind", "checked_on"),
            ("tenant_id", "kind", "checked_on"),
        )


class AssessmentRecord(TenantModel):
    """One artefact of the assessment cadence of a committee (stage, period covered, day held, summary).

    The period is the one the artefact covers (2025, 2025-Q2, 2025-H1), not the day it was held.
    """

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference(
        "core.Organization", related_name="assessment_records"
    )
    organization_id: int
    stage = fields.CharEnumField(AssessmentStage, max_length=24)
    year = fields.IntField()
    period = fields.CharField(max_length=16)
    held_on = fields.DateField()
    summary = fields.TextField()
    recorded_by = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "standards_assessment"
        unique_together = (("tenant_id", "organization_id", "stage", "period"),)
        indexes = (("tenant_id", "year", "organization_id"),)


class JobStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


class ScoringJob(TenantModel):
    """A score run executed in the background (startScoringRun), the row of the job queue itself.

    Queued by the mutation, claimed atomically by a worker (zhibu worker, or the serving process
    when no queue is configured) and run under the scoping of its tenant. rules_done, rules_total
    and branches_stored report progress, run is the stored result, error_code why it failed."""

    id = fields.IntField(primary_key=True)
    status = fields.CharEnumField(JobStatus, max_length=8, default=JobStatus.QUEUED)
    #: ``database`` (waits for ``zhibu worker``) or ``inline`` (run by the process that queued it)
    queue = fields.CharField(max_length=16, default="inline")
    scope: fields.ForeignKeyNullableRelation = reference(
        "core.Organization", related_name="scoring_jobs", null=True
    )
    scope_id: int | None
    scope_path = fields.CharField(max_length=512, default="/")
    period_start = fields.DateField()
    period_end = fields.DateField()
    scorer = fields.CharField(max_length=63, null=True)
    requested_by = fields.CharField(max_length=200, default="")
    requested_by_user_id = fields.IntField(null=True)
    request_id = fields.CharField(max_length=64, default="")
    rules_total = fields.IntField(default=0)
    rules_done = fields.IntField(default=0)
    branches_total = fields.IntField(default=0)
    branches_stored = fields.IntField(default=0)
    findings_stored = fields.IntField(default=0)
    run: fields.ForeignKeyNullableRelation[ScoreRun] = reference(
        "standards.ScoreRun", related_name="jobs", null=True, on_delete=fields.SET_NULL
    )
    run_id: int | None
    error_code = fields.CharField(max_length=64, null=True)
    error_message = fields.CharField(max_length=500, default="")
    attempts = fields.IntField(default=0)
    #: the last sign of life of the running worker (the claim, the progress after each rule): a
    #: RUNNING job silent for ``ZHIBU_JOB_STALE_SECONDS`` is taken again
    heartbeat_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "standards_scoring_job"
        indexes = (("tenant_id", "status", "id"), ("tenant_id", "created_at"))
