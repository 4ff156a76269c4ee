"""The audit trail query: append-only records, filtered in SQL, for tenant administrators."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from core.graphql.core.connection import Connection, paginate
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.nodes import ModelNode, decode_id
from core.models import AuditRecord as AuditRecordModel
from core.permissions import Permission


@strawberry.type(description="One change made by a mutation (append-only).")
class AuditRecord(ModelNode):
    model = AuditRecordModel

    id: relay.NodeID[int]
    actor_id: strawberry.Private[int | None]
    actor: str = strawberry.field(description="Who acted (display name; API tokens are named).")
    operation: str = strawberry.field(description="The mutation, e.g. createOrganization.")
    target_type: str
    target_id: str
    before: JSON = strawberry.field(description="Changed fields before the change.")
    after: JSON = strawberry.field(description="Changed fields after the change.")
    request_id: str
    created_at: dt.datetime

    @strawberry.field(description="Global ID of the acting user, if a user acted.")
    def user_id(self) -> relay.GlobalID | None:
        return relay.GlobalID("User", str(self.actor_id)) if self.actor_id is not None else None


AuditRecordConnection = Connection[AuditRecord]


@strawberry.input(description="Filters for the audit trail.")
class AuditRecordFilter:
    user_id: strawberry.ID | None = None
    target_type: str | None = None
    target_id: str | None = strawberry.field(
        default=None, description="Database id or global ID of the target."
    )
    operation: str | None = None
    from_: dt.datetime | None = strawberry.field(default=None, name="from")
    to: dt.datetime | None = None


def _stored_tz(value: dt.datetime) -> dt.datetime:
    """In the configured time zone, as stored (SQLite compares datetimes as text)."""
    from tortoise import timezone

    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value)


def _target_id(value: str) -> str:
    """Accept a global ID as well as the raw database id."""
    try:
        gid = relay.GlobalID.from_id(value)
        return gid.node_id
    except Exception:  # noqa: BLE001
        return value


@strawberry.type
class Query:
    @field(
        permission=Permission.AUDIT_READ,
        scope="tenant",
        description="The audit trail, newest first (tenant-wide).",
    )
    async def audit_records(
        self,
        info: Info,
        filter: AuditRecordFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> AuditRecordConnection:
        f = filter or AuditRecordFilter()
        query = AuditRecordModel.all()
        if f.user_id is not None:
            query = query.filter(actor_id=decode_id(f.user_id, "User", field="userId"))
        if f.target_type:
            query = query.filter(target_type=f.target_type)
        if f.target_id:
            query = query.filter(target_id=_target_id(f.target_id))
        if f.operation:
            query = query.filter(operation=f.operation)
        if f.from_ is not None:
            query = query.filter(created_at__gte=_stored_tz(f.from_))
        if f.to is not None:
            query = query.filter(created_at__lt=_stored_tz(f.to))
        return await paginate(
            query.order_by("-created_at", "-id"), AuditRecord.from_model, first=first, after=after
        )
