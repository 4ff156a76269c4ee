"""GraphQL types of members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from core.graphql.core.connection import NESTED_ACTIVITIES, NESTED_MAX, Connection, nested_limit, order_input
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.filters import OptionalDateFrom, OptionalDateTo, between
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.models import Attendance as AttendanceModel
from core.models import Gender as GenderEnum
from core.models import Member as MemberModel
from core.models import MemberCategoryAssignment
from core.models import MemberStatus as MemberStatusEnum
from core.permissions import Permission
from core.services.members import STATUS_LABELS, mask_id_number, mask_phone, sees_sensitive

if TYPE_CHECKING:
    from core.graphql.activities.types import Activity, AttendanceRecord
    from core.graphql.organizations.types import Organization

Gender = strawberry.enum(GenderEnum, description="性别")
MemberStatus = strawberry.enum(
    MemberStatusEnum,
    description="APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY, FULL; LEFT, DECEASED, TRANSFERRED_OUT.",
)

OrganizationRef = Annotated["Organization", strawberry.lazy("core.graphql.organizations.types")]
ActivityRef = Annotated["Activity", strawberry.lazy("core.graphql.activities.types")]
AttendanceRef = Annotated["AttendanceRecord", strawberry.lazy("core.graphql.activities.types")]


def member_loader(info: Any):  # noqa: ANN201
    """Members by id with their branch joined in (one query per batch)."""

    async def load(ids: Sequence[int]) -> list[MemberModel | None]:
        rows = {m.id: m for m in await MemberModel.filter(id__in=list(set(ids))).select_related("branch")}
        return [rows.get(i) for i in ids]

    return info.context.loaders.custom("member_with_branch", load)


async def member_by_id(info: Any, member_id: int | None) -> Member | None:
    """The member a node points at, through the request's loader; ``None`` when there is none.
    Declare the field ``@field(permission=Permission.MEMBER_READ)`` (or the permission that shows
    the person there): the permission extension nulls it outside the caller's grants."""
    if member_id is None:
        return None
    row = await member_loader(info).load(member_id)
    return Member.from_row(row) if row is not None else None


def branch_path_of_group(group_path: str) -> str:
    """The path of a party group's branch (its parent)."""
    return group_path[: group_path.rstrip("/").rfind("/") + 1]


@strawberry.type(description="A member category (离退休、劳务派遣、出国（境）、流动 …).")
class MemberCategory:
    code: str
    label: str


@strawberry.type(description="A person on the roster of a branch: a party member or someone on the way.")
class Member(ModelNode):
    model = MemberModel

    id: relay.NodeID[int]
    name: str
    gender: Gender | None
    birth_date: dt.date | None
    ethnicity: str
    education: str
    joined_on: dt.date | None = strawberry.field(description="入党日期")
    confirmed_on: dt.date | None = strawberry.field(description="转正日期")
    status: MemberStatus
    branch_id: strawberry.Private[int]
    party_group_id: strawberry.Private[int | None]
    branch_path: strawberry.Private[str]
    raw_phone: strawberry.Private[str]
    raw_id_number: strawberry.Private[str | None]

    @property
    def scope_path(self) -> str:
        return self.branch_path

    @property
    def self_member_id(self) -> int:
        """The self rule: a member's own record is readable by that member."""
        return self.id

    #: the private fields holding a column under another name (``from_rows``)
    RAW_COLUMNS: ClassVar[dict[str, str]] = {"raw_phone": "phone", "raw_id_number": "id_number"}

    @classmethod
    def from_row(cls, row: MemberModel, branch_path: str | None = None) -> Member:
        path = branch_path if branch_path is not None else row.branch.path
        return cls.from_model(row, branch_path=path, raw_phone=row.phone, raw_id_number=row.id_number)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Any, node_ids: Iterable[str], required: bool = False
    ) -> list[Member | None]:
        rows = await member_loader(info).load_many([int(i) for i in node_ids])
        return [cls.from_row(r) if r is not None else None for r in rows]

    def _sees_sensitive(self, info: Info) -> bool:
        return sees_sensitive(info.context.principal, self.id, self.branch_path)

    @strawberry.field(description="Chinese label of the status.")
    def status_label(self) -> str:
        return STATUS_LABELS[MemberStatusEnum(self.status)]

    @strawberry.field(description="Phone; masked (138****5678) without MEMBER_SENSITIVE_READ on the branch.")
    def phone(self, info: Info) -> str:
        return self.raw_phone if self._sees_sensitive(info) else mask_phone(self.raw_phone)

    @strawberry.field(description="ID number; masked (1101**********1234) without MEMBER_SENSITIVE_READ.")
    def id_number(self, info: Info) -> str | None:
        return self.raw_id_number if self._sees_sensitive(info) else mask_id_number(self.raw_id_number)

    @strawberry.field(description="Whether the phone and ID number are shown unmasked to the caller.")
    def sensitive_visible(self, info: Info) -> bool:
        return self._sees_sensitive(info)

    @field(permission=Permission.ORG_READ, description="The branch whose roster the person is on.")
    async def branch(self, info: Info) -> OrganizationRef | None:
        from core.graphql.organizations.types import organization_by_id

        return await organization_by_id(info, self.branch_id)

    @field(permission=Permission.ORG_READ, description="The party group, if any.")
    async def party_group(self, info: Info) -> OrganizationRef | None:
        from core.graphql.organizations.types import organization_by_id

        return await organization_by_id(info, self.party_group_id)

    @strawberry.field(description="Special groups the person belongs to (retired, abroad …).")
    async def categories(self, info: Info) -> list[MemberCategory]:
        rows = await info.context.loaders.group_by(MemberCategoryAssignment, "member_id").load(self.id)
        vocabulary = await info.context.vocabulary()
        result = []
        for row in rows:
            spec = vocabulary.member_categories.get(row.category)
            result.append(MemberCategory(code=row.category, label=spec.label if spec else row.category))
        return result

    @field(
        permission=Permission.ACTIVITY_READ,
        scope="source",
        description="Attendance rows of this person, newest first (cancelled activities left out). At "
        f"most `first` (default {NESTED_ACTIVITIES}, up to {NESTED_MAX}), held `from`–`to` if given.",
    )
    async def attendance(
        self,
        info: Info,
        first: int | None = None,
        held_from: OptionalDateFrom = None,
        held_to: OptionalDateTo = None,
    ) -> list[AttendanceRef]:
        from core.graphql.activities.types import AttendanceRecord

        rows = await _recent_attendance(info, self.id, first, held_from, held_to)
        return [AttendanceRecord.from_row(r) for r in rows]

    @field(
        permission=Permission.ACTIVITY_READ,
        description="Activities this person was listed for, newest first (cancelled ones left out). At "
        f"most `first` (default {NESTED_ACTIVITIES}, up to {NESTED_MAX}), held `from`–`to` if given.",
    )
    async def activities(
        self,
        info: Info,
        first: int | None = None,
        held_from: OptionalDateFrom = None,
        held_to: OptionalDateTo = None,
    ) -> list[ActivityRef]:
        from core.graphql.activities.types import Activity, activity_loader

        rows = await _recent_attendance(info, self.id, first, held_from, held_to)
        activities = await activity_loader(info).load_many([r.activity_id for r in rows])
        return [Activity.from_row(a) for a in activities if a is not None]


async def _recent_attendance(
    info: Info, member_id: int, first: int | None, held_from: dt.date | None, held_to: dt.date | None
) -> list[Any]:
    """A member's attendance rows, newest activity first, at most ``first`` of them chosen in SQL
    per member (one batch for every member of the page)."""
    filters = {"activity__cancelled_on__isnull": True, **between("activity__held_on", held_from, held_to)}
    return await info.context.loaders.group_by(
        AttendanceModel,
        "member_id",
        order_by=("-activity__held_on", "-activity_id"),
        limit=nested_limit(first, NESTED_ACTIVITIES),
        values=True,
        **filters,
    ).load(member_id)


MemberConnection = Connection[Member]


@strawberry.input(description="Filters for the member list.")
class MemberFilter:
    subtree_of: strawberry.ID | None = strawberry.field(
        default=None, description="Only people on rosters of branches in this subtree."
    )
    branch_id: strawberry.ID | None = None
    party_group_id: strawberry.ID | None = None
    statuses: list[MemberStatus] | None = strawberry.field(
        default=None, description="Default: everyone still attached (APPLICANT … FULL)."
    )
    categories: list[str] | None = strawberry.field(default=None, description="Any of these categories.")
    name_contains: str | None = None


@strawberry.input
class CreateMemberInput:
    name: str
    branch_id: strawberry.ID
    party_group_id: strawberry.ID | None = None
    gender: Gender | None = None
    birth_date: dt.date | None = None
    ethnicity: str = ""
    education: str = ""
    phone: str = ""
    id_number: str | None = None
    joined_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    status: MemberStatus = MemberStatusEnum.FULL
    categories: list[str] | None = None


@strawberry.input(
    description="Fields to change; omitted fields stay. idNumber is refused (use the correction)."
)
class UpdateMemberInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    gender: Gender | None = strawberry.UNSET
    birth_date: dt.date | None = strawberry.UNSET
    ethnicity: str | None = strawberry.UNSET
    education: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    id_number: str | None = strawberry.field(
        default=strawberry.UNSET, description="Refused with MEMBER_ID_NUMBER_IMMUTABLE."
    )
    joined_on: dt.date | None = strawberry.UNSET
    confirmed_on: dt.date | None = strawberry.UNSET
    status: MemberStatus | None = strawberry.field(
        default=strawberry.UNSET, description="Only ending membership (LEFT, DECEASED) here."
    )
    status_reason: str | None = strawberry.UNSET
    branch_id: strawberry.ID | None = strawberry.UNSET
    party_group_id: strawberry.ID | None = strawberry.UNSET
    categories: list[str] | None = strawberry.UNSET


@strawberry.input
class CorrectMemberIdNumberInput:
    id: strawberry.ID
    id_number: str
    reason: str


@strawberry.type
class MemberPayload(MutationPayload):
    member: Member | None = None


@strawberry.enum(description="Columns members can be sorted by (orderBy).")
class MemberOrderField(Enum):
    NAME = "NAME"
    STATUS = "STATUS"
    BRANCH = "BRANCH"
    CREATED_AT = "CREATED_AT"


MEMBER_ORDER_COLUMNS = {"NAME": "name", "STATUS": "status", "BRANCH": "branch_id", "CREATED_AT": "created_at"}
MemberOrder = order_input(
    "MemberOrder", MemberOrderField, "Sort members by a column, ascending or descending."
)
