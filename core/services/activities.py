"""Organizational life: recording activities and their attendance.

The kind comes from the tenant's vocabulary and must be held by the organization's kind; the people
on the attendance list belong to the organization. 应到 / 实到 / 请假 / 缺席 are the counts of the
attendance rows (aggregated in SQL, see :func:`attendance_stats`). A mistaken record is cancelled
(kept with a reason), never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count

from core import audit
from core.error_codes import ActivityErrorCode, MemberErrorCode, OrganizationErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import current_principal, require
from core.models import (
    TALK_TRIGGER_LABELS,
    Activity,
    Attendance,
    AttendanceStatus,
    Member,
    Organization,
    TalkTrigger,
    TalkTriggerKind,
)
from core.models.member import CURRENT_MEMBER_STATUSES
from core.plugins import notify
from core.services.organizations import current_vocabulary, get_organization


@dataclass(frozen=True)
class AttendanceEntry:
    member_id: int
    status: AttendanceStatus | str = AttendanceStatus.PRESENT


@dataclass(frozen=True)
class Stats:
    """应到 expected, 实到 present, 请假 leave, 缺席 absent."""

    expected: int = 0
    present: int = 0
    leave: int = 0
    absent: int = 0

    @property
    def rate(self) -> float | None:
        """实到 / 应到, None when nobody was expected."""
        return round(self.present / self.expected, 4) if self.expected else None


async def get_activity(activity_id: int, *, for_write: bool = False) -> Activity:
    activity = await Activity.get_or_none(id=activity_id).select_related("organization")
    if activity is None:
        raise NotFound("活动记录", activity_id, field="id")
    if for_write:
        require(activity.organization.path)
        if activity.cancelled_on is not None:
            raise DomainError(ActivityErrorCode.ACTIVITY_CANCELLED, field="id")
    return activity


async def _check_kind(org: Organization, kind: str) -> None:
    vocabulary = await current_vocabulary()
    spec = vocabulary.activity_kinds.get(kind)
    if spec is None:
        raise DomainError(ActivityErrorCode.ACTIVITY_KIND_UNKNOWN, field="kind", kind=kind)
    holders = spec.held_by or vocabulary.branch_kinds()
    if org.kind not in holders:
        org_spec = vocabulary.organization_kinds.get(org.kind)
        label = org_spec.label if org_spec else org.kind
        raise DomainError(
            ActivityErrorCode.ACTIVITY_KIND_NOT_HELD_BY_ORG,
            field="kind",
            kind=kind,
            label=label,
            spec_label=spec.label,
        )


def _check_date(org: Organization, held_on: dt.date) -> None:
    if held_on > dt.date.today():
        raise ValidationFailed("活动日期不能晚于今天（记录的是已开展的活动）", field="heldOn")
    if org.dissolved_on is not None and held_on > org.dissolved_on:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="heldOn", name=org.name)


def _members_of(org: Organization):  # noqa: ANN202
    """Queryset of the people who belong to ``org`` (a group's members, or a branch subtree's)."""
    if org.kind == "PARTY_GROUP":
        return Member.filter(party_group_id=org.id)
    return Member.filter(branch__path__startswith=org.path)


async def _check_entries(org: Organization, entries: Sequence[AttendanceEntry]) -> list[AttendanceEntry]:
    ids = [e.member_id for e in entries]
    duplicated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicated:
        raise DomainError(ActivityErrorCode.ATTENDANCE_DUPLICATE, field="attendance", members=duplicated)
    checked: list[AttendanceEntry] = []
    for entry in entries:
        try:
            checked.append(AttendanceEntry(entry.member_id, AttendanceStatus(entry.status)))
        except ValueError as exc:
            raise ValidationFailed(f"无效的出勤状态：{entry.status}", field="attendance") from exc
    if ids:
        found = set(await _members_of(org).filter(id__in=ids).values_list("id", flat=True))
        missing = [i for i in ids if i not in found]
        if missing:
            raise DomainError(
                ActivityErrorCode.ATTENDANCE_MEMBER_NOT_IN_ORG,
                field="attendance",
                members=missing,
                missing_count=len(missing),
                name=org.name,
            )
    return checked


THEMED_PARTY_DAY = "THEMED_PARTY_DAY"


async def themed_day_parts() -> list[dict[str, str]]:
    """The tenant's four required parts of a themed party day (activities.themed_day_required_parts)."""
    from core.services.tenants import current_tenant
    from core.tenant_config import effective_config

    return list(effective_config(await current_tenant())["activities"]["themed_day_required_parts"])


async def _four_plus_x(kind: str, parts: Sequence[str] | None, extras: Sequence[str] | None) -> dict:
    """``extra`` of a themed party day: the required parts done (codes) and its own items (X)."""
    if kind != THEMED_PARTY_DAY:
        if parts or extras:
            raise DomainError(ActivityErrorCode.THEMED_DAY_PARTS_NOT_APPLICABLE, field="themedDayParts")
        return {}
    known = [p["code"] for p in await themed_day_parts()]
    done = list(dict.fromkeys(parts or ()))
    unknown = [code for code in done if code not in known]
    if unknown:
        raise DomainError(
            ActivityErrorCode.THEMED_DAY_PART_UNKNOWN,
            field="themedDayParts",
            parts=unknown,
            unknown="、".join(unknown),
        )
    own = [x.strip() for x in (extras or ()) if x.strip()]
    return {"parts": [code for code in known if code in done], "extras": own}


async def _host(org: Organization, host_id: int | None) -> int | None:
    if host_id is None:
        return None
    if not await Member.filter(id=host_id).exists():
        raise NotFound("主持人", host_id, field="hostId")
    return host_id


async def record_activity(
    org_id: int,
    *,
    kind: str,
    held_on: dt.date,
    topic: str,
    host_id: int | None = None,
    lecturer: str = "",
    minutes: str = "",
    attendance: Iterable[AttendanceEntry] = (),
    mark_others_absent: bool = False,
    themed_day_parts: Sequence[str] | None = None,
    themed_day_extras: Sequence[str] | None = None,
) -> Activity:
    """Record an activity held by ``org_id`` with its attendance.

    With ``mark_others_absent`` every current member of the organization missing from
    ``attendance`` is recorded ABSENT, so 应到 covers the whole roster. A themed party day records
    which of the four required parts it did and its own items (“4+X”, in ``extra``).
    """
    org = await get_organization(org_id, for_write=True)
    await _check_kind(org, kind)
    _check_date(org, held_on)
    if not (topic or "").strip():
        raise ValidationFailed("活动主题不能为空", field="topic")
    four_plus_x = await _four_plus_x(kind, themed_day_parts, themed_day_extras)
    entries = await _check_entries(org, list(attendance))
    if mark_others_absent:
        listed = {e.member_id for e in entries}
        roster = (
            await _members_of(org)
            .filter(status__in=list(CURRENT_MEMBER_STATUSES))
            .values_list("id", flat=True)
        )
        entries += [AttendanceEntry(i, AttendanceStatus.ABSENT) for i in roster if i not in listed]
    activity = await Activity.create(
        organization_id=org.id,
        kind=kind,
        held_on=held_on,
        topic=topic.strip(),
        host_id=await _host(org, host_id),
        lecturer=(lecturer or "").strip(),
        minutes=minutes or "",
        extra=four_plus_x,
    )
    audit.created(activity)
    rows = [Attendance(activity_id=activity.id, member_id=e.member_id, status=e.status) for e in entries]
    if rows:
        await Attendance.bulk_create(rows)
    activity.organization = org
    await notify("zhibu_activity_recorded", activity=activity)
    return activity


_UNSET = object()


async def update_activity(
    activity_id: int,
    *,
    kind: str | None = None,
    held_on: dt.date | None = None,
    topic: str | None = None,
    host_id: int | None | object = _UNSET,
    lecturer: str | None = None,
    minutes: str | None = None,
    themed_day_parts: Sequence[str] | None = None,
    themed_day_extras: Sequence[str] | None = None,
) -> Activity:
    activity = await get_activity(activity_id, for_write=True)
    org = activity.organization
    before = audit.snapshot(activity)
    if kind is not None:
        await _check_kind(org, kind)
        activity.kind = kind
    if held_on is not None:
        _check_date(org, held_on)
        activity.held_on = held_on
    if topic is not None:
        if not topic.strip():
            raise ValidationFailed("活动主题不能为空", field="topic")
        activity.topic = topic.strip()
    if host_id is not _UNSET:
        activity.host_id = await _host(org, host_id)  # type: ignore[arg-type]
    if lecturer is not None:
        activity.lecturer = lecturer.strip()
    if minutes is not None:
        activity.minutes = minutes
    if themed_day_parts is not None or themed_day_extras is not None:
        current = activity.extra or {}
        activity.extra = {
            **current,
            **await _four_plus_x(
                activity.kind,
                themed_day_parts if themed_day_parts is not None else current.get("parts"),
                themed_day_extras if themed_day_extras is not None else current.get("extras"),
            ),
        }
    await activity.save()
    audit.changed(activity, before)
    return activity


async def cancel_activity(activity_id: int, *, reason: str) -> Activity:
    """Mark a mistaken record as void (kept for the record, left out of lists and statistics)."""
    if not (reason or "").strip():
        raise ValidationFailed("作废活动记录须说明理由", field="reason")
    activity = await get_activity(activity_id, for_write=True)
    before = audit.snapshot(activity)
    activity.cancelled_on = dt.date.today()
    activity.cancel_reason = reason.strip()
    await activity.save(update_fields=["cancelled_on", "cancel_reason"])
    audit.changed(activity, before)
    return activity


async def set_attendance(activity_id: int, entries: Iterable[AttendanceEntry]) -> list[Attendance]:
    """Upsert attendance rows (one per member): listed members get the given status."""
    activity = await get_activity(activity_id, for_write=True)
    checked = await _check_entries(activity.organization, list(entries))
    existing = {
        row.member_id: row
        for row in await Attendance.filter(
            activity_id=activity.id, member_id__in=[e.member_id for e in checked]
        )
    }
    result: list[Attendance] = []
    for entry in checked:
        row = existing.get(entry.member_id)
        if row is None:
            row = Attendance(activity_id=activity.id, member_id=entry.member_id, status=entry.status)
            await _insert_attendance(row)
            audit.created(row)
        elif row.status != entry.status:
            before = audit.snapshot(row)
            row.status = entry.status
            await row.save(update_fields=["status"])
            audit.changed(row, before)
        result.append(row)
    return result


async def _insert_attendance(row: Attendance) -> None:
    try:
        await row.save()
    except IntegrityError as exc:  # the unique (tenant, activity, member) constraint
        raise DomainError(ActivityErrorCode.ATTENDANCE_ALREADY_RECORDED, field="memberId") from exc


async def check_in(activity_id: int, member_id: int) -> Attendance:
    """Record a member as present. A second check-in of the same member is refused."""
    activity = await get_activity(activity_id, for_write=True)
    await _check_entries(activity.organization, [AttendanceEntry(member_id)])
    row = await Attendance.get_or_none(activity_id=activity.id, member_id=member_id)
    if row is not None and row.status == AttendanceStatus.PRESENT:
        raise DomainError(ActivityErrorCode.ATTENDANCE_ALREADY_RECORDED, field="memberId")
    if row is None:
        row = Attendance(activity_id=activity.id, member_id=member_id, status=AttendanceStatus.PRESENT)
        await _insert_attendance(row)
        audit.created(row)
    else:
        before = audit.snapshot(row)
        row.status = AttendanceStatus.PRESENT
        await row.save(update_fields=["status"])
        audit.changed(row, before)
    return row


async def attendance_stats(activity_ids: Sequence[int]) -> dict[int, Stats]:
    """应到/实到/请假/缺席 for many activities with ONE grouped SQL aggregate."""
    from core import sql
    from core.tenancy import bound_tenant_id

    counts: dict[int, dict[str, int]] = {}
    if activity_ids and sql.dialect() == "postgres" and bound_tenant_id() is not None:
        # the same statement with the ids as one array parameter (a page asks for ~1,000)
        rows = await sql.fetch(
            "SELECT activity_id, status, COUNT(id) AS n FROM attendance"
            " WHERE tenant_id = :tenant_id AND activity_id = ANY(:ids) GROUP BY activity_id, status",
            ids=list(set(activity_ids)),
        )
    elif activity_ids:
        rows = (
            await Attendance.filter(activity_id__in=list(set(activity_ids)))
            .annotate(n=Count("id"))
            .group_by("activity_id", "status")
            .values("activity_id", "status", "n")
        )
    else:
        rows = []
    for row in rows:
        counts.setdefault(row["activity_id"], {})[str(row["status"])] = row["n"]
    result: dict[int, Stats] = {}
    statuses = [s.value for s in AttendanceStatus]
    for activity_id in activity_ids:
        c = counts.get(activity_id, {})
        present, leave, absent = (c.get(s, 0) for s in statuses)
        result[activity_id] = Stats(present + leave + absent, present, leave, absent)
    return result


async def talk_trigger_days() -> int:
    """Days after an occasion by which the obligatory talk is due (standards.heart_to_heart_trigger_days)."""
    from core.services.tenants import current_tenant
    from core.tenant_config import effective_config

    return int(effective_config(await current_tenant())["standards"]["heart_to_heart_trigger_days"])


async def record_talk_trigger(
    member_id: int, *, kind: TalkTriggerKind | str, occurred_on: dt.date, note: str = ""
) -> TalkTrigger:
    """Record an occasion that obliges a heart-to-heart talk with a current member (谈心谈话“四必谈”).

    The member's branch owes the talk; ``HEART_TO_HEART_TRIGGER_MISSING`` flags it when no
    heart-to-heart talk listing the member present was held within the configured days.
    """
    member = await Member.get_or_none(id=member_id).select_related("branch")
    if member is None:
        raise NotFound("党员", member_id, field="memberId")
    require(member.branch.path)
    if member.status not in CURRENT_MEMBER_STATUSES:
        raise DomainError(MemberErrorCode.MEMBER_NOT_CURRENT, field="memberId", name=member.name)
    try:
        trigger_kind = TalkTriggerKind(kind)
    except ValueError as exc:
        raise ValidationFailed(f"未知的谈心谈话事由：{kind}", field="kind") from exc
    if occurred_on > dt.date.today():
        raise ValidationFailed("事由发生日期不能晚于今天", field="occurredOn")
    if await TalkTrigger.filter(member_id=member.id, kind=trigger_kind, occurred_on=occurred_on).exists():
        raise DomainError(
            ActivityErrorCode.TALK_TRIGGER_DUPLICATE,
            field="occurredOn",
            name=member.name,
            occurred_on=occurred_on.isoformat(),
            value=TALK_TRIGGER_LABELS[trigger_kind.value],
        )
    principal = current_principal()
    trigger = await TalkTrigger.create(
        member_id=member.id,
        organization_id=member.branch_id,
        kind=trigger_kind,
        occurred_on=occurred_on,
        note=(note or "").strip()[:300],
        recorded_by=principal.label if principal else "",
    )
    audit.created(trigger)
    trigger.member = member
    return trigger


async def talked_on(trigger: TalkTrigger) -> dt.date | None:
    """The first heart-to-heart talk listing the member present on or after the occasion."""
    row = (
        await Activity.filter(
            kind="HEART_TO_HEART",
            cancelled_on__isnull=True,
            held_on__gte=trigger.occurred_on,
            attendance__member_id=trigger.member_id,
            attendance__status=AttendanceStatus.PRESENT,
        )
        .order_by("held_on")
        .first()
        .values("held_on")
    )
    return row["held_on"] if row else None
