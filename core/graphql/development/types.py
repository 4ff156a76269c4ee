"""GraphQL types of the development pipeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from core.graphql.core.connection import Connection, order_input
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.lifecycle.dates import today
from core.lifecycle.models import CaseStatus as CaseStatusEnum
from core.lifecycle.models import DevelopmentCase as DevelopmentCaseModel
from core.lifecycle.models import DevelopmentStep as DevelopmentStepModel
from core.lifecycle.steps import BY_CODE, BY_SEQUENCE, LAST_SEQUENCE, STAGES, StepSpec, label_of
from core.permissions import Permission

if TYPE_CHECKING:
    from core.graphql.members.types import Member
    from core.graphql.organizations.types import Organization

MemberRef = Annotated["Member", strawberry.lazy("core.graphql.members.types")]
OrganizationRef = Annotated["Organization", strawberry.lazy("core.graphql.organizations.types")]

CaseStatus = strawberry.enum(
    CaseStatusEnum,
    description="OPEN (in progress), COMPLETED (archived after confirmation), DISQUALIFIED, WITHDRAWN, "
    "TRANSFERRED_OUT.",
)


@strawberry.type(description="One of the 25 steps of developing a member (data, with a stable code).")
class DevelopmentStepDefinition:
    sequence: int
    code: str
    label: str
    stage: int
    stage_label: str
    congress: bool = strawberry.field(description="A branch congress decision: the vote is recorded.")

    @classmethod
    def from_spec(cls, spec: StepSpec) -> DevelopmentStepDefinition:
        return cls(
            sequence=spec.sequence,
            code=spec.code,
            label=spec.label,
            stage=spec.stage,
            stage_label=spec.stage_label,
            congress=spec.congress,
        )


@strawberry.type(description="Counts of a branch congress vote.")
class VoteCounts:
    entitled: int = strawberry.field(description="应到会有表决权的党员")
    present: int = strawberry.field(description="实到")
    issued: int = strawberry.field(description="发出票数")
    returned: int = strawberry.field(description="收回票数")
    yes: int = strawberry.field(description="同意票数")


@strawberry.type(description="A recorded step of a development case, or a decision on it.")
class DevelopmentStep(ModelNode):
    model = DevelopmentStepModel

    id: relay.NodeID[int]
    code: str = strawberry.field(
        description="Step code (APPLICATION_SUBMITTED …) or PROBATION_EXTENDED, CASE_CLOSED."
    )
    sequence: int | None = strawberry.field(description="1–25 for pipeline steps; null for decisions.")
    stage: int
    done_on: dt.date
    acted_by: str = strawberry.field(description="Who acted (person or body).")
    notes: str
    documents: list[str] = strawberry.field(description="References of the documents on file.")
    training_days: Decimal | None
    training_hours: Decimal | None
    delay_reason: str = strawberry.field(description="Why an approval took longer than the normal limit.")
    recorded_by: str
    votes_entitled: strawberry.Private[int | None]
    votes_present: strawberry.Private[int | None]
    votes_issued: strawberry.Private[int | None]
    votes_returned: strawberry.Private[int | None]
    votes_yes: strawberry.Private[int | None]
    extra: strawberry.Private[dict]
    branch_path: strawberry.Private[str] = ""

    @property
    def scope_path(self) -> str:
        return self.branch_path

    @strawberry.field(description="Chinese label of the step.")
    def label(self) -> str:
        return label_of(self.code)

    @strawberry.field(description="The vote, for branch congress decisions.")
    def vote(self) -> VoteCounts | None:
        if self.votes_entitled is None:
            return None
        return VoteCounts(
            entitled=self.votes_entitled,
            present=self.votes_present or 0,
            issued=self.votes_issued or 0,
            returned=self.votes_returned or 0,
            yes=self.votes_yes or 0,
        )

    @strawberry.field(description="Months of a probation extension.")
    def extension_months(self) -> int | None:
        return (self.extra or {}).get("months")

    @strawberry.field(description="Outcome of a closing decision (DISQUALIFIED or WITHDRAWN).")
    def outcome(self) -> str | None:
        return (self.extra or {}).get("outcome")


@strawberry.type(description="The development of one person, from application to confirmation.")
class DevelopmentCase(ModelNode):
    model = DevelopmentCaseModel

    id: relay.NodeID[int]
    status: CaseStatus
    applied_on: dt.date
    probation_ends_on: dt.date | None = strawberry.field(
        description="End of probation (after any extension)."
    )
    extended_months: int | None
    next_earliest_on: dt.date | None = strawberry.field(
        description="Earliest date the next step may be taken."
    )
    next_due_on: dt.date | None = strawberry.field(description="Date the next step is due by.")
    closed_on: dt.date | None
    close_reason: str
    last_sequence: strawberry.Private[int]
    member_id: strawberry.Private[int]
    branch_id: strawberry.Private[int]
    branch_path: strawberry.Private[str]

    @property
    def scope_path(self) -> str:
        return self.branch_path

    @classmethod
    def from_row(cls, row: DevelopmentCaseModel) -> DevelopmentCase:
        """From a case row loaded with ``select_related("member__branch")``."""
        return cls.from_model(row, branch_id=row.member.branch_id, branch_path=row.member.branch.path)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Any, node_ids: Iterable[str], required: bool = False
    ) -> list[DevelopmentCase | None]:
        ids = [int(i) for i in node_ids]
        rows = {
            r.id: r for r in await DevelopmentCaseModel.filter(id__in=ids).select_related("member__branch")
        }
        return [cls.from_row(rows[i]) if i in rows else None for i in ids]

    @strawberry.field(description="Number of the 25 steps recorded.")
    def completed_steps(self) -> int:
        return self.last_sequence

    @strawberry.field(description="The last recorded step.")
    def current_step(self) -> DevelopmentStepDefinition | None:
        spec = BY_SEQUENCE.get(self.last_sequence)
        return DevelopmentStepDefinition.from_spec(spec) if spec else None

    @strawberry.field(description="The next step to take (null once the case is closed).")
    def next_step(self) -> DevelopmentStepDefinition | None:
        if self.status != CaseStatusEnum.OPEN or self.last_sequence >= LAST_SEQUENCE:
            return None
        return DevelopmentStepDefinition.from_spec(BY_SEQUENCE[self.last_sequence + 1])

    @strawberry.field(description="Stage (1–5) the case is in: that of the next step, or the last one.")
    def current_stage(self) -> int:
        sequence = min(self.last_sequence + (1 if self.status == CaseStatusEnum.OPEN else 0), LAST_SEQUENCE)
        return BY_SEQUENCE[max(sequence, 1)].stage

    @strawberry.field(description="Chinese label of the current stage.")
    def current_stage_label(self) -> str:
        return STAGES[self.current_stage()]

    @strawberry.field(description="Whether the next step is past its due date (today, China time).")
    def is_overdue(self) -> bool:
        return self.next_due_on is not None and self.next_due_on < today()

    @strawberry.field(description="The recorded steps and decisions, in the order they were recorded.")
    async def steps(self, info: Info) -> list[DevelopmentStep]:
        rows = await info.context.loaders.group_by(DevelopmentStepModel, "case_id", order_by=("id",)).load(
            self.id
        )
        return [DevelopmentStep.from_model(r, branch_path=self.branch_path) for r in rows]

    @field(permission=Permission.DEVELOPMENT_READ, description="The person being developed.")
    async def member(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import Member, member_loader

        return Member.from_row(await member_loader(info).load(self.member_id))

    @field(permission=Permission.DEVELOPMENT_READ, description="The branch developing the person.")
    async def branch(self, info: Info) -> OrganizationRef | None:
        from core.graphql.organizations.types import organization_by_id

        return await organization_by_id(info, self.branch_id)


DevelopmentCaseConnection = Connection[DevelopmentCase]


@strawberry.input(description="Filters for the development case list.")
class DevelopmentCaseFilter:
    subtree_of: strawberry.ID | None = None
    branch_id: strawberry.ID | None = None
    member_id: strawberry.ID | None = None
    statuses: list[CaseStatus] | None = strawberry.field(default=None, description="Default: OPEN only.")
    stages: list[int] | None = strawberry.field(default=None, description="Stage of the next step (1–5).")
    next_step_codes: list[str] | None = None
    due_before: dt.date | None = strawberry.field(
        default=None, description="Next step due on or before this date."
    )


@strawberry.input(description="Counts of a branch congress vote (应到/实到/发出/收回/同意).")
class VoteInput:
    entitled: int
    present: int
    issued: int
    returned: int
    yes: int


@strawberry.input(description="A new applicant, put on the branch roster as APPLICANT.")
class ApplicantInput:
    name: str
    birth_date: dt.date
    gender: str | None = strawberry.field(default=None, description="MALE or FEMALE.")
    ethnicity: str = ""
    education: str = ""
    phone: str = ""
    id_number: str | None = None


@strawberry.input
class StartDevelopmentCaseInput:
    branch_id: strawberry.ID
    applied_on: dt.date = strawberry.field(description="Date the application letter was handed in.")
    applicant: ApplicantInput | None = strawberry.field(default=None, description="A new person …")
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="… or an APPLICANT on the roster."
    )
    acted_by: str = ""
    notes: str = ""
    documents: list[str] | None = None


@strawberry.input
class RecordDevelopmentStepInput:
    case_id: strawberry.ID
    code: str = strawberry.field(description="The step's code; must be the next one.")
    done_on: dt.date
    acted_by: str = ""
    notes: str = ""
    documents: list[str] | None = None
    vote: VoteInput | None = strawberry.field(default=None, description="Required at branch congress steps.")
    training_days: Decimal | None = None
    training_hours: Decimal | None = None
    delay_reason: str = ""


@strawberry.input
class ExtendProbationInput:
    case_id: strawberry.ID
    months: int
    decided_on: dt.date
    reason: str
    vote: VoteInput | None = None
    acted_by: str = ""
    notes: str = ""


@strawberry.input
class CloseDevelopmentCaseInput:
    case_id: strawberry.ID
    closed_on: dt.date
    reason: str
    vote: VoteInput | None = strawberry.field(
        default=None, description="Required to disqualify a probationary member."
    )
    acted_by: str = ""


@strawberry.type
class DevelopmentCasePayload(MutationPayload):
    development_case: DevelopmentCase | None = None


@strawberry.type
class DevelopmentStepPayload(MutationPayload):
    step: DevelopmentStep | None = None
    development_case: DevelopmentCase | None = None


def step_definitions() -> list[DevelopmentStepDefinition]:
    return [DevelopmentStepDefinition.from_spec(spec) for spec in BY_CODE.values()]


def vote_of(value: VoteInput | None) -> Any:
    from core.lifecycle.development import Vote

    if value is None:
        return None
    return Vote(
        entitled=value.entitled,
        present=value.present,
        issued=value.issued,
        returned=value.returned,
        yes=value.yes,
    )


@strawberry.enum(description="Columns development cases can be sorted by (orderBy).")
class DevelopmentCaseOrderField(Enum):
    APPLIED_ON = "APPLIED_ON"
    STATUS = "STATUS"
    CREATED_AT = "CREATED_AT"


DEVELOPMENTCASE_ORDER_COLUMNS = {"APPLIED_ON": "applied_on", "STATUS": "status", "CREATED_AT": "created_at"}
DevelopmentCaseOrder = order_input(
    "DevelopmentCaseOrder",
    DevelopmentCaseOrderField,
    "Sort development cases by a column, ascending or descending.",
)
