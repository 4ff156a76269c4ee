"""Models of the ``lifecycle`` app: development cases with their steps, and relation transfers."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class CaseStatus(StrEnum):
    OPEN = "OPEN"
    COMPLETED = "COMPLETED"
    DISQUALIFIED = "DISQUALIFIED"
    WITHDRAWN = "WITHDRAWN"
    TRANSFERRED_OUT = "TRANSFERRED_OUT"


class DevelopmentCase(TenantModel):
    """The development of one person from application to confirmation (the 25 steps)."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation = reference("core.Member", related_name="development_cases")
    member_id: int
    status = fields.CharEnumField(CaseStatus, max_length=20, default=CaseStatus.OPEN)
    #: sequence of the last recorded step (0 before the application is recorded)
    last_sequence = fields.IntField(default=0)
    applied_on = fields.DateField()
    probation_ends_on = fields.DateField(null=True)
    extended_months = fields.IntField(null=True)
    #: earliest date the next step may happen, and the date it is due by (derived, for lists)
    next_earliest_on = fields.DateField(null=True)
    next_due_on = fields.DateField(null=True)
    closed_on = fields.DateField(null=True)
    close_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "development_case"
        unique_together = (("tenant_id", "member_id"),)
        indexes = (
            ("tenant_id", "status", "last_sequence"),
            ("tenant_id", "next_due_on"),
            ("tenant_id", "probation_ends_on"),
        )


class DevelopmentStep(TenantModel):
    """One recorded step of a development case (or a decision such as a probation extension)."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[DevelopmentCase] = reference(
        "lifecycle.DevelopmentCase", related_name="steps"
    )
    case_id: int
    code = fields.CharField(max_length=40)
    #: 1 to 25 for the pipeline steps, null for decisions outside the sequence
    sequence = fields.IntField(null=True)
    stage = fields.IntField()
    done_on = fields.DateField()
    acted_by = fields.CharField(max_length=200, default="")
    notes = fields.TextField(default="")
    documents: list = fields.JSONField(default=list)
    votes_entitled = fields.IntField(null=True)
    votes_present = fields.IntField(null=True)
    votes_issued = fields.IntField(null=True)
    votes_returned = fields.IntField(null=True)
    votes_yes = fields.IntField(null=True)
    training_days = fields.DecimalField(max_digits=5, decimal_places=1, null=True)
    training_hours = fields.DecimalField(max_digits=6, decimal_places=1, null=True)
    delay_reason = fields.TextField(default="")
    extra: dict = fields.JSONField(default=dict)
    recorded_by = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "development_step"
        unique_together = (("tenant_id", "case_id", "sequence"),)
        indexes = (("tenant_id", "code", "done_on"),)


class TransferKind(StrEnum):
    INTERNAL = "INTERNAL"
    OUTGOING = "OUTGOING"
    INCOMING = "INCOMING"


class TransferStatus(StrEnum):
    ISSUED = "ISSUED"
    COMPLETED = "COMPLETED"
    RETURNED = "RETURNED"


class RelationTransfer(TenantModel):
    """A transfer of the organizational relation of a member, kept as history."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(TransferKind, max_length=12)
    status = fields.CharEnumField(TransferStatus, max_length=12, default=TransferStatus.ISSUED)
    member: fields.ForeignKeyNullableRelation = reference(
        "core.Member", related_name="relation_transfers", null=True
    )
    member_id: int | None
    from_organization: fields.ForeignKeyNullableRelation = reference(
        "core.Organization", related_name="transfers_out", null=True
    )
    from_organization_id: int | None
    to_organization: fields.ForeignKeyNullableRelation = reference(
        "core.Organization", related_name="transfers_in", null=True
    )
    to_organization_id: int | None
    #: the organization outside the tenant (destination of an outgoing, origin of an incoming letter)
    external_organization = fields.CharField(max_length=200, default="")
    letter_number = fields.CharField(max_length=64, default="")
    issued_on = fields.DateField()
    completed_on = fields.DateField(null=True)
    returned_on = fields.DateField(null=True)
    reason = fields.TextField(default="")
    return_reason = fields.TextField(default="")
    #: placed under the party organization of an embassy (members working abroad)
    abroad = fields.BooleanField(default=False)
    #: the person of an incoming transfer, until acceptance creates the member
    person: dict = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "relation_transfer"
        indexes = (
            ("tenant_id", "member_id", "issued_on"),
            ("tenant_id", "from_organization_id", "status"),
            ("tenant_id", "to_organization_id", "status"),
            ("tenant_id", "kind", "status"),
            ("tenant_id", "letter_number"),
        )


class AppraisalGrade(StrEnum):
    """A member's rating in the democratic appraisal (民主评议党员)."""

    EXCELLENT = "EXCELLENT"
    QUALIFIED = "QUALIFIED"
    BASICALLY_QUALIFIED = "BASICALLY_QUALIFIED"
    UNQUALIFIED = "UNQUALIFIED"


class AppraisalRating(TenantModel):
    """A member's rating for one year given by the branch (one per member per year)."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation = reference("core.Member", related_name="appraisal_ratings")
    member_id: int
    #: the branch that rated the member (kept when the member moves)
    branch: fields.ForeignKeyRelation = reference("core.Organization", related_name="appraisal_ratings")
    branch_id: int
    year = fields.IntField()
    grade = fields.CharEnumField(AppraisalGrade, max_length=24)
    rated_on = fields.DateField()
    #: who decided: the branch committee meeting or the member congress
    rated_by = fields.CharField(max_length=200, default="")
    notes = fields.TextField(default="")
    #: the grade before the last correction, and why it was corrected
    corrected_from = fields.CharField(max_length=24, default="")
    correction_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "appraisal_rating"
        unique_together = (("tenant_id", "member_id", "year"),)
        indexes = (("tenant_id", "branch_id", "year"), ("tenant_id", "grade", "rated_on"))


class UnqualifiedStep(StrEnum):
    """Steps of handling an unqualified member, in order (处置不合格党员)."""

    CORRECTION_DEADLINE = "CORRECTION_DEADLINE"
    PERSUADE_TO_LEAVE = "PERSUADE_TO_LEAVE"
    REMOVAL = "REMOVAL"


class UnqualifiedHandlingStep(TenantModel):
    """One recorded step of handling a member rated unqualified, with its date and who acted."""

    id = fields.IntField(primary_key=True)
    rating: fields.ForeignKeyRelation[AppraisalRating] = reference(
        "lifecycle.AppraisalRating", related_name="handling_steps"
    )
    rating_id: int
    step = fields.CharEnumField(UnqualifiedStep, max_length=24)
    done_on = fields.DateField()
    acted_by = fields.CharField(max_length=200, default="")
    #: for a correction deadline, the date by which the member must correct
    deadline_on = fields.DateField(null=True)
    notes = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "unqualified_handling_step"
        unique_together = (("tenant_id", "rating_id", "step"),)


class SecretaryGrade(StrEnum):
    """The year-end rating of a branch secretary (述职评议)."""

    EXCELLENT = "EXCELLENT"
    COMPETENT = "COMPETENT"
    BASICALLY_COMPETENT = "BASICALLY_COMPETENT"
    INCOMPETENT = "INCOMPETENT"


class SecretaryAppraisal(TenantModel):
    """The year-end appraisal of a branch secretary with the overall grade of the branch."""

    id = fields.IntField(primary_key=True)
    branch: fields.ForeignKeyRelation = reference("core.Organization", related_name="secretary_appraisals")
    branch_id: int
    secretary: fields.ForeignKeyNullableRelation = reference(
        "core.Member", related_name="secretary_appraisals", null=True
    )
    secretary_id: int | None
    year = fields.IntField()
    #: the branch overall grade, a code of appraisal.unit_grades in the tenant config
    unit_grade = fields.CharField(max_length=24)
    grade = fields.CharEnumField(SecretaryGrade, max_length=24)
    rated_on = fields.DateField()
    notes = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "secretary_appraisal"
        unique_together = (("tenant_id", "branch_id", "year"),)


class LeaderReminderLetter(TenantModel):
    """A reminder letter (提醒函) to a leadership cadre who skipped their branch's organizational life."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation = reference("core.Member", related_name="reminder_letters")
    member_id: int
    branch: fields.ForeignKeyRelation = reference("core.Organization", related_name="leader_reminder_letters")
    branch_id: int
    year = fields.IntField()
    issued_on = fields.DateField()
    issued_by = fields.CharField(max_length=200)
    #: the attendance the letter was based on (until issued_on) and what was required
    life_meetings_attended = fields.IntField()
    life_meetings_required = fields.IntField()
    party_lectures_attended = fields.IntField()
    party_lectures_required = fields.IntField()
    notes = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "leader_reminder_letter"
        unique_together = (("tenant_id", "member_id", "year"),)
        indexes = (("tenant_id", "branch_id", "year"),)
