"""GraphQL types of reminders."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from core.graphql.core.connection import Connection, order_input
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.graphql.organizations.types import Organization, organization_by_id
from core.permissions import Permission
from core.reminders.models import Reminder as ReminderModel
from core.reminders.sources import kind_label


@strawberry.type(description="Something the people responsible for an organization must act on by a date.")
class Reminder(ModelNode):
    model = ReminderModel

    id: relay.NodeID[int]
    kind: str = strawberry.field(description="COMMITTEE_TERM_EXPIRY, POLITICAL_BIRTHDAY, ACTIVITY_OVERDUE …")
    subject_type: str = strawberry.field(
        description="Type of the thing reminded of (Member, CommitteeTerm …)."
    )
    due_on: dt.date
    title: str
    details: JSON
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str
    acknowledge_note: str
    subject_id_raw: strawberry.Private[int]
    organization_id: strawberry.Private[int]
    organization_path: strawberry.Private[str]

    @property
    def scope_path(self) -> str:
        return self.organization_path

    @classmethod
    def from_row(cls, row: ReminderModel, path: str | None = None) -> Reminder:
        """Needs ``row.organization`` fetched (select_related) or ``path`` for the permission path."""
        path = path if path is not None else row.organization.path
        return cls.from_model(row, subject_id_raw=row.subject_id, organization_path=path)

    @strawberry.field(description="Chinese label of the kind.")
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @strawberry.field(description="Global ID of the subject (of type subjectType).")
    def subject_id(self) -> relay.GlobalID:
        return relay.GlobalID(self.subject_type, str(self.subject_id_raw))

    @strawberry.field(description="Whether someone responsible has acknowledged it.")
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @field(permission=Permission.ORG_READ, description="The organization whose people are responsible.")
    async def organization(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.organization_id)


ReminderConnection = Connection[Reminder]


@strawberry.input(description="Filters for the reminder list.")
class ReminderFilter:
    kinds: list[str] | None = None
    subtree_of: strawberry.ID | None = None
    acknowledged: bool | None = strawberry.field(default=None, description="false: open ones only.")
    due_from: dt.date | None = None
    due_to: dt.date | None = None


@strawberry.input
class AcknowledgeReminderInput:
    id: strawberry.ID
    note: str = ""


@strawberry.input
class RunRemindersInput:
    date: dt.date | None = strawberry.field(default=None, description="Run as of this day (default today).")


@strawberry.type
class ReminderPayload(MutationPayload):
    reminder: Reminder | None = None


@strawberry.type(description="How many reminders of a kind a run found and created.")
class ReminderKindCount:
    kind: str
    candidates: int
    created: int


@strawberry.type
class RunRemindersPayload(MutationPayload):
    date: dt.date | None = None
    created: int = 0
    kinds: list[ReminderKindCount] = strawberry.field(default_factory=list)
    skipped_kinds: list[str] = strawberry.field(
        default_factory=list, description="Sources not available here."
    )


@strawberry.enum(description="Columns reminders can be sorted by (orderBy).")
class ReminderOrderField(Enum):
    DUE_ON = "DUE_ON"
    KIND = "KIND"
    CREATED_AT = "CREATED_AT"


REMINDER_ORDER_COLUMNS = {"DUE_ON": "due_on", "KIND": "kind", "CREATED_AT": "created_at"}
ReminderOrder = order_input(
    "ReminderOrder", ReminderOrderField, "Sort reminders by a column, ascending or descending."
)
