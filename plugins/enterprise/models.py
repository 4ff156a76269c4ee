"""Enterprise plugin tables: benchmark branches, member demonstrations, business-integration items."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class BenchmarkStatus(StrEnum):
    APPLYING = "APPLYING"
    DESIGNATED = "DESIGNATED"
    REVOKED = "REVOKED"


class DemonstrationKind(StrEnum):
    POST = "POST"
    FIELD = "FIELD"
    SHOP = "SHOP"
    ZONE = "ZONE"


DEMONSTRATION_LABELS = {
    DemonstrationKind.POST: "党员示范岗",
    DemonstrationKind.FIELD: "党员示范田",
    DemonstrationKind.SHOP: "党员示范店",
    DemonstrationKind.ZONE: "党员示范区",
}
BENCHMARK_LABELS = {
    BenchmarkStatus.APPLYING: "创建中",
    BenchmarkStatus.DESIGNATED: "标杆党支部",
    BenchmarkStatus.REVOKED: "已撤销",
}


class BenchmarkBranch(TenantModel):
    """One standard: a branch applying for or designated as benchmark branch in a year."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    year = fields.IntField()
    status = fields.CharEnumField(BenchmarkStatus, max_length=12, default=BenchmarkStatus.APPLYING)
    designated_on = fields.DateField(null=True)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "enterprise_benchmark_branch"
        unique_together = (("tenant_id", "organization_id", "year"),)
        indexes = (("tenant_id", "year", "status"),)


class Demonstration(TenantModel):
    """Four demonstrations: a member demonstration post, field, shop or zone of a branch."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    kind = fields.CharEnumField(DemonstrationKind, max_length=8)
    name = fields.CharField(max_length=200)
    year = fields.IntField()
    commitment = fields.TextField(default="")
    business_goal = fields.CharField(max_length=300, default="")
    established_on = fields.DateField(null=True)
    closed_on = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "enterprise_demonstration"
        indexes = (("tenant_id", "organization_id", "year"), ("tenant_id", "year", "kind"))


class DemonstrationMember(TenantModel):
    """A member taking part in a demonstration, with a personal pledge."""

    id = fields.IntField(primary_key=True)
    demonstration: fields.ForeignKeyRelation[Demonstration] = reference(
        "enterprise.Demonstration", related_name="participants", on_delete=fields.CASCADE
    )
    demonstration_id: int
    member: fields.ForeignKeyRelation = reference("core.Member")
    member_id: int
    pledge = fields.TextField(default="")
    pledge_fulfilled = fields.BooleanField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "enterprise_demonstration_member"
        unique_together = (("tenant_id", "demonstration_id", "member_id"),)
        indexes = (("tenant_id", "member_id"),)


class IntegrationItem(TenantModel):
    """A party work plus business item of a branch tied to a business result (党建+业务)."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    year = fields.IntField()
    title = fields.CharField(max_length=200)
    business_metric = fields.CharField(max_length=100)
    unit = fields.CharField(max_length=20, default="")
    target_value = fields.DecimalField(max_digits=14, decimal_places=2)
    actual_value = fields.DecimalField(max_digits=14, decimal_places=2, null=True)
    tied_to_performance_pay = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "enterprise_integration_item"
        indexes = (("tenant_id", "organization_id", "year"), ("tenant_id", "year"))
