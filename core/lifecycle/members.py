"""The lifecycle's one door to member rows: creating people and changing their status.

Member rows belong to the core members service; when it offers ``set_member_status`` (which fires
the ``zhibu_member_status_changed`` event) status changes go through it, otherwise they are written
here with the same audit record and event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import audit
from core.error_codes import MemberErrorCode, OrganizationErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.models import Member, MemberCategoryAssignment, Organization
from core.models.member import ACTIVE_STATUSES, MemberStatus
from core.services.organizations import current_vocabulary


async def get_member(member_id: int, *, field: str = "memberId") -> Member:
    member = await Member.get_or_none(id=member_id)
    if member is None:
        raise NotFound("人员", member_id, field=field)
    return member


async def get_branch(branch_id: int, *, field: str = "branchId") -> Organization:
    """A live branch-kind organization of the bound tenant."""
    org = await Organization.get_or_none(id=branch_id)
    if org is None:
        raise NotFound("组织", branch_id, field=field)
    vocabulary = await current_vocabulary()
    if org.kind not in vocabulary.branch_kinds():
        raise DomainError(MemberErrorCode.MEMBER_BRANCH_KIND_INVALID, field=field, name=org.name)
    if org.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field=field, name=org.name)
    return org


async def check_party_group(group_id: int | None, branch: Organization, *, field: str) -> int | None:
    """``group_id`` must be a live party group directly inside ``branch``."""
    if group_id is None:
        return None
    group = await Organization.get_or_none(id=group_id)
    if group is None or group.kind != "PARTY_GROUP" or group.parent_id != branch.id:
        raise DomainError(MemberErrorCode.MEMBER_PARTY_GROUP_INVALID, field=field, branch=branch.name)
    if group.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field=field, name=group.name)
    return group.id


async def check_id_number_free(id_number: str | None, *, field: str, except_id: int | None = None) -> None:
    if not id_number:
        return
    query = Member.filter(id_number=id_number)
    if except_id is not None:
        query = query.exclude(id=except_id)
    if await query.exists():
        raise DomainError(MemberErrorCode.MEMBER_ID_NUMBER_TAKEN, field=field)


def _members_service(name: str) -> Any:
    """A function of the core members service, or None while it does not offer it."""
    try:
        from core.services import members as service
    except ImportError:
        return None
    return getattr(service, name, None)


async def create_person(branch: Organization, *, status: MemberStatus, person: dict[str, Any]) -> Member:
    """A new roster row in ``branch`` (a new applicant, or a member transferred in)."""
    fields = {
        "name": (person.get("name") or "").strip(),
        "gender": person.get("gender"),
        "birth_date": person.get("birth_date"),
        "ethnicity": person.get("ethnicity") or "",
        "education": person.get("education") or "",
        "phone": person.get("phone") or "",
        "id_number": (person.get("id_number") or "").strip() or None,
        "joined_on": person.get("joined_on"),
        "confirmed_on": person.get("confirmed_on"),
        "status": status,
        "branch_id": branch.id,
        "party_group_id": person.get("party_group_id"),
    }
    create_member = _members_service("create_member")
    if create_member is not None:
        return await create_member(**fields)
    if not fields["name"]:
        raise ValidationFailed("姓名不能为空", field="name")
    await check_id_number_free(fields["id_number"], field="idNumber")
    member = await Member.create(**fields)
    audit.created(member)
    return member


async def set_status(member: Member, new_status: MemberStatus, reason: str, *, on: dt.date) -> None:
    """Change ``member``'s status (through the members service when it offers it)."""
    set_member_status = _members_service("set_member_status")
    if set_member_status is not None:
        await set_member_status(member, new_status, reason, on=on)
        return
    from core.plugins import notify

    old_status = member.status
    if old_status == new_status:
        return
    before = audit.snapshot(member)
    member.status = new_status
    await member.save(update_fields=["status", "updated_at"])
    audit.changed(member, before)
    await notify("zhibu_member_status_changed", member=member, old_status=old_status, new_status=new_status)


async def set_dates(member: Member, **dates: dt.date | None) -> None:
    """Set ``joined_on`` / ``confirmed_on`` (facts the pipeline establishes)."""
    before = audit.snapshot(member)
    for name, value in dates.items():
        setattr(member, name, value)
    await member.save(update_fields=[*dates, "updated_at"])
    audit.changed(member, before)


async def move(member: Member, branch: Organization, party_group_id: int | None) -> None:
    """Put ``member`` on the roster of ``branch`` (and a party group of it, or none)."""
    leader_of = await Organization.filter(leader_id=member.id, dissolved_on__isnull=True).first()
    if leader_of is not None and leader_of.id != party_group_id:
        raise DomainError(
            MemberErrorCode.MEMBER_IS_GROUP_LEADER, field="memberId", name=member.name, group=leader_of.name
        )
    before = audit.snapshot(member)
    member.branch_id = branch.id
    member.party_group_id = party_group_id
    await member.save(update_fields=["branch_id", "party_group_id", "updated_at"])
    audit.changed(member, before)


async def add_category(member: Member, category: str) -> None:
    if not await MemberCategoryAssignment.filter(member_id=member.id, category=category).exists():
        row = await MemberCategoryAssignment.create(member_id=member.id, category=category)
        audit.created(row)


def is_active(member: Member) -> bool:
    return member.status in ACTIVE_STATUSES
