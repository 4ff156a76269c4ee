"""Small helpers for plugins' GraphQL code: organization-owned nodes and organization lookups."""

from __future__ import annotations

from typing import Any

from core.error_codes import OrganizationErrorCode
from core.errors import DomainError, NotFound
from core.graphql.core.fields import require_read
from core.graphql.core.nodes import decode_id
from core.guard import require
from core.models import Member, Organization
from core.services.organizations import subtree_root


async def organization_for(
    gid: Any,
    *,
    field: str = "organizationId",
    kinds: set[str] | None = None,
    write: bool = False,
    info: Any = None,
    read: str | None = None,
) -> Organization:
    """The organization behind the global ID ``gid``; ``kinds`` restricts its kind (``BRANCH`` …).

    ``write`` applies the mutation guard and refuses dissolved organizations; ``info`` + ``read``
    (a permission) check that the caller may read there. Both checks come before the kind check, so
    a caller learns nothing about organizations outside their grants.
    """
    org = await subtree_root(decode_id(gid, "Organization", field=field), field)  # NOT_FOUND on ``field``
    assert org is not None
    if write:
        require(org.path)
    if read is not None:
        require_read(info, org.path, read)
    if kinds is not None and org.kind not in kinds:
        raise DomainError(
            OrganizationErrorCode.ORG_KIND_NOT_ALLOWED, field=field, kind=org.kind, name=org.name
        )
    if write and org.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field=field, name=org.name)
    return org


async def branch_for(
    gid: Any, *, field: str = "organizationId", write: bool = False, info: Any = None, read: str | None = None
) -> Organization:
    """A branch-like organization (党支部、联合党支部、临时党支部 or a plugin's branch kind)."""
    from core.registry import vocabulary_for
    from core.services.tenants import current_tenant

    tenant = await current_tenant()
    kinds = set(vocabulary_for(tuple(tenant.enabled_plugins or ())).branch_kinds())
    return await organization_for(gid, field=field, kinds=kinds, write=write, info=info, read=read)


async def member_for(gid: Any, *, field: str = "memberId", write: bool = False) -> Member:
    """The member behind ``gid``; ``write`` checks the caller may change the member's branch."""

    member = await Member.get_or_none(id=decode_id(gid, "Member", field=field)).select_related("branch")
    if member is None:
        raise NotFound("党员", gid, field=field)
    if write:
        require(member.branch.path)
    return member
