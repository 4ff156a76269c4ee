"""Members: the roster of a branch, categories, ID-number correction and status changes.

The ID number changes only through :func:`correct_member_id_number` (with a reason); an ordinary
update that carries one is refused. Status changes that belong to a procedure (development,
transfers) go through :func:`set_member_status`, which other modules call and which fires the
``zhibu_member_status_changed`` event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from tortoise.exceptions import IntegrityError

from core import audit
from core.error_codes import MemberErrorCode, OrganizationErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.models import Member, MemberCategoryAssignment, MemberStatus, Organization
from core.models.member import ACTIVE_STATUSES
from core.plugins import notify
from core.registry import Vocabulary

#: Status changes an ordinary roster update may make (everything else has its own procedure).
UPDATE_TRANSITIONS: dict[MemberStatus, frozenset[MemberStatus]] = {
    status: frozenset({MemberStatus.LEFT, MemberStatus.DECEASED}) for status in ACTIVE_STATUSES
}
#: Statuses that take a person off the roster.
ENDED_STATUSES = frozenset({MemberStatus.LEFT, MemberStatus.DECEASED, MemberStatus.TRANSFERRED_OUT})

STATUS_LABELS: dict[MemberStatus, str] = {
    MemberStatus.APPLICANT: "入党申请人",
    MemberStatus.ACTIVIST: "入党积极分子",
    MemberStatus.CANDIDATE: "发展对象",
    MemberStatus.PROBATIONARY: "预备党员",
    MemberStatus.FULL: "正式党员",
    MemberStatus.LEFT: "出党",
    MemberStatus.DECEASED: "去世",
    MemberStatus.TRANSFERRED_OUT: "已转出",
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")


def id_number_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_number(value: str | None, *, field: str = "idNumber") -> str | None:
    """A valid resident ID number (18 chars with a correct check digit, or the old 15 digits)."""
    if value is None:
        return None
    value = value.strip().upper()
    if not value:
        return None
    if re.fullmatch(r"\d{15}", value):
        return value
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationFailed("身份证号码格式不正确（应为18位）", field=field)
    if id_number_check_digit(value[:17]) != value[17]:
        raise ValidationFailed("身份证号码校验位不正确", field=field)
    return value


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``."""
    if not phone:
        return ""
    if len(phone) < 8:
        return "*" * (len(phone) - 2) + phone[-2:]
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(id_number: str | None) -> str | None:
    """``110101199003071234`` -> ``1101**********1234``."""
    if not id_number:
        return id_number
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def sees_sensitive(principal: Any, member_id: int, branch_path: str) -> bool:
    """Whether ``principal`` sees a member's phone and ID number unmasked: the member themself, or
    MEMBER_SENSITIVE_READ on the member's branch (the one rule for GraphQL and exports alike)."""
    return principal.member_id == member_id or principal.allows("MEMBER_SENSITIVE_READ", branch_path)


async def _vocabulary() -> Vocabulary:
    from core.services.organizations import current_vocabulary

    return await current_vocabulary()


async def branch_of(member: Member, *, for_write: bool = True) -> Organization:
    """The branch whose roster holds ``member`` (the one lookup of a member's branch); with
    ``for_write`` the caller must be allowed to manage it."""
    branch = await Organization.get(id=member.branch_id)
    if for_write:
        require(branch.path)
    return branch


async def member_and_branch(
    member_id: int, *, what: str = "人员", field: str = "memberId", for_write: bool = True
) -> tuple[Member, Organization]:
    """A member of the bound tenant and their branch, in one statement (``NotFound`` names ``what``
    and ``field``); with ``for_write`` the caller must be allowed to manage the branch."""
    member = await Member.get_or_none(id=member_id).select_related("branch")
    if member is None:
        raise NotFound(what, member_id, field=field)
    if for_write:
        require(member.branch.path)
    return member, member.branch


async def get_member(member_id: int, *, for_write: bool = False) -> Member:
    """A member of the bound tenant; with ``for_write`` the caller must be allowed on the branch."""
    member = await Member.get_or_none(id=member_id).select_related("branch")
    if member is None:
        raise NotFound("党员", member_id, field="id")
    if for_write:
        require(member.branch.path)
    return member


async def _branch(branch_id: int, vocabulary: Vocabulary) -> Organization:
    branch = await Organization.get_or_none(id=branch_id)
    if branch is None:
        raise NotFound("党支部", branch_id, field="branchId")
    spec = vocabulary.organization_kinds.get(branch.kind)
    if spec is None or not spec.is_branch:
        raise DomainError(MemberErrorCode.MEMBER_BRANCH_KIND_INVALID, field="branchId", name=branch.name)
    if branch.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="branchId", name=branch.name)
    require(branch.path)
    return branch


async def _party_group(group_id: int | None, branch: Organization) -> Organization | None:
    if group_id is None:
        return None
    group = await Organization.get_or_none(id=group_id)
    if group is None:
        raise NotFound("党小组", group_id, field="partyGroupId")
    if group.kind != "PARTY_GROUP" or group.parent_id != branch.id:
        raise DomainError(
            MemberErrorCode.MEMBER_PARTY_GROUP_INVALID, field="partyGroupId", branch=branch.name
        )
    if group.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="partyGroupId", name=group.name)
    return group


async def _check_id_number_free(id_number: str | None, member_id: int | None = None) -> None:
    if id_number is None:
        return
    query = Member.filter(id_number=id_number)
    if member_id is not None:
        query = query.exclude(id=member_id)
    if await query.exists():
        raise DomainError(MemberErrorCode.MEMBER_ID_NUMBER_TAKEN, field="idNumber")


def check_dates(member: Member) -> None:
    today = dt.date.today()
    if member.birth_date and member.birth_date > today:
        raise ValidationFailed("出生日期不能晚于今天", field="birthDate")
    if member.joined_on:
        if member.joined_on > today:
            raise ValidationFailed("入党日期不能晚于今天", field="joinedOn")
        if member.birth_date and member.joined_on < member.birth_date:
            raise ValidationFailed("入党日期不能早于出生日期", field="joinedOn")
    if member.confirmed_on:
        if member.joined_on and member.confirmed_on < member.joined_on:
            raise ValidationFailed("转正日期不能早于入党日期", field="confirmedOn")
        if member.confirmed_on > today:
            raise ValidationFailed("转正日期不能晚于今天", field="confirmedOn")


def check_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if phone and not _PHONE.match(phone):
        raise ValidationFailed("联系电话格式不正确", field="phone")
    return phone


async def _save(member: Member) -> None:
    try:
        await member.save()
    except IntegrityError as exc:  # a concurrent registration of the same ID number
        raise DomainError(MemberErrorCode.MEMBER_ID_NUMBER_TAKEN, field="idNumber") from exc


async def set_categories(member: Member, codes: Iterable[str], vocabulary: Vocabulary) -> list[str]:
    """Replace the member's categories with ``codes`` (validated against the tenant vocabulary)."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    unknown = [c for c in wanted if c not in vocabulary.member_categories]
    if unknown:
        raise DomainError(
            MemberErrorCode.MEMBER_CATEGORY_UNKNOWN, field="categories", unknown="、".join(unknown)
        )
    rows = await MemberCategoryAssignment.filter(member_id=member.id)
    have = {row.category: row for row in rows}
    for code, row in have.items():
        if code not in wanted:
            audit.removed(row)
            await row.delete()
    new = [MemberCategoryAssignment(member_id=member.id, category=c) for c in wanted if c not in have]
    for row in new:
        await row.save()
        audit.created(row)
    return wanted


async def create_member(
    *,
    name: str,
    branch_id: int,
    party_group_id: int | None = None,
    gender: str | None = None,
    birth_date: dt.date | None = None,
    ethnicity: str = "",
    education: str = "",
    phone: str = "",
    id_number: str | None = None,
    joined_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    status: MemberStatus | str = MemberStatus.FULL,
    categories: Iterable[str] = (),
) -> Member:
    """Put a person on the roster of a branch (and optionally one of its party groups)."""
    if not name.strip():
        raise ValidationFailed("姓名不能为空", field="name")
    status = MemberStatus(status)
    if status not in ACTIVE_STATUSES:
        raise ValidationFailed(f"新登记人员的状态不能是“{STATUS_LABELS[status]}”", field="status")
    vocabulary = await _vocabulary()
    branch = await _branch(branch_id, vocabulary)
    group = await _party_group(party_group_id, branch)
    id_number = normalize_id_number(id_number)
    await _check_id_number_free(id_number)
    member = Member(
        name=name.strip(),
        branch_id=branch.id,
        party_group_id=group.id if group else None,
        gender=gender,
        birth_date=birth_date,
        ethnicity=(ethnicity or "").strip(),
        education=(education or "").strip(),
        phone=check_phone(phone),
        id_number=id_number,
        joined_on=joined_on,
        confirmed_on=confirmed_on,
        status=status,
        extra={},
    )
    check_dates(member)
    await _save(member)
    audit.created(member)
    await set_categories(member, categories, vocabulary)
    member.branch = branch
    return member


async def _leads_group(member: Member) -> Organization | None:
    if member.party_group_id is None:
        return None
    return await Organization.get_or_none(id=member.party_group_id, leader_id=member.id)


async def update_member(member_id: int, **changes: Any) -> Member:
    """Change roster fields. ``id_number`` is refused; status changes are limited.

    ``changes`` holds only the fields the caller sent (``None`` clears a nullable field).
    """
    if "id_number" in changes:
        raise DomainError(MemberErrorCode.MEMBER_ID_NUMBER_IMMUTABLE, field="idNumber")
    member = await get_member(member_id, for_write=True)
    before = audit.snapshot(member)
    vocabulary = await _vocabulary()
    if "name" in changes:
        if not (changes["name"] or "").strip():
            raise ValidationFailed("姓名不能为空", field="name")
        member.name = changes["name"].strip()
    for key in ("gender", "birth_date", "joined_on", "confirmed_on"):
        if key in changes:
            setattr(member, key, changes[key])
    for key in ("ethnicity", "education"):
        if key in changes:
            setattr(member, key, (changes[key] or "").strip())
    if "phone" in changes:
        member.phone = check_phone(changes["phone"] or "")

    moving = "branch_id" in changes or "party_group_id" in changes
    if moving:
        if member.status not in ACTIVE_STATUSES:
            raise DomainError(
                MemberErrorCode.MEMBER_NOT_ACTIVE, name=member.name, status=STATUS_LABELS[member.status]
            )
        branch_id = changes.get("branch_id") or member.branch_id
        branch = await _branch(branch_id, vocabulary) if branch_id != member.branch_id else member.branch
        if "party_group_id" in changes:
            group_id = changes["party_group_id"]
        else:
            group_id = member.party_group_id if branch.id == member.branch_id else None
        group = await _party_group(group_id, branch)
        new_group_id = group.id if group else None
        if new_group_id != member.party_group_id:
            led = await _leads_group(member)
            if led is not None:
                raise DomainError(
                    MemberErrorCode.MEMBER_IS_GROUP_LEADER,
                    field="partyGroupId",
                    name=member.name,
                    group=led.name,
                )
        if branch.id != member.branch_id:
            from core.services.committees import end_member_seats

            # committee seats of organizations the member no longer belongs to end (left vacant)
            await end_member_seats(member, on=dt.date.today(), staying_under=branch.path)
        member.branch_id, member.branch = branch.id, branch
        member.party_group_id = new_group_id

    new_status = MemberStatus(changes["status"]) if changes.get("status") is not None else None
    if new_status is not None and new_status != member.status:
        if new_status not in UPDATE_TRANSITIONS.get(member.status, frozenset()):
            raise DomainError(
                MemberErrorCode.MEMBER_STATUS_CHANGE_NOT_ALLOWED,
                field="status",
                status=STATUS_LABELS[member.status],
                new_status=STATUS_LABELS[new_status],
            )
    check_dates(member)
    await _save(member)
    audit.changed(member, before)
    if "categories" in changes and changes["categories"] is not None:
        await set_categories(member, changes["categories"], vocabulary)
    if new_status is not None and new_status != member.status:
        await set_member_status(member, new_status, changes.get("status_reason") or "编辑人员信息")
    return member


async def correct_member_id_number(member_id: int, id_number: str, reason: str) -> Member:
    """The only way to change an ID number: an explicit correction with a reason (audited)."""
    if not (reason or "").strip():
        raise ValidationFailed("更正身份证号码须说明理由", field="reason")
    member = await get_member(member_id, for_write=True)
    new_number = normalize_id_number(id_number)
    if new_number is None:
        raise ValidationFailed("身份证号码不能为空", field="idNumber")
    if new_number == member.id_number:
        raise DomainError(MemberErrorCode.MEMBER_ID_NUMBER_UNCHANGED, field="idNumber")
    await _check_id_number_free(new_number, member.id)
    before = audit.snapshot(member)
    member.id_number = new_number
    corrections = list((member.extra or {}).get("id_number_corrections", []))
    corrections.append({"on": dt.date.today().isoformat(), "reason": reason.strip()})
    member.extra = {**(member.extra or {}), "id_number_corrections": corrections}
    await _save(member)
    audit.changed(member, before)
    return member


async def set_member_status(
    member: Member, new_status: MemberStatus | str, reason: str, *, on: dt.date | None = None
) -> Member:
    """Change a member's status (the service the development and transfer procedures call).

    Leaving the roster (LEFT, DECEASED, TRANSFERRED_OUT) is refused while the member leads a party
    group, and ends their live committee seats (the seats stay, vacant). Becoming FULL or
    PROBATIONARY fills the confirmation / joining date when it is missing. Fires
    ``zhibu_member_status_changed``.
    """
    new_status = MemberStatus(new_status)
    old_status = MemberStatus(member.status)
    if new_status == old_status:
        return member
    await branch_of(member)  # the caller must be allowed to manage the branch
    on = on or dt.date.today()
    if new_status in ENDED_STATUSES:
        led = await _leads_group(member)
        if led is not None:
            raise DomainError(
                MemberErrorCode.MEMBER_IS_GROUP_LEADER, field="status", name=member.name, group=led.name
            )
    before = audit.snapshot(member)
    member.status = new_status
    if new_status == MemberStatus.FULL and member.confirmed_on is None:
        member.confirmed_on = on
    if new_status == MemberStatus.PROBATIONARY and member.joined_on is None:
        member.joined_on = on
    member.extra = {
        **(member.extra or {}),
        "status_change": {
            "from": old_status.value,
            "to": new_status.value,
            "on": on.isoformat(),
            "reason": reason,
        },
    }
    await member.save()
    audit.changed(member, before)
    if new_status in ENDED_STATUSES:
        from core.services.committees import end_member_seats

        await end_member_seats(member, on=on)
    await notify("zhibu_member_status_changed", member=member, old_status=old_status, new_status=new_status)
    return member
