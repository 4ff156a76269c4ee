"""Query and mutation fields of standardization acceptance (标准化验收)."""

from __future__ import annotations

import strawberry

from core.error_codes import AcceptanceErrorCode
from core.errors import NotFound, ValidationFailed
from core.graphql.acceptance.filters import filter_acceptance_applications
from core.graphql.acceptance.types import (
    AcceptanceApplicationConnection,
    AcceptanceApplicationFilter,
    AcceptanceApplicationPayload,
    AcceptanceApplicationType,
    AcceptanceIdInput,
    AcceptanceRoundConnection,
    AcceptanceRoundPayload,
    AcceptanceRoundType,
    AcceptanceSampleDrawPayload,
    AcceptanceSampleDrawType,
    AcceptanceSampleVerification,
    AcceptanceSummary,
    ApplyForAcceptanceInput,
    AssessAcceptanceInput,
    CreateAcceptanceRoundInput,
    DecideAcceptanceInput,
    DrawAcceptanceSampleInput,
    RecordOnsiteCheckInput,
)
from core.graphql.core.connection import paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, require_read, scoped
from core.graphql.core.filters import within_subtree
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.permissions import Permission
from core.rectification import acceptance as service
from core.rectification.models import AcceptanceApplication as ApplicationModel
from core.rectification.models import AcceptanceRound as RoundModel
from core.rectification.models import AcceptanceSampleDraw as DrawModel
from core.services.organizations import get_organization


async def _application_node(app: ApplicationModel) -> AcceptanceApplicationType:
    app = await service.get_application(app.id)
    return AcceptanceApplicationType.from_row(app)


async def _draw_with_path(draw_id: int) -> tuple[DrawModel, str]:
    draw = await DrawModel.get_or_none(id=draw_id).select_related("round__organization")
    if draw is None:
        raise NotFound("抽查记录", draw_id, field="id")
    return draw, draw.round.organization.path


@strawberry.type
class Query:
    @field(permission=Permission.ACCEPTANCE_READ, description="One acceptance application by ID.")
    async def acceptance_application(self, info: Info, id: strawberry.ID) -> AcceptanceApplicationType | None:
        app_id = decode_id(id, "AcceptanceApplication")
        row = await ApplicationModel.get_or_none(id=app_id).select_related("organization")
        return AcceptanceApplicationType.from_row(row) if row else None

    @field(permission=Permission.ACCEPTANCE_READ, description="Acceptance applications, newest first.")
    async def acceptance_applications(
        self,
        info: Info,
        filter: AcceptanceApplicationFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> AcceptanceApplicationConnection:
        query = await filter_acceptance_applications(
            scoped(info, ApplicationModel.all(), "organization__path"),
            filter or AcceptanceApplicationFilter(),
        )
        ordered = query.select_related("organization").order_by("-id")
        return await paginate(
            ordered, AcceptanceApplicationType.from_row, first=first, after=after, last=last, before=before
        )

    @field(permission=Permission.ACCEPTANCE_READ, description="One acceptance round by ID.")
    async def acceptance_round(self, info: Info, id: strawberry.ID) -> AcceptanceRoundType | None:
        row = await RoundModel.get_or_none(id=decode_id(id, "AcceptanceRound")).select_related("organization")
        return AcceptanceRoundType.from_row(row) if row else None

    @field(
        permission=Permission.ACCEPTANCE_READ,
        description="Acceptance rounds the caller may see, newest first.",
    )
    async def acceptance_rounds(
        self,
        info: Info,
        subtree_of: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> AcceptanceRoundConnection:
        query = await within_subtree(
            scoped(info, RoundModel.all(), "organization__path"), subtree_of, "organization__path"
        )
        ordered = query.select_related("organization").order_by("-id")
        return await paginate(
            ordered, AcceptanceRoundType.from_row, first=first, after=after, last=last, before=before
        )

    @field(
        permission=Permission.ACCEPTANCE_READ,
        description="Branches, accepted branches and open applications of a subtree.",
    )
    async def acceptance_summary(self, info: Info, scope_id: strawberry.ID) -> AcceptanceSummary:
        scope = await get_organization(decode_id(scope_id, "Organization", field="scopeId"))
        return AcceptanceSummary(**await service.summary(scope), path=scope.path)

    @field(permission=Permission.ACCEPTANCE_READ, description="One recorded on-site sample draw.")
    async def acceptance_sample_draw(self, info: Info, id: strawberry.ID) -> AcceptanceSampleDrawType | None:
        draw, path = await _draw_with_path(decode_id(id, "AcceptanceSampleDraw"))
        return AcceptanceSampleDrawType.from_row(draw, path)

    @field(
        permission=Permission.ACCEPTANCE_READ,
        description="Recompute a recorded draw from its seed and population and compare (audit).",
    )
    async def verify_acceptance_sample(self, info: Info, id: strawberry.ID) -> AcceptanceSampleVerification:
        draw, path = await _draw_with_path(decode_id(id, "AcceptanceSampleDraw"))
        require_read(info, path)  # before the recomputation
        result = await service.verify_draw(draw)
        return AcceptanceSampleVerification(**result)


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.ACCEPTANCE_DECIDE,
        description="Open a round (batch) of applications at an accepting organization.",
    )
    async def create_acceptance_round(
        self, info: Info, input: CreateAcceptanceRoundInput
    ) -> AcceptanceRoundPayload:
        row = await service.create_round(
            decode_id(input.organization_id, "Organization", field="organizationId"), input.title
        )
        await row.fetch_related("organization")
        return {"round": AcceptanceRoundType.from_row(row)}

    @mutation(permission=Permission.ACCEPTANCE_APPLY, description="A branch applies for acceptance.")
    async def apply_for_acceptance(
        self, info: Info, input: ApplyForAcceptanceInput
    ) -> AcceptanceApplicationPayload:
        app = await service.apply(
            decode_id(input.organization_id, "Organization", field="organizationId"),
            statement=input.statement,
            round_id=decode_id(input.round_id, "AcceptanceRound", field="roundId")
            if input.round_id
            else None,
        )
        return {"application": await _application_node(app)}

    @mutation(permission=Permission.ACCEPTANCE_APPLY, description="Withdraw an application not yet assessed.")
    async def withdraw_acceptance_application(
        self, info: Info, input: AcceptanceIdInput
    ) -> AcceptanceApplicationPayload:
        app = await service.withdraw(decode_id(input.id, "AcceptanceApplication"))
        return {"application": await _application_node(app)}

    @mutation(
        permission=Permission.ACCEPTANCE_ASSESS,
        description="The superior committee assesses (ACCEPTANCE_ASSESS on the branch's parent).",
    )
    async def assess_acceptance_application(
        self, info: Info, input: AssessAcceptanceInput
    ) -> AcceptanceApplicationPayload:
        app = await service.assess(
            decode_id(input.id, "AcceptanceApplication"),
            passed=input.passed,
            comments=input.comments,
            score_run_id=decode_id(input.score_run_id, "ScoreRun", field="scoreRunId")
            if input.score_run_id is not None
            else None,
        )
        return {"application": await _application_node(app)}

    @mutation(
        permission=Permission.ACCEPTANCE_DECIDE,
        description="The accepting level records the on-site check of a sampled application.",
    )
    async def record_acceptance_onsite_check(
        self, info: Info, input: RecordOnsiteCheckInput
    ) -> AcceptanceApplicationPayload:
        app = await service.record_onsite_check(
            decode_id(input.id, "AcceptanceApplication"), passed=input.passed, comments=input.comments
        )
        return {"application": await _application_node(app)}

    @mutation(
        permission=Permission.ACCEPTANCE_DECIDE,
        description="The accepting level accepts or rejects an assessed application.",
    )
    async def decide_acceptance_application(
        self, info: Info, input: DecideAcceptanceInput
    ) -> AcceptanceApplicationPayload:
        app = await service.decide(
            decode_id(input.id, "AcceptanceApplication"), accept=input.accept, comments=input.comments
        )
        return {"application": await _application_node(app)}

    @mutation(
        permission=Permission.ACCEPTANCE_DECIDE,
        description="Draw a round's random on-site check sample once (seed, population, result recorded).",
    )
    async def draw_acceptance_sample(
        self, info: Info, input: DrawAcceptanceSampleInput
    ) -> AcceptanceSampleDrawPayload:
        seed = None
        if input.seed is not None:
            try:
                seed = int(input.seed.strip())
            except ValueError as exc:
                raise ValidationFailed("随机种子须为非负整数", field="seed") from exc
        draw = await service.draw_sample(
            decode_id(input.round_id, "AcceptanceRound", field="roundId"), seed=seed
        )
        _, path = await _draw_with_path(draw.id)
        return {"draw": AcceptanceSampleDrawType.from_row(draw, path)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(AcceptanceErrorCode),)
