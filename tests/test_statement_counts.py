"""The nested query organizations → members → activities → attendance costs the same number of SQL
statements for 10 and for 500 members (DataLoaders batch every level)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from core.models import Activity, Attendance, Member, MemberCategoryAssignment
from core.principal import Principal
from core.services import organizations
from core.tenancy import tenant_scope
from tests.core_factories import gid
from tests.support import GraphQLClient, count_statements, make_tenant, slow_database

NESTED = """
query($root: ID!) {
  organizations(filter: {subtreeOf: $root}, first: 50) {
    totalCount
    edges { node {
      name kindLabel parent { name } leader { name }
      currentCommittee { seats { roleLabel member { name } } vacantSeats { role } }
      activities {
        topic stats { expected present leave absent attendanceRate } attendance { status member { name } }
      }
      members {
        name status phone idNumber branch { name } partyGroup { name } categories { code label }
        activities { topic kindLabel organization { name } stats { expected present attendanceRate } }
        attendance { status activity { topic heldOn } }
      }
    } }
  }
}
"""

BRANCHES = 4


async def build(members: int) -> tuple[int, int]:
    """A committee with 4 branches (one party group each), ``members`` people, 3 activities per branch
    with everybody's attendance. Returns (tenant id, root id)."""
    tenant = await make_tenant()
    with tenant_scope(tenant.id):
        root = await organizations.create_organization(kind="PARTY_COMMITTEE", name="党委")
        branches, groups = [], []
        for i in range(BRANCHES):
            branch = await organizations.create_organization(
                kind="BRANCH", name=f"支部{i}", parent_id=root.id
            )
            group = await organizations.create_organization(
                kind="PARTY_GROUP", name=f"小组{i}", parent_id=branch.id
            )
            branches.append(branch)
            groups.append(group)
        await Member.bulk_create(
            [
                Member(
                    name=f"党员{i}",
                    branch_id=branches[i % BRANCHES].id,
                    party_group_id=groups[i % BRANCHES].id if i % 2 else None,
                    phone=f"138{i:08d}",
                    status="FULL",
                    extra={},
                )
                for i in range(members)
            ]
        )
        people = await Member.all().order_by("id")
        await MemberCategoryAssignment.bulk_create(
            [MemberCategoryAssignment(member_id=m.id, category="RETIRED") for m in people[::3]]
        )
        for group, member in zip(groups, people, strict=False):
            group.leader_id = member.id
            await group.save(update_fields=["leader_id"])
        today = dt.date.today()
        await Activity.bulk_create(
            [
                Activity(
                    organization_id=b.id,
                    kind="THEMED_PARTY_DAY",
                    held_on=today - dt.timedelta(days=30 * k + 1),
                    topic=f"主题党日{k}",
                    extra={},
                )
                for b in branches
                for k in range(3)
            ]
        )
        activities = await Activity.all()
        await Attendance.bulk_create(
            [
                Attendance(activity_id=a.id, member_id=m.id, status="PRESENT" if m.id % 4 else "LEAVE")
                for a in activities
                for m in people
                if m.branch_id == a.organization_id
            ],
            batch_size=1000,
        )
    return tenant.id, root.id


async def run(members: int, *, slow: bool = False) -> tuple[int, dict]:
    tenant_id, root_id = await build(members)
    client = GraphQLClient(Principal.tenant_admin(tenant_id))
    with count_statements() as statements, slow_database() if slow else contextlib.nullcontext():
        data = await client.ok(NESTED, root=gid("Organization", root_id))
    return len(statements), data


@pytest.mark.parametrize("slow", [False, True], ids=["fast-database", "slow-database"])
async def test_nested_query_statement_count_is_constant(slow: bool):
    small_count, small = await run(10, slow=slow)
    large_count, large = await run(500, slow=slow)

    def people(data: dict) -> int:
        edges = data["organizations"]["edges"]
        return sum(len(e["node"]["members"]) for e in edges if e["node"]["kindLabel"] == "党支部")

    assert people(small) == 10 and people(large) == 500
    branch = next(e["node"] for e in large["organizations"]["edges"] if e["node"]["name"] == "支部0")
    assert len(branch["activities"]) == 3 and branch["activities"][0]["stats"]["expected"] == 125
    assert len(branch["members"][0]["attendance"]) == 3
    assert small_count == large_count, (small_count, large_count)
    # one statement per (level, relation) of NESTED, plus one per bounded nested list (the window
    # query choosing each organization's first N members / activities, each member's latest N
    # attendance rows)
    assert large_count == 21, large_count


async def test_a_small_signed_in_query_costs_one_statement_once_the_policies_are_cached():
    """The token's user, its tenant and the tenant's policy version in one statement (the context
    reuses the tenant row); the Casbin rules only when the version changed."""
    import httpx

    from core.app import create_app
    from core.testing.world import PASSWORD, make_user
    from tests.support import make_tenant

    tenant = await make_tenant()
    await make_user(tenant.id, "small", role="TENANT_ADMIN")
    app = create_app(manage_db=False, listen_policies=False, development=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://zhibu") as http:
        login = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }"
        variables = {"i": {"tenant": tenant.slug, "username": "small", "password": PASSWORD}}
        answer = await http.post("/graphql", json={"query": login, "variables": variables})
        token = answer.json()["data"]["login"]["accessToken"]
        headers = {"authorization": f"Bearer {token}"}
        await http.post("/graphql", json={"query": "{ tenant { name } }"}, headers=headers)
        with count_statements() as statements:
            response = await http.post("/graphql", json={"query": "{ tenant { name } }"}, headers=headers)
    assert response.json()["data"]["tenant"]["name"] == tenant.name
    assert len(statements) == 1, statements
