"""Query and mutation fields of the development pipeline."""

from __future__ import annotations

import strawberry

from core.error_codes import DevelopmentErrorCode
from core.graphql.core.connection import ordering, paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, scoped
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.graphql.development.filters import filter_development_cases
from core.graphql.development.types import (
    DEVELOPMENTCASE_ORDER_COLUMNS,
    CloseDevelopmentCaseInput,
    DevelopmentCase,
    DevelopmentCaseConnection,
    DevelopmentCaseFilter,
    DevelopmentCaseOrder,
    DevelopmentCasePayload,
    DevelopmentStep,
    DevelopmentStepDefinition,
    DevelopmentStepPayload,
    ExtendProbationInput,
    RecordDevelopmentStepInput,
    StartDevelopmentCaseInput,
    step_definitions,
    vote_of,
)
from core.lifecycle import development as service
from core.lifecycle.models import DevelopmentCase as CaseModel
from core.permissions import Permission


async def _case(case_id: int) -> DevelopmentCase:
    row = await CaseModel.filter(id=case_id).select_related("member__branch").first()
    return DevelopmentCase.from_row(row)


def _recorded_by(info: Info) -> str:
    return info.context.principal.label


@strawberry.type
class Query:
    @field(permission=Permission.DEVELOPMENT_READ, description="The 25 steps of developing a member.")
    def development_steps(self, info: Info) -> list[DevelopmentStepDefinition]:
        return step_definitions()

    @field(permission=Permission.DEVELOPMENT_READ, description="One development case by ID.")
    async def development_case(self, info: Info, id: strawberry.ID) -> DevelopmentCase | None:
        row = (
            await CaseModel.filter(id=decode_id(id, "DevelopmentCase"))
            .select_related("member__branch")
            .first()
        )
        return DevelopmentCase.from_row(row) if row else None

    @field(permission=Permission.DEVELOPMENT_READ, description="Development cases the caller may see, paged.")
    async def development_cases(
        self,
        info: Info,
        filter: DevelopmentCaseFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: list[DevelopmentCaseOrder] | None = None,
    ) -> DevelopmentCaseConnection:
        query = await filter_development_cases(
            scoped(info, CaseModel.all(), "member__branch__path"), filter or DevelopmentCaseFilter()
        )
        ordered = query.select_related("member__branch").order_by(
            *ordering(order_by, DEVELOPMENTCASE_ORDER_COLUMNS, ("id",))
        )
        return await paginate(
            ordered, DevelopmentCase.from_row, first=first, after=after, last=last, before=before
        )


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.DEVELOPMENT_MANAGE,
        description="Open a development case with the application (step 1); a new person joins the branch "
        "roster as APPLICANT.",
    )
    async def start_development_case(
        self, info: Info, input: StartDevelopmentCaseInput
    ) -> DevelopmentCasePayload:
        person = None
        if input.applicant is not None:
            a = input.applicant
            person = {
                "name": a.name,
                "birth_date": a.birth_date,
                "gender": a.gender,
                "ethnicity": a.ethnicity,
                "education": a.education,
                "phone": a.phone,
                "id_number": a.id_number,
            }
        case = await service.start_case(
            branch_id=decode_id(input.branch_id, "Organization", field="branchId"),
            applied_on=input.applied_on,
            member_id=decode_id(input.member_id, "Member", field="memberId") if input.member_id else None,
            person=person,
            acted_by=input.acted_by,
            notes=input.notes,
            documents=input.documents or [],
            recorded_by=_recorded_by(info),
        )
        return {"development_case": await _case(case.id)}

    @mutation(
        permission=Permission.DEVELOPMENT_MANAGE,
        description="Record the next step of a development case (order, timing rules and votes enforced).",
    )
    async def record_development_step(
        self, info: Info, input: RecordDevelopmentStepInput
    ) -> DevelopmentStepPayload:
        case_id = decode_id(input.case_id, "DevelopmentCase", field="caseId")
        row = await service.record_step(
            case_id,
            input.code.strip().upper(),
            service.StepData(
                done_on=input.done_on,
                acted_by=input.acted_by,
                notes=input.notes,
                documents=input.documents or [],
                vote=vote_of(input.vote),
                training_days=input.training_days,
                training_hours=input.training_hours,
                delay_reason=input.delay_reason,
                recorded_by=_recorded_by(info),
            ),
        )
        case = await _case(case_id)
        return {
            "step": DevelopmentStep.from_model(row, branch_path=case.branch_path),
            "development_case": case,
        }

    @mutation(
        permission=Permission.DEVELOPMENT_MANAGE,
        description="Extend probation once, at its end, by a branch congress decision.",
    )
    async def extend_probation(self, info: Info, input: ExtendProbationInput) -> DevelopmentCasePayload:
        case_id = decode_id(input.case_id, "DevelopmentCase", field="caseId")
        await service.extend_probation(
            case_id,
            months=input.months,
            reason=input.reason,
            data=service.StepData(
                done_on=input.decided_on,
                acted_by=input.acted_by,
                notes=input.notes,
                vote=vote_of(input.vote),
                recorded_by=_recorded_by(info),
            ),
        )
        return {"development_case": await _case(case_id)}

    @mutation(
        permission=Permission.DEVELOPMENT_MANAGE,
        description="Stop developing a person, or disqualify a probationary member (congress vote); the "
        "person's status becomes LEFT.",
    )
    async def close_development_case(
        self, info: Info, input: CloseDevelopmentCaseInput
    ) -> DevelopmentCasePayload:
        case_id = decode_id(input.case_id, "DevelopmentCase", field="caseId")
        await service.close_case(
            case_id,
            reason=input.reason,
            data=service.StepData(
                done_on=input.closed_on,
                acted_by=input.acted_by,
                vote=vote_of(input.vote),
                recorded_by=_recorded_by(info),
            ),
        )
        return {"development_case": await _case(case_id)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(DevelopmentErrorCode),)
