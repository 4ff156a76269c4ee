"""The one subtree filter: every list that takes ``subtreeOf`` narrows to the subtree it names, and an
ID naming no organization (or another tenant's) is NOT_FOUND on ``subtreeOf``, never an internal error."""

from __future__ import annotations

import pytest

from core.models import Activity
from core.tenancy import tenant_scope
from core.testing import make_tenant
from tests.test_dues import gid, make_member, make_tree

#: list field → how it takes the subtree argument
LISTS = {
    "organizations": "filter: {subtreeOf: $id}",
    "members": "filter: {subtreeOf: $id}",
    "activities": "filter: {subtreeOf: $id}",
    "developmentCases": "filter: {subtreeOf: $id}",
    "acceptanceApplications": "filter: {subtreeOf: $id}",
    "acceptanceRounds": "subtreeOf: $id",
    "rectificationItems": "filter: {subtreeOf: $id}",
    "reminders": "filter: {subtreeOf: $id}",
    "duesBills": "filter: {subtreeOf: $id}",
    "duesPayments": "filter: {subtreeOf: $id}",
    "duesHandovers": "filter: {subtreeOf: $id}",
}


def _query(name: str) -> str:
    return f"query($id: ID!) {{ {name}({LISTS[name]}) {{ edges {{ node {{ id }} }} }} }}"


@pytest.mark.parametrize("name", sorted(LISTS))
async def test_subtree_of_naming_no_organization_is_not_found_on_the_argument(admin, tenant, name):
    await make_tree(tenant)
    foreign = (await make_tree(await make_tenant()))["a"]
    for missing in (gid("Organization", 10**9), gid("Organization", foreign.id)):
        result = await admin.execute(_query(name), id=missing)
        assert result.errors, name
        extensions = result.errors[0].extensions
        assert (extensions["code"], extensions["field"]) == ("NOT_FOUND", "subtreeOf"), (name, extensions)
    result = await admin.execute(_query(name), id=gid("Member", 1))  # an ID of the wrong type
    assert result.errors[0].extensions["code"] == "INVALID_INPUT"
    assert result.errors[0].extensions["field"] == "subtreeOf"


async def test_subtree_of_narrows_each_domain_to_the_subtree(admin, tenant):
    tree = await make_tree(tenant)
    await make_member(tenant, tree["a"], "甲")
    await make_member(tenant, tree["b"], "乙")
    with tenant_scope(tenant.id):
        for branch in (tree["a"], tree["b"]):
            await Activity.create(
                organization_id=branch.id, kind="PARTY_LECTURE", held_on="2025-03-01", topic="党课"
            )
    names = """query($id: ID!) { organizations(filter: {subtreeOf: $id}) { edges { node { name } } }
      members(filter: {subtreeOf: $id}) { edges { node { name } } }
      activities(filter: {subtreeOf: $id}) { edges { node { organization { name } } } } }"""
    data = await admin.ok(names, id=gid("Organization", tree["a"].id))
    assert [e["node"]["name"] for e in data["organizations"]["edges"]] == ["第一党支部"]
    assert [e["node"]["name"] for e in data["members"]["edges"]] == ["甲"]
    assert [e["node"]["organization"]["name"] for e in data["activities"]["edges"]] == ["第一党支部"]
    data = await admin.ok(names, id=gid("Organization", tree["root"].id))
    assert len(data["organizations"]["edges"]) == 3 and len(data["members"]["edges"]) == 2
    assert len(data["activities"]["edges"]) == 2
