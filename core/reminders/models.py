"""Models of the ``reminders`` app (tortoise app label ``reminders``)."""

from __future__ import annotations

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class Reminder(TenantModel):
    """Something the people responsible for an organization must act on by a date.

    dedupe_key is unique per tenant, so repeated and concurrent runs insert each reminder once.
    """

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=48)
    subject_type = fields.CharField(max_length=48)
    subject_id = fields.IntField()
    organization: fields.ForeignKeyRelation = reference("core.Organization")
    organization_id: int
    due_on = fields.DateField()
    title = fields.CharField(max_length=300)
    details: dict = fields.JSONField(default=dict)
    dedupe_key = fields.CharField(max_length=200)
    created_at = fields.DatetimeField(auto_now_add=True)
    acknowledged_at = fields.DatetimeField(null=True)
    acknowledged_by = fields.CharField(max_length=200, default="")
    acknowledged_by_id = fields.IntField(null=True)
    acknowledge_note = fields.CharField(max_length=300, default="")

    class Meta:
        table = "reminder"
        unique_together = (("tenant_id", "dedupe_key"),)
        indexes = (
            ("tenant_id", "organization_id", "due_on"),
            ("tenant_id", "kind", "due_on"),
            ("tenant_id", "acknowledged_at"),
            ("tenant_id", "subject_type", "subject_id"),
        )
