"""GraphQL types of activities and attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from core.graphql.core.connection import Connection, order_input
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.models import TALK_TRIGGER_LABELS
from core.models import Activity as ActivityModel
from core.models import Attendance as AttendanceModel
from core.models import AttendanceStatus as AttendanceStatusEnum
from core.models import TalkTrigger as TalkTriggerModel
from core.models import TalkTriggerKind as TalkTriggerKindEnum
from core.permissions import Permission
from core.services.activities import attendance_stats

if TYPE_CHECKING:
    from core.graphql.members.types import Member
    from core.graphql.organizations.types import Organization

AttendanceStatus = strawberry.enum(AttendanceStatusEnum, description="PRESENT 实到, LEAVE 请假, ABSENT 缺席.")
ATTENDANCE_LABELS = {"PRESENT": "出席", "LEAVE": "请假", "ABSENT": "缺席"}

OrganizationRef = Annotated["Organization", strawberry.lazy("core.graphql.organizations.types")]
MemberRef = Annotated["Member", strawberry.lazy("core.graphql.members.types")]


def activity_loader(info: Any):  # noqa: ANN201
    """Activities by id with their organization joined in (one query per batch)."""

    async def load(ids: Sequence[int]) -> list[ActivityModel | None]:
        query = ActivityModel.filter(id__in=list(set(ids))).select_related("organization")
        rows = {a.id: a for a in await query}
        return [rows.get(i) for i in ids]

    return info.context.loaders.custom("activity_with_org", load)


def stats_loader(info: Any):  # noqa: ANN201
    """应到/实到/请假/缺席 of all activities requested in a batch: one grouped aggregate, as
    :class:`ActivityStats` values."""

    async def load(ids: Sequence[int]) -> list[Any]:
        stats = await attendance_stats(list(ids))
        return [
            ActivityStats(
                expected=s.expected, present=s.present, leave=s.leave, absent=s.absent, attendance_rate=s.rate
            )
            for s in (stats[i] for i in ids)
        ]

    return info.context.loaders.custom("activity_stats", load)


def selects(info: Any, name: str) -> bool:
    """Whether the field being resolved selects ``name`` (a GraphQL field name) directly on its
    result (not through a fragment; a miss only means no prefetch)."""
    from graphql import FieldNode

    for node in info._raw_info.field_nodes:
        selections = node.selection_set.selections if node.selection_set is not None else ()
        if any(isinstance(s, FieldNode) and s.name.value == name for s in selections):
            return True
    return False


async def prefetch_stats(info: Any, activities: list[Activity]) -> list[Activity]:
    """``activities`` with their ``stats`` loaded now, in the stats loader's batch, when the field
    selects ``stats``: the same one aggregate per page, and ``Activity.stats`` then reads a value
    instead of handing graphql-core an awaitable per activity."""
    if activities and selects(info, "stats"):
        values = await stats_loader(info).load_many([a.id for a in activities])
        for activity, value in zip(activities, values, strict=True):
            activity.loaded_stats = value
    return activities


@strawberry.type(description="A kind of activity (三会一课、主题党日 …) and how often it is due.")
class ActivityKind:
    code: str
    label: str
    period: str | None = strawberry.field(description="WEEK, MONTH, QUARTER, HALF_YEAR or YEAR.")
    times: int | None = strawberry.field(description="Occurrences expected per period.")
    held_by: list[str] = strawberry.field(description="Organization kinds that hold it.")
    plugin: str | None
    key_dates: list[KeyDate] = strawberry.field(
        description="Expected on these key dates (重要节点, from tenant config) instead of a cycle."
    )
    key_dates_config_key: str | None = strawberry.field(
        description="Config key listing the key dates, e.g. foreign_affairs.patriotic_education_dates."
    )


@strawberry.type(description="A key date (重要节点) an activity kind is expected on, every year.")
class KeyDate:
    date: str = strawberry.field(description="MM-DD")
    name: str


@strawberry.type(description="应到 / 实到 / 请假 / 缺席 and the attendance rate of one activity.")
class ActivityStats:
    expected: int = strawberry.field(description="应到: people on the attendance list.")
    present: int = strawberry.field(description="实到")
    leave: int = strawberry.field(description="请假")
    absent: int = strawberry.field(description="缺席")
    attendance_rate: float | None = strawberry.field(
        description="实到 / 应到 (0–1); null if nobody expected."
    )


@strawberry.type(description="Whether one person was present, on leave or absent at an activity.")
class AttendanceRecord:
    status: AttendanceStatus
    member_id: strawberry.Private[int]
    activity_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: AttendanceModel) -> AttendanceRecord:
        return cls(status=row.status, member_id=row.member_id, activity_id=row.activity_id)

    @strawberry.field(description="Chinese label of the status.")
    def status_label(self) -> str:
        return ATTENDANCE_LABELS[str(self.status)]

    @field(permission=Permission.MEMBER_READ, description="The person.")
    async def member(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import Member, member_loader

        row = await member_loader(info).load(self.member_id)
        return Member.from_row(row)

    @field(permission=Permission.ACTIVITY_READ, description="The activity.")
    async def activity(self, info: Info) -> Activity | None:
        row = await activity_loader(info).load(self.activity_id)
        return Activity.from_row(row)


@strawberry.type(description="A recorded activity of an organization (会议、党课、主题党日 …).")
class Activity(ModelNode):
    model = ActivityModel

    id: relay.NodeID[int]
    kind: str = strawberry.field(description="Activity kind code, e.g. THEMED_PARTY_DAY.")
    held_on: dt.date
    topic: str
    lecturer: str
    minutes: str = strawberry.field(description="会议记录")
    cancelled_on: dt.date | None
    cancel_reason: str
    organization_id: strawberry.Private[int]
    host_id: strawberry.Private[int | None]
    org_path: strawberry.Private[str]
    extra: strawberry.Private[dict | None] = None
    #: set by :func:`prefetch_stats`
    loaded_stats: strawberry.Private[ActivityStats | None] = None

    @property
    def scope_path(self) -> str:
        return self.org_path

    @classmethod
    def from_row(cls, row: ActivityModel, org_path: str | None = None) -> Activity:
        return cls.from_model(row, org_path=org_path if org_path is not None else row.organization.path)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Any, node_ids: Iterable[str], required: bool = False
    ) -> list[Activity | None]:
        rows = await activity_loader(info).load_many([int(i) for i in node_ids])
        return [cls.from_row(r) if r is not None else None for r in rows]

    @strawberry.field(description="主题党日“4+X”: the required parts done (codes; empty for other kinds).")
    def themed_day_parts(self) -> list[str]:
        return list((self.extra or {}).get("parts") or [])

    @strawberry.field(description="主题党日“4+X”: the branch's own items (the X).")
    def themed_day_extras(self) -> list[str]:
        return list((self.extra or {}).get("extras") or [])

    @strawberry.field(description="Whether the record has been voided.")
    def is_cancelled(self) -> bool:
        return self.cancelled_on is not None

    @strawberry.field(description="Chinese label of the kind.")
    async def kind_label(self, info: Info) -> str:
        vocabulary = await info.context.vocabulary()
        spec = vocabulary.activity_kinds.get(self.kind)
        return spec.label if spec else self.kind

    @field(permission=Permission.ORG_READ, description="The organization that held it.")
    async def organization(self, info: Info) -> OrganizationRef | None:
        from core.graphql.organizations.types import organization_by_id

        return await organization_by_id(info, self.organization_id)

    @field(permission=Permission.MEMBER_READ, description="Who chaired it.")
    async def host(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import Member, member_loader

        if self.host_id is None:
            return None
        row = await member_loader(info).load(self.host_id)
        return Member.from_row(row) if row else None

    @strawberry.field(description="The attendance list.")
    async def attendance(self, info: Info) -> list[AttendanceRecord]:
        rows = await info.context.loaders.group_by(AttendanceModel, "activity_id").load(self.id)
        return [AttendanceRecord.from_row(r) for r in rows]

    @strawberry.field(
        description="应到/实到/请假/缺席 and the rate (one SQL aggregate per page).",
        graphql_type=ActivityStats,
    )
    def stats(self, info: Info) -> ActivityStats | Awaitable[ActivityStats]:
        if self.loaded_stats is not None:  # prefetched by the list it came in
            return self.loaded_stats
        # the loader's future itself (no coroutine per activity): graphql-core awaits it
        return stats_loader(info).load(self.id)


ActivityConnection = Connection[Activity]

TalkTriggerKind = strawberry.enum(
    TalkTriggerKindEnum,
    description="谈心谈话“四必谈”: JOB_CHANGE 岗位变动, DISCIPLINARY_ACTION 组织处置, "
    "FAMILY_MISFORTUNE 家庭变故, EARLY_WARNING 发现苗头性问题.",
)


@strawberry.type(
    description="An occasion that obliges a heart-to-heart talk with one member (谈心谈话“四必谈”)."
)
class TalkTrigger:
    id: strawberry.ID
    kind: TalkTriggerKind
    occurred_on: dt.date
    note: str
    due_on: dt.date = strawberry.field(
        description="occurredOn + standards.heart_to_heart_trigger_days: the talk is due by then."
    )
    talked_on: dt.date | None = strawberry.field(
        description="The first heart-to-heart talk listing the member present on or after occurredOn."
    )
    member_id: strawberry.Private[int]

    @strawberry.field(description="Chinese label of the occasion.")
    def kind_label(self) -> str:
        return TALK_TRIGGER_LABELS[str(self.kind.value if hasattr(self.kind, "value") else self.kind)]

    @field(permission=Permission.MEMBER_READ, description="The member the talk is owed to.")
    async def member(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import Member, member_loader

        row = await member_loader(info).load(self.member_id)
        return Member.from_row(row)

    @classmethod
    def from_row(cls, row: TalkTriggerModel, *, due_on: dt.date, talked_on: dt.date | None) -> TalkTrigger:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            occurred_on=row.occurred_on,
            note=row.note,
            due_on=due_on,
            talked_on=talked_on,
            member_id=row.member_id,
        )


@strawberry.input
class RecordTalkTriggerInput:
    member_id: strawberry.ID
    kind: TalkTriggerKind
    occurred_on: dt.date
    note: str = ""


@strawberry.type
class TalkTriggerPayload(MutationPayload):
    talk_trigger: TalkTrigger | None = None


@strawberry.input(description="Filters for the activity list.")
class ActivityFilter:
    kinds: list[str] | None = None
    held_from: dt.date | None = strawberry.field(default=None, name="from", description="Held on or after.")
    held_to: dt.date | None = strawberry.field(default=None, name="to", description="Held on or before.")
    subtree_of: strawberry.ID | None = strawberry.field(
        default=None, description="Activities of organizations in this subtree."
    )
    organization_id: strawberry.ID | None = None
    include_cancelled: bool = False


@strawberry.input(description="One person's attendance.")
class AttendanceInput:
    member_id: strawberry.ID
    status: AttendanceStatus = AttendanceStatusEnum.PRESENT


@strawberry.input
class RecordActivityInput:
    organization_id: strawberry.ID
    kind: str
    held_on: dt.date
    topic: str
    host_id: strawberry.ID | None = None
    lecturer: str = ""
    minutes: str = ""
    attendance: list[AttendanceInput] | None = None
    mark_others_absent: bool = strawberry.field(
        default=False, description="Record every current member not listed as ABSENT."
    )
    themed_day_parts: list[str] | None = strawberry.field(
        default=None,
        description="主题党日“4+X”: codes of the required parts done (activities.themed_day_required_parts).",
    )
    themed_day_extras: list[str] | None = strawberry.field(
        default=None, description="主题党日“4+X”: the branch's own items (the X)."
    )


@strawberry.input
class UpdateActivityInput:
    id: strawberry.ID
    kind: str | None = None
    held_on: dt.date | None = None
    topic: str | None = None
    host_id: strawberry.ID | None = strawberry.UNSET
    lecturer: str | None = None
    minutes: str | None = None
    themed_day_parts: list[str] | None = None
    themed_day_extras: list[str] | None = None


@strawberry.input
class CancelActivityInput:
    id: strawberry.ID
    reason: str


@strawberry.input
class SetAttendanceInput:
    activity_id: strawberry.ID
    attendance: list[AttendanceInput]


@strawberry.input
class CheckInInput:
    activity_id: strawberry.ID
    member_id: strawberry.ID


@strawberry.type
class ActivityPayload(MutationPayload):
    activity: Activity | None = None


@strawberry.type
class AttendancePayload(MutationPayload):
    activity: Activity | None = None
    attendance: list[AttendanceRecord] = strawberry.field(default_factory=list)


@strawberry.enum(description="Columns activities can be sorted by (orderBy).")
class ActivityOrderField(Enum):
    HELD_ON = "HELD_ON"
    KIND = "KIND"
    CREATED_AT = "CREATED_AT"


ACTIVITY_ORDER_COLUMNS = {"HELD_ON": "held_on", "KIND": "kind", "CREATED_AT": "created_at"}
ActivityOrder = order_input(
    "ActivityOrder", ActivityOrderField, "Sort activities by a column, ascending or descending."
)
