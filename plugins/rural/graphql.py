"""GraphQL of the rural plugin: grids, first secretaries, the village two committees."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from core.graphql.core.connection import Connection, paginate
from core.graphql.core.context import Info
from core.graphql.core.fields import field, scoped
from core.graphql.core.mutations import MutationPayload, mutation
from core.graphql.core.nodes import ModelNode, decode_id
from core.graphql.organizations.types import Organization, organization_by_id
from core.graphql.plugins.helpers import organization_for
from core.permissions import Permission
from core.tenant_config import effective_config
from plugins.rural import models, services

PLUGIN = "rural"
CommitteeBody = strawberry.enum(models.CommitteeBody, description="村两委中的任职机构。")
VILLAGE_KINDS = {"BRANCH", "GENERAL_BRANCH", "PARTY_COMMITTEE"}


@strawberry.type(description="网格党小组：建在自然村的党小组。")
class RuralGrid(ModelNode):
    model = models.Grid

    id: relay.NodeID[int]
    natural_village: str = strawberry.field(description="自然村")
    households: int = strawberry.field(description="农户数")
    activity_site: str = strawberry.field(description="党员活动阵地（如设在农户家）")
    organization_id: strawberry.Private[int]
    path: strawberry.Private[str]

    @field(permission=Permission.ORG_READ, description="The party group organization.")
    async def organization(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.organization_id)

    @classmethod
    def from_row(cls, row: models.Grid) -> RuralGrid:
        return cls.from_model(row, path=row.organization.path)


@strawberry.type(description="第一书记：机关派驻到村的第一书记及其任期。")
class FirstSecretary(ModelNode):
    model = models.FirstSecretary

    id: relay.NodeID[int]
    name: str
    dispatching_agency: str = strawberry.field(description="派出单位")
    agency_level: str = strawberry.field(description="派出单位层级（省/市/县/乡）")
    starts_on: dt.date
    ends_on: dt.date
    recalled_on: dt.date | None
    organization_id: strawberry.Private[int]
    path: strawberry.Private[str]

    @strawberry.field(description="Whether the term is running on the given day (default today).")
    def serving(self, on: dt.date | None = None) -> bool:
        day = on or dt.date.today()
        ended = self.recalled_on is not None and self.recalled_on <= day
        return self.starts_on <= day <= self.ends_on and not ended

    @field(permission=Permission.ORG_READ, description="The village organization served.")
    async def organization(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.organization_id)

    @classmethod
    def from_row(cls, row: models.FirstSecretary) -> FirstSecretary:
        return cls.from_model(row, path=row.organization.path)


@strawberry.type(description="村两委成员：年龄与来源（致富能手、回归能人）。")
class VillageCadre(ModelNode):
    model = models.VillageCadre

    id: relay.NodeID[int]
    name: str
    body: CommitteeBody
    post: str
    birth_date: dt.date
    education: str
    capable_local: bool = strawberry.field(description="致富能手/致富带头人")
    returned_talent: bool = strawberry.field(description="回归能人")
    started_on: dt.date | None
    left_on: dt.date | None
    path: strawberry.Private[str]

    @strawberry.field(description="Age in full years on the given day (default today).")
    def age(self, on: dt.date | None = None) -> int:
        day = on or dt.date.today()
        return (
            day.year
            - self.birth_date.year
            - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        )

    @classmethod
    def from_row(cls, row: models.VillageCadre) -> VillageCadre:
        return cls.from_model(row, path=row.organization.path)


@strawberry.type(description="一个村的两委班子：在任成员与结构占比（SQL 汇总）。")
class VillageCommittee:
    organization: Organization
    cadres: list[VillageCadre]
    total: int
    young_age: int = strawberry.field(description="“年轻干部”年龄线（配置 rural.young_cadre_age）")
    under_age: int = strawberry.field(description="低于年龄线的人数")
    under_age_share: float
    capable_locals: int
    capable_local_share: float
    returned_talents: int


RuralGridConnection = Connection[RuralGrid]
FirstSecretaryConnection = Connection[FirstSecretary]


@strawberry.input
class RegisterGridInput:
    organization_id: strawberry.ID = strawberry.field(description="The party group (党小组).")
    natural_village: str
    households: int = 0
    activity_site: str = ""


@strawberry.input
class AppointFirstSecretaryInput:
    organization_id: strawberry.ID = strawberry.field(description="The village organization.")
    name: str
    dispatching_agency: str
    starts_on: dt.date
    ends_on: dt.date | None = strawberry.field(
        default=None, description="Default: starts_on + rural.first_secretary_term_years."
    )
    agency_level: str = ""
    phone: str = ""


@strawberry.input
class EndInput:
    id: strawberry.ID
    on: dt.date


@strawberry.input
class AddVillageCadreInput:
    organization_id: strawberry.ID
    name: str
    body: CommitteeBody
    post: str
    birth_date: dt.date
    education: str = ""
    capable_local: bool = False
    returned_talent: bool = False
    started_on: dt.date | None = None
    member_id: strawberry.ID | None = None


@strawberry.type
class RuralGridPayload(MutationPayload):
    grid: RuralGrid | None = None


@strawberry.type
class FirstSecretaryPayload(MutationPayload):
    first_secretary: FirstSecretary | None = None


@strawberry.type
class VillageCadrePayload(MutationPayload):
    cadre: VillageCadre | None = None


@strawberry.type
class Query:
    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="网格党小组（自然村）。")
    async def rural_grids(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> RuralGridConnection:
        query = scoped(info, models.Grid.all(), "organization__path").select_related("organization")
        return await paginate(
            query.order_by("organization__path"), RuralGrid.from_row, first=first, after=after
        )

    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="第一书记（默认仅在任）。")
    async def first_secretaries(
        self,
        info: Info,
        serving_on: dt.date | None = None,
        include_past: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> FirstSecretaryConnection:
        query = scoped(info, models.FirstSecretary.all(), "organization__path").select_related("organization")
        if not include_past:
            day = serving_on or dt.date.today()
            query = query.filter(
                Q(recalled_on__isnull=True) | Q(recalled_on__gt=day), starts_on__lte=day, ends_on__gte=day
            )
        return await paginate(
            query.order_by("organization__path", "starts_on"),
            FirstSecretary.from_row,
            first=first,
            after=after,
        )

    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="一个村的两委班子及结构占比。")
    async def village_committee(
        self, info: Info, organization_id: strawberry.ID, on: dt.date | None = None
    ) -> VillageCommittee:
        org = await organization_for(
            organization_id, kinds=VILLAGE_KINDS, info=info, read=Permission.ORG_READ
        )
        day = on or dt.date.today()
        young_age = effective_config(await info.context.tenant())[PLUGIN]["young_cadre_age"]
        shares = (await services.committee_shares([org.id], day, young_age))[org.id]
        rows = await models.VillageCadre.filter(organization_id=org.id, left_on__isnull=True).order_by("id")
        return VillageCommittee(
            organization=Organization.from_model(org),
            cadres=[VillageCadre.from_model(r, path=org.path) for r in rows],
            total=shares.total,
            young_age=young_age,
            under_age=shares.under_age,
            under_age_share=shares.share(shares.under_age),
            capable_locals=shares.capable_locals,
            capable_local_share=shares.share(shares.capable_locals),
            returned_talents=shares.returned_talents,
        )


@strawberry.type
class Mutation:
    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="登记网格党小组（自然村）。")
    async def register_rural_grid(self, info: Info, input: RegisterGridInput) -> RuralGridPayload:
        group = await organization_for(input.organization_id, write=True)
        grid = await services.register_grid(
            group,
            natural_village=input.natural_village,
            households=input.households,
            activity_site=input.activity_site,
        )
        return {"grid": RuralGrid.from_model(grid, path=group.path)}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="登记第一书记。")
    async def appoint_first_secretary(
        self, info: Info, input: AppointFirstSecretaryInput
    ) -> FirstSecretaryPayload:
        village = await organization_for(input.organization_id, kinds=VILLAGE_KINDS, write=True)
        row = await services.appoint_first_secretary(
            village,
            name=input.name,
            dispatching_agency=input.dispatching_agency,
            agency_level=input.agency_level,
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            phone=input.phone,
        )
        return {"first_secretary": FirstSecretary.from_model(row, path=village.path)}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="第一书记离任。")
    async def recall_first_secretary(self, info: Info, input: EndInput) -> FirstSecretaryPayload:
        row = await services.recall_first_secretary(decode_id(input.id, "FirstSecretary"), input.on)
        return {"first_secretary": FirstSecretary.from_row(row)}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="登记村两委成员。")
    async def add_village_cadre(self, info: Info, input: AddVillageCadreInput) -> VillageCadrePayload:
        village = await organization_for(input.organization_id, kinds=VILLAGE_KINDS, write=True)
        row = await services.add_village_cadre(
            village,
            name=input.name,
            body=models.CommitteeBody(input.body),
            post=input.post,
            birth_date=input.birth_date,
            education=input.education,
            capable_local=input.capable_local,
            returned_talent=input.returned_talent,
            started_on=input.started_on,
            member_id=decode_id(input.member_id, "Member", field="memberId") if input.member_id else None,
        )
        return {"cadre": VillageCadre.from_model(row, path=village.path)}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="村两委成员离任。")
    async def end_village_cadre(self, info: Info, input: EndInput) -> VillageCadrePayload:
        row = await services.end_village_cadre(decode_id(input.id, "VillageCadre"), input.on)
        return {"cadre": VillageCadre.from_row(row)}
