"""Query and mutation fields of rectification (整改销号)."""

from __future__ import annotations

import strawberry

from core.error_codes import RectificationErrorCode
from core.errors import CommonErrorCode, DomainError
from core.graphql.core.connection import ordering, paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, scoped
from core.graphql.core.filters import within_subtree
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.graphql.rectification.types import (
    PAYLOAD_LIST_LIMIT,
    RECTIFICATIONITEM_ORDER_COLUMNS,
    AddRectificationEvidenceInput,
    AddRectificationTaskInput,
    OpenRectificationItemInput,
    OpenRectificationItemsInput,
    OpenRectificationItemsPayload,
    RectificationActionInput,
    RectificationEvidencePayload,
    RectificationEvidenceType,
    RectificationItemConnection,
    RectificationItemFilter,
    RectificationItemOrder,
    RectificationItemPayload,
    RectificationItemType,
    RectificationStatusCount,
    RectificationSummary,
    RectificationTaskPayload,
    RectificationTaskType,
    SetRectificationDeadlineInput,
    SetRectificationTaskDoneInput,
    UpdateRectificationItemInput,
)
from core.models import Organization as OrganizationModel
from core.permissions import Permission
from core.rectification import findings as finding_source
from core.rectification import items as service
from core.rectification.models import ItemStatus
from core.rectification.models import RectificationItem as ItemModel
from core.services.organizations import get_organization


def _member(gid: strawberry.ID | None, field_name: str) -> int | None:
    return decode_id(gid, "Member", field=field_name) if gid is not None else None


def _user(gid: strawberry.ID | None) -> int | None:
    return decode_id(gid, "User", field="ownerUserId") if gid is not None else None


async def _item_node(item: ItemModel) -> RectificationItemType:
    if not isinstance(item.organization, OrganizationModel):
        await item.fetch_related("organization")
    return RectificationItemType.from_row(item)


async def _filtered(info: Info, f: RectificationItemFilter):  # noqa: ANN202
    query = scoped(info, ItemModel.all(), "organization__path")
    query = await within_subtree(query, f.subtree_of, "organization__path")
    if f.organization_id is not None:
        query = query.filter(
            organization_id=decode_id(f.organization_id, "Organization", field="organizationId")
        )
    if f.statuses:
        query = query.filter(status__in=[ItemStatus(s) for s in f.statuses])
    if f.overdue is not None:
        query = service.overdue_filter(query, f.overdue)
    if f.rule_codes:
        query = query.filter(rule_code__in=f.rule_codes)
    if f.owner_member_id is not None:
        query = query.filter(owner_member_id=_member(f.owner_member_id, "ownerMemberId"))
    if f.owner_user_id is not None:
        query = query.filter(owner_user_id=_user(f.owner_user_id))
    if f.source is not None:
        query = query.filter(source=f.source)
    return query


@strawberry.type
class Query:
    @field(permission=Permission.RECTIFICATION_READ, description="One rectification item by ID.")
    async def rectification_item(self, info: Info, id: strawberry.ID) -> RectificationItemType | None:
        row = await ItemModel.get_or_none(id=decode_id(id, "RectificationItem")).select_related(
            "organization"
        )
        return RectificationItemType.from_row(row) if row else None

    @field(
        permission=Permission.RECTIFICATION_READ,
        description="Rectification items the caller may see, filtered, most urgent deadline first.",
    )
    async def rectification_items(
        self,
        info: Info,
        filter: RectificationItemFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: list[RectificationItemOrder] | None = None,
    ) -> RectificationItemConnection:
        query = await _filtered(info, filter or RectificationItemFilter())
        ordered = query.select_related("organization").order_by(
            *ordering(order_by, RECTIFICATIONITEM_ORDER_COLUMNS, ("deadline", "id"))
        )
        return await paginate(
            ordered, RectificationItemType.from_row, first=first, after=after, last=last, before=before
        )

    @field(
        permission=Permission.RECTIFICATION_READ,
        description="Counts by status and overdue for a subtree (or everything visible).",
    )
    async def rectification_summary(
        self, info: Info, scope_id: strawberry.ID | None = None
    ) -> RectificationSummary:
        query = await _filtered(info, RectificationItemFilter(subtree_of=scope_id))
        path = None
        if scope_id is not None:
            path = (await get_organization(decode_id(scope_id, "Organization", field="scopeId"))).path
        counts = await service.status_counts(query)
        overdue = await service.overdue_filter(query, True).count()
        total = sum(counts.values())
        closed = counts.get(str(ItemStatus.CLOSED), 0)
        return RectificationSummary(
            total=total,
            unclosed=total - closed,
            closed=closed,
            overdue=overdue,
            path=path,
            by_status=[
                RectificationStatusCount(
                    status=s, label=service.STATUS_LABELS[s], count=counts.get(str(s), 0)
                )
                for s in ItemStatus
            ],
        )


@strawberry.type
class Mutation:
    @mutation(permission=Permission.RECTIFICATION_MANAGE, description="Open a rectification item by hand.")
    async def open_rectification_item(
        self, info: Info, input: OpenRectificationItemInput
    ) -> RectificationItemPayload:
        item = await service.open_item(
            organization_id=decode_id(input.organization_id, "Organization", field="organizationId"),
            title=input.title,
            description=input.description,
            severity=input.severity,
            area=input.area,
            rule_code=input.rule_code.strip(),
            period=input.period.strip(),
            owner_member_id=_member(input.owner_member_id, "ownerMemberId"),
            owner_user_id=_user(input.owner_user_id),
            deadline=input.deadline,
        )
        return {"item": await _item_node(item)}

    @mutation(
        permission=Permission.RECTIFICATION_MANAGE,
        description="Open one item per finding (stored or live) not already covered by an unclosed item.",
    )
    async def open_rectification_items(
        self, info: Info, input: OpenRectificationItemsInput
    ) -> OpenRectificationItemsPayload:
        scope = await get_organization(decode_id(input.scope_id, "Organization", field="scopeId"))
        if input.finding_ids is not None or input.score_run_id is not None:
            found = await finding_source.stored_findings(
                ids=[decode_id(g, "StoredFinding", field="findingIds") for g in input.finding_ids]
                if input.finding_ids is not None
                else None,
                run_id=decode_id(input.score_run_id, "ScoreRun", field="scoreRunId")
                if input.score_run_id is not None
                else None,
                flagged_only=input.flagged_only,
            )
        elif input.period_start is not None and input.period_end is not None:
            found = await finding_source.live_findings(
                scope, input.period_start, input.period_end, set(input.rule_codes or ())
            )
        else:
            raise DomainError(
                CommonErrorCode.INVALID_INPUT,
                field="findingIds",
                reason="请指定问题发现：findingIds、scoreRunId 或评估期间",
            )
        if input.rule_codes:
            wanted = set(input.rule_codes)
            found = [f for f in found if f.rule_code in wanted]
        created, existing = await service.open_items_from_findings(
            scope,
            found,
            owner_member_id=_member(input.owner_member_id, "ownerMemberId"),
            deadline=input.deadline,
        )
        limit = PAYLOAD_LIST_LIMIT
        shown = await ItemModel.filter(id__in=existing[:limit]).select_related("organization")
        paths = dict(
            await OrganizationModel.filter(id__in={i.organization_id for i in created[:limit]}).values_list(
                "id", "path"
            )
        )
        return {
            "created": [RectificationItemType.from_row(i, paths[i.organization_id]) for i in created[:limit]],
            "created_count": len(created),
            "already_open": [RectificationItemType.from_row(i) for i in sorted(shown, key=lambda r: r.id)],
            "already_open_count": len(existing),
        }

    @mutation(permission=Permission.RECTIFICATION_MANAGE, description="Change title, description or owner.")
    async def update_rectification_item(
        self, info: Info, input: UpdateRectificationItemInput
    ) -> RectificationItemPayload:
        item = await service.update_item(
            decode_id(input.id, "RectificationItem"),
            title=input.title,
            description=input.description,
            owner_member_id=_member(input.owner_member_id, "ownerMemberId"),
            owner_user_id=_user(input.owner_user_id),
        )
        return {"item": await _item_node(item)}

    @mutation(
        permission=Permission.RECTIFICATION_CLOSE,
        description="A superior sets a new deadline (RECTIFICATION_CLOSE above the organization).",
    )
    async def set_rectification_deadline(
        self, info: Info, input: SetRectificationDeadlineInput
    ) -> RectificationItemPayload:
        item = await service.set_deadline(
            decode_id(input.id, "RectificationItem"), input.deadline, input.reason
        )
        return {"item": await _item_node(item)}

    @mutation(permission=Permission.RECTIFICATION_MANAGE, description="Add a task to an item's task list.")
    async def add_rectification_task(
        self, info: Info, input: AddRectificationTaskInput
    ) -> RectificationTaskPayload:
        item_id = decode_id(input.item_id, "RectificationItem", field="itemId")
        task = await service.add_task(
            item_id,
            title=input.title,
            assignee_member_id=_member(input.assignee_member_id, "assigneeMemberId"),
            due_on=input.due_on,
        )
        item = await service.get_item(item_id)
        return {"task": RectificationTaskType.from_model(task), "item": await _item_node(item)}

    @mutation(permission=Permission.RECTIFICATION_MANAGE, description="Mark a task done (or not done).")
    async def set_rectification_task_done(
        self, info: Info, input: SetRectificationTaskDoneInput
    ) -> RectificationTaskPayload:
        task = await service.set_task_done(decode_id(input.id, "RectificationTask"), input.done)
        item = await service.get_item(task.item_id)
        return {"task": RectificationTaskType.from_model(task), "item": await _item_node(item)}

    @mutation(permission=Permission.RECTIFICATION_MANAGE, description="Attach evidence to an item.")
    async def add_rectification_evidence(
        self, info: Info, input: AddRectificationEvidenceInput
    ) -> RectificationEvidencePayload:
        item_id = decode_id(input.item_id, "RectificationItem", field="itemId")
        evidence = await service.add_evidence(
            item_id, description=input.description, document_ref=input.document_ref
        )
        item = await service.get_item(item_id)
        return {
            "evidence": RectificationEvidenceType.from_model(evidence),
            "item": await _item_node(item),
        }

    @mutation(permission=Permission.RECTIFICATION_MANAGE, description="Start work on an item.")
    async def start_rectification_item(
        self, info: Info, input: RectificationActionInput
    ) -> RectificationItemPayload:
        item = await service.start_item(decode_id(input.id, "RectificationItem"), input.comment)
        return {"item": await _item_node(item)}

    @mutation(
        permission=Permission.RECTIFICATION_MANAGE,
        description="The organization submits the item for closure (needs evidence and all tasks done).",
    )
    async def submit_rectification_item(
        self, info: Info, input: RectificationActionInput
    ) -> RectificationItemPayload:
        item = await service.submit_item(decode_id(input.id, "RectificationItem"), input.comment)
        return {"item": await _item_node(item)}

    @mutation(
        permission=Permission.RECTIFICATION_CLOSE,
        description="销号: a superior closes a submitted item with evidence (CLOSE above the organization).",
    )
    async def close_rectification_item(
        self, info: Info, input: RectificationActionInput
    ) -> RectificationItemPayload:
        item = await service.close_item(decode_id(input.id, "RectificationItem"), input.comment)
        return {"item": await _item_node(item)}

    @mutation(permission=Permission.RECTIFICATION_CLOSE, description="A superior returns a submission.")
    async def return_rectification_item(
        self, info: Info, input: RectificationActionInput
    ) -> RectificationItemPayload:
        item = await service.return_item(decode_id(input.id, "RectificationItem"), input.comment)
        return {"item": await _item_node(item)}

    @mutation(permission=Permission.RECTIFICATION_CLOSE, description="A superior reopens a closed item.")
    async def reopen_rectification_item(
        self, info: Info, input: RectificationActionInput
    ) -> RectificationItemPayload:
        item = await service.reopen_item(decode_id(input.id, "RectificationItem"), input.comment)
        return {"item": await _item_node(item)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(RectificationErrorCode),)
