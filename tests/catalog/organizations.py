"""Catalog entries: the organization tree (the lead's and helper A's)."""

from __future__ import annotations

from tests.catalog import Op, Target
from tests.catalog._helpers import UploadedFile, child_kind, fresh_org, name_path, seq


async def _none(world, pos):  # noqa: ANN001, ANN202
    return Target({})


async def _org(world, pos):  # noqa: ANN001, ANN202
    return Target({"id": world.org_gid(pos.org)})


async def _list(world, pos):  # noqa: ANN001, ANN202
    return Target({"root": world.org_gid(pos.org)}, expect=world.org_gid(pos.org))


async def _create(world, pos):  # noqa: ANN001, ANN202
    kind = child_kind(world.orgs[pos.org])
    if kind is None:
        return None
    return Target({"input": {"kind": kind, "name": f"新建组织{seq()}", "parentId": world.org_gid(pos.org)}})


async def _update(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"id": world.org_gid(pos.org), "establishedOn": "2020-07-01"}})


async def _dissolve(world, pos):  # noqa: ANN001, ANN202
    org = await fresh_org(world, pos.org)
    if org is None:
        return None
    from core.testing import gid

    return Target({"input": {"id": gid("Organization", org.id), "dissolvedOn": "2026-06-01"}})


async def _move(world, pos):  # noqa: ANN001, ANN202
    from core.testing import gid

    if world.orgs[pos.org].kind != "PARTY_COMMITTEE":
        return None
    branch = await fresh_org(world, pos.org, "BRANCH")
    general = await fresh_org(world, pos.org, "GENERAL_BRANCH")
    return Target(
        {"input": {"id": gid("Organization", branch.id), "newParentId": gid("Organization", general.id)}}
    )


async def _leader(world, pos):  # noqa: ANN001, ANN202
    from core.testing import gid

    group = await fresh_org(world, pos.branch, "PARTY_GROUP")
    return Target({"input": {"groupId": gid("Organization", group.id), "memberId": None}})


async def _import(world, pos):  # noqa: ANN001, ANN202
    """A one-row file creating an organization under the position's (named by its name path)."""
    kind = child_kind(world.orgs[pos.org])
    if kind is None:
        return None
    parent = await name_path(world, world.orgs[pos.org])
    data = f"组织名称,上级组织,组织类型\n导入组织{seq()},{parent},{kind}\n".encode()
    return Target({"input": {"file": UploadedFile("组织架构.csv", data)}})


PAYLOAD = "errors { code } organization { id }"

OPERATIONS = [
    Op(
        "organization",
        "query",
        "query($id: ID!) { organization(id: $id) { id name } }",
        "ORG_READ",
        "tree",
        _org,
    ),
    Op(
        "organizations",
        "query",
        "query($root: ID!) { organizations(first: 1, filter: {subtreeOf: $root, includeDissolved: true}) "
        "{ edges { node { id } } } }",
        "ORG_READ",
        "list",
        _list,
    ),
    Op("organizationRoots", "query", "{ organizationRoots { id } }", "ORG_READ", "holder", _none),
    Op("organizationKinds", "query", "{ organizationKinds { code } }", "TENANT_READ", "holder", _none),
    Op("organizationSectors", "query", "{ organizationSectors { code } }", "TENANT_READ", "holder", _none),
    Op(
        "createOrganization",
        "mutation",
        f"mutation($input: CreateOrganizationInput!) {{ createOrganization(input: $input) {{ {PAYLOAD} }} }}",
        "ORG_MANAGE",
        "tree",
        _create,
    ),
    Op(
        "updateOrganization",
        "mutation",
        f"mutation($input: UpdateOrganizationInput!) {{ updateOrganization(input: $input) {{ {PAYLOAD} }} }}",
        "ORG_MANAGE",
        "tree",
        _update,
    ),
    Op(
        "dissolveOrganization",
        "mutation",
        f"mutation($input: DissolveOrganizationInput!) {{ dissolveOrganization(input: $input) {{ {PAYLOAD} }} }}",  # noqa: E501
        "ORG_MANAGE",
        "tree",
        _dissolve,
        notes="target: a fresh empty child of the position organization",
    ),
    Op(
        "moveOrganization",
        "mutation",
        f"mutation($input: MoveOrganizationInput!) {{ moveOrganization(input: $input) {{ {PAYLOAD} }} }}",
        "ORG_MANAGE",
        "tree",
        _move,
        notes="a fresh branch moved into a fresh general branch, both under the position committee",
    ),
    Op(
        "setPartyGroupLeader",
        "mutation",
        f"mutation($input: SetPartyGroupLeaderInput!) {{ setPartyGroupLeader(input: $input) {{ {PAYLOAD} }} }}",  # noqa: E501
        "ORG_MANAGE",
        "tree",
        _leader,
        notes="clears the leader of a fresh party group in the position's branch",
    ),
    Op(
        "importOrganizations",
        "mutation",
        "mutation($input: ImportOrganizationsInput!) { importOrganizations(input: $input) { errors { code } "
        "report { committed created } } }",
        "ORG_MANAGE",
        "tree",
        _import,
        notes="target: a one-row file creating a child of the position organization",
    ),
]
