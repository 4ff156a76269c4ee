"""GraphQL of the enterprise plugin: one standard (benchmark branches) and four demonstrations,
business-integration items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
from strawberry import relay

from core.graphql.core.connection import Connection, paginate
from core.graphql.core.context import Info
from core.graphql.core.fields import field, scoped
from core.graphql.core.mutations import MutationPayload, mutation
from core.graphql.core.nodes import ModelNode, decode_id
from core.graphql.organizations.types import Organization, organization_by_id
from core.graphql.plugins.helpers import branch_for
from core.models import Member as MemberModel
from core.permissions import Permission
from plugins.enterprise import models, services

PLUGIN = "enterprise"
BenchmarkStatus = strawberry.enum(models.BenchmarkStatus, description="标杆党支部创建状态。")
DemonstrationKind = strawberry.enum(models.DemonstrationKind, description="党员示范岗/田/店/区。")


async def _organization(root, info: Info) -> Organization | None:  # noqa: ANN001
    return await organization_by_id(info, root.organization_id)


class _OrgOwned(ModelNode):
    """Mixin: nodes owned by a branch (declare ``organization_id``/``path`` privates)."""

    @classmethod
    def from_row(cls, row):  # noqa: ANN001, ANN206
        return cls.from_model(row, path=row.organization.path)


@strawberry.type(description="一标准：标杆党支部创建。")
class BenchmarkBranch(_OrgOwned):
    model = models.BenchmarkBranch

    id: relay.NodeID[int]
    organization_id: strawberry.Private[int]
    path: strawberry.Private[str]
    organization: Organization | None = field(
        resolver=_organization, permission=Permission.ORG_READ, description="The branch."
    )
    year: int
    status: BenchmarkStatus
    designated_on: dt.date | None
    note: str

    @strawberry.field(description="Chinese label of the status.")
    def status_label(self) -> str:
        return models.BENCHMARK_LABELS[models.BenchmarkStatus(self.status)]


@strawberry.type(description="践诺党员：参加示范项目的党员及其承诺。")
class DemonstrationParticipant:
    member_id: relay.GlobalID
    name: str
    pledge: str
    pledge_fulfilled: bool | None


@strawberry.type(description="四示范：党员示范岗、示范田、示范店、示范区。")
class Demonstration(_OrgOwned):
    model = models.Demonstration

    id: relay.NodeID[int]
    organization_id: strawberry.Private[int]
    path: strawberry.Private[str]
    organization: Organization | None = field(
        resolver=_organization, permission=Permission.ORG_READ, description="The branch."
    )
    kind: DemonstrationKind
    name: str
    year: int
    commitment: str = strawberry.field(description="示范承诺")
    business_goal: str = strawberry.field(description="对应的业务目标")
    established_on: dt.date | None
    closed_on: dt.date | None

    @strawberry.field(description="Chinese label of the kind.")
    def kind_label(self) -> str:
        return models.DEMONSTRATION_LABELS[models.DemonstrationKind(self.kind)]

    @strawberry.field(description="Members taking part, with their pledges.")
    async def participants(self, info: Info) -> list[DemonstrationParticipant]:
        rows = await info.context.loaders.group_by(models.DemonstrationMember, "demonstration_id").load(
            self.id
        )
        members = await info.context.loaders.by_id(MemberModel).load_many([r.member_id for r in rows])
        return [
            DemonstrationParticipant(
                member_id=relay.GlobalID("Member", str(r.member_id)),
                name=m.name if m is not None else "",
                pledge=r.pledge,
                pledge_fulfilled=r.pledge_fulfilled,
            )
            for r, m in zip(rows, members, strict=True)
        ]


@strawberry.type(description="党建+业务项目：与业务成果挂钩的党建工作。")
class IntegrationItem(_OrgOwned):
    model = models.IntegrationItem

    id: relay.NodeID[int]
    organization_id: strawberry.Private[int]
    path: strawberry.Private[str]
    organization: Organization | None = field(
        resolver=_organization, permission=Permission.ORG_READ, description="The branch."
    )
    year: int
    title: str
    business_metric: str
    unit: str
    target_value: Decimal
    actual_value: Decimal | None
    tied_to_performance_pay: bool = strawberry.field(description="与绩效薪酬挂钩")

    @strawberry.field(description="actual / target (null until a result is recorded).")
    def attainment(self) -> float | None:
        if self.actual_value is None:
            return None
        return round(float(self.actual_value / self.target_value), 4)


@strawberry.input
class BenchmarkInput:
    organization_id: strawberry.ID
    year: int
    status: BenchmarkStatus
    note: str = ""
    designated_on: dt.date | None = None


@strawberry.input
class CreateDemonstrationInput:
    organization_id: strawberry.ID
    kind: DemonstrationKind
    name: str
    year: int
    commitment: str = ""
    business_goal: str = ""
    established_on: dt.date | None = None


@strawberry.input
class AddParticipantInput:
    demonstration_id: strawberry.ID
    member_id: strawberry.ID
    pledge: str


@strawberry.input
class IntegrationItemInput:
    organization_id: strawberry.ID
    year: int
    title: str
    business_metric: str
    target_value: Decimal
    unit: str = ""
    tied_to_performance_pay: bool = False


@strawberry.input
class IntegrationResultInput:
    id: strawberry.ID
    actual_value: Decimal


@strawberry.type
class BenchmarkPayload(MutationPayload):
    benchmark: BenchmarkBranch | None = None


@strawberry.type
class DemonstrationPayload(MutationPayload):
    demonstration: Demonstration | None = None


@strawberry.type
class IntegrationItemPayload(MutationPayload):
    item: IntegrationItem | None = None


@strawberry.type
class Query:
    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="标杆党支部创建（按年度）。")
    async def benchmark_branches(self, info: Info, year: int) -> list[BenchmarkBranch]:
        query = scoped(info, models.BenchmarkBranch.filter(year=year), "organization__path")
        rows = await query.select_related("organization").order_by("organization__path")
        return [BenchmarkBranch.from_row(r) for r in rows]

    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="党员示范岗/田/店/区。")
    async def demonstrations(
        self,
        info: Info,
        year: int | None = None,
        kind: DemonstrationKind | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Demonstration]:
        query = scoped(info, models.Demonstration.all(), "organization__path").select_related("organization")
        if year is not None:
            query = query.filter(year=year)
        if kind is not None:
            query = query.filter(kind=kind)
        return await paginate(
            query.order_by("organization__path", "kind", "id"),
            Demonstration.from_row,
            first=first,
            after=after,
        )

    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="党建+业务项目。")
    async def integration_items(
        self, info: Info, year: int, first: int | None = None, after: str | None = None
    ) -> Connection[IntegrationItem]:
        query = scoped(info, models.IntegrationItem.filter(year=year), "organization__path")
        return await paginate(
            query.select_related("organization").order_by("organization__path", "id"),
            IntegrationItem.from_row,
            first=first,
            after=after,
        )


@strawberry.type
class Mutation:
    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="申报、认定或撤销标杆党支部。")
    async def set_benchmark_branch(self, info: Info, input: BenchmarkInput) -> BenchmarkPayload:
        branch = await branch_for(input.organization_id, write=True)
        row = await services.set_benchmark(
            branch, input.year, models.BenchmarkStatus(input.status), input.note, input.designated_on
        )
        return {"benchmark": BenchmarkBranch.from_model(row, path=branch.path)}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="登记党员示范岗/田/店/区。")
    async def create_demonstration(self, info: Info, input: CreateDemonstrationInput) -> DemonstrationPayload:
        branch = await branch_for(input.organization_id, write=True)
        row = await services.create_demonstration(
            branch,
            kind=models.DemonstrationKind(input.kind),
            name=input.name,
            year=input.year,
            commitment=input.commitment,
            business_goal=input.business_goal,
            established_on=input.established_on,
        )
        return {"demonstration": Demonstration.from_model(row, path=branch.path)}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="党员加入示范项目并作出承诺。")
    async def add_demonstration_participant(
        self, info: Info, input: AddParticipantInput
    ) -> DemonstrationPayload:
        demo = await services.get_demonstration(
            decode_id(input.demonstration_id, "Demonstration", field="demonstrationId")
        )
        await services.add_participant(
            demo, decode_id(input.member_id, "Member", field="memberId"), input.pledge
        )
        return {"demonstration": Demonstration.from_row(demo)}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="登记党建+业务项目。")
    async def record_integration_item(
        self, info: Info, input: IntegrationItemInput
    ) -> IntegrationItemPayload:
        branch = await branch_for(input.organization_id, write=True)
        row = await services.record_item(
            branch,
            year=input.year,
            title=input.title,
            business_metric=input.business_metric,
            unit=input.unit,
            target_value=input.target_value,
            tied_to_performance_pay=input.tied_to_performance_pay,
        )
        return {"item": IntegrationItem.from_model(row, path=branch.path)}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="登记党建+业务项目的业务完成值。")
    async def record_integration_result(
        self, info: Info, input: IntegrationResultInput
    ) -> IntegrationItemPayload:
        row = await services.record_result(decode_id(input.id, "IntegrationItem"), input.actual_value)
        return {"item": IntegrationItem.from_row(row)}
