"""Committees (支委会 / 班子): terms and seats.

A term is live until it is closed; starting a new term closes the live one (its closing date is the
new start), so an organization never has two live terms (also enforced by a unique column). A seat is
one person's tenure in a role; a seat without a member is a vacancy, and a term without a
SECRETARY seat shows the secretary as vacant. Seat changes fire ``zhibu_committee_seat_changed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from core import audit
from core.error_codes import CommitteeErrorCode, OrganizationErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.models import (
    CommitteeRole,
    CommitteeSeat,
    CommitteeTerm,
    Member,
    MemberStatus,
    Organization,
    SeatSource,
)
from core.plugins import notify
from core.services.tenants import current_tenant
from core.tenant_config import effective_config
from core.terms import term_years

ROLE_LABELS: dict[CommitteeRole, str] = {
    CommitteeRole.SECRETARY: "书记",
    CommitteeRole.DEPUTY_SECRETARY: "副书记",
    CommitteeRole.ORGANIZATION: "组织委员",
    CommitteeRole.PUBLICITY: "宣传委员",
    CommitteeRole.DISCIPLINE: "纪检委员",
    CommitteeRole.MEMBER: "委员",
}
#: Organization kinds without a committee of their own.
NO_COMMITTEE_KINDS = frozenset({"PARTY_GROUP"})


@dataclass(frozen=True)
class SeatSpec:
    role: CommitteeRole | str
    member_id: int | None = None
    source: SeatSource | str = SeatSource.ELECTED


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` calendar years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


async def term_years_for(org: Organization) -> int:
    """Default term length of ``org``'s committee: tenant config by sector, kind (``core.terms``)."""
    return term_years(effective_config(await current_tenant()), org.kind, org.sector)


async def get_term(term_id: int, *, for_write: bool = False) -> CommitteeTerm:
    term = await CommitteeTerm.get_or_none(id=term_id).select_related("organization")
    if term is None:
        raise NotFound("班子届次", term_id, field="termId")
    if for_write:
        require(term.organization.path)
    return term


async def get_seat(seat_id: int, *, check: bool = True) -> CommitteeSeat:
    """A seat with its term and organization; ``check`` requires the caller's right there."""
    seat = await CommitteeSeat.get_or_none(id=seat_id).select_related("term__organization")
    if seat is None:
        raise NotFound("班子职位", seat_id, field="seatId")
    if check:
        require(seat.term.organization.path)
    return seat


async def live_term(org_id: int) -> CommitteeTerm | None:
    return await CommitteeTerm.get_or_none(organization_id=org_id, closed_on=None)


async def _check_member(org: Organization, member_id: int, field: str) -> Member:
    member = await Member.get_or_none(id=member_id).select_related("branch")
    if member is None:
        raise NotFound("党员", member_id, field=field)
    if not member.branch.path.startswith(org.path):
        raise DomainError(
            CommitteeErrorCode.COMMITTEE_MEMBER_NOT_IN_ORG, field=field, name=member.name, org_name=org.name
        )
    if member.status != MemberStatus.FULL:
        raise DomainError(CommitteeErrorCode.COMMITTEE_MEMBER_NOT_FULL, field=field, name=member.name)
    return member


async def _check_seats(term: CommitteeTerm, org: Organization) -> None:
    """Invariants of a term's live seats: one secretary, nobody twice, the hard size limit."""
    seats = await CommitteeSeat.filter(term_id=term.id, ended_on=None)
    secretaries = [s for s in seats if s.role == CommitteeRole.SECRETARY]
    if len(secretaries) > 1:
        raise DomainError(CommitteeErrorCode.COMMITTEE_SECRETARY_DUPLICATE, field="seats")
    people = [s.member_id for s in seats if s.member_id is not None]
    if len(people) != len(set(people)):
        raise DomainError(CommitteeErrorCode.COMMITTEE_MEMBER_DUPLICATE, field="seats")
    limit = int(effective_config(await current_tenant())["organization"]["committee_hard_max_seats"])
    if len(seats) > limit:
        raise DomainError(
            CommitteeErrorCode.COMMITTEE_TOO_MANY_SEATS, field="seats", limit=limit, seats_count=len(seats)
        )
    term.seat_count = len(seats)
    await term.save(update_fields=["seat_count"])


async def _fire(seat: CommitteeSeat, org: Organization, *, ended: bool) -> None:
    if seat.member_id is not None:
        await notify("zhibu_committee_seat_changed", seat=seat, organization=org, ended=ended)


async def _new_seat(
    term: CommitteeTerm, org: Organization, spec: SeatSpec, started_on: dt.date, field: str
) -> CommitteeSeat:
    try:
        role = CommitteeRole(spec.role)
        source = SeatSource(spec.source)
    except ValueError as exc:
        raise ValidationFailed(f"无效的职位或产生方式：{spec.role}/{spec.source}", field=field) from exc
    if spec.member_id is not None:
        await _check_member(org, spec.member_id, field)
    seat = await CommitteeSeat.create(
        term_id=term.id,
        role=role,
        member_id=spec.member_id,
        source=source,
        started_on=started_on if spec.member_id is not None else None,
    )
    audit.created(seat)
    return seat


async def start_committee_term(
    org_id: int,
    *,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    seats: Iterable[SeatSpec] = (),
) -> CommitteeTerm:
    """Start a new term of ``org_id``'s committee; the live term (if any) closes on ``starts_on``."""
    from core.services.organizations import get_organization

    org = await get_organization(org_id, for_write=True)
    if org.kind in NO_COMMITTEE_KINDS:
        raise DomainError(CommitteeErrorCode.COMMITTEE_NOT_ALLOWED, field="organizationId")
    if org.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="organizationId", name=org.name)
    ends_on = ends_on or add_years(starts_on, await term_years_for(org))
    if ends_on <= starts_on:
        raise ValidationFailed("届满日期须晚于开始日期", field="endsOn")
    current = await live_term(org.id)
    if current is not None:
        if starts_on <= current.starts_on:
            raise DomainError(
                CommitteeErrorCode.COMMITTEE_TERM_OVERLAP, field="startsOn", starts_on=current.starts_on
            )
        await close_term(current, org, on=starts_on)
    try:
        term = await CommitteeTerm.create(
            organization_id=org.id,
            starts_on=starts_on,
            ends_on=ends_on,
            live_organization_id=org.id,
            seat_count=0,
        )
    except IntegrityError as exc:  # a concurrent start won the race
        raise DomainError(CommitteeErrorCode.COMMITTEE_TERM_ALREADY_LIVE, field="organizationId") from exc
    audit.created(term)
    created = [await _new_seat(term, org, spec, starts_on, f"seats.{i}") for i, spec in enumerate(seats)]
    await _check_seats(term, org)
    for seat in created:
        await _fire(seat, org, ended=False)
    term.organization = org
    return term


async def close_term(term: CommitteeTerm, org: Organization, *, on: dt.date) -> None:
    """Close ``term`` on ``on`` (history): its live seats end the same day."""
    before = audit.snapshot(term)
    term.closed_on = on
    term.live_organization_id = None
    await term.save(update_fields=["closed_on", "live_organization_id"])
    audit.changed(term, before)
    for seat in await CommitteeSeat.filter(term_id=term.id, ended_on=None):
        seat_before = audit.snapshot(seat)
        seat.ended_on = on
        await seat.save(update_fields=["ended_on"])
        audit.changed(seat, seat_before)
        await _fire(seat, org, ended=True)


def _require_live(term: CommitteeTerm) -> None:
    if term.closed_on is not None:
        raise DomainError(CommitteeErrorCode.COMMITTEE_TERM_CLOSED, field="termId", closed_on=term.closed_on)


async def appoint_committee_seat(
    term_id: int,
    *,
    role: CommitteeRole | str,
    member_id: int | None = None,
    source: SeatSource | str = SeatSource.APPOINTED,
    started_on: dt.date | None = None,
) -> CommitteeSeat:
    """Add a seat (filled, or vacant when ``member_id`` is None) to a live term."""
    term = await get_term(term_id, for_write=True)
    _require_live(term)
    org = term.organization
    seat = await _new_seat(
        term, org, SeatSpec(role, member_id, source), started_on or dt.date.today(), "memberId"
    )
    await _check_seats(term, org)
    await _fire(seat, org, ended=False)
    return seat


async def end_committee_seat(
    seat_id: int, *, ended_on: dt.date | None = None, keep_vacant: bool = True, _check: bool = True
) -> tuple[CommitteeSeat, CommitteeSeat | None]:
    """End a person's tenure on a seat; with ``keep_vacant`` a vacant seat of the role remains.

    (``_check=False``: a consequence of a change already authorized, e.g. the member leaving.)
    """
    seat = await get_seat(seat_id, check=_check)
    term, org = seat.term, seat.term.organization
    _require_live(term)
    if seat.ended_on is not None:
        raise DomainError(CommitteeErrorCode.COMMITTEE_SEAT_ENDED, field="seatId")
    ended_on = ended_on or dt.date.today()
    if seat.started_on and ended_on < seat.started_on:
        raise ValidationFailed("结束日期不能早于任职日期", field="endedOn")
    before = audit.snapshot(seat)
    seat.ended_on = ended_on
    await seat.save(update_fields=["ended_on"])
    audit.changed(seat, before)
    vacancy = None
    if keep_vacant and seat.member_id is not None:
        vacancy = await CommitteeSeat.create(term_id=term.id, role=seat.role, source=seat.source)
        audit.created(vacancy)
    await _check_seats(term, org)
    await _fire(seat, org, ended=True)
    return seat, vacancy


async def fill_vacancy(
    seat_id: int,
    *,
    member_id: int,
    source: SeatSource | str = SeatSource.ELECTED,
    started_on: dt.date | None = None,
) -> CommitteeSeat:
    """Put a member on a vacant seat of a live term."""
    seat = await get_seat(seat_id)
    term, org = seat.term, seat.term.organization
    _require_live(term)
    if seat.ended_on is not None or seat.member_id is not None:
        raise DomainError(CommitteeErrorCode.COMMITTEE_SEAT_NOT_VACANT, field="seatId")
    await _check_member(org, member_id, "memberId")
    before = audit.snapshot(seat)
    seat.member_id = member_id
    seat.source = SeatSource(source)
    seat.started_on = started_on or dt.date.today()
    await seat.save(update_fields=["member_id", "source", "started_on"])
    audit.changed(seat, before)
    await _check_seats(term, org)
    await _fire(seat, org, ended=False)
    return seat


async def end_member_seats(member: Member, *, on: dt.date, staying_under: str | None = None) -> int:
    """End the live seats of a member leaving the roster (or, with ``staying_under``, the seats of
    organizations the member's new branch path is no longer inside); each leaves a vacancy.
    Returns the count."""
    seats = await CommitteeSeat.filter(
        member_id=member.id, ended_on=None, term__closed_on=None
    ).select_related("term__organization")
    ended = 0
    for seat in seats:
        if staying_under is not None and staying_under.startswith(seat.term.organization.path):
            continue
        await end_committee_seat(seat.id, ended_on=on, keep_vacant=True, _check=False)
        ended += 1
    return ended


async def close_live_term(org: Organization, *, on: dt.date) -> bool:
    """Close the live term of ``org`` (used when the organization is dissolved)."""
    term = await live_term(org.id)
    if term is None:
        return False
    await close_term(term, org, on=max(on, term.starts_on))
    return True


def vacancies(term_seats: list[CommitteeSeat]) -> list[tuple[CommitteeRole, CommitteeSeat | None]]:
    """Vacant seats of a term (live seats without a member) plus a missing SECRETARY."""
    live = [s for s in term_seats if s.ended_on is None]
    result: list[tuple[CommitteeRole, CommitteeSeat | None]] = [
        (CommitteeRole(s.role), s) for s in live if s.member_id is None
    ]
    if not any(s.role == CommitteeRole.SECRETARY for s in live):
        result.insert(0, (CommitteeRole.SECRETARY, None))
    return result
