"""GraphQL of the foreign-affairs office plugin: 两专六有 venue, 五个一 progress, party groups led by
section chiefs, linked mass organizations (党建带群建)."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from core.graphql.core.context import Info
from core.graphql.core.fields import field, scoped
from core.graphql.core.mutations import MutationPayload, mutation
from core.graphql.core.nodes import ModelNode
from core.graphql.organizations.types import Organization
from core.graphql.plugins.helpers import branch_for
from core.models import Organization as OrganizationModel
from core.permissions import Permission
from core.tenant_config import effective_config
from plugins.foreign_affairs import models, services
from plugins.foreign_affairs.venue import GROUP_LABELS, VENUE_ITEMS

PLUGIN = "foreign_affairs"
MassOrganizationKind = strawberry.enum(models.MassOrganizationKind, description="工会、妇女小组、团支部。")


@strawberry.type(description="两专六有中的一项及是否具备。")
class VenueItemState:
    code: str
    label: str
    group: str
    group_label: str
    present: bool


@strawberry.type(description="一个支部的阵地建设（两专六有）。")
class VenueChecklist(ModelNode):
    model = models.VenueChecklist

    id: relay.NodeID[int]
    checked_on: dt.date
    note: str
    organization_id: strawberry.Private[int]
    path: strawberry.Private[str]
    present: strawberry.Private[frozenset[str]]

    @strawberry.field(description="The branch.")
    async def organization(self, info: Info) -> Organization | None:
        row = await info.context.loaders.by_id(OrganizationModel).load(self.organization_id)
        return Organization.from_model(row) if row is not None else None

    @strawberry.field(description="The eight items and whether each is present.")
    def items(self) -> list[VenueItemState]:
        return [
            VenueItemState(
                code=i.code,
                label=i.label,
                group=i.group,
                group_label=GROUP_LABELS[i.group],
                present=i.code in self.present,
            )
            for i in VENUE_ITEMS
        ]

    @strawberry.field(description="Dedicated rooms present (of 2).")
    def dedicated_met(self) -> int:
        return sum(1 for i in VENUE_ITEMS if i.group == "DEDICATED" and i.code in self.present)

    @strawberry.field(description="Equipment items present (of 6).")
    def equipped_met(self) -> int:
        return sum(1 for i in VENUE_ITEMS if i.group == "EQUIPPED" and i.code in self.present)

    @strawberry.field(description="All eight items present.")
    def complete(self) -> bool:
        return len(self.present) == len(VENUE_ITEMS)

    @classmethod
    def build(cls, row: models.VenueChecklist, path: str) -> VenueChecklist:
        present = frozenset(i.code for i in VENUE_ITEMS if getattr(row, i.code))
        return cls.from_model(row, path=path, present=present)


@strawberry.type(description="党建带群建：支部联系的工会、妇女小组、团支部。")
class MassOrganization(ModelNode):
    model = models.MassOrganization

    id: relay.NodeID[int]
    kind: MassOrganizationKind
    name: str
    head_name: str
    member_count: int
    established_on: dt.date | None
    path: strawberry.Private[str]

    @strawberry.field(description="Chinese label of the kind.")
    def kind_label(self) -> str:
        return models.MASS_LABELS[models.MassOrganizationKind(self.kind)]


@strawberry.type(description="一个支部的党建带群建情况。")
class MassWork:
    organization: Organization
    organizations: list[MassOrganization]
    missing: list[MassOrganizationKind] = strawberry.field(description="Required kinds not yet set up.")


@strawberry.type(description="一个党小组及其组长的职级。")
class GroupLeadership:
    group: Organization
    leader_name: str | None
    leader_rank: str | None
    led_by_section_chief: bool


@strawberry.type(description="党小组由正科级领导干部任组长的情况。")
class PartyGroupLeadership:
    organization: Organization
    groups: list[GroupLeadership]
    expected_groups: int
    led_by_section_chief: int
    ok: bool = strawberry.field(description="Expected number of groups, all led by section chiefs.")


@strawberry.type(description="五个一中的一项在所在周期内的完成情况。")
class FiveOnesItem:
    kind: str
    label: str
    period: str
    expected: int
    held: int
    met: bool


@strawberry.input
class VenueInput:
    organization_id: strawberry.ID
    present: list[str] = strawberry.field(description="Codes of the items present (activity_room …).")
    checked_on: dt.date
    note: str = ""


@strawberry.input
class MassOrganizationInput:
    organization_id: strawberry.ID
    kind: MassOrganizationKind
    name: str
    head_name: str = ""
    member_count: int = 0
    established_on: dt.date | None = None


@strawberry.type
class VenuePayload(MutationPayload):
    venue: VenueChecklist | None = None


@strawberry.type
class MassOrganizationPayload(MutationPayload):
    mass_organization: MassOrganization | None = None


@strawberry.type
class Query:
    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="各支部阵地建设（两专六有）。")
    async def venue_checklists(self, info: Info) -> list[VenueChecklist]:
        query = scoped(info, models.VenueChecklist.all(), "organization__path").select_related("organization")
        return [
            VenueChecklist.build(r, r.organization.path) for r in await query.order_by("organization__path")
        ]

    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="一个支部的党建带群建情况。")
    async def mass_work(self, info: Info, organization_id: strawberry.ID) -> MassWork:
        branch = await branch_for(organization_id, info=info, read=Permission.ORG_READ)
        required = effective_config(await info.context.tenant())[PLUGIN]["required_mass_organizations"]
        rows = await models.MassOrganization.filter(organization_id=branch.id, dissolved_on__isnull=True)
        have = {str(r.kind) for r in rows}
        return MassWork(
            organization=Organization.from_model(branch),
            organizations=[MassOrganization.from_model(r, path=branch.path) for r in rows],
            missing=[models.MassOrganizationKind(k) for k in required if k not in have],
        )

    @field(
        permission=Permission.ORG_READ,
        plugin=PLUGIN,
        description="党小组组长是否由正科级领导干部担任（职级见 foreign_affairs.group_leader_ranks）。",
    )
    async def party_group_leadership(
        self, info: Info, organization_id: strawberry.ID
    ) -> PartyGroupLeadership:
        branch = await branch_for(organization_id, info=info, read=Permission.ORG_READ)
        config = effective_config(await info.context.tenant())[PLUGIN]
        ranks = set(config["group_leader_ranks"])
        groups = []
        for group, leader in await services.group_leaders(branch):
            rank = (leader.extra or {}).get("rank") if leader is not None else None
            groups.append(
                GroupLeadership(
                    group=Organization.from_model(group),
                    leader_name=leader.name if leader is not None else None,
                    leader_rank=rank,
                    led_by_section_chief=rank in ranks,
                )
            )
        led = sum(1 for g in groups if g.led_by_section_chief)
        expected = config["expected_party_groups"]
        return PartyGroupLeadership(
            organization=Organization.from_model(branch),
            groups=groups,
            expected_groups=expected,
            led_by_section_chief=led,
            ok=len(groups) >= expected and led == len(groups),
        )

    @field(
        permission=Permission.ACTIVITY_READ,
        plugin=PLUGIN,
        description="本月的五个一活动（每月一理论讲习、每月一升旗仪式、每周一文体活动）"
        "及本月重要节点的爱国主义主题教育的完成情况。",
    )
    async def five_ones_progress(
        self, info: Info, organization_id: strawberry.ID, year: int, month: int
    ) -> list[FiveOnesItem]:
        branch = await branch_for(organization_id, info=info, read=Permission.ACTIVITY_READ)
        progress = await services.five_ones_progress(
            branch,
            year,
            month,
            await info.context.vocabulary(),
            effective_config(await info.context.tenant()),
        )
        return [
            FiveOnesItem(
                kind=i.kind, label=i.label, period=i.period, expected=i.expected, held=i.held, met=i.met
            )
            for i in progress
        ]


@strawberry.type
class Mutation:
    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="登记支部阵地建设（两专六有）。")
    async def record_venue_checklist(self, info: Info, input: VenueInput) -> VenuePayload:
        branch = await branch_for(input.organization_id, write=True)
        row = await services.record_venue(branch, input.present, input.checked_on, input.note)
        return {"venue": VenueChecklist.build(row, branch.path)}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="登记支部联系的群团组织。")
    async def register_mass_organization(
        self, info: Info, input: MassOrganizationInput
    ) -> MassOrganizationPayload:
        branch = await branch_for(input.organization_id, write=True)
        row = await services.register_mass_organization(
            branch,
            kind=models.MassOrganizationKind(input.kind),
            name=input.name,
            head_name=input.head_name,
            member_count=input.member_count,
            established_on=input.established_on,
        )
        return {"mass_organization": MassOrganization.from_model(row, path=branch.path)}
