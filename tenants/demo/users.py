"""Demo seeder: the accounts of each demo tenant (documented in README, section "Demo accounts").

Every demo tenant gets the same five usernames, all with the password :data:`DEMO_PASSWORD`:

| username | role | where |
|---|---|---|
| ``admin`` | TENANT_ADMIN | the whole tenant |
| ``shuji`` | ORG_SECRETARY | the top committee (linked to its secretary when there is one) |
| ``zhibu`` | ORG_SECRETARY | the first branch (linked to the branch secretary) |
| ``dudao`` | ORG_INSPECTOR | the top committee, read-only |
| ``dangyuan`` | MEMBER | a plain member of that branch (own branch's activities, own record) |

Runs inside the demo tenant's transaction with the tenant bound and no guard (trusted code).
"""

from __future__ import annotations

from typing import Any

from core.access import services
from core.access.models import User
from core.access.roles import assign_role
from core.models.member import CURRENT_MEMBER_STATUSES

DEMO_PASSWORD = "zhibu-demo-2026"


def _pick(world: Any, seated: set[int]) -> tuple[Any, Any, Any, Any, Any]:
    """(top organization, its secretary, first branch, its secretary, a plain member of it)."""
    orgs = sorted(world.orgs(), key=lambda o: (o.depth, o.id))
    root = orgs[0]
    key_of = {id(v): k[4:] for k, v in world.items() if k.startswith("org:")}
    root_secretary = world.get(f"secretary:{key_of[id(root)]}")
    branches = [o for o in orgs if o.kind in ("BRANCH", "JOINT_BRANCH") and world.members(key_of[id(o)])]
    branch = next(
        (b for b in branches if world.get(f"secretary:{key_of[id(b)]}")), branches[0] if branches else root
    )
    branch_key = key_of[id(branch)]
    branch_secretary = world.get(f"secretary:{branch_key}")
    if (
        root_secretary is not None
        and branch_secretary is not None
        and root_secretary.id == branch_secretary.id
    ):
        root_secretary = None  # a one-branch tenant: the branch secretary account is linked
    taken = {m.id for m in (root_secretary, branch_secretary) if m is not None} | seated
    plain = next(
        (
            m
            for m in world.members(branch_key)
            if m.id not in taken and m.status in CURRENT_MEMBER_STATUSES and m.branch_id == branch.id
        ),
        None,
    )
    return root, root_secretary, branch, branch_secretary, plain


async def seed_users(tenant: Any, world: Any) -> list[str]:
    if await User.filter(username="admin").exists():
        return []
    from core.models import CommitteeSeat

    seated = set(
        await CommitteeSeat.filter(ended_on=None, member_id__isnull=False).values_list("member_id", flat=True)
    )
    root, root_secretary, branch, branch_secretary, plain = _pick(world, seated)
    accounts = [
        ("admin", "单位管理员", None, "TENANT_ADMIN", None),
        ("shuji", f"{root.name}书记", root_secretary, "ORG_SECRETARY", root),
        ("zhibu", f"{branch.name}书记", branch_secretary, "ORG_SECRETARY", branch),
        ("dudao", "督导组", None, "ORG_INSPECTOR", root),
        ("dangyuan", plain.name if plain else "党员", plain, None, None),
    ]
    for username, display, member, role, org in accounts:
        user = await services.create_user(
            username=username,
            password=DEMO_PASSWORD,
            display_name=display,
            member_id=member.id if member is not None else None,
        )
        if role is not None:
            await assign_role(role=role, organization_id=org.id if org is not None else None, user_id=user.id)
    return [
        f"{tenant.slug}: 账号 admin / shuji（{root.name}）/ zhibu（{branch.name}）/ dudao / dangyuan，"
        f"密码 {DEMO_PASSWORD}"
    ]
