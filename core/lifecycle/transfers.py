"""Relation transfers (组织关系接转): within the tenant, out of it by letter, into it by acceptance.

Every transfer is a :class:`RelationTransfer` row kept as history:

- INTERNAL: the member moves to another branch of the tenant at once (status COMPLETED); their live
  seats on the old branch's committee end (each leaves a vacancy). With ``abroad`` the target is a
  branch whose members the party organization of an embassy manages (members working abroad): this
  needs the newspaper plugin enabled and a target that is one of its overseas bureaus (or is flagged
  in ``Organization.extra``); the member gets the WORKING_ABROAD category.
- OUTGOING: a transfer letter to an organization outside the tenant is ISSUED; the member stays on the
  roster until the letter is COMPLETED (status TRANSFERRED_OUT) or RETURNED (nothing changes).
- INCOMING: a letter from outside is registered (ISSUED) and, on acceptance (COMPLETED), creates the
  member in the receiving branch, or re-activates the row of a person who had left or transferred out.
  A refused letter is RETURNED.

Access follows the member's branch: once moved, callers whose grants cover only the old branch no longer
see the member or anything recorded afterwards; both branches see the transfer record itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import audit
from core.error_codes import MemberErrorCode, PluginErrorCode, TransferErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.lifecycle import members as people
from core.lifecycle.dates import today
from core.lifecycle.development import end_cases_of
from core.lifecycle.models import CaseStatus, RelationTransfer, TransferKind, TransferStatus
from core.models import CommitteeSeat, Member, Organization
from core.models.member import CURRENT_MEMBER_STATUSES, MemberStatus
from core.services.members import member_and_branch
from core.services.tenants import current_tenant

#: The plugin under which members abroad are placed under an embassy's party organization.
ABROAD_PLUGIN = "newspaper"
#: ``Organization.extra`` keys marking a branch managed by an embassy's party organization (a string
#: value names that organization).
EMBASSY_FLAGS = ("embassy_party_organization", "embassy_organization", "embassy", "overseas_bureau")
#: Statuses from which an incoming transfer re-activates an existing roster row.
REACTIVATABLE = (MemberStatus.TRANSFERRED_OUT, MemberStatus.LEFT)


async def embassy_organization_of(target: Organization, enabled_plugins: list[str]) -> str | None:
    """The embassy party organization that manages members placed in ``target``, if it is one: an
    overseas bureau of the newspaper plugin, or an organization flagged in ``Organization.extra``."""
    extra = target.extra or {}
    for flag in EMBASSY_FLAGS:
        if extra.get(flag):
            return extra[flag] if isinstance(extra[flag], str) else target.name
    if ABROAD_PLUGIN not in enabled_plugins:
        return None
    try:
        from plugins.newspaper.models import OverseasBureau
    except ImportError:
        return None
    bureau = await OverseasBureau.get_or_none(organization_id=target.id)
    return bureau.embassy_party_organization if bureau is not None else None


def _check_not_temporary(target: Organization) -> None:
    """Members of a temporary branch keep their organizational relation where it is."""
    if target.kind == "TEMPORARY_BRANCH":
        raise DomainError(
            TransferErrorCode.TRANSFER_TO_TEMPORARY_BRANCH, field="toBranchId", name=target.name
        )


def _check_day(day: dt.date, *, field: str, not_before: dt.date | None = None) -> None:
    if day > today():
        raise DomainError(TransferErrorCode.TRANSFER_DATE_IN_FUTURE, field=field)
    if not_before is not None and day < not_before:
        raise DomainError(TransferErrorCode.TRANSFER_DATE_BEFORE_ISSUE, field=field, not_before=not_before)


async def get_transfer(transfer_id: int, *, for_write: bool = False) -> RelationTransfer:
    query = RelationTransfer.filter(id=transfer_id)
    if for_write:
        query = query.select_for_update()
    transfer = await query.first()
    if transfer is None:
        raise NotFound("组织关系转接记录", transfer_id, field="id")
    return transfer


async def _open_transfer_of(member: Member) -> RelationTransfer | None:
    return await RelationTransfer.filter(member_id=member.id, status=TransferStatus.ISSUED).first()


async def _movable_member(member_id: int) -> tuple[Member, Organization]:
    member, branch = await member_and_branch(member_id)
    if not people.is_active(member):
        raise DomainError(TransferErrorCode.TRANSFER_MEMBER_INACTIVE, field="memberId", name=member.name)
    if await _open_transfer_of(member) is not None:
        raise DomainError(TransferErrorCode.TRANSFER_ALREADY_OPEN, field="memberId", name=member.name)
    return member, branch


async def _check_letter_number(letter_number: str, kind: TransferKind) -> str:
    letter_number = letter_number.strip()
    if letter_number and await RelationTransfer.filter(kind=kind, letter_number=letter_number).exists():
        raise DomainError(
            TransferErrorCode.TRANSFER_LETTER_NUMBER_TAKEN, field="letterNumber", letter_number=letter_number
        )
    return letter_number


async def transfer_within(
    member_id: int,
    to_branch_id: int,
    *,
    on: dt.date,
    party_group_id: int | None = None,
    letter_number: str = "",
    reason: str = "",
    abroad: bool = False,
) -> RelationTransfer:
    """Move a member to another branch of the tenant, keeping the move as history."""
    member, source = await _movable_member(member_id)
    target = await people.get_branch(to_branch_id, field="toBranchId")
    require(target.path)
    _check_not_temporary(target)
    if target.id == source.id:
        raise DomainError(
            TransferErrorCode.TRANSFER_SAME_BRANCH,
            field="toBranchId",
            name=member.name,
            target_name=target.name,
        )
    group_id = await people.check_party_group(party_group_id, target, field="partyGroupId")
    _check_day(on, field="transferredOn")
    plugins = list((await current_tenant()).enabled_plugins or ())
    embassy = await embassy_organization_of(target, plugins)
    if abroad:
        if ABROAD_PLUGIN not in plugins:
            raise DomainError(
                PluginErrorCode.PLUGIN_NOT_ENABLED, field="abroad", plugin=ABROAD_PLUGIN, name="newspaper"
            )
        if embassy is None:
            raise DomainError(
                TransferErrorCode.TRANSFER_NOT_AN_EMBASSY_ORGANIZATION, field="toBranchId", name=target.name
            )
    elif embassy is not None:
        raise DomainError(TransferErrorCode.TRANSFER_ABROAD_REQUIRED, field="abroad")
    transfer = await RelationTransfer.create(
        kind=TransferKind.INTERNAL,
        status=TransferStatus.COMPLETED,
        member_id=member.id,
        from_organization_id=source.id,
        to_organization_id=target.id,
        external_organization=embassy or "",
        letter_number=await _check_letter_number(letter_number, TransferKind.INTERNAL),
        issued_on=on,
        completed_on=on,
        reason=reason.strip(),
        abroad=abroad,
        person={"name": member.name},
    )
    audit.created(transfer)
    await people.move(member, target, group_id)
    await _end_seats_in(source, member, on)
    if abroad:
        await people.add_category(member, "WORKING_ABROAD")
    return transfer


async def _end_seats_in(org: Organization, member: Member, on: dt.date) -> None:
    """A member who leaves a branch leaves its committee: live seats there end, leaving vacancies."""
    try:
        from core.services.committees import end_committee_seat
    except ImportError:
        return
    seats = await CommitteeSeat.filter(
        member_id=member.id, ended_on=None, term__closed_on=None, term__organization_id=org.id
    ).values_list("id", flat=True)
    for seat_id in seats:
        await end_committee_seat(seat_id, ended_on=on, keep_vacant=True)


async def issue_letter(
    member_id: int, *, destination: str, on: dt.date, letter_number: str = "", reason: str = ""
) -> RelationTransfer:
    """Issue a transfer letter to an organization outside the tenant (status ISSUED)."""
    member, source = await _movable_member(member_id)
    if member.status not in CURRENT_MEMBER_STATUSES:
        raise DomainError(TransferErrorCode.TRANSFER_NOT_A_MEMBER, field="memberId")
    if not destination.strip():
        raise ValidationFailed("须填写接收党组织", field="destination")
    _check_day(on, field="issuedOn")
    leads = await Organization.filter(leader_id=member.id, dissolved_on__isnull=True).first()
    if leads is not None:
        raise DomainError(
            MemberErrorCode.MEMBER_IS_GROUP_LEADER, field="memberId", name=member.name, group=leads.name
        )
    transfer = await RelationTransfer.create(
        kind=TransferKind.OUTGOING,
        status=TransferStatus.ISSUED,
        member_id=member.id,
        from_organization_id=source.id,
        external_organization=destination.strip(),
        letter_number=await _check_letter_number(letter_number, TransferKind.OUTGOING),
        issued_on=on,
        reason=reason.strip(),
        person={"name": member.name},
    )
    audit.created(transfer)
    return transfer


_PERSON_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY)


async def receive_letter(
    to_branch_id: int,
    *,
    origin: str,
    on: dt.date,
    person: dict[str, Any],
    letter_number: str = "",
    reason: str = "",
) -> RelationTransfer:
    """Register a transfer letter from outside the tenant, to be accepted or returned."""
    target = await people.get_branch(to_branch_id, field="toBranchId")
    require(target.path)
    _check_not_temporary(target)
    if not origin.strip():
        raise ValidationFailed("须填写转出党组织", field="origin")
    if not (person.get("name") or "").strip():
        raise ValidationFailed("姓名不能为空", field="name")
    if person.get("status") not in _PERSON_STATUSES:
        raise ValidationFailed("转入人员须为正式党员或预备党员", field="status")
    _check_day(on, field="issuedOn")
    transfer = await RelationTransfer.create(
        kind=TransferKind.INCOMING,
        status=TransferStatus.ISSUED,
        to_organization_id=target.id,
        external_organization=origin.strip(),
        letter_number=letter_number.strip(),
        issued_on=on,
        reason=reason.strip(),
        person=audit.to_jsonable(person),
    )
    audit.created(transfer)
    return transfer


def _person_dates(person: dict[str, Any]) -> dict[str, Any]:
    data = dict(person)
    for key in ("birth_date", "joined_on", "confirmed_on"):
        if isinstance(data.get(key), str):
            data[key] = dt.date.fromisoformat(data[key])
    return data


async def _accept(transfer: RelationTransfer, party_group_id: int | None, on: dt.date) -> Member:
    target = await people.get_branch(transfer.to_organization_id, field="id")
    require(target.path)
    group_id = await people.check_party_group(party_group_id, target, field="partyGroupId")
    person = _person_dates(transfer.person)
    status = MemberStatus(person["status"])
    id_number = (person.get("id_number") or "").strip() or None
    existing = await Member.filter(id_number=id_number).first() if id_number else None
    if existing is not None:
        if existing.status not in REACTIVATABLE:
            raise DomainError(MemberErrorCode.MEMBER_ID_NUMBER_TAKEN, field="idNumber")
        await people.move(existing, target, group_id)
        dates = {k: person[k] for k in ("joined_on", "confirmed_on") if person.get(k)}
        if dates:
            await people.set_dates(existing, **dates)
        await people.set_status(existing, status, f"组织关系转入（{transfer.external_organization}）", on=on)
        return existing
    return await people.create_person(target, status=status, person={**person, "party_group_id": group_id})


async def complete_transfer(
    transfer_id: int, *, on: dt.date, party_group_id: int | None = None
) -> RelationTransfer:
    """Complete an ISSUED letter: outgoing → member TRANSFERRED_OUT; incoming → member accepted."""
    transfer = await get_transfer(transfer_id, for_write=True)
    if transfer.status != TransferStatus.ISSUED:
        raise DomainError(TransferErrorCode.TRANSFER_NOT_OPEN, field="id", reason="已办结")
    _check_day(on, field="completedOn", not_before=transfer.issued_on)
    before = audit.snapshot(transfer)
    if transfer.kind == TransferKind.OUTGOING:
        source = await Organization.get(id=transfer.from_organization_id)
        require(source.path)
        member = await people.get_member(transfer.member_id, field="id")
        await people.set_status(
            member, MemberStatus.TRANSFERRED_OUT, f"组织关系转出至{transfer.external_organization}", on=on
        )
        await end_cases_of(member, CaseStatus.TRANSFERRED_OUT, on, "组织关系转出")
    elif transfer.kind == TransferKind.INCOMING:
        member = await _accept(transfer, party_group_id, on)
        transfer.member_id = member.id
    else:
        raise DomainError(
            TransferErrorCode.TRANSFER_NOT_OPEN, field="id", reason="为党组织内部转接，无需办结"
        )
    transfer.status = TransferStatus.COMPLETED
    transfer.completed_on = on
    await transfer.save()
    audit.changed(transfer, before)
    return transfer


async def return_transfer(transfer_id: int, *, on: dt.date, reason: str) -> RelationTransfer:
    """Return an ISSUED letter: an outgoing one came back, or an incoming one is refused."""
    transfer = await get_transfer(transfer_id, for_write=True)
    if transfer.status != TransferStatus.ISSUED:
        raise DomainError(TransferErrorCode.TRANSFER_NOT_OPEN, field="id", reason="已办结")
    org_id = (
        transfer.from_organization_id
        if transfer.kind == TransferKind.OUTGOING
        else transfer.to_organization_id
    )
    require((await Organization.get(id=org_id)).path)
    if not reason.strip():
        raise ValidationFailed("须说明退回原因", field="reason")
    _check_day(on, field="returnedOn", not_before=transfer.issued_on)
    before = audit.snapshot(transfer)
    transfer.status = TransferStatus.RETURNED
    transfer.returned_on = on
    transfer.return_reason = reason.strip()
    await transfer.save()
    audit.changed(transfer, before)
    return transfer
