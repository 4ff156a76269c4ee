"""The organization tree: a materialized path plus parent and depth."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class OrganizationKind(StrEnum):
    PARTY_COMMITTEE = "PARTY_COMMITTEE"
    GENERAL_BRANCH = "GENERAL_BRANCH"
    BRANCH = "BRANCH"
    JOINT_BRANCH = "JOINT_BRANCH"
    TEMPORARY_BRANCH = "TEMPORARY_BRANCH"
    PARTY_GROUP = "PARTY_GROUP"


BRANCH_KINDS = frozenset(
    {OrganizationKind.BRANCH, OrganizationKind.JOINT_BRANCH, OrganizationKind.TEMPORARY_BRANCH}
)


class Organization(TenantModel):
    """A party organization in the tree, with a materialized path (a subtree is a path prefix).

    A party group has a leader (a member of the group).
    """

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=32)
    name = fields.CharField(max_length=200)
    parent: fields.ForeignKeyNullableRelation[Organization] = reference(
        "core.Organization", related_name="children", null=True
    )
    parent_id: int | None
    path = fields.CharField(max_length=512, default="")
    depth = fields.IntField(default=0)
    established_on = fields.DateField(null=True)
    dissolved_on = fields.DateField(null=True)
    covered_units: list[str] = fields.JSONField(default=list)
    temporary_body = fields.CharField(max_length=200, null=True)
    sector = fields.CharField(
        max_length=32, null=True, description="Sector code (core.registry.ORGANIZATION_SECTORS), e.g. VILLAGE"
    )
    leader: fields.ForeignKeyNullableRelation = reference(
        "core.Member", related_name="led_groups", null=True, on_delete=fields.SET_NULL
    )
    leader_id: int | None
    extra: dict = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "organization"
        unique_together = (("tenant_id", "path"),)
        indexes = (("tenant_id", "parent_id"), ("tenant_id", "kind"), ("tenant_id", "leader_id"))

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None
