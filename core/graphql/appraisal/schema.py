"""Query and mutation fields of the democratic appraisal (民主评议党员) and the secretaries' 述职评议."""

from __future__ import annotations

import strawberry

from core.error_codes import AppraisalErrorCode
from core.graphql.appraisal.types import (
    AppraisalRating,
    AppraisalRatingPayload,
    CorrectAppraisalRatingInput,
    RateSecretaryInput,
    RecordAppraisalRatingInput,
    RecordUnqualifiedHandlingStepInput,
    SecretaryAppraisal,
    SecretaryAppraisalPayload,
    UnqualifiedHandlingStep,
    UnqualifiedHandlingStepPayload,
)
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, organization_argument
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.lifecycle import appraisal as service
from core.lifecycle.models import AppraisalRating as RatingModel
from core.lifecycle.models import SecretaryAppraisal as SecretaryModel
from core.models import Organization
from core.permissions import Permission
from core.services.tenants import current_tenant
from core.tenant_config import effective_config


async def _branch(info: Info, branch_id: strawberry.ID, permission: str) -> Organization:
    return await organization_argument(info, branch_id, field="branchId", permission=permission)


async def _rating(rating_id: int) -> AppraisalRating:
    row = await RatingModel.get(id=rating_id).select_related("branch")
    return AppraisalRating.from_row(row, row.branch.path)


async def _labels() -> dict[str, str]:
    grades = service.unit_grades(effective_config(await current_tenant()))
    return {g["code"]: g.get("label", g["code"]) for g in grades}


@strawberry.type
class Query:
    @field(
        permission=Permission.MEMBER_READ,
        description="The democratic appraisal ratings (民主评议党员) a branch gave for a year, "
        "by member name.",
    )
    async def appraisal_ratings(
        self, info: Info, branch_id: strawberry.ID, year: int
    ) -> list[AppraisalRating]:
        org = await _branch(info, branch_id, Permission.MEMBER_READ)
        rows = await RatingModel.filter(branch_id=org.id, year=year).select_related("member").order_by("id")
        rows.sort(key=lambda r: (r.member.name, r.id))
        return [AppraisalRating.from_row(r, org.path) for r in rows]

    @field(
        permission=Permission.COMMITTEE_READ,
        description="The year-end appraisals of a branch's secretary (述职评议), newest year first.",
    )
    async def secretary_appraisals(self, info: Info, branch_id: strawberry.ID) -> list[SecretaryAppraisal]:
        org = await _branch(info, branch_id, Permission.COMMITTEE_READ)
        labels = await _labels()
        rows = await SecretaryModel.filter(branch_id=org.id).order_by("-year")
        return [SecretaryAppraisal.from_row(r, labels) for r in rows]


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.MEMBER_MANAGE,
        description="Record a member's democratic appraisal rating for a year (one per member per year).",
    )
    async def record_appraisal_rating(
        self, info: Info, input: RecordAppraisalRatingInput
    ) -> AppraisalRatingPayload:
        rating = await service.record_rating(
            decode_id(input.member_id, "Member", field="memberId"),
            year=input.year,
            grade=input.grade,
            rated_on=input.rated_on,
            rated_by=input.rated_by,
            notes=input.notes,
        )
        return {"rating": await _rating(rating.id)}

    @mutation(
        permission=Permission.MEMBER_MANAGE,
        description="Correct a rating's grade with a reason (the previous grade is kept).",
    )
    async def correct_appraisal_rating(
        self, info: Info, input: CorrectAppraisalRatingInput
    ) -> AppraisalRatingPayload:
        rating = await service.correct_rating(
            decode_id(input.rating_id, "AppraisalRating", field="ratingId"),
            grade=input.grade,
            reason=input.reason,
        )
        return {"rating": await _rating(rating.id)}

    @mutation(
        permission=Permission.MEMBER_MANAGE,
        description="Record the next step of handling a member rated unqualified "
        "(限期改正 → 劝其退党 → 除名).",
    )
    async def record_unqualified_handling_step(
        self, info: Info, input: RecordUnqualifiedHandlingStepInput
    ) -> UnqualifiedHandlingStepPayload:
        step = await service.record_handling_step(
            decode_id(input.rating_id, "AppraisalRating", field="ratingId"),
            step=input.step,
            done_on=input.done_on,
            acted_by=input.acted_by,
            deadline_on=input.deadline_on,
            notes=input.notes,
        )
        return {"step": UnqualifiedHandlingStep.from_row(step), "rating": await _rating(step.rating_id)}

    @mutation(
        permission=Permission.COMMITTEE_MANAGE,
        description="Record the year-end rating of a branch secretary (述职评议) with the branch's overall "
        "grade; a branch graded below 好 cannot have its secretary rated EXCELLENT.",
    )
    async def rate_secretary(self, info: Info, input: RateSecretaryInput) -> SecretaryAppraisalPayload:
        row = await service.rate_secretary(
            decode_id(input.branch_id, "Organization", field="branchId"),
            year=input.year,
            unit_grade=input.unit_grade,
            grade=input.grade,
            rated_on=input.rated_on,
            secretary_id=decode_id(input.secretary_id, "Member", field="secretaryId")
            if input.secretary_id is not None
            else None,
            notes=input.notes,
        )
        return {"appraisal": SecretaryAppraisal.from_row(row, await _labels())}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(AppraisalErrorCode),)
