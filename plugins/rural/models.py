"""Rural plugin tables: grids of natural villages, first secretaries, village two committees."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class CommitteeBody(StrEnum):
    PARTY = "PARTY"
    VILLAGERS = "VILLAGERS"
    BOTH = "BOTH"


BODY_LABELS = {
    CommitteeBody.PARTY: "村党组织委员会",
    CommitteeBody.VILLAGERS: "村民委员会",
    CommitteeBody.BOTH: "交叉任职",
}


class Grid(TenantModel):
    """A grid party group in a natural village (网格党小组), attached to a party group organization."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    natural_village = fields.CharField(max_length=100)
    households = fields.IntField(default=0)
    activity_site = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rural_grid"
        unique_together = (("tenant_id", "organization_id"),)


class FirstSecretary(TenantModel):
    """A first secretary (第一书记) sent by an agency to a village organization for a term."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    name = fields.CharField(max_length=100)
    dispatching_agency = fields.CharField(max_length=200)
    agency_level = fields.CharField(max_length=20, default="")
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    recalled_on = fields.DateField(null=True)
    phone = fields.CharField(max_length=32, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rural_first_secretary"
        indexes = (("tenant_id", "organization_id", "ends_on"),)


class VillageCadre(TenantModel):
    """A member of the village two committees (村两委), with age and background."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    member: fields.ForeignKeyNullableRelation = reference("core.Member", null=True, on_delete=fields.SET_NULL)
    member_id: int | None
    name = fields.CharField(max_length=100)
    body = fields.CharEnumField(CommitteeBody, max_length=12)
    post = fields.CharField(max_length=50)
    birth_date = fields.DateField()
    education = fields.CharField(max_length=64, default="")
    capable_local = fields.BooleanField(default=False)
    returned_talent = fields.BooleanField(default=False)
    started_on = fields.DateField(null=True)
    left_on = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rural_village_cadre"
        indexes = (("tenant_id", "organization_id", "left_on"), ("tenant_id", "member_id"))
