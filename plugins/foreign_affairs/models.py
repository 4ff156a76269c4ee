"""Foreign-affairs office plugin tables: the venue checklist and the linked mass organizations."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class MassOrganizationKind(StrEnum):
    TRADE_UNION = "TRADE_UNION"
    WOMEN_GROUP = "WOMEN_GROUP"
    YOUTH_LEAGUE = "YOUTH_LEAGUE"


MASS_LABELS = {
    MassOrganizationKind.TRADE_UNION: "工会",
    MassOrganizationKind.WOMEN_GROUP: "妇女小组",
    MassOrganizationKind.YOUTH_LEAGUE: "团支部",
}


class VenueChecklist(TenantModel):
    """The venue of a branch against the two dedicated rooms and six items standard."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    activity_room = fields.BooleanField(default=False)
    party_office = fields.BooleanField(default=False)
    conference_table = fields.BooleanField(default=False)
    computer = fields.BooleanField(default=False)
    air_conditioning = fields.BooleanField(default=False)
    video_conferencing = fields.BooleanField(default=False)
    bookcase = fields.BooleanField(default=False)
    record_books = fields.BooleanField(default=False)
    checked_on = fields.DateField()
    note = fields.TextField(default="")

    class Meta:
        table = "foreign_affairs_venue"
        unique_together = (("tenant_id", "organization_id"),)


class MassOrganization(TenantModel):
    """A trade union, women group or youth league led by a branch (party building leads mass work)."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    kind = fields.CharEnumField(MassOrganizationKind, max_length=16)
    name = fields.CharField(max_length=200)
    head_name = fields.CharField(max_length=100, default="")
    member_count = fields.IntField(default=0)
    established_on = fields.DateField(null=True)
    dissolved_on = fields.DateField(null=True)

    class Meta:
        table = "foreign_affairs_mass_organization"
        unique_together = (("tenant_id", "organization_id", "kind"),)
