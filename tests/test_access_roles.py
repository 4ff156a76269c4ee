"""Roles on the tree: seats grant and revoke roles, sensitive fields, policies per tenant, and policy
reload across worker processes (version polling; LISTEN/NOTIFY on PostgreSQL)."""

from __future__ import annotations

import pytest

from core.access.adapter import TenantCasbinAdapter, TenantFilter
from core.access.authentication import principal_for_user
from core.access.enforcer import EnforcerCache, PolicyListener, build_enforcer, grants_for
from core.access.roles import assign_role
from core.tenancy import tenant_scope
from core.testing.database import backend
from core.testing.world import build_world, client_of, make_user
from tests.support import GraphQLClient

START = """
mutation($input: StartCommitteeTermInput!) {
  startCommitteeTerm(input: $input) { errors { code message } term { id seats { id role } } }
}
"""
END_SEAT = """
mutation($input: EndCommitteeSeatInput!) { endCommitteeSeat(input: $input) { errors { code message } } }
"""
MEMBERS = "query($b: ID!) { members(filter: {branchId: $b}) { edges { node { name phone idNumber } } } }"


async def test_committee_seat_grants_and_ending_it_revokes_the_role():
    world = await build_world()
    # the member user (linked to OB-1) is elected secretary of OB
    member_user = world.users["member"]
    before = await client_of(member_user)
    assert before.principal.prefixes("MEMBER_READ") == ()
    assert before.principal.prefixes("ACTIVITY_READ") == (world.path("OB"),)  # MEMBER: own branch
    result = await before.execute(MEMBERS, {"b": world.org_gid("OB")})
    assert result.errors[0].extensions["code"] == "PERMISSION_DENIED"

    payload = await world.admin.mutate(
        START,
        input={
            "organizationId": world.org_gid("OB"),
            "startsOn": "2026-01-01",
            "seats": [{"role": "SECRETARY", "memberId": world.member_gid("OB-1")}],
        },
    )
    (seat,) = payload["term"]["seats"]
    secretary = await client_of(member_user)
    assert secretary.principal.prefixes("MEMBER_READ") == (world.path("OB"),)
    rows = (await secretary.ok(MEMBERS, b=world.org_gid("OB")))["members"]["edges"]
    assert {r["node"]["name"] for r in rows} == {"党员OB1", "党员OB2"}
    assert all("*" not in r["node"]["phone"] for r in rows)  # sensitive fields in the clear
    # not above, not beside
    beside = await secretary.ok(MEMBERS, b=world.org_gid("XB"))
    assert beside["members"]["edges"] == []  # lists are filtered in SQL, not refused

    await world.admin.mutate(
        END_SEAT, input={"seatId": seat["id"], "endedOn": "2026-03-01", "keepVacant": True}
    )
    after = await client_of(member_user)
    assert after.principal.prefixes("MEMBER_READ") == ()
    assert after.principal.prefixes("ACTIVITY_READ") == (world.path("OB"),)


async def test_sensitive_fields_masked_for_inspectors_and_visible_to_the_member_themself():
    world = await build_world()
    inspector = await world.client("inspector")
    rows = (await inspector.ok(MEMBERS, b=world.org_gid("OB")))["members"]["edges"]
    assert rows and all("*" in r["node"]["phone"] and "*" in r["node"]["idNumber"] for r in rows)
    secretary = await world.client("secretary")  # committee secretary above the branch
    rows = (await secretary.ok(MEMBERS, b=world.org_gid("OB")))["members"]["edges"]
    assert all("*" not in r["node"]["phone"] for r in rows)
    member = await world.client("member")
    me = (await member.ok("{ me { roles member { name phone } } }"))["me"]
    assert me["member"]["name"] == "党员OB1" and "*" not in me["member"]["phone"]
    assert me["roles"] == [f"MEMBER@{world.path('OB')}"]


async def test_an_enforcer_holds_one_tenant_only():
    first, second = await build_world(), await build_world()
    enforcer = await build_enforcer(first.tenant_id)
    policies = enforcer.get_policy() + enforcer.get_grouping_policy()
    assert policies and {p[1] if len(p) == 4 else p[2] for p in policies} == {str(first.tenant_id)}
    adapter = TenantCasbinAdapter(first.tenant_id)
    with pytest.raises(ValueError):
        await adapter.load_filtered_policy(enforcer.get_model(), TenantFilter(second.tenant_id))
    # the model's keyMatch covers the subtree with one line
    assert await _enforce(enforcer, first, "secretary", "OB")
    assert not await _enforce(enforcer, first, "secretary", "XB")
    assert not await _enforce(enforcer, first, "secretary", "R")


async def _enforce(enforcer, world, user, org) -> bool:  # noqa: ANN001
    result = enforcer.enforce(
        f"user:{world.users[user].id}", str(world.tenant_id), world.path(org), "MEMBER_READ"
    )
    return await result if hasattr(result, "__await__") else result


async def test_moving_an_organization_moves_the_roles_bound_to_it():
    world = await build_world()
    move = """mutation($input: MoveOrganizationInput!) { moveOrganization(input: $input) { errors { code } organization { path } } }"""  # noqa: E501
    payload = await world.admin.mutate(
        move, input={"id": world.org_gid("O"), "newParentId": world.org_gid("X")}
    )
    new_path = payload["organization"]["path"]
    secretary = await world.client("secretary")
    assert secretary.principal.prefixes("MEMBER_READ") == (new_path,)


async def test_a_policy_change_reaches_another_worker():
    """Two caches stand for two worker processes sharing the database."""
    world = await build_world()
    worker_a, worker_b = EnforcerCache(), EnforcerCache()
    user = await make_user(world.tenant_id, f"late-{world.tenant_id}")
    listener = None
    if backend() == "postgres":
        from core.settings import get_settings

        listener = PolicyListener(get_settings().db_url, worker_b)
        await listener.start()
    try:
        grants, _ = await grants_for(world.tenant_id, user.id, cache=worker_b)
        assert grants == {}
        builds = worker_b.builds
        # worker A changes the policy (committed)
        with tenant_scope(world.tenant_id):
            await assign_role(role="ORG_INSPECTOR", organization_id=world.orgs["X"].id, user_id=user.id)
        if listener is not None:
            assert await listener.wait(), "no NOTIFY received"
            assert listener.received[-1] == world.tenant_id
        grants, roles = await grants_for(world.tenant_id, user.id, cache=worker_b)
        assert grants["MEMBER_READ"] == (world.path("X"),)
        assert roles == [f"ORG_INSPECTOR@{world.path('X')}"]
        assert worker_b.builds == builds + 1
        # no change: the cached enforcer is reused (no rebuild)
        await grants_for(world.tenant_id, user.id, cache=worker_b)
        assert worker_b.builds == builds + 1
        await grants_for(world.tenant_id, user.id, cache=worker_a)
        assert worker_a.cached_tenants() == {world.tenant_id}
    finally:
        if listener is not None:
            await listener.stop()


async def test_deactivating_a_user_removes_their_policies():
    world = await build_world()
    update = """mutation($input: UpdateUserInput!) { updateUser(input: $input) { errors { code } user { isActive } } }"""  # noqa: E501
    from core.testing import gid

    await world.admin.mutate(
        update, input={"id": gid("User", world.users["secretary"].id), "isActive": False}
    )
    enforcer = await build_enforcer(world.tenant_id)
    subject = f"user:{world.users['secretary'].id}"
    assert enforcer.get_filtered_grouping_policy(0, subject) == []
    principal = await principal_for_user(world.users["secretary"])
    assert principal.grants == {}
    assert isinstance(GraphQLClient(principal), GraphQLClient)


async def test_resolving_a_token_costs_a_few_statements_once_the_enforcer_is_cached():
    from core.access.authentication import principal_from_token
    from core.access.tokens import issue_pair
    from tests.support import count_statements

    world = await build_world()
    user = world.users["member"]
    token = issue_pair(user.id, world.tenant_id, user.token_version).access_token
    await principal_from_token(token)  # warm the enforcer
    with count_statements() as statements:
        principal = await principal_from_token(token)
    assert principal.prefixes("ACTIVITY_READ") == (world.path("OB"),)
    # one statement: the user with its tenant (a JOIN), the tenant's policy version and the
    # member's branch (subqueries) — one authentication round trip
    assert len(statements) == 1, statements
