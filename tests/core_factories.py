"""Factories for core-domain tests: organizations and members through GraphQL, plus fast bulk rows."""

from __future__ import annotations

import itertools
from typing import Any

from core.services.members import id_number_check_digit
from core.testing import db_id, gid  # noqa: F401 (re-exported for the tests)

_serial = itertools.count(1)

CREATE_ORG = """
mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { errors { code message field } organization { id path kind name } }
}
"""
CREATE_MEMBER = """
mutation($input: CreateMemberInput!) {
  createMember(input: $input) {
    errors { code message field }
    member { id name status phone idNumber branch { id } partyGroup { id } categories { code label } }
  }
}
"""


def id_number(seed: int | None = None, birth: str = "19850312") -> str:
    """A valid 18-character resident ID number (correct check digit), unique per call."""
    n = next(_serial) if seed is None else seed
    first17 = f"110101{birth}{n % 1000:03d}"
    return first17 + id_number_check_digit(first17)


async def org(client, kind: str, name: str, parent: dict | None = None, **extra: Any) -> dict:
    payload = await client.mutate(
        CREATE_ORG, input={"kind": kind, "name": name, "parentId": parent["id"] if parent else None, **extra}
    )
    return payload["organization"]


async def member(client, branch: dict, name: str = "张三", **extra: Any) -> dict:
    payload = await client.mutate(CREATE_MEMBER, input={"name": name, "branchId": branch["id"], **extra})
    return payload["member"]


async def tree(client) -> dict[str, dict]:
    """A committee with two branches, a party group in the first."""
    committee = await org(client, "PARTY_COMMITTEE", "机关党委")
    branch = await org(client, "BRANCH", "第一党支部", committee)
    other = await org(client, "BRANCH", "第二党支部", committee)
    group = await org(client, "PARTY_GROUP", "第一党小组", branch)
    return {"committee": committee, "branch": branch, "other": other, "group": group}
