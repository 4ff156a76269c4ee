"""The development pipeline (发展党员): cases, the 25 steps in order, timing rules and votes.

Every number comes from the tenant config section ``development`` (defaults in
``core.tenant_config.CORE_DEFAULTS``). The member's status follows the pipeline: APPLICANT at the
application, ACTIVIST, CANDIDATE, PROBATIONARY at the superior committee's approval (``joined_on`` is
the date of the admitting branch congress, from which probation runs), FULL at the approval of the
confirmation (``confirmed_on`` is the end of probation), LEFT when the case is closed before that.

Votes of a branch congress are read as the Party's rules on developing members say: more than half of
the members entitled to vote must be present, and the yes votes must be more than half of the members
entitled to vote (not merely of those present). Ballots must add up: present ≤ entitled,
issued ≤ present, returned ≤ issued, yes ≤ returned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tortoise.exceptions import IntegrityError

from core import audit
from core.error_codes import DevelopmentErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.lifecycle import members as people
from core.lifecycle.dates import add_months, today
from core.lifecycle.models import CaseStatus, DevelopmentCase, DevelopmentStep
from core.lifecycle.steps import (
    BY_CODE,
    BY_SEQUENCE,
    CASE_CLOSED,
    LAST_SEQUENCE,
    PROBATION_EXTENDED,
    StepSpec,
)
from core.models import Member, Organization
from core.models.member import MemberStatus
from core.services.members import member_and_branch
from core.services.tenants import current_tenant
from core.tenant_config import effective_config


@dataclass(frozen=True)
class Vote:
    """Counts of a branch congress vote: 应到 / 实到 / 发出 / 收回 / 同意."""

    entitled: int
    present: int
    issued: int
    returned: int
    yes: int


@dataclass
class StepData:
    """What is recorded with a step."""

    done_on: dt.date
    acted_by: str = ""
    notes: str = ""
    documents: list[str] = field(default_factory=list)
    vote: Vote | None = None
    training_days: Decimal | None = None
    training_hours: Decimal | None = None
    delay_reason: str = ""
    recorded_by: str = ""

    def __post_init__(self) -> None:
        # the columns hold DECIMAL(5, 1) days and DECIMAL(6, 1) hours
        for value, name, limit in (
            (self.training_days, "trainingDays", 10_000),
            (self.training_hours, "trainingHours", 100_000),
        ):
            if value is not None and not 0 <= value < limit:
                raise ValidationFailed(f"培训时间应在 0 到 {limit} 之间", field=name, limit=limit)


async def development_config() -> dict[str, Any]:
    return effective_config(await current_tenant())["development"]


def _share(value: Any) -> Fraction:
    """A config share as an exact fraction (``0.5`` is one half, ``2/3`` entered as 0.6667 stays so)."""
    return Fraction(str(value))


async def check_vote(vote: Vote | None, *, field: str = "vote") -> None:
    """Refuse a congress vote that is missing, does not add up, lacks a quorum or did not pass.

    Quorum: present more than ``standards.quorum_share`` (½) of entitled — the same setting the
    ``CONGRESS_QUORUM_NOT_MET`` rule reads; passed: yes votes more than
    ``development.vote_pass_share`` (½) of entitled. Both are tenant config, compared exactly."""
    if vote is None:
        raise DomainError(DevelopmentErrorCode.DEVELOPMENT_VOTE_REQUIRED, field=field)
    counts = {
        "entitled": vote.entitled,
        "present": vote.present,
        "issued": vote.issued,
        "returned": vote.returned,
        "yes": vote.yes,
    }
    if any(value is None or value < 0 for value in counts.values()) or vote.entitled < 1:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_VOTE_INCONSISTENT,
            field=field,
            reason="票数不能为负数，应到人数至少为 1",
        )
    for small, big, message in (
        ("present", "entitled", "实到人数不能超过应到人数"),
        ("issued", "present", "发出票数不能超过实到人数"),
        ("returned", "issued", "收回票数不能超过发出票数"),
        ("yes", "returned", "同意票数不能超过收回票数"),
    ):
        if counts[small] > counts[big]:
            raise DomainError(
                DevelopmentErrorCode.DEVELOPMENT_VOTE_INCONSISTENT, field=field, **counts, reason=message
            )
    config = effective_config(await current_tenant())
    quorum = _share(config["standards"]["quorum_share"])
    passing = _share(config["development"]["vote_pass_share"])
    if vote.present <= quorum * vote.entitled:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_VOTE_NO_QUORUM,
            field=field,
            quorum_share=float(quorum),
            **counts,
            quorum=_share_text(quorum),
        )
    if vote.yes <= passing * vote.entitled:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_VOTE_NOT_PASSED,
            field=field,
            pass_share=float(passing),
            **counts,
            passing=_share_text(passing),
        )


def _share_text(share: Fraction) -> str:
    """``半数`` for ½, else e.g. ``2/3`` or ``60%``."""
    if share == Fraction(1, 2):
        return "半数"
    if share.denominator <= 12:
        return f"{share.numerator}/{share.denominator}"
    return f"{float(share):.0%}"


async def get_case(case_id: int, *, for_write: bool = False) -> DevelopmentCase:
    query = DevelopmentCase.filter(id=case_id)
    if for_write:
        query = query.select_for_update()
    case = await query.first()
    if case is None:
        raise NotFound("发展档案", case_id, field="caseId")
    return case


async def _member_and_branch(case: DevelopmentCase) -> tuple[Member, Organization]:
    member, branch = await member_and_branch(case.member_id)
    return member, branch


async def _timeline(case: DevelopmentCase) -> tuple[dict[str, dt.date], dt.date | None]:
    """(date of each recorded pipeline step by code, date of the latest entry) in one query."""
    rows = await DevelopmentStep.filter(case_id=case.id).values_list("code", "sequence", "done_on")
    dates = {code: day for code, sequence, day in rows if sequence is not None}
    return dates, max((day for _, _, day in rows), default=None)


async def case_dates(case_id: int) -> dict[str, dt.date]:
    """Date of each recorded pipeline step of a case, by code."""
    rows = await DevelopmentStep.filter(case_id=case_id, sequence__isnull=False).values_list(
        "code", "done_on"
    )
    return dict(rows)


def schedule(
    case: DevelopmentCase, dates: dict[str, dt.date], cfg: dict[str, Any]
) -> tuple[dt.date | None, dt.date | None]:
    """(earliest date, due date) of the case's next step, from the timing rules."""
    if case.status != CaseStatus.OPEN or case.last_sequence >= LAST_SEQUENCE:
        return None, None
    nxt = case.last_sequence + 1
    code = BY_SEQUENCE[nxt].code
    if code == "APPLICATION_TALK":
        return None, add_months(dates["APPLICATION_SUBMITTED"], cfg["talk_within_months"])
    if code == "CANDIDATE_DESIGNATED":
        return add_months(dates["ACTIVIST_DESIGNATED"], cfg["activist_min_months"]), None
    if BY_CODE["POLITICAL_REVIEW"].sequence < nxt <= BY_CODE["ADMISSION_CONGRESS"].sequence:
        # the congress must meet while the political review is valid
        return None, add_months(dates["POLITICAL_REVIEW"], cfg["political_review_valid_months"])
    if BY_CODE["ADMISSION_CONGRESS"].sequence < nxt <= BY_CODE["ADMISSION_APPROVED"].sequence:
        return None, add_months(dates["ADMISSION_CONGRESS"], cfg["approval_within_months"])
    if code == "CONFIRMATION_APPLIED":
        return None, case.probation_ends_on
    if code == "CONFIRMATION_CONGRESS":
        return case.probation_ends_on, None
    if code == "CONFIRMATION_APPROVED":
        return None, add_months(dates["CONFIRMATION_CONGRESS"], cfg["approval_within_months"])
    return None, None


def _check_timing(
    spec: StepSpec,
    data: StepData,
    case: DevelopmentCase,
    dates: dict[str, dt.date],
    cfg: dict[str, Any],
) -> None:
    """The numbered timing rules attached to ``spec``; raises on the first one broken."""
    day = data.done_on
    if spec.code == "APPLICATION_TALK":
        limit = add_months(dates["APPLICATION_SUBMITTED"], cfg["talk_within_months"])
        if day > limit:
            raise DomainError(
                DevelopmentErrorCode.DEVELOPMENT_TALK_TOO_LATE,
                field="doneOn",
                talk_within_months=cfg["talk_within_months"],
                limit=limit,
            )
    elif spec.code == "CANDIDATE_DESIGNATED":
        earliest = add_months(dates["ACTIVIST_DESIGNATED"], cfg["activist_min_months"])
        if day < earliest:
            raise DomainError(
                DevelopmentErrorCode.DEVELOPMENT_ACTIVIST_PERIOD_TOO_SHORT,
                field="doneOn",
                activist_min_months=cfg["activist_min_months"],
                earliest=earliest,
            )
    elif spec.code == "CANDIDATE_TRAINED":
        days_ok = data.training_days is not None and data.training_days >= cfg["training_min_days"]
        hours_ok = data.training_hours is not None and data.training_hours >= cfg["training_min_hours"]
        if not (days_ok or hours_ok):
            raise DomainError(
                DevelopmentErrorCode.DEVELOPMENT_TRAINING_INSUFFICIENT,
                field="trainingDays",
                training_min_days=cfg["training_min_days"],
                training_min_hours=cfg["training_min_hours"],
            )
    elif spec.code == "ADMISSION_CONGRESS":
        valid_until = add_months(dates["POLITICAL_REVIEW"], cfg["political_review_valid_months"])
        if day > valid_until:
            raise DomainError(
                DevelopmentErrorCode.DEVELOPMENT_POLITICAL_REVIEW_EXPIRED,
                field="doneOn",
                political_review_valid_months=cfg["political_review_valid_months"],
                valid_until=valid_until,
            )
    elif spec.code == "CONFIRMATION_CONGRESS":
        if case.probation_ends_on is None or day < case.probation_ends_on:
            raise DomainError(
                DevelopmentErrorCode.DEVELOPMENT_PROBATION_NOT_ENDED,
                field="doneOn",
                ends_on=case.probation_ends_on,
                action="讨论转正",
            )
    elif spec.code in ("ADMISSION_APPROVED", "CONFIRMATION_APPROVED"):
        congress = "ADMISSION_CONGRESS" if spec.code == "ADMISSION_APPROVED" else "CONFIRMATION_CONGRESS"
        _check_approval(day, dates[congress], data.delay_reason, cfg)


def _check_approval(day: dt.date, congress_on: dt.date, delay_reason: str, cfg: dict[str, Any]) -> None:
    normal = add_months(congress_on, cfg["approval_within_months"])
    latest = add_months(congress_on, cfg["approval_max_months"])
    if day > latest:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_APPROVAL_OVERDUE,
            field="doneOn",
            approval_max_months=cfg["approval_max_months"],
            latest=latest,
        )
    if day > normal and not delay_reason.strip():
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_APPROVAL_DELAY_REASON_REQUIRED,
            field="delayReason",
            approval_within_months=cfg["approval_within_months"],
            normal=normal,
        )


def _check_date(day: dt.date, previous: dt.date | None) -> None:
    if day > today():
        raise DomainError(DevelopmentErrorCode.DEVELOPMENT_STEP_DATE_IN_FUTURE, field="doneOn")
    if previous is not None and day < previous:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_STEP_DATE_BEFORE_PREVIOUS, field="doneOn", previous=previous
        )


async def _append(
    case: DevelopmentCase,
    *,
    code: str,
    sequence: int | None,
    stage: int,
    data: StepData,
    extra: dict[str, Any] | None = None,
) -> DevelopmentStep:
    vote = data.vote
    try:
        row = await DevelopmentStep.create(
            case_id=case.id,
            code=code,
            sequence=sequence,
            stage=stage,
            done_on=data.done_on,
            acted_by=data.acted_by.strip(),
            notes=data.notes,
            documents=[d for d in (data.documents or []) if d.strip()],
            votes_entitled=vote.entitled if vote else None,
            votes_present=vote.present if vote else None,
            votes_issued=vote.issued if vote else None,
            votes_returned=vote.returned if vote else None,
            votes_yes=vote.yes if vote else None,
            training_days=data.training_days,
            training_hours=data.training_hours,
            delay_reason=data.delay_reason.strip(),
            extra=extra or {},
            recorded_by=data.recorded_by[:200],
        )
    except IntegrityError as exc:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_STEP_ALREADY_RECORDED, field="code", step="（可能被同时提交）"
        ) from exc
    audit.created(row)
    return row


async def _save_case(
    case: DevelopmentCase,
    before: dict[str, Any],
    cfg: dict[str, Any],
    dates: dict[str, dt.date] | None = None,
) -> None:
    if dates is None:
        dates = await case_dates(case.id)
    case.next_earliest_on, case.next_due_on = schedule(case, dates, cfg)
    await case.save()
    audit.changed(case, before)


async def start_case(
    *,
    branch_id: int,
    applied_on: dt.date,
    member_id: int | None = None,
    person: dict[str, Any] | None = None,
    acted_by: str = "",
    notes: str = "",
    documents: list[str] | None = None,
    recorded_by: str = "",
) -> DevelopmentCase:
    """Open a case with step 1 (the application): for a new applicant, or an APPLICANT on the roster."""
    branch = await people.get_branch(branch_id)
    require(branch.path)
    cfg = await development_config()
    _check_date(applied_on, None)
    if member_id is not None:
        member = await people.get_member(member_id)
        if member.branch_id != branch.id or member.status != MemberStatus.APPLICANT:
            raise DomainError(DevelopmentErrorCode.DEVELOPMENT_NOT_AN_APPLICANT, field="memberId")
        if await DevelopmentCase.filter(member_id=member.id).exists():
            raise DomainError(
                DevelopmentErrorCode.DEVELOPMENT_CASE_EXISTS, field="memberId", name=member.name
            )
        birth_date = member.birth_date
    else:
        if not person:
            raise ValidationFailed("请填写申请人信息或选择已登记的人员", field="person")
        birth_date = person.get("birth_date")
    if birth_date is None:
        raise DomainError(DevelopmentErrorCode.DEVELOPMENT_BIRTH_DATE_REQUIRED, field="birthDate")
    adult_on = add_months(birth_date, 12 * cfg["min_applicant_age"])
    if applied_on < adult_on:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_APPLICANT_TOO_YOUNG,
            field="appliedOn",
            min_applicant_age=cfg["min_applicant_age"],
            adult_on=adult_on,
        )
    if member_id is None:
        member = await people.create_person(branch, status=MemberStatus.APPLICANT, person=person or {})
    case = await DevelopmentCase.create(member_id=member.id, applied_on=applied_on, last_sequence=0)
    before = audit.snapshot(case)
    audit.created(case)
    spec = BY_SEQUENCE[1]
    await _append(
        case,
        code=spec.code,
        sequence=spec.sequence,
        stage=spec.stage,
        data=StepData(
            done_on=applied_on,
            acted_by=acted_by or member.name,
            notes=notes,
            documents=documents or [],
            recorded_by=recorded_by,
        ),
    )
    case.last_sequence = 1
    await _save_case(case, before, cfg)
    return case


async def record_step(case_id: int, code: str, data: StepData) -> DevelopmentStep:
    """Record the next step of a case, enforcing order, timing rules and votes."""
    case = await get_case(case_id, for_write=True)
    member, _branch = await _member_and_branch(case)
    spec = BY_CODE.get(code)
    if spec is None:
        raise ValidationFailed(f"未知的发展环节：{code}", field="code")
    if case.status != CaseStatus.OPEN:
        raise DomainError(DevelopmentErrorCode.DEVELOPMENT_CASE_CLOSED, field="caseId", reason="")
    if not people.is_active(member):
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_CASE_CLOSED,
            field="caseId",
            reason=f"：{member.name}已不在党员队伍中",
        )
    if spec.sequence <= case.last_sequence:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_STEP_ALREADY_RECORDED,
            field="code",
            step=f"：“{spec.label}”（第{spec.sequence}步）",
        )
    expected = BY_SEQUENCE[case.last_sequence + 1]
    if spec.sequence != expected.sequence:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_STEP_OUT_OF_ORDER,
            field="code",
            expected=expected.code,
            sequence=expected.sequence,
            label=expected.label,
        )
    cfg = await development_config()
    dates, last_on = await _timeline(case)
    _check_date(data.done_on, last_on)
    if spec.congress:
        await check_vote(data.vote)
    elif data.vote is not None:
        raise ValidationFailed("只有支部大会讨论环节登记表决票数", field="vote")
    _check_timing(spec, data, case, dates, cfg)

    before = audit.snapshot(case)
    row = await _append(case, code=spec.code, sequence=spec.sequence, stage=spec.stage, data=data)
    case.last_sequence = spec.sequence
    if spec.code == "ADMISSION_APPROVED":
        joined_on = dates["ADMISSION_CONGRESS"]
        case.probation_ends_on = add_months(joined_on, cfg["probation_months"])
        await people.set_dates(member, joined_on=joined_on)
    elif spec.code == "CONFIRMATION_APPROVED":
        await people.set_dates(member, confirmed_on=case.probation_ends_on)
    elif spec.code == "MATERIALS_ARCHIVED":
        case.status = CaseStatus.COMPLETED
        case.closed_on = data.done_on
    if spec.sets_status is not None:
        await people.set_status(member, spec.sets_status, f"发展党员：{spec.label}", on=data.done_on)
    await _save_case(case, before, cfg, {**dates, spec.code: data.done_on})
    return row


async def extend_probation(case_id: int, *, months: int, data: StepData, reason: str) -> DevelopmentCase:
    """Extend probation once, at its end, by a branch congress decision (6 to 12 months by default)."""
    case = await get_case(case_id, for_write=True)
    member, _branch = await _member_and_branch(case)
    cfg = await development_config()
    if case.status != CaseStatus.OPEN or member.status != MemberStatus.PROBATIONARY:
        raise DomainError(DevelopmentErrorCode.DEVELOPMENT_NOT_ON_PROBATION, field="caseId", name=member.name)
    if case.last_sequence >= BY_CODE["CONFIRMATION_CONGRESS"].sequence:
        raise DomainError(DevelopmentErrorCode.DEVELOPMENT_EXTENSION_NOT_ALLOWED, field="caseId")
    extensions = await DevelopmentStep.filter(case_id=case.id, code=PROBATION_EXTENDED).count()
    if extensions >= cfg["max_extensions"]:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_PROBATION_ALREADY_EXTENDED,
            field="caseId",
            max_extensions=cfg["max_extensions"],
        )
    if not cfg["extension_min_months"] <= months <= cfg["extension_max_months"]:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_EXTENSION_OUT_OF_RANGE,
            field="months",
            extension_min_months=cfg["extension_min_months"],
            extension_max_months=cfg["extension_max_months"],
        )
    if not reason.strip():
        raise ValidationFailed("须说明延长预备期的原因", field="reason")
    if case.probation_ends_on is None or data.done_on < case.probation_ends_on:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_PROBATION_NOT_ENDED,
            field="decidedOn",
            ends_on=case.probation_ends_on,
            action="决定延长预备期",
        )
    _check_date(data.done_on, (await _timeline(case))[1])
    await check_vote(data.vote)
    before = audit.snapshot(case)
    previous_end = case.probation_ends_on
    case.probation_ends_on = add_months(previous_end, months)
    case.extended_months = months
    data.notes = data.notes or reason
    await _append(
        case,
        code=PROBATION_EXTENDED,
        sequence=None,
        stage=5,
        data=data,
        extra={"months": months, "reason": reason.strip(), "previous_end": previous_end.isoformat()},
    )
    await _save_case(case, before, cfg)
    return case


async def close_case(case_id: int, *, data: StepData, reason: str) -> DevelopmentCase:
    """Stop a case: an applicant, activist or candidate is no longer developed (WITHDRAWN), or a
    probationary member is disqualified by a branch congress vote (DISQUALIFIED). Status → LEFT."""
    case = await get_case(case_id, for_write=True)
    member, _branch = await _member_and_branch(case)
    if case.status != CaseStatus.OPEN:
        raise DomainError(DevelopmentErrorCode.DEVELOPMENT_CASE_CLOSED, field="caseId", reason="")
    if not reason.strip():
        raise ValidationFailed("须说明原因", field="reason")
    _check_date(data.done_on, (await _timeline(case))[1])
    cfg = await development_config()
    if member.status == MemberStatus.PROBATIONARY:
        await check_vote(data.vote)
        outcome = CaseStatus.DISQUALIFIED
    elif member.status in (MemberStatus.APPLICANT, MemberStatus.ACTIVIST, MemberStatus.CANDIDATE):
        if data.vote is not None:
            await check_vote(data.vote)
        outcome = CaseStatus.WITHDRAWN
    else:
        raise DomainError(
            DevelopmentErrorCode.DEVELOPMENT_CASE_CLOSED,
            field="caseId",
            reason=f"：{member.name}已是正式党员",
        )
    before = audit.snapshot(case)
    await _append(
        case,
        code=CASE_CLOSED,
        sequence=None,
        stage=BY_SEQUENCE[max(case.last_sequence, 1)].stage,
        data=StepData(**{**data.__dict__, "notes": data.notes or reason}),
        extra={"outcome": outcome.value, "reason": reason.strip()},
    )
    case.status = outcome
    case.closed_on = data.done_on
    case.close_reason = reason.strip()
    await people.set_status(member, MemberStatus.LEFT, f"发展党员：{reason.strip()}", on=data.done_on)
    await _save_case(case, before, cfg)
    return case


async def end_cases_of(member: Member, status: CaseStatus, on: dt.date, reason: str) -> None:
    """Close the member's open case when the member leaves the tenant (e.g. transferred out)."""
    case = await DevelopmentCase.filter(member_id=member.id, status=CaseStatus.OPEN).first()
    if case is None:
        return
    before = audit.snapshot(case)
    case.status = status
    case.closed_on = on
    case.close_reason = reason
    case.next_earliest_on = case.next_due_on = None
    await case.save()
    audit.changed(case, before)
