"""Query and mutation fields of reminders."""

from __future__ import annotations

import strawberry

from core import audit
from core.error_codes import ReminderErrorCode
from core.graphql.core.connection import ordering, paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, scoped
from core.graphql.core.filters import between, within_subtree
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.graphql.reminders.types import (
    REMINDER_ORDER_COLUMNS,
    AcknowledgeReminderInput,
    Reminder,
    ReminderConnection,
    ReminderFilter,
    ReminderKindCount,
    ReminderOrder,
    ReminderPayload,
    RunRemindersInput,
    RunRemindersPayload,
)
from core.guard import require
from core.models import Organization as OrganizationModel
from core.permissions import Permission
from core.reminders import service
from core.reminders.models import Reminder as ReminderModel


@strawberry.type
class Query:
    @field(permission=Permission.REMINDER_READ, description="One reminder by ID.")
    async def reminder(self, info: Info, id: strawberry.ID) -> Reminder | None:
        row = await ReminderModel.get_or_none(id=decode_id(id, "Reminder"))
        if row is None:
            return None
        org = await info.context.loaders.by_id(OrganizationModel).load(row.organization_id)
        return Reminder.from_row(row, org.path)

    @field(
        permission=Permission.REMINDER_READ,
        description="Reminders of the organizations the caller is responsible for, by due date, paged.",
    )
    async def reminders(
        self,
        info: Info,
        filter: ReminderFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: list[ReminderOrder] | None = None,
    ) -> ReminderConnection:
        f = filter or ReminderFilter()
        query = scoped(info, ReminderModel.all(), "organization__path")
        query = await within_subtree(query, f.subtree_of, "organization__path")
        if f.kinds:
            query = query.filter(kind__in=f.kinds)
        if f.acknowledged is not None:
            query = query.filter(acknowledged_at__isnull=not f.acknowledged)
        query = query.filter(**between("due_on", f.due_from, f.due_to))
        ordered = query.select_related("organization").order_by(
            *ordering(order_by, REMINDER_ORDER_COLUMNS, ("due_on", "id"))
        )
        return await paginate(ordered, Reminder.from_row, first=first, after=after, last=last, before=before)


@strawberry.type
class Mutation:
    @mutation(permission=Permission.REMINDER_ACK, description="Acknowledge a reminder (mark it handled).")
    async def acknowledge_reminder(self, info: Info, input: AcknowledgeReminderInput) -> ReminderPayload:
        principal = info.context.principal
        row = await service.acknowledge(
            decode_id(input.id, "Reminder"), by=principal.label, by_id=principal.user_id, note=input.note
        )
        org = await OrganizationModel.get(id=row.organization_id)
        return {"reminder": Reminder.from_row(row, org.path)}

    @mutation(
        permission=Permission.REMINDER_MANAGE,
        description="Generate the tenant's reminders now (what `zhibu reminders run` does for cron).",
    )
    async def run_reminders(self, info: Info, input: RunRemindersInput | None = None) -> RunRemindersPayload:
        require(None)  # a tenant-wide job
        audit.target("Tenant", info.context.tenant_id)
        report = await service.run_for_current_tenant((input or RunRemindersInput()).date)
        return {
            "date": report.today,
            "created": report.created,
            "kinds": [
                ReminderKindCount(kind=k.kind, candidates=k.candidates, created=k.created)
                for k in report.kinds.values()
            ],
            "skipped_kinds": sorted(report.skipped),
        }


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(ReminderErrorCode),)
