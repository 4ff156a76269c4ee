"""Models of the ``rectification`` app: rectification items, tasks, evidence, their history, and
standardization acceptance (rounds, applications, on-site sample draws)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class ItemStatus(StrEnum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    SUBMITTED = "SUBMITTED"
    CLOSED = "CLOSED"
    REOPENED = "REOPENED"


class ItemSource(StrEnum):
    FINDING = "FINDING"
    MANUAL = "MANUAL"


class RectificationItem(TenantModel):
    """One entry of the problem list (问题清单) of an organization, with its owner and deadline.

    open_key holds organization, rule code and period while the item is not closed, and is NULL
    once closed, so the unique constraint allows one unclosed item per finding.
    """

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    source = fields.CharEnumField(ItemSource, max_length=12, default=ItemSource.MANUAL)
    rule_code = fields.CharField(max_length=64, default="")
    period = fields.CharField(max_length=32, default="", description="Period label, e.g. 2025-Q4")
    finding_id = fields.IntField(null=True, description="Stored finding row (standards app), if any")
    score_run_id = fields.IntField(null=True, description="Score run the finding came from, if any")
    title = fields.CharField(max_length=300)
    description = fields.TextField(default="")
    severity = fields.CharField(max_length=16, default="WARNING")
    area = fields.CharField(max_length=32, default="")
    numbers: dict = fields.JSONField(default=dict)
    owner_member: fields.ForeignKeyNullableRelation = reference(
        "core.Member", null=True, on_delete=fields.SET_NULL
    )
    owner_member_id: int | None
    owner_user_id = fields.IntField(null=True, description="Responsible user account, if any")
    deadline = fields.DateField()
    status = fields.CharEnumField(ItemStatus, max_length=12, default=ItemStatus.OPEN)
    open_key = fields.CharField(max_length=200, null=True)
    opened_by = fields.CharField(max_length=200, default="")
    opened_by_id = fields.IntField(null=True)
    submitted_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    closed_by = fields.CharField(max_length=200, default="")
    closed_by_id = fields.IntField(null=True)
    close_comment = fields.TextField(default="")
    finding_resolved = fields.BooleanField(default=False, description="The finding is marked resolved")
    reopen_count = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "rectification_item"
        unique_together = (("tenant_id", "open_key"),)
        indexes = (
            ("tenant_id", "organization_id", "status"),
            ("tenant_id", "status", "deadline"),
            ("tenant_id", "rule_code"),
            ("tenant_id", "owner_member_id"),
            ("tenant_id", "finding_id"),
        )


class RectificationTask(TenantModel):
    """One entry of the task list (任务清单) of a rectification item."""

    id = fields.IntField(primary_key=True)
    item: fields.ForeignKeyRelation[RectificationItem] = reference(
        "rectification.RectificationItem", related_name="tasks", on_delete=fields.CASCADE
    )
    item_id: int
    title = fields.CharField(max_length=300)
    assignee_member: fields.ForeignKeyNullableRelation = reference(
        "core.Member", null=True, on_delete=fields.SET_NULL
    )
    assignee_member_id: int | None
    due_on = fields.DateField(null=True)
    done = fields.BooleanField(default=False)
    done_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rectification_task"
        indexes = (("tenant_id", "item_id"), ("tenant_id", "assignee_member_id"))


class RectificationEvidence(TenantModel):
    """Proof that a problem was fixed (a description and a document reference). Append-only."""

    id = fields.IntField(primary_key=True)
    item: fields.ForeignKeyRelation[RectificationItem] = reference(
        "rectification.RectificationItem", related_name="evidence", on_delete=fields.CASCADE
    )
    item_id: int
    description = fields.TextField()
    document_ref = fields.CharField(max_length=500, default="", description="Document number or URL")
    added_by = fields.CharField(max_length=200, default="")
    added_by_id = fields.IntField(null=True)
    added_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rectification_evidence"
        indexes = (("tenant_id", "item_id"),)


class RectificationTransition(TenantModel):
    """One status change of a rectification item: who, when, from, to and why."""

    id = fields.IntField(primary_key=True)
    item: fields.ForeignKeyRelation[RectificationItem] = reference(
        "rectification.RectificationItem", related_name="history", on_delete=fields.CASCADE
    )
    item_id: int
    from_status = fields.CharField(max_length=12, default="")
    to_status = fields.CharField(max_length=12)
    comment = fields.TextField(default="")
    actor = fields.CharField(max_length=200, default="")
    actor_id = fields.IntField(null=True)
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rectification_transition"
        indexes = (("tenant_id", "item_id"),)


class ApplicationStatus(StrEnum):
    APPLIED = "APPLIED"
    ASSESSED = "ASSESSED"
    RETURNED = "RETURNED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class AcceptanceRound(TenantModel):
    """A batch of acceptance applications handled together by an accepting organization."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    title = fields.CharField(max_length=200)
    created_by = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "acceptance_round"
        indexes = (("tenant_id", "organization_id"),)


class AcceptanceApplication(TenantModel):
    """A branch application for standardization acceptance and its assessment and decision.

    open_key holds the organization id while the application is open (NULL afterwards), so a
    branch has at most one open application.
    """

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    round: fields.ForeignKeyNullableRelation[AcceptanceRound] = reference(
        "rectification.AcceptanceRound", related_name="applications", null=True
    )
    round_id: int | None
    status = fields.CharEnumField(ApplicationStatus, max_length=12, default=ApplicationStatus.APPLIED)
    open_key = fields.IntField(null=True)
    statement = fields.TextField(default="", description="The self-assessment the branch submits")
    applied_by = fields.CharField(max_length=200, default="")
    applied_by_id = fields.IntField(null=True)
    applied_at = fields.DatetimeField(auto_now_add=True)
    assessed_by = fields.CharField(max_length=200, default="")
    assessed_by_id = fields.IntField(null=True)
    assessed_at = fields.DatetimeField(null=True)
    assessment_passed = fields.BooleanField(null=True)
    assessment_comments = fields.TextField(default="")
    score_run_id = fields.IntField(null=True)
    score_total = fields.FloatField(null=True)
    score_grade = fields.CharField(max_length=32, default="")
    onsite_selected = fields.BooleanField(default=False)
    onsite_checked_at = fields.DatetimeField(null=True)
    onsite_passed = fields.BooleanField(null=True)
    onsite_comments = fields.TextField(default="")
    decided_by = fields.CharField(max_length=200, default="")
    decided_by_id = fields.IntField(null=True)
    decided_at = fields.DatetimeField(null=True)
    decision_comments = fields.TextField(default="")
    accepting_organization: fields.ForeignKeyRelation = reference("core.Organization")
    accepting_organization_id: int
    assessing_organization: fields.ForeignKeyNullableRelation = reference(
        "core.Organization",
        null=True,
        description="The superior committee that assesses (nearest ancestor of acceptance.assessing_kind)",
    )
    assessing_organization_id: int | None
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "acceptance_application"
        unique_together = (("tenant_id", "open_key"),)
        indexes = (
            ("tenant_id", "organization_id", "status"),
            ("tenant_id", "round_id"),
            ("tenant_id", "status"),
            ("tenant_id", "accepting_organization_id"),
        )


class AcceptanceSampleDraw(TenantModel):
    """The random on-site check sample of a round, with the seed and the population it drew from,
    so anyone can recompute and compare it."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[AcceptanceRound] = reference(
        "rectification.AcceptanceRound", related_name="draws"
    )
    round_id: int
    seed = fields.BigIntField()
    algorithm = fields.CharField(max_length=48)
    rate = fields.FloatField()
    minimum = fields.IntField()
    population_ids: list = fields.JSONField(default=list)
    chosen_ids: list = fields.JSONField(default=list)
    drawn_by = fields.CharField(max_length=200, default="")
    drawn_by_id = fields.IntField(null=True)
    drawn_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "acceptance_sample_draw"
        unique_together = (("tenant_id", "round_id"),)
