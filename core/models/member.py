"""Party members and people on their way to membership."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class MemberStatus(StrEnum):
    APPLICANT = "APPLICANT"
    ACTIVIST = "ACTIVIST"
    CANDIDATE = "CANDIDATE"
    PROBATIONARY = "PROBATIONARY"
    FULL = "FULL"
    LEFT = "LEFT"
    DECEASED = "DECEASED"
    TRANSFERRED_OUT = "TRANSFERRED_OUT"


#: Statuses of people who count as members of their branch today.
CURRENT_MEMBER_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.FULL)
#: Statuses of people still attached to a branch (members and those in development).
ACTIVE_STATUSES = (
    MemberStatus.APPLICANT,
    MemberStatus.ACTIVIST,
    MemberStatus.CANDIDATE,
    MemberStatus.PROBATIONARY,
    MemberStatus.FULL,
)


class Gender(StrEnum):
    MALE = "MALE"
    FEMALE = "FEMALE"


class MemberCategory(StrEnum):
    RETIRED = "RETIRED"
    DISPATCHED_LABOUR = "DISPATCHED_LABOUR"
    WORKING_ABROAD = "WORKING_ABROAD"
    FLOATING = "FLOATING"
    LEADER = "LEADER"


class Member(TenantModel):
    """A person on the roster of a branch (the ID number changes only by explicit correction)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    gender = fields.CharEnumField(Gender, max_length=8, null=True)
    birth_date = fields.DateField(null=True)
    ethnicity = fields.CharField(max_length=32, default="")
    education = fields.CharField(max_length=64, default="")
    phone = fields.CharField(max_length=32, default="")
    id_number = fields.CharField(max_length=32, null=True)
    joined_on = fields.DateField(null=True)
    confirmed_on = fields.DateField(null=True)
    status = fields.CharEnumField(MemberStatus, max_length=20, default=MemberStatus.FULL)
    branch: fields.ForeignKeyRelation = reference("core.Organization", related_name="members")
    branch_id: int
    party_group: fields.ForeignKeyNullableRelation = reference(
        "core.Organization", related_name="group_members", null=True
    )
    party_group_id: int | None
    extra: dict = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "member"
        unique_together = (("tenant_id", "id_number"),)
        indexes = (
            ("tenant_id", "branch_id", "status"),
            ("tenant_id", "party_group_id"),
            ("tenant_id", "status"),
        )


class MemberCategoryAssignment(TenantModel):
    """Membership of a special group (retired, dispatched labour, abroad, floating)."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = reference(
        "core.Member", related_name="category_rows", on_delete=fields.CASCADE
    )
    member_id: int
    category = fields.CharField(max_length=32)

    class Meta:
        table = "member_category"
        unique_together = (("tenant_id", "member_id", "category"),)
        indexes = (("tenant_id", "category"),)
