"""双覆盖: the units (non-public enterprises, social organizations) under a committee, whether each has
a party organization (组织覆盖) and whether it has party work (工作覆盖)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class CoveredUnitKind(StrEnum):
    NON_PUBLIC_ENTERPRISE = "NON_PUBLIC_ENTERPRISE"
    SOCIAL_ORGANIZATION = "SOCIAL_ORGANIZATION"


COVERED_UNIT_LABELS: dict[str, str] = {
    "NON_PUBLIC_ENTERPRISE": "非公有制企业",
    "SOCIAL_ORGANIZATION": "社会组织",
}


class CoveredUnit(TenantModel):
    """A unit a committee is responsible for covering (应建尽建: a party organization where the
    conditions are met, party work where they are not yet).

    Organization coverage: ``party_organization`` is set (the unit's own or a joint organization) or
    ``has_party_organization``; work coverage: organization coverage or ``has_party_work`` (an
    instructor, activities …).
    """

    id = fields.IntField(primary_key=True)
    committee: fields.ForeignKeyRelation = reference("core.Organization", related_name="covered_units_list")
    committee_id: int
    name = fields.CharField(max_length=200)
    kind = fields.CharEnumField(CoveredUnitKind, max_length=24)
    has_party_organization = fields.BooleanField(default=False)
    party_organization: fields.ForeignKeyNullableRelation = reference(
        "core.Organization", related_name="units_covered", null=True, on_delete=fields.SET_NULL
    )
    party_organization_id: int | None
    has_party_work = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "covered_unit"
        unique_together = (("tenant_id", "committee_id", "name"),)
