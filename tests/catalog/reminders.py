"""Catalog entries: reminders (helper E2's)."""

from __future__ import annotations

import datetime as dt

from core.tenancy import tenant_scope
from core.testing import gid
from tests.catalog import Op, Target
from tests.catalog._helpers import TODAY, seq


async def _reminder(world, org_key: str):  # noqa: ANN001, ANN202
    from core.reminders.models import Reminder

    org = world.orgs[org_key]
    with tenant_scope(world.tenant_id):
        return await Reminder.create(
            kind="POLITICAL_BIRTHDAY",
            subject_type="Organization",
            subject_id=org.id,
            organization_id=org.id,
            due_on=TODAY + dt.timedelta(days=seq()),
            title="测试提醒",
            dedupe_key=f"catalog:{org.id}:{seq()}",
        )


async def _one(world, pos):  # noqa: ANN001, ANN202
    row = await _reminder(world, pos.org)
    return Target({"id": gid("Reminder", row.id)})


async def _list(world, pos):  # noqa: ANN001, ANN202
    row = await _reminder(world, pos.org)
    return Target({"due": row.due_on.isoformat()}, expect=gid("Reminder", row.id))


async def _ack(world, pos):  # noqa: ANN001, ANN202
    row = await _reminder(world, pos.org)
    return Target({"input": {"id": gid("Reminder", row.id)}})


async def _run(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"date": TODAY.isoformat()}})


OPERATIONS = [
    Op("reminder", "query", "query($id: ID!) { reminder(id: $id) { id } }", "REMINDER_READ", "tree", _one),
    Op(
        "reminders",
        "query",
        "query($due: Date!) { reminders(first: 100, filter: {dueFrom: $due, dueTo: $due}) { nodes { id } } }",
        "REMINDER_READ",
        "list",
        _list,
    ),
    Op(
        "acknowledgeReminder",
        "mutation",
        "mutation($input: AcknowledgeReminderInput!) { acknowledgeReminder(input: $input) "
        "{ errors { code } reminder { id } } }",
        "REMINDER_ACK",
        "tree",
        _ack,
    ),
    Op(
        "runReminders",
        "mutation",
        "mutation($input: RunRemindersInput) { runReminders(input: $input) { errors { code } created } }",
        "REMINDER_MANAGE",
        "tenant",
        _run,
    ),
]
