"""Newspaper plugin tables: checklist assessments, overseas bureaus, emergency teams, social media."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class ItemStatus(StrEnum):
    MET = "MET"
    PARTIAL = "PARTIAL"
    NOT_MET = "NOT_MET"


ITEM_STATUS_LABELS = {ItemStatus.MET: "达标", ItemStatus.PARTIAL: "基本达标", ItemStatus.NOT_MET: "未达标"}


class ChecklistAssessment(TenantModel):
    """How a branch stands on one of the 21 items of the newspaper plan in a year."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    year = fields.IntField()
    item_code = fields.CharField(max_length=8)
    status = fields.CharEnumField(ItemStatus, max_length=8)
    evidence = fields.TextField(default="")
    assessed_on = fields.DateField()
    assessed_by = fields.CharField(max_length=200, default="")

    class Meta:
        table = "newspaper_checklist_assessment"
        unique_together = (("tenant_id", "organization_id", "year", "item_code"),)
        indexes = (("tenant_id", "year", "status"),)


class OverseasBureau(TenantModel):
    """A branch of an overseas bureau whose members sit under the embassy party organization."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    bureau_name = fields.CharField(max_length=200)
    country = fields.CharField(max_length=100)
    city = fields.CharField(max_length=100, default="")
    embassy_party_organization = fields.CharField(max_length=200)

    class Meta:
        table = "newspaper_overseas_bureau"
        unique_together = (("tenant_id", "organization_id"),)


class EmergencyTeam(TenantModel):
    """A temporary emergency reporting team approved by the editorial board, with its temporary branch."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    event = fields.CharField(max_length=200)
    approved_by = fields.CharField(max_length=100, default="编委会")
    approved_on = fields.DateField()
    dissolved_on = fields.DateField(null=True)
    temporary_branch: fields.ForeignKeyNullableRelation = reference("core.Organization", null=True)
    temporary_branch_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "newspaper_emergency_team"
        indexes = (("tenant_id", "temporary_branch_id"), ("tenant_id", "dissolved_on"))


class SocialMediaAccount(TenantModel):
    """A personal social media account a member registered with the branch for supervision."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation = reference("core.Member")
    member_id: int
    platform = fields.CharField(max_length=32)
    handle = fields.CharField(max_length=100)
    registered_on = fields.DateField()
    closed_on = fields.DateField(null=True)

    class Meta:
        table = "newspaper_social_media_account"
        unique_together = (("tenant_id", "platform", "handle"),)
        indexes = (("tenant_id", "member_id"),)
