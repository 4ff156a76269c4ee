"""Roles bound to positions in the organization tree, and the ONE role -> permission table.

A role is granted at an organization (its subtree) or tenant-wide. Assignments are domain records
(:class:`~core.access.models.RoleAssignment`); the Casbin policy lines of a tenant are derived from
them by :func:`sync_tenant_policies` (and from this module's table), written through the Casbin
adapter, and announced to every worker process (:mod:`core.access.enforcer`).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from core.error_codes import AccessErrorCode
from core.errors import DomainError
from core.permissions import Permission


class Role(StrEnum):
    TENANT_ADMIN = "TENANT_ADMIN"
    ORG_SECRETARY = "ORG_SECRETARY"
    ORG_COMMITTEE = "ORG_COMMITTEE"
    ORG_INSPECTOR = "ORG_INSPECTOR"
    MEMBER = "MEMBER"
    PLATFORM_OPERATOR = "PLATFORM_OPERATOR"


ROLE_LABELS: dict[str, str] = {
    Role.TENANT_ADMIN: "单位管理员",
    Role.ORG_SECRETARY: "组织书记",
    Role.ORG_COMMITTEE: "组织委员",
    Role.ORG_INSPECTOR: "督导",
    Role.MEMBER: "党员",
    Role.PLATFORM_OPERATOR: "平台运营",
}

_READ = {
    "TENANT_READ",
    "ORG_READ",
    "MEMBER_READ",
    "COMMITTEE_READ",
    "ACTIVITY_READ",
    "RECTIFICATION_READ",
    "ACCEPTANCE_READ",
    "STANDARDS_READ",
    "DEVELOPMENT_READ",
    "TRANSFER_READ",
    "DUES_READ",
    "REMINDER_READ",
}
_BRANCH_WORK = {
    "MEMBER_MANAGE",
    "MEMBER_SENSITIVE_READ",
    "ACTIVITY_MANAGE",
    "RECTIFICATION_MANAGE",
    "ACCEPTANCE_APPLY",
    "STANDARDS_RUN",
    "DEVELOPMENT_MANAGE",
    "TRANSFER_MANAGE",
    "DUES_MANAGE",
    "REMINDER_ACK",
}


def _tenant_permissions() -> frozenset[str]:
    return frozenset(p.value for p in Permission if not p.value.startswith("PLATFORM_"))


#: THE role -> permission table. Tenant-wide roles get "/" (the whole tenant); positional roles
#: get their organization's subtree; MEMBER gets its own branch. Permissions named here that no
#: field declares are harmless; a new permission is added here (see docs/access.md).
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.TENANT_ADMIN: _tenant_permissions(),
    Role.ORG_SECRETARY: frozenset(
        _READ
        | _BRANCH_WORK
        | {"COMMITTEE_MANAGE", "RECTIFICATION_CLOSE", "ACCEPTANCE_ASSESS", "ACCEPTANCE_DECIDE"}
    ),
    Role.ORG_COMMITTEE: frozenset(_READ | _BRANCH_WORK),
    Role.ORG_INSPECTOR: frozenset(
        _READ | {"RECTIFICATION_MANAGE", "RECTIFICATION_CLOSE", "ACCEPTANCE_ASSESS"}
    ),
    Role.MEMBER: frozenset({"TENANT_READ", "ORG_READ", "ACTIVITY_READ"}),
    Role.PLATFORM_OPERATOR: frozenset(p.value for p in Permission if p.value.startswith("PLATFORM_")),
}

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,63}$")


def plugin_permissions() -> list[Any]:
    """The ``PermissionSpec`` of every installed plugin, checked: a well-formed code of its own (no
    core permission, no ``PLATFORM_`` one) and known roles."""
    from core.plugins import collect_named

    specs, seen = [], {p.value for p in Permission}
    grantable = set(ROLE_PERMISSIONS) - {Role.PLATFORM_OPERATOR, Role.TENANT_ADMIN}
    for plugin, contributed in collect_named("zhibu_permissions", None):
        for spec in contributed:
            if not _CODE.match(spec.code) or spec.code.startswith("PLATFORM_") or spec.code in seen:
                raise RuntimeError(f"plugin {plugin}: permission code {spec.code!r} is malformed or taken")
            unknown = set(spec.roles) - grantable
            if unknown:
                raise RuntimeError(f"plugin {plugin}: permission {spec.code} names unknown roles {unknown}")
            seen.add(spec.code)
            specs.append(spec)
    return specs


def role_permissions() -> dict[str, frozenset[str]]:
    """The role -> permission table with the installed plugins' permissions added (computed once
    per plugin manager)."""
    from core.plugins import memoized

    return memoized(("role_permissions",), _role_permissions)


def _role_permissions() -> dict[str, frozenset[str]]:
    table = {role: set(permissions) for role, permissions in ROLE_PERMISSIONS.items()}
    for spec in plugin_permissions():
        table[Role.TENANT_ADMIN].add(spec.code)
        for role in spec.roles:
            table[role].add(spec.code)
    return {role: frozenset(permissions) for role, permissions in table.items()}


#: Roles that are granted tenant-wide (no organization).
TENANT_WIDE_ROLES = frozenset({Role.TENANT_ADMIN})
#: Roles granted at an organization (and its subtree) by an assignment.
POSITIONAL_ROLES = frozenset({Role.ORG_SECRETARY, Role.ORG_COMMITTEE, Role.ORG_INSPECTOR})
#: Committee seat role -> access role granted at the seat's organization.
SEAT_ROLES: dict[str, str] = {
    "SECRETARY": Role.ORG_SECRETARY,
    "DEPUTY_SECRETARY": Role.ORG_COMMITTEE,
    "ORGANIZATION": Role.ORG_COMMITTEE,
    "PUBLICITY": Role.ORG_COMMITTEE,
    "DISCIPLINE": Role.ORG_COMMITTEE,
    "MEMBER": Role.ORG_COMMITTEE,
}

#: Placeholder in MEMBER policies for the member's own branch path, filled per request.
BRANCH_PLACEHOLDER = "{branch}"


def role_instance(role: str, path: str) -> str:
    """The Casbin subject of ``role`` bound at ``path`` ("/" = tenant-wide)."""
    return f"{role}@{path}"


def parse_instance(subject: str) -> tuple[str, str]:
    role, _, path = subject.partition("@")
    return role, path


def check_role(role: str, organization_id: int | None) -> None:
    """Refuse unknown roles and roles given the wrong kind of position."""
    if role not in ROLE_PERMISSIONS or role in (Role.PLATFORM_OPERATOR, Role.MEMBER):
        raise DomainError(AccessErrorCode.ROLE_UNKNOWN, field="role", role=role)
    if role in TENANT_WIDE_ROLES and organization_id is not None:
        raise DomainError(AccessErrorCode.ROLE_TENANT_WIDE, field="organizationId")
    if role in POSITIONAL_ROLES and organization_id is None:
        raise DomainError(AccessErrorCode.ROLE_NEEDS_ORGANIZATION, field="organizationId")


async def expected_rules(tenant_id: int) -> set[tuple[str, str, str, str, str]]:
    """Every Casbin line the tenant's assignments imply: (ptype, v0, v1, v2, v3)."""
    from core.access.models import RoleAssignment, User
    from core.models import Organization

    dom = str(tenant_id)
    assignments = await RoleAssignment.all().values("role", "organization_id", "user_id", "member_id")
    org_ids = {a["organization_id"] for a in assignments if a["organization_id"]}
    paths = dict(await Organization.filter(id__in=list(org_ids)).values_list("id", "path")) if org_ids else {}
    users = await User.filter(is_active=True).values_list("id", "member_id")
    active = {uid for uid, _ in users}
    by_member: dict[int, list[int]] = {}
    for uid, member_id in users:
        if member_id is not None:
            by_member.setdefault(member_id, []).append(uid)

    rules: set[tuple[str, str, str, str, str]] = set()
    table = role_permissions()

    def grant(subjects: list[int], role: str, path: str, pattern: str) -> None:
        instance = role_instance(role, path)
        for uid in subjects:
            rules.add(("g", f"user:{uid}", instance, dom, ""))
        for permission in table.get(role, ()):
            rules.add(("p", instance, dom, pattern, permission))

    for a in assignments:
        if a["organization_id"] is None:
            path = "/"
        elif a["organization_id"] in paths:
            path = paths[a["organization_id"]]
        else:
            continue
        holders = [a["user_id"]] if a["user_id"] in active else by_member.get(a["member_id"] or -1, [])
        grant(holders, a["role"], path, f"{path}*")
    member_users = [uid for uid, member_id in users if member_id is not None]
    if member_users:
        grant(member_users, Role.MEMBER, BRANCH_PLACEHOLDER, f"{BRANCH_PLACEHOLDER}*")
    return rules


async def sync_tenant_policies(tenant_id: int) -> bool:
    """Bring the tenant's stored Casbin lines in line with its assignments. Returns whether
    anything changed (then the policy version is bumped and every worker reloads)."""
    from core.access.adapter import TenantCasbinAdapter
    from core.access.enforcer import policies_changed
    from core.tenancy import tenant_scope

    adapter = TenantCasbinAdapter(tenant_id)
    current = await adapter.stored_rules()
    with tenant_scope(tenant_id):
        expected = await expected_rules(tenant_id)
    missing = expected - set(current)
    extra = [rule_id for rule, rule_id in current.items() if rule not in expected]
    if not missing and not extra:
        return False
    await adapter.delete_ids(extra)
    await adapter.insert(sorted(missing))
    await policies_changed(tenant_id)
    return True


async def assign_role(
    *,
    role: str,
    organization_id: int | None = None,
    user_id: int | None = None,
    member_id: int | None = None,
    source: str = "MANUAL",
    seat_id: int | None = None,
) -> Any:
    """Record an assignment (idempotent for the same holder, role and position) and resync."""
    from core import audit
    from core.access.models import RoleAssignment
    from core.tenancy import current_tenant_id

    check_role(role, organization_id)
    existing = await RoleAssignment.filter(
        role=role, organization_id=organization_id, user_id=user_id, member_id=member_id, seat_id=seat_id
    ).first()
    if existing is not None:
        return existing
    assignment = await RoleAssignment.create(
        role=role,
        organization_id=organization_id,
        user_id=user_id,
        member_id=member_id,
        source=source,
        seat_id=seat_id,
    )
    audit.created(assignment)
    await sync_tenant_policies(current_tenant_id())
    return assignment


async def sync_seat_roles(seat: Any, organization: Any, ended: bool) -> None:
    """Grant (or revoke) the access role of a committee seat at its organization.

    Called by the ``zhibu_committee_seat_changed`` hook inside the committee mutation's
    transaction: an ended or vacant seat grants nothing; a filled seat grants the role of
    :data:`SEAT_ROLES` to the seat's member (and so to the users linked to that member).
    """
    from core import audit
    from core.access.models import RoleAssignment, RoleSource
    from core.tenancy import tenant_scope

    tenant_id = getattr(seat, "tenant_id", None) or organization.tenant_id
    with tenant_scope(tenant_id):
        role = SEAT_ROLES.get(str(getattr(seat, "role", "")), Role.ORG_COMMITTEE)
        member_id = getattr(seat, "member_id", None)
        live = not ended and getattr(seat, "ended_on", None) is None and member_id is not None
        rows = await RoleAssignment.filter(seat_id=seat.id, source=RoleSource.SEAT)
        keep = None
        for row in rows:
            same = row.member_id == member_id and row.role == role and row.organization_id == organization.id
            if live and same and keep is None:
                keep = row
                continue
            audit.removed(row)
            await row.delete()
        if live and keep is None:
            assignment = await RoleAssignment.create(
                role=role,
                organization_id=organization.id,
                member_id=member_id,
                source=RoleSource.SEAT,
                seat_id=seat.id,
            )
            audit.created(assignment)
        await sync_tenant_policies(tenant_id)
