"""The organization tree: create, update, dissolve and move organizations.

Paths are ``/<id>/<id>/…/`` from the root; a subtree is every organization whose path starts with
the subtree root's path, read with one indexed prefix query. Moving a subtree rewrites all its paths
with one UPDATE inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q

from core import audit, sql
from core.error_codes import OrganizationErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.models import Member, Organization
from core.models.member import ACTIVE_STATUSES, CURRENT_MEMBER_STATUSES
from core.plugins import notify
from core.registry import ORGANIZATION_SECTORS, Vocabulary, vocabulary_for
from core.services.tenants import current_tenant
from core.tenant_config import effective_config


async def current_vocabulary() -> Vocabulary:
    tenant = await current_tenant()
    return vocabulary_for(tuple(tenant.enabled_plugins or ()))


def ancestor_ids(path: str) -> list[int]:
    """Ids on ``path`` from the root down, the organization itself last."""
    return [int(part) for part in path.strip("/").split("/") if part]


async def get_organization(org_id: int, *, for_write: bool = False) -> Organization:
    """An organization of the bound tenant; with ``for_write`` the caller must be allowed there."""
    org = await Organization.get_or_none(id=org_id)
    if org is None:
        raise NotFound("组织", org_id, field="id")
    if for_write:
        require(org.path)
    return org


async def subtree_root(org_id: int | None, field: str = "subtreeOf") -> Organization | None:
    """The organization a subtree argument (``subtreeOf``, ``scopeId`` …) names, None for none
    given; ``NOT_FOUND`` on ``field`` when it names no organization of the bound tenant."""
    if org_id is None:
        return None
    org = await Organization.get_or_none(id=org_id)
    if org is None:
        raise NotFound("组织", org_id, field=field)
    return org


def _check_nesting(vocabulary: Vocabulary, kind: str, parent: Organization | None) -> None:
    spec = vocabulary.organization_kinds.get(kind)
    if spec is None:
        raise ValidationFailed(f"未知的组织类型：{kind}", field="kind")
    if parent is None:
        if not spec.may_be_root:
            raise DomainError(
                OrganizationErrorCode.ORG_NESTING_NOT_ALLOWED,
                field="parentId",
                label=spec.label,
                place="最上层，必须设在上级组织之下",
            )
        return
    if parent.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="parentId", name=parent.name)
    parent_spec = vocabulary.organization_kinds.get(parent.kind)
    if parent_spec is None or kind not in parent_spec.allowed_children:
        parent_label = parent_spec.label if parent_spec else parent.kind
        raise DomainError(
            OrganizationErrorCode.ORG_NESTING_NOT_ALLOWED,
            field="parentId",
            parent_kind=parent.kind,
            kind=kind,
            label=spec.label,
            place=f"{parent_label}之下",
        )


async def _check_shape(org_kind: str, covered_units: list[str], temporary_body: str | None) -> None:
    tenant = await current_tenant()
    max_units = effective_config(tenant)["organization"]["joint_branch_max_units"]
    if org_kind == "JOINT_BRANCH":
        if len(covered_units) > max_units:
            raise DomainError(
                OrganizationErrorCode.JOINT_BRANCH_TOO_MANY_UNITS,
                field="coveredUnits",
                limit=max_units,
                max_units=max_units,
                covered_units_count=len(covered_units),
            )
        if len({u.strip() for u in covered_units}) != len(covered_units):
            raise ValidationFailed("覆盖单位不能重复", field="coveredUnits")
    elif covered_units:
        raise ValidationFailed("只有联合党支部可以登记覆盖单位", field="coveredUnits")
    if org_kind == "TEMPORARY_BRANCH" and not (temporary_body or "").strip():
        raise ValidationFailed("临时党支部须登记所依托的临时机构", field="temporaryBody")


def _clean_sector(sector: str | None) -> str | None:
    """A known sector code, or None (not registered)."""
    sector = (sector or "").strip().upper() or None
    if sector is not None and sector not in ORGANIZATION_SECTORS:
        choices = "、".join(f"{code}（{label}）" for code, label in ORGANIZATION_SECTORS.items())
        raise ValidationFailed(f"未知的组织所在领域：{sector}，可选：{choices}", field="sector")
    return sector


async def create_organization(
    *,
    kind: str,
    name: str,
    parent_id: int | None = None,
    established_on: dt.date | None = None,
    covered_units: list[str] | None = None,
    temporary_body: str | None = None,
    sector: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Organization:
    """Create an organization under ``parent_id`` (or a root), enforcing the nesting rules."""
    if not name.strip():
        raise ValidationFailed("组织名称不能为空", field="name")
    parent = await get_organization(parent_id, for_write=True) if parent_id else None
    if parent is None:
        require(None)  # a new root is a tenant-wide change
    _check_nesting(await current_vocabulary(), kind, parent)
    covered_units = [u.strip() for u in (covered_units or []) if u.strip()]
    await _check_shape(kind, covered_units, temporary_body)
    org = await Organization.create(
        kind=kind,
        name=name.strip(),
        parent=parent,
        path="",
        depth=(parent.depth + 1) if parent else 0,
        established_on=established_on,
        covered_units=covered_units,
        temporary_body=(temporary_body or None),
        sector=_clean_sector(sector),
        extra=extra or {},
    )
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    await org.save(update_fields=["path"])
    audit.created(org)
    await notify("zhibu_organization_created", organization=org)
    return org


async def update_organization(
    org_id: int,
    *,
    name: str | None = None,
    established_on: dt.date | None = None,
    covered_units: list[str] | None = None,
    temporary_body: str | None = None,
    sector: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Organization:
    """Change an organization's attributes; ``sector=""`` clears the sector."""
    org = await get_organization(org_id, for_write=True)
    if org.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="id", name=org.name)
    before = audit.snapshot(org)
    if name is not None:
        if not name.strip():
            raise ValidationFailed("组织名称不能为空", field="name")
        org.name = name.strip()
    if established_on is not None:
        org.established_on = established_on
    if covered_units is not None:
        org.covered_units = [u.strip() for u in covered_units if u.strip()]
    if temporary_body is not None:
        org.temporary_body = temporary_body.strip() or None
    if sector is not None:
        org.sector = _clean_sector(sector)
    if extra is not None:
        org.extra = {**(org.extra or {}), **extra}
    await _check_shape(org.kind, org.covered_units or [], org.temporary_body)
    await org.save()
    audit.changed(org, before)
    return org


async def dissolve_organization(org_id: int, *, on: dt.date | None = None) -> Organization:
    """Dissolve (never delete). Refused while it has members or live sub-organizations."""
    org = await get_organization(org_id, for_write=True)
    if org.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="id", name=org.name)
    members = await Member.filter(
        Q(branch_id=org.id) | Q(party_group_id=org.id), status__in=list(ACTIVE_STATUSES)
    ).count()
    if members:
        raise DomainError(OrganizationErrorCode.ORG_HAS_MEMBERS, field="id", members=members, name=org.name)
    children = await Organization.filter(parent_id=org.id, dissolved_on__isnull=True).count()
    if children:
        raise DomainError(
            OrganizationErrorCode.ORG_HAS_CHILDREN, field="id", children=children, name=org.name
        )
    before = audit.snapshot(org)
    org.dissolved_on = on or dt.date.today()
    await org.save(update_fields=["dissolved_on", "updated_at"])
    audit.changed(org, before)
    from core.services.committees import close_live_term

    await close_live_term(org, on=org.dissolved_on)  # its committee becomes history
    return org


async def move_organization(org_id: int, new_parent_id: int) -> Organization:
    """Move ``org_id`` and its whole subtree under ``new_parent_id`` (one UPDATE of the paths)."""
    org = await get_organization(org_id, for_write=True)
    parent = await get_organization(new_parent_id, for_write=True)
    if parent.path.startswith(org.path):
        raise DomainError(OrganizationErrorCode.ORG_MOVE_INTO_OWN_SUBTREE, field="newParentId")
    if org.parent_id == parent.id:
        raise DomainError(OrganizationErrorCode.ORG_MOVE_NO_CHANGE, field="newParentId")
    if org.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="id", name=org.name)
    _check_nesting(await current_vocabulary(), org.kind, parent)
    before = audit.snapshot(org)
    old_prefix = org.path
    new_prefix = f"{parent.path}{org.id}/"
    depth_delta = parent.depth + 1 - org.depth
    await sql.execute(
        "UPDATE organization SET path = :new_prefix || substr(path, :cut), depth = depth + :delta "
        "WHERE tenant_id = :tenant_id AND path LIKE :pattern",
        new_prefix=new_prefix,
        cut=len(old_prefix) + 1,
        delta=depth_delta,
        pattern=_like_prefix(old_prefix),
    )
    org.parent_id = parent.id
    await org.save(update_fields=["parent_id", "updated_at"])
    await org.refresh_from_db()
    audit.changed(org, before)
    await notify("zhibu_organization_moved", organization=org, old_path=old_prefix, new_path=org.path)
    return org


async def set_group_leader(group_id: int, member_id: int | None) -> Organization:
    """Make ``member_id`` (a current member of the group) the leader of a party group, or clear it."""
    group = await get_organization(group_id, for_write=True)
    if group.kind != "PARTY_GROUP":
        raise DomainError(OrganizationErrorCode.ORG_NOT_PARTY_GROUP, field="groupId", name=group.name)
    if group.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="groupId", name=group.name)
    if member_id is not None:
        member = await Member.get_or_none(id=member_id)
        if member is None:
            raise NotFound("党员", member_id, field="memberId")
        if member.party_group_id != group.id:
            raise DomainError(
                OrganizationErrorCode.GROUP_LEADER_NOT_IN_GROUP,
                field="memberId",
                name=member.name,
                group_name=group.name,
            )
        if member.status not in CURRENT_MEMBER_STATUSES:
            raise DomainError(
                OrganizationErrorCode.GROUP_LEADER_NOT_MEMBER, field="memberId", name=member.name
            )
    before = audit.snapshot(group)
    group.leader_id = member_id
    await group.save(update_fields=["leader_id", "updated_at"])
    audit.changed(group, before)
    return group


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern for paths starting with ``prefix`` (paths hold only digits and slashes)."""
    return prefix + "%"


def subtree(org: Organization, *, include_dissolved: bool = True):  # noqa: ANN201
    """Queryset of ``org`` and everything below it (one prefix query)."""
    query = Organization.filter(path__startswith=org.path)
    if not include_dissolved:
        query = query.filter(dissolved_on__isnull=True)
    return query
