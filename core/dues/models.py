"""Models of the ``dues`` app (tortoise app label ``dues``)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class DuesCategory(StrEnum):
    """How a member's dues are computed (the 2008 rules)."""

    SALARIED = "SALARIED"
    RETIRED = "RETIRED"
    FARMER = "FARMER"
    STUDENT = "STUDENT"
    UNEMPLOYED = "UNEMPLOYED"
    MINIMUM_ALLOWANCE = "MINIMUM_ALLOWANCE"


DUES_CATEGORY_LABELS: dict[str, str] = {
    DuesCategory.SALARIED: "在职党员（按税后月收入）",
    DuesCategory.RETIRED: "离退休党员（按离退休费）",
    DuesCategory.FARMER: "农民党员",
    DuesCategory.STUDENT: "学生党员",
    DuesCategory.UNEMPLOYED: "下岗失业党员",
    DuesCategory.MINIMUM_ALLOWANCE: "享受最低生活保障的党员",
}


class DuesProfile(TenantModel):
    """The basis of a member dues from a month on: category and declared monthly income."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation = reference("core.Member", on_delete=fields.CASCADE)
    member_id: int
    category = fields.CharEnumField(DuesCategory, max_length=20)
    monthly_income = fields.DecimalField(max_digits=12, decimal_places=2, null=True)
    effective_from = fields.DateField(description="First day of the first month it applies to")
    note = fields.CharField(max_length=300, default="")
    created_by = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "dues_profile"
        unique_together = (("tenant_id", "member_id", "effective_from"),)


class DuesBranchSetting(TenantModel):
    """Dues settings a branch chooses: quarterly payment and the fixed amount for farmer members."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    quarterly_allowed = fields.BooleanField(default=False)
    farmer_amount = fields.DecimalField(max_digits=8, decimal_places=2, null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "dues_branch_setting"
        unique_together = (("tenant_id", "organization_id"),)


class DuesHandover(TenantModel):
    """A receipt (一票): the dues a branch collected in a span of days, handed to the superior."""

    id = fields.IntField(primary_key=True)
    branch: fields.ForeignKeyRelation = reference("core.Organization")
    branch_id: int
    period_start = fields.DateField()
    period_end = fields.DateField()
    amount = fields.DecimalField(max_digits=14, decimal_places=2)
    payment_count = fields.IntField()
    handed_on = fields.DateField()
    received_by = fields.CharField(max_length=200, default="")
    receipt_no = fields.CharField(max_length=100, default="")
    recorded_by = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "dues_handover"
        indexes = (("tenant_id", "branch_id", "period_start"),)


class DuesPayment(TenantModel):
    """Money a member paid for one or more monthly bills, by the member or by someone on his behalf."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation = reference("core.Member")
    member_id: int
    branch: fields.ForeignKeyRelation = reference("core.Organization")
    branch_id: int
    paid_on = fields.DateField()
    amount = fields.DecimalField(max_digits=12, decimal_places=2)
    month_count = fields.IntField()
    paid_by_proxy = fields.BooleanField(default=False)
    proxy_name = fields.CharField(max_length=100, default="")
    note = fields.CharField(max_length=300, default="")
    recorded_by = fields.CharField(max_length=200, default="")
    handover: fields.ForeignKeyNullableRelation[DuesHandover] = reference(
        "dues.DuesHandover", related_name="payments", null=True
    )
    handover_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "dues_payment"
        indexes = (
            ("tenant_id", "member_id", "paid_on"),
            ("tenant_id", "branch_id", "paid_on"),
            ("tenant_id", "handover_id"),
        )


class DuesBill(TenantModel):
    """What one member owes for one month, computed from the profile and config in force."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation = reference("core.Member")
    member_id: int
    branch: fields.ForeignKeyRelation = reference("core.Organization")
    branch_id: int
    period = fields.DateField(description="First day of the month billed")
    amount = fields.DecimalField(max_digits=10, decimal_places=2)
    category = fields.CharEnumField(DuesCategory, max_length=20)
    monthly_income = fields.DecimalField(max_digits=12, decimal_places=2, null=True)
    rate_percent = fields.DecimalField(max_digits=6, decimal_places=3, null=True)
    config_version = fields.IntField()
    payment: fields.ForeignKeyNullableRelation[DuesPayment] = reference(
        "dues.DuesPayment", related_name="bills", null=True
    )
    payment_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "dues_bill"
        unique_together = (("tenant_id", "member_id", "period"),)
        indexes = (
            ("tenant_id", "branch_id", "period"),
            ("tenant_id", "payment_id"),
            ("tenant_id", "period", "payment_id"),
        )


class DuesExemption(TenantModel):
    """Months of a member whose unpaid dues have a good reason (e.g. an approved deferral).

    Such months do not count towards the 自行脱党 run, the bills stay owed. Revoked, never deleted.
    """

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation = reference("core.Member")
    member_id: int
    branch: fields.ForeignKeyRelation = reference("core.Organization")
    branch_id: int
    from_month = fields.DateField(description="First day of the first month exempted")
    to_month = fields.DateField(description="First day of the last month exempted")
    reason = fields.TextField()
    approved_by = fields.CharField(max_length=200, description="Who approved it, e.g. the branch committee")
    approved_on = fields.DateField()
    recorded_by = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_on = fields.DateField(null=True)
    revoked_by = fields.CharField(max_length=200, default="")
    revoke_reason = fields.TextField(default="")

    class Meta:
        table = "dues_exemption"
        indexes = (("tenant_id", "member_id", "from_month"),)
