"""The append-only audit trail."""

from __future__ import annotations

from tortoise import fields

from core.tenancy import TenantModel


class AuditRecord(TenantModel):
    """One change made by a mutation, written in the mutation transaction. Never updated."""

    id = fields.BigIntField(primary_key=True)
    actor_id = fields.IntField(null=True)
    actor = fields.CharField(max_length=200, default="")
    operation = fields.CharField(max_length=100)
    target_type = fields.CharField(max_length=64, default="")
    target_id = fields.CharField(max_length=64, default="")
    before: dict = fields.JSONField(default=dict)
    after: dict = fields.JSONField(default=dict)
    request_id = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_record"
        indexes = (
            ("tenant_id", "created_at"),
            ("tenant_id", "target_type", "target_id"),
            ("tenant_id", "actor_id", "created_at"),
            ("tenant_id", "operation", "created_at"),
        )

    async def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if self.id is not None and not kwargs.get("force_create"):
            raise PermissionError("audit records are append-only")
        await super().save(*args, **kwargs)
