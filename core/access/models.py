"""Models of the ``access`` app: users, platform operators, API tokens, role assignments and the
Casbin policy store."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from core.fields import reference
from core.tenancy import TenantModel


class RoleSource(StrEnum):
    MANUAL = "MANUAL"
    SEAT = "SEAT"


class User(TenantModel):
    """A person who signs in to one tenant. Usernames are unique per tenant."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64)
    display_name = fields.CharField(max_length=100, default="")
    password_hash = fields.CharField(max_length=255)
    token_version = fields.IntField(default=1)
    is_active = fields.BooleanField(default=True)
    #: an initial or reset password: every permission-checked field is refused until it is changed
    must_change_password = fields.BooleanField(default=False)
    member: fields.ForeignKeyNullableRelation = reference("core.Member", null=True, on_delete=fields.SET_NULL)
    member_id: int | None
    last_login_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "access_user"
        unique_together = (("tenant_id", "username"),)
        indexes = (("tenant_id", "member_id"),)


class PlatformOperator(Model):
    """A platform operator who onboards tenants. Not tenant-owned and sees no member data."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    display_name = fields.CharField(max_length=100, default="")
    password_hash = fields.CharField(max_length=255)
    token_version = fields.IntField(default=1)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "access_platform_operator"


class SignInCounter(Model):
    """Failed sign-ins of one throttling key (account or client address) in its current window.

    Shared by every worker (:mod:`core.access.throttle`); keys carry the tenant where they have one.
    Not tenant-owned: an address is throttled across tenants."""

    key = fields.CharField(max_length=255, primary_key=True)
    failures = fields.IntField(default=0)
    #: start of the current window, seconds since the epoch
    window_start = fields.BigIntField(default=0)

    class Meta:
        table = "access_sign_in_counter"


class ApiToken(TenantModel):
    """A scoped, revocable token for integrations, acting as its owner within the listed scopes."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = reference(
        "access.User", related_name="api_tokens", on_delete=fields.CASCADE
    )
    user_id: int
    name = fields.CharField(max_length=100)
    prefix = fields.CharField(max_length=16)
    secret_hash = fields.CharField(max_length=128)
    scopes: list[str] = fields.JSONField(default=list)
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "access_api_token"
        indexes = (("tenant_id", "user_id"),)


class RoleAssignment(TenantModel):
    """A role bound to a position in the tree (no organization: the whole tenant).

    Held by a user, or by a member (committee seats): a seat role reaches the users linked to the
    member.
    """

    id = fields.IntField(primary_key=True)
    role = fields.CharField(max_length=32)
    organization: fields.ForeignKeyNullableRelation = reference(
        "core.Organization", null=True, on_delete=fields.CASCADE
    )
    organization_id: int | None
    user: fields.ForeignKeyNullableRelation[User] = reference(
        "access.User", related_name="role_assignments", null=True, on_delete=fields.CASCADE
    )
    user_id: int | None
    member: fields.ForeignKeyNullableRelation = reference("core.Member", null=True, on_delete=fields.CASCADE)
    member_id: int | None
    source = fields.CharEnumField(RoleSource, max_length=8, default=RoleSource.MANUAL)
    seat_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "access_role_assignment"
        indexes = (
            ("tenant_id", "user_id"),
            ("tenant_id", "member_id"),
            ("tenant_id", "seat_id"),
            ("tenant_id", "organization_id"),
        )


class CasbinRule(TenantModel):
    """One Casbin policy line (ptype p or g) of one tenant. Loaded filtered by tenant."""

    id = fields.IntField(primary_key=True)
    ptype = fields.CharField(max_length=8)
    v0 = fields.CharField(max_length=255, default="")
    v1 = fields.CharField(max_length=255, default="")
    v2 = fields.CharField(max_length=255, default="")
    v3 = fields.CharField(max_length=255, default="")
    v4 = fields.CharField(max_length=255, default="")
    v5 = fields.CharField(max_length=255, default="")

    class Meta:
        table = "access_casbin_rule"
        indexes = (("tenant_id", "ptype", "v0"),)


class PolicyVersion(TenantModel):
    """The version of the policies of a tenant, bumped on every change (the polling fallback)."""

    id = fields.IntField(primary_key=True)
    version = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "access_policy_version"
        unique_together = (("tenant_id",),)
