"""Catalog entries: democratic appraisal ratings (民主评议党员) and the secretaries' 述职评议.

A rating belongs to the branch that gave it (the position's branch); a secretary appraisal to its
branch. Targets are fresh full members (and ratings) of the position's branch, dated in the recent
past (``core.lifecycle.dates.today``), so each cell consumes its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.tenancy import tenant_scope
from core.testing import gid
from tests.catalog import Op, Target
from tests.catalog.lifecycle import _person


def _today() -> dt.date:
    from core.lifecycle.dates import today

    return today()


async def _rating(world, pos, grade: str = "UNQUALIFIED") -> Any:  # noqa: ANN001
    from core.lifecycle.models import AppraisalRating

    member = await _person(world, pos.branch, "FULL")
    with tenant_scope(world.tenant_id):
        return await AppraisalRating.create(
            member_id=member.id,
            branch_id=world.orgs[pos.branch].id,
            year=_today().year - 1,
            grade=grade,
            rated_on=_today() - dt.timedelta(days=20),
        )


async def _ratings(world, pos):  # noqa: ANN001, ANN202
    rating = await _rating(world, pos)
    return Target({"branch": world.org_gid(pos.branch), "year": rating.year})


async def _record(world, pos):  # noqa: ANN001, ANN202
    member = await _person(world, pos.branch, "FULL")
    return Target(
        {
            "input": {
                "memberId": gid("Member", member.id),
                "year": _today().year - 1,
                "grade": "QUALIFIED",
                "ratedOn": (_today() - dt.timedelta(days=1)).isoformat(),
            }
        }
    )


async def _correct(world, pos):  # noqa: ANN001, ANN202
    rating = await _rating(world, pos, "QUALIFIED")
    return Target(
        {"input": {"ratingId": gid("AppraisalRating", rating.id), "grade": "EXCELLENT", "reason": "复核更正"}}
    )


async def _step(world, pos):  # noqa: ANN001, ANN202
    rating = await _rating(world, pos)
    return Target(
        {
            "input": {
                "ratingId": gid("AppraisalRating", rating.id),
                "step": "CORRECTION_DEADLINE",
                "doneOn": (_today() - dt.timedelta(days=5)).isoformat(),
                "deadlineOn": (_today() + dt.timedelta(days=90)).isoformat(),
                "actedBy": "支部委员会",
            }
        }
    )


async def _secretary_appraisals(world, pos):  # noqa: ANN001, ANN202
    return Target({"branch": world.org_gid(pos.branch)})


_years: dict[str, int] = {}


async def _rate_secretary(world, pos):  # noqa: ANN001, ANN202
    # one appraisal per branch and year: each cell takes an earlier year of the position's branch
    key = f"{world.tenant_id}:{pos.branch}"
    _years[key] = _years.get(key, _today().year) - 1
    return Target(
        {
            "input": {
                "branchId": world.org_gid(pos.branch),
                "year": _years[key],
                "unitGrade": "GOOD",
                "grade": "EXCELLENT",
                "ratedOn": (_today() - dt.timedelta(days=1)).isoformat(),
            }
        }
    )


OPERATIONS = [
    Op(
        "appraisalRatings",
        "query",
        "query($branch: ID!, $year: Int!) { appraisalRatings(branchId: $branch, year: $year) { id grade } }",
        "MEMBER_READ",
        "tree",
        _ratings,
    ),
    Op(
        "secretaryAppraisals",
        "query",
        "query($branch: ID!) { secretaryAppraisals(branchId: $branch) { id grade } }",
        "COMMITTEE_READ",
        "tree",
        _secretary_appraisals,
    ),
    Op(
        "recordAppraisalRating",
        "mutation",
        "mutation($input: RecordAppraisalRatingInput!) "
        "{ recordAppraisalRating(input: $input) { errors { code } } }",
        "MEMBER_MANAGE",
        "tree",
        _record,
    ),
    Op(
        "correctAppraisalRating",
        "mutation",
        "mutation($input: CorrectAppraisalRatingInput!) "
        "{ correctAppraisalRating(input: $input) { errors { code } } }",
        "MEMBER_MANAGE",
        "tree",
        _correct,
    ),
    Op(
        "recordUnqualifiedHandlingStep",
        "mutation",
        "mutation($input: RecordUnqualifiedHandlingStepInput!) "
        "{ recordUnqualifiedHandlingStep(input: $input) { errors { code } } }",
        "MEMBER_MANAGE",
        "tree",
        _step,
    ),
    Op(
        "rateSecretary",
        "mutation",
        "mutation($input: RateSecretaryInput!) { rateSecretary(input: $input) { errors { code } } }",
        "COMMITTEE_MANAGE",
        "tree",
        _rate_secretary,
    ),
]
