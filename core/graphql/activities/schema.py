"""Query and mutation fields of activities."""

from __future__ import annotations

import datetime as dt

import strawberry

from core.error_codes import ActivityErrorCode
from core.graphql.activities.filters import filter_activities
from core.graphql.activities.types import (
    ACTIVITY_ORDER_COLUMNS,
    Activity,
    ActivityConnection,
    ActivityFilter,
    ActivityKind,
    ActivityOrder,
    ActivityPayload,
    AttendanceInput,
    AttendancePayload,
    AttendanceRecord,
    CancelActivityInput,
    CheckInInput,
    KeyDate,
    RecordActivityInput,
    RecordTalkTriggerInput,
    SetAttendanceInput,
    TalkTrigger,
    TalkTriggerPayload,
    UpdateActivityInput,
    activity_loader,
)
from core.graphql.core.connection import ordering, paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, scoped
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.models import Activity as ActivityModel
from core.permissions import Permission
from core.registry import key_date_entries
from core.services import activities as service
from core.tenant_config import effective_config


def _entries(rows: list[AttendanceInput] | None) -> list[service.AttendanceEntry]:
    return [
        service.AttendanceEntry(decode_id(r.member_id, "Member", field="attendance"), r.status)
        for r in rows or []
    ]


@strawberry.type
class Query:
    @field(permission=Permission.ACTIVITY_READ, description="One activity by ID.")
    async def activity(self, info: Info, id: strawberry.ID) -> Activity | None:
        row = await activity_loader(info).load(decode_id(id, "Activity"))
        return Activity.from_row(row) if row else None

    @field(permission=Permission.ACTIVITY_READ, description="Activities the caller may see, newest first.")
    async def activities(
        self,
        info: Info,
        filter: ActivityFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: list[ActivityOrder] | None = None,
    ) -> ActivityConnection:
        query = await filter_activities(
            scoped(info, ActivityModel.all(), "organization__path"), filter or ActivityFilter()
        )
        ordered = query.select_related("organization").order_by(
            *ordering(order_by, ACTIVITY_ORDER_COLUMNS, ("-held_on", "-id"))
        )
        return await paginate(ordered, Activity.from_row, first=first, after=after, last=last, before=before)

    @field(permission=Permission.TENANT_READ, description="Activity kinds in force for the tenant.")
    async def activity_kinds(self, info: Info) -> list[ActivityKind]:
        vocabulary = await info.context.vocabulary()
        config = effective_config(await info.context.tenant())
        branch_kinds = sorted(vocabulary.branch_kinds())
        return [
            ActivityKind(
                code=s.code,
                label=s.label,
                period=s.cycle.period.value if s.cycle else None,
                times=s.cycle.times if s.cycle else None,
                held_by=sorted(s.held_by) if s.held_by else branch_kinds,
                plugin=s.plugin,
                key_dates=[
                    KeyDate(date=str(e["date"]), name=str(e.get("name") or ""))
                    for e in (key_date_entries(config, s.key_dates) if s.key_dates else [])
                ],
                key_dates_config_key=s.key_dates,
            )
            for s in vocabulary.activity_kinds.values()
        ]


async def _activity_result(activity_id: int) -> Activity:
    row = await service.get_activity(activity_id)
    return Activity.from_row(row)


@strawberry.type
class Mutation:
    @mutation(permission=Permission.ACTIVITY_MANAGE, description="Record an activity with its attendance.")
    async def record_activity(self, info: Info, input: RecordActivityInput) -> ActivityPayload:
        activity = await service.record_activity(
            decode_id(input.organization_id, "Organization", field="organizationId"),
            kind=input.kind,
            held_on=input.held_on,
            topic=input.topic,
            host_id=decode_id(input.host_id, "Member", field="hostId") if input.host_id else None,
            lecturer=input.lecturer,
            minutes=input.minutes,
            attendance=_entries(input.attendance),
            mark_others_absent=input.mark_others_absent,
            themed_day_parts=input.themed_day_parts,
            themed_day_extras=input.themed_day_extras,
        )
        return {"activity": Activity.from_row(activity)}

    @mutation(permission=Permission.ACTIVITY_MANAGE, description="Correct an activity record.")
    async def update_activity(self, info: Info, input: UpdateActivityInput) -> ActivityPayload:
        extra = {}
        if input.host_id is not strawberry.UNSET:
            extra["host_id"] = decode_id(input.host_id, "Member", field="hostId") if input.host_id else None
        activity = await service.update_activity(
            decode_id(input.id, "Activity"),
            kind=input.kind,
            held_on=input.held_on,
            topic=input.topic,
            lecturer=input.lecturer,
            minutes=input.minutes,
            themed_day_parts=input.themed_day_parts,
            themed_day_extras=input.themed_day_extras,
            **extra,
        )
        return {"activity": Activity.from_row(activity)}

    @mutation(
        permission=Permission.ACTIVITY_MANAGE,
        description="Void a mistaken activity record (kept, with the reason; left out of lists).",
    )
    async def cancel_activity(self, info: Info, input: CancelActivityInput) -> ActivityPayload:
        activity = await service.cancel_activity(decode_id(input.id, "Activity"), reason=input.reason)
        return {"activity": Activity.from_row(activity)}

    @mutation(
        permission=Permission.ACTIVITY_MANAGE,
        description="Set the attendance of listed people (insert or update; one row per person).",
    )
    async def set_attendance(self, info: Info, input: SetAttendanceInput) -> AttendancePayload:
        activity_id = decode_id(input.activity_id, "Activity", field="activityId")
        rows = await service.set_attendance(activity_id, _entries(input.attendance))
        return {
            "activity": await _activity_result(activity_id),
            "attendance": [AttendanceRecord.from_row(r) for r in rows],
        }

    @mutation(
        permission=Permission.ACTIVITY_MANAGE,
        description="Check a person in as present (a second check-in is refused).",
    )
    async def check_in(self, info: Info, input: CheckInInput) -> AttendancePayload:
        activity_id = decode_id(input.activity_id, "Activity", field="activityId")
        row = await service.check_in(activity_id, decode_id(input.member_id, "Member", field="memberId"))
        return {
            "activity": await _activity_result(activity_id),
            "attendance": [AttendanceRecord.from_row(row)],
        }

    @mutation(
        permission=Permission.ACTIVITY_MANAGE,
        description="Record an occasion obliging a heart-to-heart talk with a member (岗位变动、组织处置、"
        "家庭变故、苗头性问题必谈): the talk is due standards.heart_to_heart_trigger_days later.",
    )
    async def record_talk_trigger(self, info: Info, input: RecordTalkTriggerInput) -> TalkTriggerPayload:
        trigger = await service.record_talk_trigger(
            decode_id(input.member_id, "Member", field="memberId"),
            kind=input.kind,
            occurred_on=input.occurred_on,
            note=input.note,
        )
        days = await service.talk_trigger_days()
        return {
            "talk_trigger": TalkTrigger.from_row(
                trigger,
                due_on=trigger.occurred_on + dt.timedelta(days=days),
                talked_on=await service.talked_on(trigger),
            )
        }


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(ActivityErrorCode),)
