"""Tenants (agencies) and their versioned configuration."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from core.fields import reference


class TenantDomain(StrEnum):
    """The built-in domain codes, as migration ``core/0001`` declared the column. Domains now come
    from the ``zhibu_tenant_domains`` hook (``core.plugins.tenant_domains()``): a plugin may add one,
    so the column is a plain string checked by the tenant service."""

    RURAL = "rural"
    ENTERPRISE = "enterprise"
    NEWSPAPER = "newspaper"
    FOREIGN_AFFAIRS = "foreign_affairs"
    OTHER = "other"


class Tenant(Model):
    """An agency onboarded on the platform. Not tenant-owned itself: the platform owns it."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=63, unique=True)
    name = fields.CharField(max_length=200)
    #: a code of ``core.plugins.tenant_domains()`` (checked by ``core.services.tenants``)
    domain = fields.CharField(max_length=32, default="other")
    enabled_plugins: list[str] = fields.JSONField(default=list)
    scoring_plugin = fields.CharField(max_length=63, default="baseline")
    config: dict = fields.JSONField(default=dict)
    config_version = fields.IntField(default=1)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tenant"

    def __str__(self) -> str:
        return self.slug


class TenantConfigVersion(Model):
    """Every version of the configuration of a tenant (score runs cite the version they used)."""

    id = fields.IntField(primary_key=True)
    tenant: fields.ForeignKeyRelation[Tenant] = reference(
        "core.Tenant", related_name="config_versions", on_delete=fields.CASCADE
    )
    version = fields.IntField()
    config: dict = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    created_by = fields.CharField(max_length=200, default="")

    class Meta:
        table = "tenant_config_version"
        unique_together = (("tenant_id", "version"),)
