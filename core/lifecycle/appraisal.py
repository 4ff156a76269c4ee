"""Democratic appraisal of members (民主评议党员) and the secretaries' year-end 述职评议.

- Each member gets one rating per year from their branch (:class:`AppraisalRating`); a correction
  changes the grade and keeps the previous one and the reason.
- A member rated UNQUALIFIED is handled by a procedure whose steps are recorded in order with a date
  and who acted: a correction deadline (限期改正), persuading the member to leave (劝其退党), removal
  (除名). The rule ``UNQUALIFIED_MEMBER_UNHANDLED`` flags a rating with no step within
  ``appraisal.unqualified_handling_days``.
- A branch secretary is rated once a year together with the branch's overall grade; a branch graded
  below ``appraisal.excellent_secretary_min_unit_grade`` (好) cannot have its secretary rated
  EXCELLENT (``SECRETARY_EXCELLENT_UNIT_BELOW_GOOD``).
"""

from __future__ import annotations

import datetime as dt

from core import audit
from core.error_codes import AppraisalErrorCode
from core.errors import DomainError, NotFound
from core.guard import require
from core.lifecycle import members as people
from core.lifecycle.dates import today
from core.lifecycle.models import (
    AppraisalGrade,
    AppraisalRating,
    SecretaryAppraisal,
    SecretaryGrade,
    UnqualifiedHandlingStep,
    UnqualifiedStep,
)
from core.models import Organization
from core.models.member import CURRENT_MEMBER_STATUSES
from core.services.members import member_and_branch
from core.services.tenants import current_tenant
from core.tenant_config import effective_config

#: the handling steps in the order they happen
STEP_ORDER: tuple[UnqualifiedStep, ...] = (
    UnqualifiedStep.CORRECTION_DEADLINE,
    UnqualifiedStep.PERSUADE_TO_LEAVE,
    UnqualifiedStep.REMOVAL,
)
STEP_LABELS = {
    UnqualifiedStep.CORRECTION_DEADLINE: "限期改正",
    UnqualifiedStep.PERSUADE_TO_LEAVE: "劝其退党",
    UnqualifiedStep.REMOVAL: "除名",
}
GRADE_LABELS = {
    AppraisalGrade.EXCELLENT: "优秀",
    AppraisalGrade.QUALIFIED: "合格",
    AppraisalGrade.BASICALLY_QUALIFIED: "基本合格",
    AppraisalGrade.UNQUALIFIED: "不合格",
}
SECRETARY_GRADE_LABELS = {
    SecretaryGrade.EXCELLENT: "优秀",
    SecretaryGrade.COMPETENT: "称职",
    SecretaryGrade.BASICALLY_COMPETENT: "基本称职",
    SecretaryGrade.INCOMPETENT: "不称职",
}


def _check_day(day: dt.date, field: str) -> None:
    if day > today():
        raise DomainError(AppraisalErrorCode.APPRAISAL_DATE_IN_FUTURE, field=field)


def _check_year(year: int, rated_on: dt.date) -> None:
    if not 2000 <= year <= rated_on.year:
        raise DomainError(AppraisalErrorCode.APPRAISAL_YEAR_INVALID, field="year", year=year)


async def get_rating(rating_id: int, *, for_write: bool = False) -> AppraisalRating:
    query = AppraisalRating.filter(id=rating_id)
    if for_write:
        query = query.select_for_update()
    rating = await query.first()
    if rating is None:
        raise NotFound("民主评议结果", rating_id, field="ratingId")
    return rating


async def record_rating(
    member_id: int,
    *,
    year: int,
    grade: AppraisalGrade,
    rated_on: dt.date,
    rated_by: str = "",
    notes: str = "",
) -> AppraisalRating:
    """Record a member's rating for ``year`` (one per member per year), by the member's branch."""
    member, branch = await member_and_branch(member_id)
    if member.status not in CURRENT_MEMBER_STATUSES:
        raise DomainError(AppraisalErrorCode.APPRAISAL_NOT_A_MEMBER, field="memberId", name=member.name)
    _check_day(rated_on, "ratedOn")
    _check_year(year, rated_on)
    if await AppraisalRating.filter(member_id=member.id, year=year).exists():
        raise DomainError(
            AppraisalErrorCode.APPRAISAL_ALREADY_RATED, field="year", name=member.name, year=year
        )
    rating = await AppraisalRating.create(
        member_id=member.id,
        branch_id=branch.id,
        year=year,
        grade=grade,
        rated_on=rated_on,
        rated_by=rated_by.strip(),
        notes=notes.strip(),
    )
    audit.created(rating)
    return rating


async def correct_rating(rating_id: int, *, grade: AppraisalGrade, reason: str) -> AppraisalRating:
    """Change a rating's grade, keeping the previous grade and the reason."""
    rating = await get_rating(rating_id, for_write=True)
    branch = await Organization.get(id=rating.branch_id)
    require(branch.path)
    reason = reason.strip()
    if not reason:
        raise DomainError(AppraisalErrorCode.APPRAISAL_CORRECTION_REASON_REQUIRED, field="reason")
    if grade == rating.grade:
        raise DomainError(AppraisalErrorCode.APPRAISAL_GRADE_UNCHANGED, field="grade")
    if rating.grade == AppraisalGrade.UNQUALIFIED and await rating.handling_steps.all().exists():
        raise DomainError(AppraisalErrorCode.APPRAISAL_HANDLING_STARTED, field="grade")
    before = audit.snapshot(rating)
    rating.corrected_from = str(rating.grade)
    rating.grade = grade
    rating.correction_reason = reason
    await rating.save(update_fields=["grade", "corrected_from", "correction_reason", "updated_at"])
    audit.changed(rating, before)
    return rating


async def record_handling_step(
    rating_id: int,
    *,
    step: UnqualifiedStep,
    done_on: dt.date,
    acted_by: str,
    deadline_on: dt.date | None = None,
    notes: str = "",
) -> UnqualifiedHandlingStep:
    """Record the next step of handling an unqualified member (steps in order, dates not going back)."""
    rating = await get_rating(rating_id, for_write=True)
    branch = await Organization.get(id=rating.branch_id)
    require(branch.path)
    if rating.grade != AppraisalGrade.UNQUALIFIED:
        raise DomainError(AppraisalErrorCode.APPRAISAL_NOT_UNQUALIFIED, field="ratingId")
    if not acted_by.strip():
        raise DomainError(AppraisalErrorCode.UNQUALIFIED_STEP_ACTOR_REQUIRED, field="actedBy")
    _check_day(done_on, "doneOn")
    done = {s.step: s for s in await UnqualifiedHandlingStep.filter(rating_id=rating.id)}
    if step in done:
        raise DomainError(AppraisalErrorCode.UNQUALIFIED_STEP_DUPLICATE, field="step", step=STEP_LABELS[step])
    index = STEP_ORDER.index(step)
    if index > 0 and STEP_ORDER[index - 1] not in done:
        previous = STEP_LABELS[STEP_ORDER[index - 1]]
        raise DomainError(
            AppraisalErrorCode.UNQUALIFIED_STEP_OUT_OF_ORDER,
            field="step",
            step=STEP_LABELS[step],
            previous=previous,
        )
    last = max((s.done_on for s in done.values()), default=rating.rated_on)
    if done_on < last:
        raise DomainError(AppraisalErrorCode.UNQUALIFIED_STEP_DATE_BEFORE_PREVIOUS, field="doneOn", last=last)
    if step == UnqualifiedStep.CORRECTION_DEADLINE:
        if deadline_on is None or deadline_on <= done_on:
            raise DomainError(AppraisalErrorCode.UNQUALIFIED_DEADLINE_REQUIRED, field="deadlineOn")
    elif deadline_on is not None:
        raise DomainError(AppraisalErrorCode.UNQUALIFIED_DEADLINE_NOT_APPLICABLE, field="deadlineOn")
    row = await UnqualifiedHandlingStep.create(
        rating_id=rating.id,
        step=step,
        done_on=done_on,
        acted_by=acted_by.strip(),
        deadline_on=deadline_on,
        notes=notes.strip(),
    )
    audit.created(row)
    return row


def unit_grades(config: dict) -> list[dict]:
    return list(config["appraisal"]["unit_grades"])


async def rate_secretary(
    branch_id: int,
    *,
    year: int,
    unit_grade: str,
    grade: SecretaryGrade,
    rated_on: dt.date,
    secretary_id: int | None = None,
    notes: str = "",
) -> SecretaryAppraisal:
    """Record the year-end rating of a branch's secretary with the branch's overall grade."""
    branch = await people.get_branch(branch_id)
    require(branch.path)
    _check_day(rated_on, "ratedOn")
    _check_year(year, rated_on)
    config = effective_config(await current_tenant())
    grades = unit_grades(config)
    codes = [g["code"] for g in grades]
    labels = {g["code"]: g.get("label", g["code"]) for g in grades}
    if unit_grade not in codes:
        raise DomainError(
            AppraisalErrorCode.SECRETARY_UNIT_GRADE_UNKNOWN,
            field="unitGrade",
            labels="、".join(labels.values()),
        )
    minimum = config["appraisal"]["excellent_secretary_min_unit_grade"]
    if grade == SecretaryGrade.EXCELLENT and codes.index(unit_grade) > codes.index(minimum):
        raise DomainError(
            AppraisalErrorCode.SECRETARY_EXCELLENT_UNIT_BELOW_GOOD,
            field="grade",
            name=branch.name,
            unit_grade=labels[unit_grade],
            minimum=labels[minimum],
        )
    if secretary_id is not None:
        secretary = await people.get_member(secretary_id, field="secretaryId")
        if secretary.branch_id != branch.id:
            raise DomainError(
                AppraisalErrorCode.SECRETARY_NOT_IN_BRANCH,
                field="secretaryId",
                name=secretary.name,
                branch_name=branch.name,
            )
    if await SecretaryAppraisal.filter(branch_id=branch.id, year=year).exists():
        raise DomainError(
            AppraisalErrorCode.SECRETARY_ALREADY_RATED, field="year", name=branch.name, year=year
        )
    row = await SecretaryAppraisal.create(
        branch_id=branch.id,
        secretary_id=secretary_id,
        year=year,
        unit_grade=unit_grade,
        grade=grade,
        rated_on=rated_on,
        notes=notes.strip(),
    )
    audit.created(row)
    return row
