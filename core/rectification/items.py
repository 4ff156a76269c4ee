"""Rectification (整改销号): the problem list, task list and responsibility list, and closing items.

Who does what (checked with :func:`core.guard.require` on the item's organization path):

- the organization itself (``RECTIFICATION_MANAGE`` on its path, e.g. the branch secretary) opens
  items, names owners, adds tasks and evidence and SUBMITS the item for closure;
- a superior organization (``RECTIFICATION_CLOSE`` held on a path strictly ABOVE the item's
  organization: the parent committee, an inspector of the parent's subtree, the tenant admin) CLOSES
  it (销号), RETURNS a submission, REOPENS a closed item and changes deadlines.

Status: OPEN → IN_PROGRESS → SUBMITTED → CLOSED, with SUBMITTED → REOPENED (returned) and
CLOSED → REOPENED; REOPENED → IN_PROGRESS/SUBMITTED. Closing needs evidence. One unclosed item per
(organization, rule code, period) is enforced by a unique ``open_key``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from tortoise.functions import Count

from core import audit
from core.error_codes import OrganizationErrorCode, RectificationErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.models import CommitteeRole, CommitteeSeat, Member, Organization
from core.models.member import CURRENT_MEMBER_STATUSES
from core.permissions import Permission
from core.rectification.common import actor, now, parent_path, today, unique_or
from core.rectification.findings import FindingRef, rule_titles
from core.rectification.models import (
    ItemSource,
    ItemStatus,
    RectificationEvidence,
    RectificationItem,
    RectificationTask,
    RectificationTransition,
)
from core.services.tenants import current_tenant
from core.tenant_config import effective_config

STATUS_LABELS = {
    ItemStatus.OPEN: "待整改",
    ItemStatus.IN_PROGRESS: "整改中",
    ItemStatus.SUBMITTED: "已提交待销号",
    ItemStatus.CLOSED: "已销号",
    ItemStatus.REOPENED: "已退回/重新整改",
}

#: allowed status changes: action -> (from statuses, to status)
TRANSITIONS: dict[str, tuple[frozenset[ItemStatus], ItemStatus]] = {
    "start": (frozenset({ItemStatus.OPEN, ItemStatus.REOPENED}), ItemStatus.IN_PROGRESS),
    "submit": (
        frozenset({ItemStatus.OPEN, ItemStatus.IN_PROGRESS, ItemStatus.REOPENED}),
        ItemStatus.SUBMITTED,
    ),
    "close": (frozenset({ItemStatus.SUBMITTED}), ItemStatus.CLOSED),
    "return": (frozenset({ItemStatus.SUBMITTED}), ItemStatus.REOPENED),
    "reopen": (frozenset({ItemStatus.CLOSED}), ItemStatus.REOPENED),
}
ACTION_LABELS = {
    "start": "开始整改",
    "submit": "提交销号",
    "close": "销号",
    "return": "退回",
    "reopen": "重新打开",
}
#: statuses in which tasks and evidence may still be added
EDITABLE = frozenset({ItemStatus.OPEN, ItemStatus.IN_PROGRESS, ItemStatus.REOPENED})
UNCLOSED = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS, ItemStatus.SUBMITTED, ItemStatus.REOPENED)


def open_key(organization_id: int, rule_code: str, period: str) -> str:
    """The identity of a finding for idempotent opening: organization, rule code, period."""
    return f"{organization_id}:{rule_code}:{period}"


async def _config() -> dict[str, Any]:
    return effective_config(await current_tenant())["rectification"]


async def default_deadline(severity: str) -> dt.date:
    """Today plus the tenant's deadline days for ``severity`` (config ``rectification.deadline_days``)."""
    days = (await _config())["deadline_days"]
    return today() + dt.timedelta(days=int(days.get(severity, max(days.values(), default=30))))


async def get_item(item_id: int) -> RectificationItem:
    item = await RectificationItem.get_or_none(id=item_id).select_related("organization")
    if item is None:
        raise NotFound("整改事项", item_id, field="id")
    return item


def require_above(org: Organization, permission: str = Permission.RECTIFICATION_CLOSE) -> None:
    """The caller must hold ``permission`` on the organization ABOVE ``org`` (a superior)."""
    require(parent_path(org.path), permission)


async def _check_owner(member_id: int | None, field: str = "ownerMemberId") -> None:
    if member_id is None:
        return
    member = await Member.get_or_none(id=member_id)
    if member is None or member.status not in CURRENT_MEMBER_STATUSES:
        raise DomainError(
            RectificationErrorCode.RECTIFICATION_OWNER_INVALID, field=field, reason="须为本单位在册党员"
        )


async def _check_owner_user(user_id: int | None) -> int | None:
    """An active user account of the tenant may be named responsible; returns its linked member."""
    if user_id is None:
        return None
    try:
        from core.access.models import User
    except ImportError:  # accounts not installed: nothing to check against
        return None
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None:
        raise DomainError(
            RectificationErrorCode.RECTIFICATION_OWNER_INVALID,
            field="ownerUserId",
            reason="账号不存在或已停用",
        )
    return user.member_id


def _check_deadline(deadline: dt.date, field: str = "deadline") -> None:
    if deadline < today():
        raise DomainError(RectificationErrorCode.RECTIFICATION_DEADLINE_PAST, field=field, deadline=deadline)


async def _transition(item: RectificationItem, action: str, comment: str = "") -> None:
    allowed, target = TRANSITIONS[action]
    if item.status not in allowed:
        raise DomainError(
            RectificationErrorCode.RECTIFICATION_INVALID_TRANSITION,
            field="id",
            status=str(item.status),
            action=action,
            status_label=STATUS_LABELS[item.status],
            action_label=ACTION_LABELS[action],
        )
    label, user_id = actor()
    await RectificationTransition.create(
        item_id=item.id,
        from_status=str(item.status),
        to_status=str(target),
        comment=comment,
        actor=label,
        actor_id=user_id,
    )
    item.status = target


async def open_item(
    *,
    organization_id: int,
    title: str,
    description: str = "",
    severity: str = "WARNING",
    area: str = "",
    rule_code: str = "",
    period: str = "",
    owner_member_id: int | None = None,
    owner_user_id: int | None = None,
    deadline: dt.date | None = None,
) -> RectificationItem:
    """Open one item by hand (an inspection finding, a self-found problem …)."""
    org = await Organization.get_or_none(id=organization_id)
    if org is None:
        raise NotFound("组织", organization_id, field="organizationId")
    require(org.path)
    if org.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="organizationId", name=org.name)
    if not title.strip():
        raise ValidationFailed("问题标题不能为空", field="title")
    if severity not in ("ERROR", "WARNING", "INFO"):
        raise ValidationFailed(f"未知的严重程度：{severity}", field="severity")
    linked_member = await _check_owner_user(owner_user_id)
    owner_member_id = owner_member_id or linked_member
    await _check_owner(owner_member_id)
    deadline = deadline or await default_deadline(severity)
    _check_deadline(deadline)
    key = open_key(org.id, rule_code, period) if rule_code else None
    if key and await RectificationItem.filter(open_key=key).exists():
        raise DomainError(RectificationErrorCode.RECTIFICATION_ALREADY_OPEN, field="ruleCode")
    label, user_id = actor()
    async with unique_or(RectificationErrorCode.RECTIFICATION_ALREADY_OPEN, field="ruleCode"):
        item = await RectificationItem.create(
            organization_id=org.id,
            source=ItemSource.MANUAL,
            rule_code=rule_code,
            period=period,
            title=title.strip(),
            description=description,
            severity=severity,
            area=area,
            owner_member_id=owner_member_id,
            owner_user_id=owner_user_id,
            deadline=deadline,
            open_key=key,
            opened_by=label,
            opened_by_id=user_id,
        )
    await RectificationTransition.create(
        item_id=item.id, to_status=str(ItemStatus.OPEN), comment="手工登记", actor=label, actor_id=user_id
    )
    audit.created(item)
    return item


#: values per ``IN (…)`` list (drivers limit bound parameters: asyncpg 32767, SQLite 32766)
CHUNK = 1000


def chunks(values: list[Any], size: int | None = None) -> Iterable[list[Any]]:
    size = size or CHUNK
    for start in range(0, len(values), size):
        yield values[start : start + size]


async def unclosed_keys(scope: Organization) -> dict[str, int]:
    """Open key -> id of every unclosed item with a key in ``scope``'s subtree (one query)."""
    rows = await RectificationItem.filter(
        open_key__isnull=False, organization__path__startswith=scope.path
    ).values_list("open_key", "id")
    return dict(rows)


async def secretaries_of(org_ids: Iterable[int]) -> dict[int, int]:
    """Organization id -> member id of its secretary in the live committee term."""
    out: dict[int, int] = {}
    for part in chunks(list(set(org_ids))):
        seats = await CommitteeSeat.filter(
            term__organization_id__in=part,
            term__closed_on__isnull=True,
            role=CommitteeRole.SECRETARY,
            member_id__isnull=False,
            ended_on__isnull=True,
        ).values("term__organization_id", "member_id")
        out.update({row["term__organization_id"]: row["member_id"] for row in seats})
    return out


async def open_items_from_findings(
    scope: Organization,
    findings: list[FindingRef],
    *,
    owner_member_id: int | None = None,
    deadline: dt.date | None = None,
) -> tuple[list[RectificationItem], list[int]]:
    """Open one item per finding not already covered by an unclosed item (idempotent).

    Returns (the created items, the ids of the unclosed items that already cover the other
    findings). The owner defaults to the organization's secretary; the deadline to today plus the
    tenant's days for the finding's severity. Cost: a fixed number of statements (plus one per
    :data:`CHUNK` secretaries looked up and per 500 rows inserted), whatever the size of the run.
    """
    require(scope.path)
    await _check_owner(owner_member_id)
    if deadline is not None:
        _check_deadline(deadline)
    by_key: dict[str, FindingRef] = {}
    for finding in findings:
        by_key.setdefault(
            open_key(finding.organization_id, finding.rule_code, finding.period),
            finding,
        )
    if not by_key:
        return [], []
    in_scope = set(await Organization.filter(path__startswith=scope.path).values_list("id", flat=True))
    by_key = {k: f for k, f in by_key.items() if f.organization_id in in_scope}
    unclosed = await unclosed_keys(scope)
    existing = {k: unclosed[k] for k in by_key if k in unclosed}
    new = {k: f for k, f in by_key.items() if k not in unclosed}
    if not new:
        return [], sorted(existing.values())
    owners = {} if owner_member_id else await secretaries_of(f.organization_id for f in new.values())
    days = (await _config())["deadline_days"]
    titles = await rule_titles()
    label, user_id = actor()
    rows = [
        RectificationItem(
            organization_id=f.organization_id,
            source=ItemSource.FINDING,
            rule_code=f.rule_code,
            period=f.period,
            finding_id=f.finding_id,
            score_run_id=f.score_run_id,
            title=(f.title or titles.get(f.rule_code) or f.message)[:300],
            description=f.message,
            severity=f.severity,
            area=f.area,
            numbers=f.numbers,
            owner_member_id=owner_member_id or owners.get(f.organization_id),
            deadline=deadline or today() + dt.timedelta(days=int(days.get(f.severity, 30))),
            open_key=key,
            opened_by=label,
            opened_by_id=user_id,
        )
        for key, f in new.items()
    ]
    async with unique_or(RectificationErrorCode.RECTIFICATION_CONCURRENT_CHANGE):
        await RectificationItem.bulk_create(rows, batch_size=500)
    ids = await unclosed_keys(scope)
    for row in rows:
        row.id = ids[row.open_key]
        row._saved_in_db = True
    created = sorted(rows, key=lambda r: r.id)
    await RectificationTransition.bulk_create(
        [
            RectificationTransition(
                item_id=i.id,
                to_status=str(ItemStatus.OPEN),
                comment=f"由规则 {i.rule_code} 生成",
                actor=label,
                actor_id=user_id,
            )
            for i in created
        ],
        batch_size=500,
    )
    for item in created:
        audit.created(item)
    return created, sorted(existing.values())


async def update_item(
    item_id: int,
    *,
    title: str | None = None,
    description: str | None = None,
    owner_member_id: int | None = None,
    owner_user_id: int | None = None,
) -> RectificationItem:
    """Change the title, description or owner (责任人). Deadlines: :func:`set_deadline`."""
    item = await get_item(item_id)
    require(item.organization.path)
    if item.status == ItemStatus.CLOSED:
        raise DomainError(
            RectificationErrorCode.RECTIFICATION_ITEM_LOCKED, field="id", status=STATUS_LABELS[item.status]
        )
    before = audit.snapshot(item)
    if title is not None:
        if not title.strip():
            raise ValidationFailed("问题标题不能为空", field="title")
        item.title = title.strip()
    if description is not None:
        item.description = description
    if owner_user_id is not None:
        linked_member = await _check_owner_user(owner_user_id)
        item.owner_user_id = owner_user_id
        owner_member_id = owner_member_id or linked_member
    if owner_member_id is not None:
        await _check_owner(owner_member_id)
        item.owner_member_id = owner_member_id
    await item.save()
    audit.changed(item, before)
    return item


async def set_deadline(item_id: int, deadline: dt.date, reason: str) -> RectificationItem:
    """A superior sets a new deadline (the organization cannot extend its own), with a reason."""
    item = await get_item(item_id)
    require_above(item.organization)
    if item.status == ItemStatus.CLOSED:
        raise DomainError(
            RectificationErrorCode.RECTIFICATION_ITEM_LOCKED, field="id", status=STATUS_LABELS[item.status]
        )
    if not reason.strip():
        raise ValidationFailed("调整整改期限须说明理由", field="reason")
    _check_deadline(deadline)
    before = audit.snapshot(item)
    item.deadline = deadline
    await item.save()
    label, user_id = actor()
    await RectificationTransition.create(
        item_id=item.id,
        from_status=str(item.status),
        to_status=str(item.status),
        comment=f"整改期限调整为 {deadline}：{reason.strip()}",
        actor=label,
        actor_id=user_id,
    )
    audit.changed(item, before)
    return item


def _check_editable(item: RectificationItem) -> None:
    if item.status not in EDITABLE:
        raise DomainError(
            RectificationErrorCode.RECTIFICATION_ITEM_LOCKED,
            field="itemId",
            status=STATUS_LABELS[item.status],
        )


async def _auto_start(item: RectificationItem) -> None:
    """Adding the first task or evidence starts the work on an OPEN or REOPENED item."""
    if item.status in (ItemStatus.OPEN, ItemStatus.REOPENED):
        await _transition(item, "start", "添加任务或佐证材料")
        await item.save(update_fields=["status", "updated_at"])


async def add_task(
    item_id: int, *, title: str, assignee_member_id: int | None = None, due_on: dt.date | None = None
) -> RectificationTask:
    """Add an entry to the item's task list (任务清单)."""
    item = await get_item(item_id)
    require(item.organization.path)
    _check_editable(item)
    if not title.strip():
        raise ValidationFailed("任务内容不能为空", field="title")
    await _check_owner(assignee_member_id, field="assigneeMemberId")
    if due_on is not None and due_on > item.deadline:
        raise DomainError(
            RectificationErrorCode.RECTIFICATION_TASK_AFTER_DEADLINE, field="dueOn", deadline=item.deadline
        )
    before = audit.snapshot(item)
    await _auto_start(item)
    task = await RectificationTask.create(
        item_id=item.id, title=title.strip(), assignee_member_id=assignee_member_id, due_on=due_on
    )
    audit.created(task)
    if item.status != before["status"]:
        audit.changed(item, before)
    return task


async def set_task_done(task_id: int, done: bool = True) -> RectificationTask:
    task = await RectificationTask.get_or_none(id=task_id).select_related("item__organization")
    if task is None:
        raise NotFound("整改任务", task_id, field="id")
    require(task.item.organization.path)
    _check_editable(task.item)
    before = audit.snapshot(task)
    task.done = done
    task.done_at = now() if done else None
    await task.save()
    audit.changed(task, before)
    return task


async def add_evidence(item_id: int, *, description: str, document_ref: str = "") -> RectificationEvidence:
    """Attach evidence (a description and a document number or URL). Evidence is never edited."""
    item = await get_item(item_id)
    require(item.organization.path)
    _check_editable(item)
    if not description.strip():
        raise ValidationFailed("佐证材料须有说明", field="description")
    before = audit.snapshot(item)
    await _auto_start(item)
    label, user_id = actor()
    evidence = await RectificationEvidence.create(
        item_id=item.id,
        description=description.strip(),
        document_ref=document_ref.strip()[:500],
        added_by=label,
        added_by_id=user_id,
    )
    audit.created(evidence)
    if item.status != before["status"]:
        audit.changed(item, before)
    return evidence


async def _require_evidence(item: RectificationItem) -> None:
    if not await RectificationEvidence.filter(item_id=item.id).exists():
        raise DomainError(RectificationErrorCode.RECTIFICATION_EVIDENCE_REQUIRED, field="id")


async def start_item(item_id: int, comment: str = "") -> RectificationItem:
    item = await get_item(item_id)
    require(item.organization.path)
    before = audit.snapshot(item)
    await _transition(item, "start", comment)
    await item.save()
    audit.changed(item, before)
    return item


async def submit_item(item_id: int, comment: str = "") -> RectificationItem:
    """The organization reports the problem fixed and asks its superior to close the item."""
    item = await get_item(item_id)
    require(item.organization.path)
    await _require_evidence(item)
    if (await _config())["require_tasks_done"]:
        pending = await RectificationTask.filter(item_id=item.id, done=False).count()
        if pending:
            raise DomainError(RectificationErrorCode.RECTIFICATION_TASKS_PENDING, field="id", pending=pending)
    before = audit.snapshot(item)
    await _transition(item, "submit", comment)
    item.submitted_at = now()
    await item.save()
    audit.changed(item, before)
    return item


async def close_item(item_id: int, comment: str = "") -> RectificationItem:
    """销号: a superior closes a submitted item with evidence; its finding is marked resolved."""
    item = await get_item(item_id)
    require_above(item.organization)
    await _require_evidence(item)
    before = audit.snapshot(item)
    await _transition(item, "close", comment)
    label, user_id = actor()
    item.open_key = None
    item.closed_at = now()
    item.closed_by = label
    item.closed_by_id = user_id
    item.close_comment = comment
    item.finding_resolved = True
    await item.save()
    audit.changed(item, before)
    return item


async def return_item(item_id: int, comment: str) -> RectificationItem:
    """A superior sends a submission back for more work (a reason is required)."""
    item = await get_item(item_id)
    require_above(item.organization)
    if not comment.strip():
        raise ValidationFailed("退回须说明理由", field="comment")
    before = audit.snapshot(item)
    await _transition(item, "return", comment)
    await item.save()
    audit.changed(item, before)
    return item


async def reopen_item(item_id: int, comment: str) -> RectificationItem:
    """A superior reopens a closed item (the problem came back); it counts as unclosed again."""
    item = await get_item(item_id)
    require_above(item.organization)
    if not comment.strip():
        raise ValidationFailed("重新打开须说明理由", field="comment")
    before = audit.snapshot(item)
    await _transition(item, "reopen", comment)
    if item.rule_code:
        key = open_key(item.organization_id, item.rule_code, item.period)
        if await RectificationItem.filter(open_key=key).exclude(id=item.id).exists():
            raise DomainError(RectificationErrorCode.RECTIFICATION_ALREADY_OPEN, field="id")
        item.open_key = key
    item.finding_resolved = False
    item.reopen_count += 1
    async with unique_or(RectificationErrorCode.RECTIFICATION_ALREADY_OPEN, field="id"):
        await item.save()
    audit.changed(item, before)
    return item


async def status_counts(queryset: Any) -> dict[str, int]:
    """Items per status of an (already scoped) queryset: one GROUP BY."""
    rows = await queryset.annotate(n=Count("id")).group_by("status").values("status", "n")
    return {str(row["status"]): int(row["n"]) for row in rows}


def overdue_filter(queryset: Any, overdue: bool) -> Any:
    """Unclosed items whose deadline has passed (compared in SQL), or the complement."""
    if overdue:
        return queryset.filter(deadline__lt=today(), status__in=list(UNCLOSED))
    from tortoise.expressions import Q

    return queryset.filter(Q(deadline__gte=today()) | Q(status=ItemStatus.CLOSED))
