"""Catalog entries: members (helper A's)."""

from __future__ import annotations

from tests.catalog import Op, Target
from tests.catalog._helpers import UploadedFile, name_path, seq


async def _none(world, pos):  # noqa: ANN001, ANN202
    return Target({})


async def _member(world, pos):  # noqa: ANN001, ANN202
    return Target({"id": world.member_gid(pos.member)})


async def _list(world, pos):  # noqa: ANN001, ANN202
    return Target({"branch": world.org_gid(pos.branch)}, expect=world.member_gid(pos.member))


async def _create(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"name": f"新党员{seq()}", "branchId": world.org_gid(pos.branch)}})


async def _update(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"id": world.member_gid(pos.member), "education": f"大学{seq()}"}})


async def _correct(world, pos):  # noqa: ANN001, ANN202
    from core.services.members import id_number_check_digit

    first17 = f"11010119900101{seq() % 1000:03d}"
    number = first17 + id_number_check_digit(first17)
    return Target(
        {"input": {"id": world.member_gid(pos.member), "idNumber": number, "reason": "录入错误更正"}}
    )


async def _import(world, pos):  # noqa: ANN001, ANN202
    """A one-row roster putting a new person on the roster of the position's branch."""
    import datetime as dt

    from core.services.members import id_number_check_digit

    branch = await name_path(world, world.orgs[pos.branch])
    n = seq()  # a birth date per call: unique however many imports the suites run
    first17 = f"110101{dt.date(1950, 1, 1) + dt.timedelta(days=n):%Y%m%d}{n % 1000:03d}"
    number = first17 + id_number_check_digit(first17)
    data = f"姓名,身份证号,所在组织\n导入{seq()},{number},{branch}\n".encode()
    return Target({"input": {"file": UploadedFile("花名册.csv", data)}})


PAYLOAD = "errors { code } member { id }"

OPERATIONS = [
    Op(
        "member",
        "query",
        "query($id: ID!) { member(id: $id) { id name phone } }",
        "MEMBER_READ",
        "tree",
        _member,
    ),
    Op(
        "members",
        "query",
        "query($branch: ID!) { members(first: 100, filter: {branchId: $branch}) { edges { node { id } } } }",
        "MEMBER_READ",
        "list",
        _list,
    ),
    Op("memberCategories", "query", "{ memberCategories { code } }", "TENANT_READ", "holder", _none),
    Op(
        "createMember",
        "mutation",
        f"mutation($input: CreateMemberInput!) {{ createMember(input: $input) {{ {PAYLOAD} }} }}",
        "MEMBER_MANAGE",
        "tree",
        _create,
    ),
    Op(
        "updateMember",
        "mutation",
        f"mutation($input: UpdateMemberInput!) {{ updateMember(input: $input) {{ {PAYLOAD} }} }}",
        "MEMBER_MANAGE",
        "tree",
        _update,
    ),
    Op(
        "correctMemberIdNumber",
        "mutation",
        f"mutation($input: CorrectMemberIdNumberInput!) {{ correctMemberIdNumber(input: $input) {{ {PAYLOAD} }} }}",  # noqa: E501
        "MEMBER_MANAGE",
        "tree",
        _correct,
    ),
    Op(
        "importMembers",
        "mutation",
        "mutation($input: ImportMembersInput!) { importMembers(input: $input) { errors { code } "
        "report { committed created } } }",
        "MEMBER_MANAGE",
        "tree",
        _import,
    ),
]
