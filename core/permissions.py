"""Permissions a field or mutation can declare. Plugins may declare their own strings."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    """What a caller may do; granted on a subtree of the organization tree (or tenant-wide)."""

    TENANT_READ = "TENANT_READ"
    TENANT_MANAGE = "TENANT_MANAGE"
    ORG_READ = "ORG_READ"
    ORG_MANAGE = "ORG_MANAGE"
    MEMBER_READ = "MEMBER_READ"
    MEMBER_MANAGE = "MEMBER_MANAGE"
    MEMBER_SENSITIVE_READ = "MEMBER_SENSITIVE_READ"
    COMMITTEE_READ = "COMMITTEE_READ"
    COMMITTEE_MANAGE = "COMMITTEE_MANAGE"
    ACTIVITY_READ = "ACTIVITY_READ"
    ACTIVITY_MANAGE = "ACTIVITY_MANAGE"
    AUDIT_READ = "AUDIT_READ"
    PLATFORM_MANAGE_TENANTS = "PLATFORM_MANAGE_TENANTS"
