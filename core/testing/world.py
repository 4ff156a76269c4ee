"""The world contract checks run in: a tenant with a small organization tree, members, and one user
per role, whose principals are built by the real access layer (Casbin enforcer -> grants).

Part of zhibu's test kit: plugin authors build their operations' targets in it (see
:mod:`core.testing.contract`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from core.access import services
from core.access.authentication import principal_for_user
from core.access.models import User
from core.access.roles import assign_role
from core.principal import Principal
from core.tenancy import tenant_scope
from core.testing import GraphQLClient, gid, make_tenant

PASSWORD = "Zhibu-2026!"
_names = itertools.count(1)


async def make_user(
    tenant_id: int,
    username: str | None = None,
    *,
    role: str | None = None,
    org_id: int | None = None,
    member_id: int | None = None,
    password: str = PASSWORD,
) -> User:
    """An account (trusted code, no guard), optionally with a role at ``org_id``."""
    with tenant_scope(tenant_id):
        user = await services.create_user(
            username=username or f"user{next(_names)}", password=password, member_id=member_id
        )
        if role is not None:
            await assign_role(role=role, organization_id=org_id, user_id=user.id)
    return user


async def principal_of(user: User) -> Principal:
    """The principal the access layer builds for ``user`` (as for a request with their token)."""
    return await principal_for_user(user)


async def client_of(user: User) -> GraphQLClient:
    return GraphQLClient(await principal_of(user))


@dataclass
class World:
    """A tenant with a small tree; keys name organizations and members.

    ::

        R   PARTY_COMMITTEE            (ancestor of O)
        ├── RB  BRANCH
        ├── O   PARTY_COMMITTEE        (roles are bound here: "own")
        │   ├── OB  BRANCH             (subtree; MEMBER's own branch)
        │   │   └── OG  PARTY_GROUP
        │   └── O2B BRANCH
        └── X   PARTY_COMMITTEE        (sibling of O)
            └── XB  BRANCH
    """

    tenant: Any
    orgs: dict[str, Any] = field(default_factory=dict)
    members: dict[str, Any] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    admin: GraphQLClient | None = None
    #: the user key the current matrix cell runs as (builders of "self" operations read it)
    caller: str = "admin"

    @property
    def tenant_id(self) -> int:
        return self.tenant.id

    def path(self, key: str) -> str:
        return self.orgs[key].path

    def org_gid(self, key: str) -> str:
        return gid("Organization", self.orgs[key].id)

    def member_gid(self, key: str) -> str:
        return gid("Member", self.members[key].id)

    async def client(self, key: str) -> GraphQLClient:
        return await client_of(self.users[key])


TREE = (
    ("R", "PARTY_COMMITTEE", None, "市直机关党委"),
    ("RB", "BRANCH", "R", "机关第一党支部"),
    ("O", "PARTY_COMMITTEE", "R", "某局机关党委"),
    ("OB", "BRANCH", "O", "办公室党支部"),
    ("OG", "PARTY_GROUP", "OB", "第一党小组"),
    ("O2B", "BRANCH", "O", "业务处党支部"),
    ("X", "PARTY_COMMITTEE", "R", "某委机关党委"),
    ("XB", "BRANCH", "X", "综合处党支部"),
)
BRANCHES = ("RB", "OB", "O2B", "XB")

#: role key -> (role, organization key or None)
ROLE_USERS = {
    "admin": ("TENANT_ADMIN", None),
    "secretary": ("ORG_SECRETARY", "O"),
    "committee": ("ORG_COMMITTEE", "O"),
    "inspector": ("ORG_INSPECTOR", "O"),
    "branch_secretary": ("ORG_SECRETARY", "OB"),
}


async def build_world(tenant: Any | None = None) -> World:
    """The tree, two members per branch, and one user per role (plus a MEMBER user in OB)."""
    from core.models import Member, Organization

    tenant = tenant or await make_tenant()
    world = World(tenant=tenant)
    with tenant_scope(tenant.id):
        for key, kind, parent, name in TREE:
            parent_row = world.orgs[parent] if parent else None
            org = await Organization.create(
                kind=kind,
                name=name,
                parent=parent_row,
                path="",
                depth=(parent_row.depth + 1) if parent_row else 0,
            )
            org.path = f"{parent_row.path if parent_row else '/'}{org.id}/"
            await org.save(update_fields=["path"])
            world.orgs[key] = org
        for i, key in enumerate(BRANCHES):
            for n in (1, 2):
                world.members[f"{key}-{n}"] = await Member.create(
                    name=f"党员{key}{n}",
                    branch_id=world.orgs[key].id,
                    party_group_id=world.orgs["OG"].id if key == "OB" and n == 2 else None,
                    status="FULL",
                    phone=f"1380000{i}{n:03d}",
                    id_number=f"11010119800101{i}{n:03d}"[:18],
                )
    for key, (role, org_key) in ROLE_USERS.items():
        org_id = world.orgs[org_key].id if org_key else None
        world.users[key] = await make_user(tenant.id, f"{key}-{tenant.id}", role=role, org_id=org_id)
    world.users["member"] = await make_user(
        tenant.id, f"member-{tenant.id}", member_id=world.members["OB-1"].id
    )
    world.admin = await client_of(world.users["admin"])
    return world
