"""Quarterly reports: a frozen snapshot of an organization's recorded facts for one quarter."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class ReportStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    RETURNED = "RETURNED"


class QuarterlyReport(TenantModel):
    """党建工作季度报表 of one organization: derived from the records when submitted, then frozen"""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    year = fields.IntField()
    quarter = fields.IntField()
    status = fields.CharEnumField(ReportStatus, max_length=12, default=ReportStatus.SUBMITTED)
    content: dict = fields.JSONField(default=dict)
    note = fields.TextField(default="")
    submitted_by = fields.CharField(max_length=200, default="")
    submitted_by_user_id = fields.IntField(null=True)
    submitted_at = fields.DatetimeField()
    reviewed_by = fields.CharField(max_length=200, default="")
    reviewed_at = fields.DatetimeField(null=True)
    review_comment = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "quarterly_report"
        unique_together = (("tenant_id", "organization_id", "year", "quarter"),)
        indexes = (("tenant_id", "year", "quarter", "status"),)
