"""Catalog entries: 双覆盖 (units under a committee and the coverage rates)."""

from __future__ import annotations

from core.testing import gid
from tests.catalog import Op, Target
from tests.catalog._helpers import seq


async def _unit(world, org_key: str):  # noqa: ANN001, ANN202
    from core.models import CoveredUnit
    from core.tenancy import tenant_scope

    with tenant_scope(world.tenant_id):
        return await CoveredUnit.create(
            committee_id=world.orgs[org_key].id, name=f"单位{seq()}", kind="NON_PUBLIC_ENTERPRISE"
        )


async def _coverage(world, pos):  # noqa: ANN001, ANN202
    return Target({"org": world.org_gid(pos.org)})


async def _record(world, pos):  # noqa: ANN001, ANN202
    if world.orgs[pos.org].kind not in ("PARTY_COMMITTEE", "GENERAL_BRANCH"):
        return None
    return Target(
        {
            "input": {
                "organizationId": world.org_gid(pos.org),
                "name": f"单位{seq()}",
                "kind": "SOCIAL_ORGANIZATION",
            }
        }
    )


async def _update(world, pos):  # noqa: ANN001, ANN202
    if world.orgs[pos.org].kind not in ("PARTY_COMMITTEE", "GENERAL_BRANCH"):
        return None
    unit = await _unit(world, pos.org)
    return Target({"input": {"id": gid("CoveredUnit", unit.id), "hasPartyWork": True}})


OPERATIONS = [
    Op(
        "coverage",
        "query",
        "query($org: ID!) { coverage(organizationId: $org) { kind units } }",
        "ORG_READ",
        "tree",
        _coverage,
    ),
    Op(
        "recordCoveredUnit",
        "mutation",
        "mutation($input: RecordCoveredUnitInput!) { recordCoveredUnit(input: $input) { errors { code } } }",
        "ORG_MANAGE",
        "tree",
        _record,
    ),
    Op(
        "updateCoveredUnit",
        "mutation",
        "mutation($input: UpdateCoveredUnitInput!) { updateCoveredUnit(input: $input) { errors { code } } }",
        "ORG_MANAGE",
        "tree",
        _update,
    ),
]
