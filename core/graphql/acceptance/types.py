"""GraphQL types of standardization acceptance: rounds, applications, on-site sample draws."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry import relay

from core.graphql.core.connection import Connection
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode, encode_id
from core.graphql.organizations.types import Organization, organization_by_id
from core.models import Organization as OrganizationModel
from core.permissions import Permission
from core.rectification.acceptance import STATUS_LABELS
from core.rectification.models import AcceptanceApplication as ApplicationModel
from core.rectification.models import AcceptanceRound as RoundModel
from core.rectification.models import AcceptanceSampleDraw as DrawModel
from core.rectification.models import ApplicationStatus

AcceptanceStatus = strawberry.enum(
    ApplicationStatus,
    name="AcceptanceStatus",
    description=(
        "APPLIED 已申请 → ASSESSED 已评估 (or RETURNED 评估未通过) → ACCEPTED 验收通过 / "
        "REJECTED 验收未通过; WITHDRAWN 已撤回."
    ),
)


async def _org(info: Info, org_id: int) -> OrganizationModel | None:
    return await info.context.loaders.by_id(OrganizationModel).load(org_id)


@strawberry.type(name="AcceptanceApplication", description="A branch's application for acceptance.")
class AcceptanceApplicationType(ModelNode):
    model = ApplicationModel

    id: relay.NodeID[int]
    status: AcceptanceStatus
    statement: str
    applied_by: str
    applied_at: dt.datetime
    assessed_by: str
    assessed_at: dt.datetime | None
    assessment_passed: bool | None
    assessment_comments: str
    score_total: float | None
    score_grade: str
    onsite_selected: bool = strawberry.field(description="Drawn for the random on-site check.")
    onsite_checked_at: dt.datetime | None
    onsite_passed: bool | None
    onsite_comments: str
    decided_by: str
    decided_at: dt.datetime | None
    decision_comments: str
    organization_id: strawberry.Private[int]
    accepting_organization_id: strawberry.Private[int]
    assessing_organization_id: strawberry.Private[int | None]
    round_id: strawberry.Private[int | None]
    score_run_pk: strawberry.Private[int | None] = None
    path: strawberry.Private[str] = ""

    @classmethod
    def from_row(cls, row: ApplicationModel) -> AcceptanceApplicationType:
        """Needs ``row.organization`` fetched (select_related) for the permission path."""
        return cls.from_model(row, path=row.organization.path, score_run_pk=row.score_run_id)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Any, node_ids: Iterable[str], required: bool = False
    ) -> list[AcceptanceApplicationType | None]:
        ids = [int(i) for i in node_ids]
        rows = {r.id: r for r in await ApplicationModel.filter(id__in=ids).select_related("organization")}
        return [cls.from_row(rows[i]) if i in rows else None for i in ids]

    @strawberry.field(description="Chinese label of the status.")
    def status_label(self) -> str:
        return STATUS_LABELS[ApplicationStatus(self.status)]

    @strawberry.field(description="The score run (ScoreRun ID) the assessment cited, if any.")
    def score_run_id(self) -> strawberry.ID | None:
        return strawberry.ID(encode_id("ScoreRun", self.score_run_pk)) if self.score_run_pk else None

    @field(permission=Permission.ORG_READ, description="The applying branch.")
    async def organization(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.organization_id)

    @strawberry.field(description="Name of the applying branch.")
    async def organization_name(self, info: Info) -> str:
        row = await _org(info, self.organization_id)
        return row.name if row else ""

    @field(
        permission=Permission.ORG_READ,
        description="The organization that accepts (the configured accepting level).",
    )
    async def accepting_organization(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.accepting_organization_id)

    @strawberry.field(description="Name of the accepting organization.")
    async def accepting_organization_name(self, info: Info) -> str:
        row = await _org(info, self.accepting_organization_id)
        return row.name if row else ""

    @field(
        permission=Permission.ORG_READ,
        description="The superior committee that assesses (acceptance.assessing_kind above the branch).",
    )
    async def assessing_organization(self, info: Info) -> Organization | None:
        if self.assessing_organization_id is None:
            return None
        return await organization_by_id(info, self.assessing_organization_id)

    @strawberry.field(description="Name of the assessing organization.")
    async def assessing_organization_name(self, info: Info) -> str:
        if self.assessing_organization_id is None:
            return ""
        row = await _org(info, self.assessing_organization_id)
        return row.name if row else ""

    @strawberry.field(description="Global ID of the round (batch), if the application belongs to one.")
    def round_gid(self) -> strawberry.ID | None:
        return strawberry.ID(encode_id("AcceptanceRound", self.round_id)) if self.round_id else None


AcceptanceApplicationConnection = Connection[AcceptanceApplicationType]


@strawberry.type(description="The result of recomputing a recorded draw from its seed.")
class AcceptanceSampleVerification:
    matches: bool = strawberry.field(description="Recomputing from seed and population gives the same ids.")
    population_unchanged: bool = strawberry.field(
        description="The round's applications (not withdrawn) are still the recorded population."
    )
    recomputed_ids: list[int]


@strawberry.type(name="AcceptanceSampleDraw", description="A recorded random on-site check draw.")
class AcceptanceSampleDrawType(ModelNode):
    model = DrawModel

    id: relay.NodeID[int]
    seed: str = strawberry.field(description="The seed (a decimal integer, as text).")
    algorithm: str
    rate: float
    minimum: int
    population_ids: list[int] = strawberry.field(description="Database ids of the applications drawn from.")
    chosen_ids: list[int] = strawberry.field(description="Database ids of the applications chosen.")
    drawn_by: str
    drawn_at: dt.datetime
    round_id: strawberry.Private[int]
    path: strawberry.Private[str] = ""

    @classmethod
    def from_row(cls, row: DrawModel, path: str) -> AcceptanceSampleDrawType:
        return cls.from_model(row, seed=str(row.seed), path=path)

    @strawberry.field(description="The applications chosen for the on-site check.")
    async def chosen(self, info: Info) -> list[AcceptanceApplicationType]:
        rows = await ApplicationModel.filter(id__in=list(self.chosen_ids)).select_related("organization")
        return [AcceptanceApplicationType.from_row(r) for r in sorted(rows, key=lambda r: r.id)]


@strawberry.type(name="AcceptanceRound", description="A batch of applications at an accepting organization.")
class AcceptanceRoundType(ModelNode):
    model = RoundModel

    id: relay.NodeID[int]
    title: str
    created_by: str
    created_at: dt.datetime
    organization_id: strawberry.Private[int]
    path: strawberry.Private[str] = ""

    @classmethod
    def from_row(cls, row: RoundModel) -> AcceptanceRoundType:
        return cls.from_model(row, path=row.organization.path)

    @field(permission=Permission.ORG_READ, description="The accepting organization.")
    async def organization(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.organization_id)

    @strawberry.field(description="Applications of the round.")
    async def applications(self, info: Info) -> list[AcceptanceApplicationType]:
        rows = await info.context.loaders.group_by(ApplicationModel, "round_id").load(self.id)
        orgs = await info.context.loaders.by_id(OrganizationModel).load_many(
            [r.organization_id for r in rows]
        )
        return [
            AcceptanceApplicationType.from_model(r, path=o.path if o else "")
            for r, o in zip(rows, orgs, strict=True)
        ]

    @strawberry.field(description="The on-site sample draw of the round, once drawn.")
    async def sample_draw(self, info: Info) -> AcceptanceSampleDrawType | None:
        rows = await info.context.loaders.group_by(DrawModel, "round_id").load(self.id)
        return AcceptanceSampleDrawType.from_row(rows[0], self.path) if rows else None


AcceptanceRoundConnection = Connection[AcceptanceRoundType]


@strawberry.type(description="Acceptance progress of a subtree (SQL aggregates).")
class AcceptanceSummary:
    branches: int = strawberry.field(description="Live branches in the subtree.")
    accepted: int = strawberry.field(description="Branches with an accepted application.")
    open: int = strawberry.field(description="Branches with an application being handled.")
    accepted_share: float = strawberry.field(description="accepted / branches (goal: above 0.9).")
    path: strawberry.Private[str] = ""

    @property
    def scope_path(self) -> str:
        return self.path


@strawberry.input(description="Filters for the application list.")
class AcceptanceApplicationFilter:
    subtree_of: strawberry.ID | None = None
    statuses: list[AcceptanceStatus] | None = None
    round_id: strawberry.ID | None = None
    onsite_selected: bool | None = None


@strawberry.input
class CreateAcceptanceRoundInput:
    organization_id: strawberry.ID = strawberry.field(description="The accepting organization.")
    title: str


@strawberry.input
class ApplyForAcceptanceInput:
    organization_id: strawberry.ID = strawberry.field(description="The applying branch.")
    statement: str = ""
    round_id: strawberry.ID | None = None


@strawberry.input
class AcceptanceIdInput:
    id: strawberry.ID


@strawberry.input
class AssessAcceptanceInput:
    id: strawberry.ID
    passed: bool
    comments: str = ""
    score_run_id: strawberry.ID | None = strawberry.field(
        default=None, description="A stored score run whose score of the branch the assessment cites."
    )


@strawberry.input
class RecordOnsiteCheckInput:
    id: strawberry.ID
    passed: bool
    comments: str = ""


@strawberry.input
class DecideAcceptanceInput:
    id: strawberry.ID
    accept: bool
    comments: str = ""


@strawberry.input
class DrawAcceptanceSampleInput:
    round_id: strawberry.ID
    seed: str | None = strawberry.field(
        default=None, description="Decimal integer seed; default: a fresh random one (recorded)."
    )


@strawberry.type
class AcceptanceApplicationPayload(MutationPayload):
    application: AcceptanceApplicationType | None = None


@strawberry.type
class AcceptanceRoundPayload(MutationPayload):
    round: AcceptanceRoundType | None = None


@strawberry.type
class AcceptanceSampleDrawPayload(MutationPayload):
    draw: AcceptanceSampleDrawType | None = None
