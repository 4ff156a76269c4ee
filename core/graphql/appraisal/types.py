"""GraphQL types of the democratic appraisal of members and the secretaries' 述职评议."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import encode_id
from core.lifecycle import appraisal as service
from core.lifecycle.models import AppraisalGrade as AppraisalGradeEnum
from core.lifecycle.models import AppraisalRating as RatingModel
from core.lifecycle.models import SecretaryAppraisal as SecretaryModel
from core.lifecycle.models import SecretaryGrade as SecretaryGradeEnum
from core.lifecycle.models import UnqualifiedHandlingStep as StepModel
from core.lifecycle.models import UnqualifiedStep as UnqualifiedStepEnum
from core.permissions import Permission

if TYPE_CHECKING:
    from core.graphql.members.types import Member

MemberRef = Annotated["Member", strawberry.lazy("core.graphql.members.types")]

AppraisalGrade = strawberry.enum(
    AppraisalGradeEnum,
    description="民主评议等次: EXCELLENT 优秀, QUALIFIED 合格, BASICALLY_QUALIFIED 基本合格, "
    "UNQUALIFIED 不合格.",
)
UnqualifiedStep = strawberry.enum(
    UnqualifiedStepEnum,
    description="Steps of handling an unqualified member, in order: CORRECTION_DEADLINE 限期改正, "
    "PERSUADE_TO_LEAVE 劝其退党, REMOVAL 除名.",
)
SecretaryGrade = strawberry.enum(
    SecretaryGradeEnum,
    description="书记述职评议: EXCELLENT 优秀, COMPETENT 称职, BASICALLY_COMPETENT 基本称职, "
    "INCOMPETENT 不称职.",
)


@strawberry.type(description="A recorded step of handling a member rated unqualified (处置不合格党员).")
class UnqualifiedHandlingStep:
    id: strawberry.ID
    step: UnqualifiedStep
    step_label: str
    done_on: dt.date
    acted_by: str = strawberry.field(description="Who acted or decided (经办人/作出决定的组织).")
    deadline_on: dt.date | None = strawberry.field(description="The correction deadline (限期改正).")
    notes: str

    @classmethod
    def from_row(cls, row: StepModel) -> UnqualifiedHandlingStep:
        return cls(
            id=strawberry.ID(encode_id("UnqualifiedHandlingStep", row.id)),
            step=row.step,
            step_label=service.STEP_LABELS[UnqualifiedStepEnum(row.step)],
            done_on=row.done_on,
            acted_by=row.acted_by,
            deadline_on=row.deadline_on,
            notes=row.notes,
        )


@strawberry.type(description="A member's democratic appraisal rating for one year (民主评议党员).")
class AppraisalRating:
    id: strawberry.ID
    year: int
    grade: AppraisalGrade
    grade_label: str
    rated_on: dt.date
    rated_by: str = strawberry.field(description="支部委员会会议 or 党员大会.")
    notes: str
    corrected_from: AppraisalGrade | None = strawberry.field(description="The grade before the correction.")
    correction_reason: str
    member_id: strawberry.Private[int]
    rating_id: strawberry.Private[int]
    scope_path: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: RatingModel, path: str) -> AppraisalRating:
        return cls(
            id=strawberry.ID(encode_id("AppraisalRating", row.id)),
            year=row.year,
            grade=row.grade,
            grade_label=service.GRADE_LABELS[AppraisalGradeEnum(row.grade)],
            rated_on=row.rated_on,
            rated_by=row.rated_by,
            notes=row.notes,
            corrected_from=AppraisalGradeEnum(row.corrected_from) if row.corrected_from else None,
            correction_reason=row.correction_reason,
            member_id=row.member_id,
            rating_id=row.id,
            scope_path=path,
        )

    @field(
        permission=Permission.MEMBER_READ,
        description="The member rated (null when not visible to the caller where they are now).",
    )
    async def member(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import member_by_id

        return await member_by_id(info, self.member_id)

    @strawberry.field(description="The handling steps recorded for an unqualified rating, in order.")
    async def handling_steps(self, info: Info) -> list[UnqualifiedHandlingStep]:
        rows = await info.context.loaders.group_by(StepModel, "rating_id", order_by=("done_on", "id")).load(
            self.rating_id
        )
        return [UnqualifiedHandlingStep.from_row(r) for r in rows]


@strawberry.type(description="The year-end appraisal of a branch secretary (述职评议) with the branch grade.")
class SecretaryAppraisal:
    id: strawberry.ID
    year: int
    unit_grade: str = strawberry.field(
        description="The branch overall grade (a code of appraisal.unit_grades)."
    )
    unit_grade_label: str
    grade: SecretaryGrade
    grade_label: str
    rated_on: dt.date
    notes: str
    secretary_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: SecretaryModel, labels: dict[str, str]) -> SecretaryAppraisal:
        return cls(
            id=strawberry.ID(encode_id("SecretaryAppraisal", row.id)),
            year=row.year,
            unit_grade=row.unit_grade,
            unit_grade_label=labels.get(row.unit_grade, row.unit_grade),
            grade=row.grade,
            grade_label=service.SECRETARY_GRADE_LABELS[SecretaryGradeEnum(row.grade)],
            rated_on=row.rated_on,
            notes=row.notes,
            secretary_id=row.secretary_id,
        )

    @field(
        permission=Permission.MEMBER_READ,
        description="The secretary rated, when recorded and visible to the caller.",
    )
    async def secretary(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import member_by_id

        return await member_by_id(info, self.secretary_id)


@strawberry.input
class RecordAppraisalRatingInput:
    member_id: strawberry.ID
    year: int
    grade: AppraisalGrade
    rated_on: dt.date
    rated_by: str = ""
    notes: str = ""


@strawberry.input
class CorrectAppraisalRatingInput:
    rating_id: strawberry.ID
    grade: AppraisalGrade
    reason: str


@strawberry.input
class RecordUnqualifiedHandlingStepInput:
    rating_id: strawberry.ID
    step: UnqualifiedStep
    done_on: dt.date
    acted_by: str
    deadline_on: dt.date | None = None
    notes: str = ""


@strawberry.input
class RateSecretaryInput:
    branch_id: strawberry.ID
    year: int
    unit_grade: str = strawberry.field(
        description="A code of the tenant's appraisal.unit_grades, e.g. GOOD (好)."
    )
    grade: SecretaryGrade
    rated_on: dt.date
    secretary_id: strawberry.ID | None = None
    notes: str = ""


@strawberry.type
class AppraisalRatingPayload(MutationPayload):
    rating: AppraisalRating | None = None


@strawberry.type
class UnqualifiedHandlingStepPayload(MutationPayload):
    step: UnqualifiedHandlingStep | None = None
    rating: AppraisalRating | None = None


@strawberry.type
class SecretaryAppraisalPayload(MutationPayload):
    appraisal: SecretaryAppraisal | None = None
