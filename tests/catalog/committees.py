"""Catalog entries: branch committees (helper A's). Seats use the position branch's second member,
who has no account (so the seat hook does not change the callers' own grants mid-matrix)."""

from __future__ import annotations

from core.testing import gid
from tests.catalog import Op, Target
from tests.catalog._helpers import fresh_seat, live_term


def _other(pos) -> str:  # noqa: ANN001
    return f"{pos.branch}-2"


async def _term(world, pos):  # noqa: ANN001, ANN202
    term = await live_term(world, pos.branch)
    return Target({"id": gid("CommitteeTerm", term.id)})


async def _start(world, pos):  # noqa: ANN001, ANN202
    await live_term(world, pos.branch)
    return Target(
        {
            "input": {
                "organizationId": world.org_gid(pos.branch),
                "startsOn": "2026-06-01",
                "seats": [{"role": "SECRETARY", "memberId": world.member_gid(_other(pos))}],
            }
        }
    )


async def _appoint(world, pos):  # noqa: ANN001, ANN202
    term = await live_term(world, pos.branch)
    return Target({"input": {"termId": gid("CommitteeTerm", term.id), "role": "ORGANIZATION"}})


async def _end(world, pos):  # noqa: ANN001, ANN202
    seat = await fresh_seat(world, pos.branch, "PUBLICITY", _other(pos))
    return Target({"input": {"seatId": gid("CommitteeSeat", seat.id), "endedOn": "2026-06-10"}})


async def _fill(world, pos):  # noqa: ANN001, ANN202
    seat = await fresh_seat(world, pos.branch, "DISCIPLINE")
    return Target(
        {"input": {"seatId": gid("CommitteeSeat", seat.id), "memberId": world.member_gid(_other(pos))}}
    )


OPERATIONS = [
    Op(
        "committeeTerm",
        "query",
        "query($id: ID!) { committeeTerm(id: $id) { id } }",
        "COMMITTEE_READ",
        "tree",
        _term,
    ),
    Op(
        "startCommitteeTerm",
        "mutation",
        "mutation($input: StartCommitteeTermInput!) { startCommitteeTerm(input: $input) { errors { code } } }",  # noqa: E501
        "COMMITTEE_MANAGE",
        "tree",
        _start,
    ),
    Op(
        "appointCommitteeSeat",
        "mutation",
        "mutation($input: AppointCommitteeSeatInput!) { appointCommitteeSeat(input: $input) { errors { code } } }",  # noqa: E501
        "COMMITTEE_MANAGE",
        "tree",
        _appoint,
    ),
    Op(
        "endCommitteeSeat",
        "mutation",
        "mutation($input: EndCommitteeSeatInput!) { endCommitteeSeat(input: $input) { errors { code } } }",
        "COMMITTEE_MANAGE",
        "tree",
        _end,
    ),
    Op(
        "fillVacancy",
        "mutation",
        "mutation($input: FillVacancyInput!) { fillVacancy(input: $input) { errors { code } } }",
        "COMMITTEE_MANAGE",
        "tree",
        _fill,
    ),
]
