"""Catalog entries: organizational life (helper A's)."""

from __future__ import annotations

import datetime as dt

from tests.catalog import Op, Target
from tests.catalog._helpers import activity_gid, fresh_activity, seq


async def _none(world, pos):  # noqa: ANN001, ANN202
    return Target({})


async def _activity(world, pos):  # noqa: ANN001, ANN202
    return Target({"id": activity_gid(await fresh_activity(world, pos.branch))})


async def _list(world, pos):  # noqa: ANN001, ANN202
    activity = await fresh_activity(world, pos.branch)
    return Target({"org": world.org_gid(pos.branch)}, expect=activity_gid(activity))


async def _record(world, pos):  # noqa: ANN001, ANN202
    return Target(
        {
            "input": {
                "organizationId": world.org_gid(pos.branch),
                "kind": "THEMED_PARTY_DAY",
                "heldOn": "2026-06-20",
                "topic": f"主题党日{seq()}",
                "attendance": [{"memberId": world.member_gid(pos.member), "status": "PRESENT"}],
            }
        }
    )


async def _update(world, pos):  # noqa: ANN001, ANN202
    activity = await fresh_activity(world, pos.branch)
    return Target({"input": {"id": activity_gid(activity), "topic": f"更正主题{seq()}"}})


async def _cancel(world, pos):  # noqa: ANN001, ANN202
    activity = await fresh_activity(world, pos.branch)
    return Target({"input": {"id": activity_gid(activity), "reason": "重复录入"}})


async def _attendance(world, pos):  # noqa: ANN001, ANN202
    activity = await fresh_activity(world, pos.branch)
    return Target(
        {
            "input": {
                "activityId": activity_gid(activity),
                "attendance": [{"memberId": world.member_gid(pos.member), "status": "LEAVE"}],
            }
        }
    )


async def _check_in(world, pos):  # noqa: ANN001, ANN202
    activity = await fresh_activity(world, pos.branch)
    return Target({"input": {"activityId": activity_gid(activity), "memberId": world.member_gid(pos.member)}})


async def _talk_trigger(world, pos):  # noqa: ANN001, ANN202
    occurred = dt.date(2026, 1, 1) - dt.timedelta(days=seq())  # each cell a new occasion, in the past
    return Target(
        {
            "input": {
                "memberId": world.member_gid(pos.member),
                "kind": "JOB_CHANGE",
                "occurredOn": str(occurred),
            }
        }
    )


OPERATIONS = [
    Op(
        "activity",
        "query",
        "query($id: ID!) { activity(id: $id) { id topic } }",
        "ACTIVITY_READ",
        "tree",
        _activity,
    ),
    Op(
        "activities",
        "query",
        "query($org: ID!) { activities(first: 5, filter: {organizationId: $org}) { edges { node { id } } } }",
        "ACTIVITY_READ",
        "list",
        _list,
    ),
    Op("activityKinds", "query", "{ activityKinds { code } }", "TENANT_READ", "holder", _none),
    Op(
        "recordActivity",
        "mutation",
        "mutation($input: RecordActivityInput!) { recordActivity(input: $input) { errors { code } } }",
        "ACTIVITY_MANAGE",
        "tree",
        _record,
    ),
    Op(
        "updateActivity",
        "mutation",
        "mutation($input: UpdateActivityInput!) { updateActivity(input: $input) { errors { code } } }",
        "ACTIVITY_MANAGE",
        "tree",
        _update,
    ),
    Op(
        "cancelActivity",
        "mutation",
        "mutation($input: CancelActivityInput!) { cancelActivity(input: $input) { errors { code } } }",
        "ACTIVITY_MANAGE",
        "tree",
        _cancel,
    ),
    Op(
        "setAttendance",
        "mutation",
        "mutation($input: SetAttendanceInput!) { setAttendance(input: $input) { errors { code } } }",
        "ACTIVITY_MANAGE",
        "tree",
        _attendance,
    ),
    Op(
        "checkIn",
        "mutation",
        "mutation($input: CheckInInput!) { checkIn(input: $input) { errors { code } } }",
        "ACTIVITY_MANAGE",
        "tree",
        _check_in,
    ),
    Op(
        "recordTalkTrigger",
        "mutation",
        "mutation($input: RecordTalkTriggerInput!) { recordTalkTrigger(input: $input) { errors { code } } }",
        "ACTIVITY_MANAGE",
        "tree",
        _talk_trigger,
    ),
]
