"""Branch committees: terms and seats."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class CommitteeRole(StrEnum):
    SECRETARY = "SECRETARY"
    DEPUTY_SECRETARY = "DEPUTY_SECRETARY"
    ORGANIZATION = "ORGANIZATION"
    PUBLICITY = "PUBLICITY"
    DISCIPLINE = "DISCIPLINE"
    MEMBER = "MEMBER"


class SeatSource(StrEnum):
    ELECTED = "ELECTED"
    APPOINTED = "APPOINTED"


class CommitteeTerm(TenantModel):
    """One term of the committee of an organization, live while it has no closing date."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization", related_name="committee_terms")
    organization_id: int
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    closed_on = fields.DateField(null=True)
    seat_count = fields.IntField(default=1)
    live_organization_id = fields.IntField(
        null=True, description="Organization id while the term is live, NULL once closed (unique)"
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "committee_term"
        unique_together = (("tenant_id", "live_organization_id"),)
        indexes = (("tenant_id", "organization_id", "closed_on"), ("tenant_id", "ends_on"))


class CommitteeSeat(TenantModel):
    """A seat of a term, vacant while it has no member, ended once it has an end date."""

    id = fields.IntField(primary_key=True)
    term: fields.ForeignKeyRelation[CommitteeTerm] = reference(
        "core.CommitteeTerm", related_name="seats", on_delete=fields.CASCADE
    )
    term_id: int
    role = fields.CharEnumField(CommitteeRole, max_length=20)
    member: fields.ForeignKeyNullableRelation = reference("core.Member", related_name="seats", null=True)
    member_id: int | None
    source = fields.CharEnumField(SeatSource, max_length=12, default=SeatSource.ELECTED)
    started_on = fields.DateField(null=True)
    ended_on = fields.DateField(null=True)

    class Meta:
        table = "committee_seat"
        indexes = (("tenant_id", "term_id"), ("tenant_id", "member_id"))
