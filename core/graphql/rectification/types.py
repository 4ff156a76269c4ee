"""GraphQL types of rectification: items (problem list), tasks (task list), evidence, history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from core.graphql.core.connection import Connection, order_input
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode, encode_id
from core.graphql.organizations.types import Organization, organization_by_id
from core.models import Member
from core.models import Organization as OrganizationModel
from core.permissions import Permission
from core.rectification.common import today
from core.rectification.items import STATUS_LABELS, UNCLOSED
from core.rectification.models import ItemSource, ItemStatus
from core.rectification.models import RectificationEvidence as EvidenceModel
from core.rectification.models import RectificationItem as ItemModel
from core.rectification.models import RectificationTask as TaskModel
from core.rectification.models import RectificationTransition as TransitionModel

RectificationStatus = strawberry.enum(
    ItemStatus,
    name="RectificationStatus",
    description=(
        "OPEN 待整改 → IN_PROGRESS 整改中 → SUBMITTED 已提交待销号 → CLOSED 已销号; REOPENED 退回/重新整改."
    ),
)
RectificationSource = strawberry.enum(
    ItemSource,
    name="RectificationSource",
    description="FINDING: opened from a rule finding; MANUAL: by hand.",
)


@strawberry.type(description="A person named on the responsibility or task list (a member).")
class RectificationPerson:
    member_id: strawberry.ID = strawberry.field(description="Global ID of the member.")
    name: str


async def _person(info: Info, member_id: int | None) -> RectificationPerson | None:
    if member_id is None:
        return None
    row = await info.context.loaders.by_id(Member).load(member_id)
    if row is None:
        return None
    return RectificationPerson(member_id=strawberry.ID(encode_id("Member", row.id)), name=row.name)


async def _organization(info: Info, org_id: int) -> OrganizationModel | None:
    return await info.context.loaders.by_id(OrganizationModel).load(org_id)


@strawberry.type(name="RectificationTask", description="An entry of the task list (任务清单).")
class RectificationTaskType(ModelNode):
    model = TaskModel

    id: relay.NodeID[int]
    title: str
    due_on: dt.date | None
    done: bool
    done_at: dt.datetime | None
    created_at: dt.datetime
    item_id: strawberry.Private[int]
    assignee_member_id: strawberry.Private[int | None]

    @strawberry.field(description="The member who carries the task out.")
    async def assignee(self, info: Info) -> RectificationPerson | None:
        return await _person(info, self.assignee_member_id)


@strawberry.type(name="RectificationEvidence", description="Evidence that a problem was fixed (佐证材料).")
class RectificationEvidenceType(ModelNode):
    model = EvidenceModel

    id: relay.NodeID[int]
    description: str
    document_ref: str = strawberry.field(description="Document number or URL.")
    added_by: str
    added_at: dt.datetime
    item_id: strawberry.Private[int]


@strawberry.type(name="RectificationTransition", description="A status change of an item.")
class RectificationTransitionType:
    from_status: str
    to_status: str
    comment: str
    actor: str
    at: dt.datetime


@strawberry.type(
    name="RectificationItem",
    description="An entry of the problem list (问题清单) with its owner (责任清单), tasks and deadline.",
)
class RectificationItemType(ModelNode):
    model = ItemModel

    id: relay.NodeID[int]
    source: RectificationSource
    rule_code: str = strawberry.field(description="Rule code of the finding, empty for manual items.")
    period: str = strawberry.field(description="Period label of the finding, e.g. 2025-Q4.")
    title: str
    description: str
    severity: str
    area: str
    numbers: JSON = strawberry.field(description="The figures the rule used.")
    deadline: dt.date
    status: RectificationStatus
    opened_by: str
    submitted_at: dt.datetime | None
    closed_at: dt.datetime | None
    closed_by: str
    close_comment: str
    finding_resolved: bool = strawberry.field(
        description="The finding was marked resolved at closure (销号)."
    )
    reopen_count: int
    created_at: dt.datetime
    organization_id: strawberry.Private[int]
    owner_member_id: strawberry.Private[int | None]
    owner_user_pk: strawberry.Private[int | None] = None
    finding_pk: strawberry.Private[int | None] = None
    score_run_pk: strawberry.Private[int | None] = None
    path: strawberry.Private[str] = ""

    @classmethod
    def from_row(cls, row: ItemModel, path: str | None = None) -> RectificationItemType:
        """Needs ``row.organization`` fetched (select_related) or ``path`` for the permission path."""
        return cls.from_model(
            row,
            path=path if path is not None else row.organization.path,
            owner_user_pk=row.owner_user_id,
            finding_pk=row.finding_id,
            score_run_pk=row.score_run_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Any, node_ids: Iterable[str], required: bool = False
    ) -> list[RectificationItemType | None]:
        ids = [int(i) for i in node_ids]
        rows = {r.id: r for r in await ItemModel.filter(id__in=ids).select_related("organization")}
        return [cls.from_row(rows[i]) if i in rows else None for i in ids]

    @strawberry.field(description="Chinese label of the status.")
    def status_label(self) -> str:
        return STATUS_LABELS[ItemStatus(self.status)]

    def _is_overdue(self) -> bool:
        return self.status in UNCLOSED and self.deadline < today()

    @strawberry.field(description="Not closed and the deadline has passed.")
    def overdue(self) -> bool:
        return self._is_overdue()

    @strawberry.field(description="Days past the deadline (0 when not overdue).")
    def days_overdue(self) -> int:
        return (today() - self.deadline).days if self._is_overdue() else 0

    @field(permission=Permission.ORG_READ, description="The organization with the problem.")
    async def organization(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.organization_id)

    @strawberry.field(description="Name of the organization with the problem.")
    async def organization_name(self, info: Info) -> str:
        row = await _organization(info, self.organization_id)
        return row.name if row else ""

    @strawberry.field(description="The stored finding (StoredFinding ID) the item was opened from, if any.")
    def finding_id(self) -> strawberry.ID | None:
        return strawberry.ID(encode_id("StoredFinding", self.finding_pk)) if self.finding_pk else None

    @strawberry.field(description="The score run (ScoreRun ID) the finding came from, if any.")
    def score_run_id(self) -> strawberry.ID | None:
        return strawberry.ID(encode_id("ScoreRun", self.score_run_pk)) if self.score_run_pk else None

    @strawberry.field(description="Global ID of the responsible user account (责任人账号), if any.")
    def owner_user_id(self) -> strawberry.ID | None:
        return strawberry.ID(encode_id("User", self.owner_user_pk)) if self.owner_user_pk else None

    @strawberry.field(description="The member responsible (责任人).")
    async def owner(self, info: Info) -> RectificationPerson | None:
        return await _person(info, self.owner_member_id)

    @strawberry.field(description="The task list (任务清单).")
    async def tasks(self, info: Info) -> list[RectificationTaskType]:
        rows = await info.context.loaders.group_by(TaskModel, "item_id").load(self.id)
        return [RectificationTaskType.from_model(r) for r in rows]

    @strawberry.field(description="Evidence attached (佐证材料).")
    async def evidence(self, info: Info) -> list[RectificationEvidenceType]:
        rows = await info.context.loaders.group_by(EvidenceModel, "item_id").load(self.id)
        return [RectificationEvidenceType.from_model(r) for r in rows]

    @strawberry.field(description="Status changes, oldest first.")
    async def history(self, info: Info) -> list[RectificationTransitionType]:
        rows = await info.context.loaders.group_by(TransitionModel, "item_id").load(self.id)
        return [
            RectificationTransitionType(
                from_status=r.from_status, to_status=r.to_status, comment=r.comment, actor=r.actor, at=r.at
            )
            for r in rows
        ]


RectificationItemConnection = Connection[RectificationItemType]


@strawberry.type(description="Number of items in one status.")
class RectificationStatusCount:
    status: RectificationStatus
    label: str
    count: int


@strawberry.type(description="Counts of a subtree's rectification items (one SQL aggregate).")
class RectificationSummary:
    total: int
    unclosed: int
    closed: int
    overdue: int
    by_status: list[RectificationStatusCount]
    path: strawberry.Private[str | None] = None

    @property
    def scope_path(self) -> str | None:
        """The scope's path when one was asked for: reading it needs RECTIFICATION_READ there."""
        return self.path


@strawberry.input(description="Filters for the rectification item list.")
class RectificationItemFilter:
    subtree_of: strawberry.ID | None = strawberry.field(
        default=None, description="Only items of this organization and everything below it."
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only items of exactly this organization."
    )
    statuses: list[RectificationStatus] | None = None
    overdue: bool | None = strawberry.field(
        default=None, description="true: unclosed items past their deadline; false: the others."
    )
    rule_codes: list[str] | None = None
    owner_member_id: strawberry.ID | None = None
    owner_user_id: strawberry.ID | None = None
    source: RectificationSource | None = None


@strawberry.input
class OpenRectificationItemInput:
    organization_id: strawberry.ID
    title: str
    description: str = ""
    severity: str = "WARNING"
    area: str = ""
    rule_code: str = ""
    period: str = ""
    owner_member_id: strawberry.ID | None = None
    owner_user_id: strawberry.ID | None = strawberry.field(
        default=None, description="A user account; its linked member becomes the owner if none given."
    )
    deadline: dt.date | None = strawberry.field(
        default=None, description="Default: today + rectification.deadline_days[severity]."
    )


@strawberry.input(description="Open items from findings: stored ones (findingIds / scoreRunId) or live.")
class OpenRectificationItemsInput:
    scope_id: strawberry.ID = strawberry.field(description="Organization whose subtree the findings cover.")
    finding_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="StoredFinding IDs of score runs."
    )
    score_run_id: strawberry.ID | None = strawberry.field(
        default=None, description="A ScoreRun: all its stored findings."
    )
    flagged_only: bool = strawberry.field(
        default=False,
        description="Only branches the run's scorer sent to rectification (needsRectification).",
    )
    period_start: dt.date | None = strawberry.field(default=None, description="Live evaluation window.")
    period_end: dt.date | None = None
    rule_codes: list[str] | None = strawberry.field(default=None, description="Only these rules.")
    owner_member_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: each organization's secretary."
    )
    deadline: dt.date | None = None


@strawberry.input
class UpdateRectificationItemInput:
    id: strawberry.ID
    title: str | None = None
    description: str | None = None
    owner_member_id: strawberry.ID | None = None
    owner_user_id: strawberry.ID | None = strawberry.field(
        default=None, description="A user account; its linked member becomes the owner if none given."
    )


@strawberry.input
class SetRectificationDeadlineInput:
    id: strawberry.ID
    deadline: dt.date
    reason: str


@strawberry.input
class RectificationActionInput:
    id: strawberry.ID
    comment: str = ""


@strawberry.input
class AddRectificationTaskInput:
    item_id: strawberry.ID
    title: str
    assignee_member_id: strawberry.ID | None = None
    due_on: dt.date | None = None


@strawberry.input
class SetRectificationTaskDoneInput:
    id: strawberry.ID
    done: bool = True


@strawberry.input
class AddRectificationEvidenceInput:
    item_id: strawberry.ID
    description: str
    document_ref: str = ""


@strawberry.type
class RectificationItemPayload(MutationPayload):
    item: RectificationItemType | None = None


#: items listed in an openRectificationItems payload (the counts cover all of them)
PAYLOAD_LIST_LIMIT = 100


@strawberry.type
class OpenRectificationItemsPayload(MutationPayload):
    created: list[RectificationItemType] = strawberry.field(
        default_factory=list, description=f"Items opened (the first {PAYLOAD_LIST_LIMIT})."
    )
    created_count: int = 0
    already_open: list[RectificationItemType] = strawberry.field(
        default_factory=list,
        description=f"Unclosed items already covering findings (the first {PAYLOAD_LIST_LIMIT}).",
    )
    already_open_count: int = 0


@strawberry.type
class RectificationTaskPayload(MutationPayload):
    task: RectificationTaskType | None = None
    item: RectificationItemType | None = None


@strawberry.type
class RectificationEvidencePayload(MutationPayload):
    evidence: RectificationEvidenceType | None = None
    item: RectificationItemType | None = None


@strawberry.enum(description="Columns rectification items can be sorted by (orderBy).")
class RectificationItemOrderField(Enum):
    DEADLINE = "DEADLINE"
    STATUS = "STATUS"
    SEVERITY = "SEVERITY"
    CREATED_AT = "CREATED_AT"


RECTIFICATIONITEM_ORDER_COLUMNS = {
    "DEADLINE": "deadline",
    "STATUS": "status",
    "SEVERITY": "severity",
    "CREATED_AT": "created_at",
}
RectificationItemOrder = order_input(
    "RectificationItemOrder",
    RectificationItemOrderField,
    "Sort rectification items by a column, ascending or descending.",
)
