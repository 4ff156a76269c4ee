"""GraphQL of the newspaper plugin: the 21-item checklist, overseas bureaus, emergency teams with
temporary branches, joint-branch coverage, members' social media accounts."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from core.graphql.core.connection import Connection, paginate
from core.graphql.core.context import Info
from core.graphql.core.fields import field, scoped
from core.graphql.core.mutations import MutationPayload, mutation
from core.graphql.core.nodes import ModelNode, decode_id
from core.graphql.organizations.types import Organization, organization_by_id
from core.graphql.plugins.helpers import branch_for, member_for, organization_for
from core.models import Member as MemberModel
from core.models import Organization as OrganizationModel
from core.permissions import Permission
from core.tenant_config import effective_config
from plugins.newspaper import checklist, models, services

PLUGIN = "newspaper"
ItemStatus = strawberry.enum(models.ItemStatus, description="检查项达标情况。")


@strawberry.type(description="21 项中的一项。")
class ChecklistItem:
    code: str
    number: int
    area: str
    area_label: str
    label: str
    requirement: str


@strawberry.type(description="6 个方面之一及其检查项。")
class ChecklistArea:
    code: str
    label: str
    focus: str
    items: list[ChecklistItem]


def _item(item: checklist.ChecklistItem) -> ChecklistItem:
    return ChecklistItem(
        code=item.code,
        number=item.number,
        area=item.area,
        area_label=checklist.AREAS_BY_CODE[item.area].label,
        label=item.label,
        requirement=item.requirement,
    )


@strawberry.type(description="一个支部在一项上的达标情况。")
class ChecklistEntry:
    item: ChecklistItem
    status: ItemStatus | None = strawberry.field(description="null: not assessed yet.")
    evidence: str
    assessed_on: dt.date | None


@strawberry.type(description="一个支部一年的 21 项对标情况。")
class BranchChecklist:
    organization: Organization
    year: int
    entries: list[ChecklistEntry]
    met: int
    partial: int
    not_met: int
    not_assessed: int


@strawberry.type(description="海外分社（记者站）党支部：党员由驻在国使馆党组织管理。")
class OverseasBureau(ModelNode):
    model = models.OverseasBureau

    id: relay.NodeID[int]
    bureau_name: str
    country: str
    city: str
    embassy_party_organization: str = strawberry.field(description="管理党员的使馆党组织")
    organization_id: strawberry.Private[int]
    path: strawberry.Private[str]
    abroad_members: int = strawberry.field(description="出国（境）类别的在册党员数")

    @field(permission=Permission.ORG_READ, description="The bureau's branch.")
    async def organization(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.organization_id)


@strawberry.type(description="应急报道队及其临时党支部（机构撤销时一并撤销）。")
class EmergencyTeam(ModelNode):
    model = models.EmergencyTeam

    id: relay.NodeID[int]
    name: str
    event: str
    approved_by: str
    approved_on: dt.date
    dissolved_on: dt.date | None
    temporary_branch_id: strawberry.Private[int | None]
    path: strawberry.Private[str | None]

    @field(permission=Permission.ORG_READ, description="The temporary branch.")
    async def temporary_branch(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.temporary_branch_id)


@strawberry.type(description="联合党支部覆盖部门情况（不超过配置的上限）。")
class JointBranchCoverage:
    organization: Organization
    covered_units: list[str]
    limit: int
    within_limit: bool


@strawberry.type(description="党员登记的个人社交媒体账号。")
class SocialMediaAccount(ModelNode):
    model = models.SocialMediaAccount

    id: relay.NodeID[int]
    platform: str
    handle: str
    registered_on: dt.date
    closed_on: dt.date | None
    member_id: strawberry.Private[int]
    path: strawberry.Private[str]

    @strawberry.field(description="The member's name.")
    async def member_name(self, info: Info) -> str:
        row = await info.context.loaders.by_id(MemberModel).load(self.member_id)
        return row.name if row is not None else ""

    @strawberry.field(description="The member's global ID.")
    def member_id_global(self) -> relay.GlobalID:
        return relay.GlobalID("Member", str(self.member_id))

    @classmethod
    def from_row(cls, row: models.SocialMediaAccount) -> SocialMediaAccount:
        return cls.from_model(row, path=row.member.branch.path)


@strawberry.input
class AssessItemInput:
    organization_id: strawberry.ID
    year: int
    item_code: str = strawberry.field(description="N01 … N21")
    status: ItemStatus
    evidence: str = ""


@strawberry.input
class OverseasBureauInput:
    organization_id: strawberry.ID
    bureau_name: str
    country: str
    embassy_party_organization: str
    city: str = ""


@strawberry.input
class CreateEmergencyTeamInput:
    parent_id: strawberry.ID = strawberry.field(description="Organization the temporary branch sits under.")
    name: str
    event: str
    approved_on: dt.date
    approved_by: str = "编委会"


@strawberry.input
class CloseInput:
    id: strawberry.ID
    on: dt.date


@strawberry.input
class RegisterAccountInput:
    member_id: strawberry.ID
    platform: str
    handle: str
    registered_on: dt.date


@strawberry.type
class ChecklistPayload(MutationPayload):
    checklist: BranchChecklist | None = None


@strawberry.type
class OverseasBureauPayload(MutationPayload):
    bureau: OverseasBureau | None = None


@strawberry.type
class EmergencyTeamPayload(MutationPayload):
    team: EmergencyTeam | None = None


@strawberry.type
class SocialMediaAccountPayload(MutationPayload):
    account: SocialMediaAccount | None = None


async def _branch_checklist(org: OrganizationModel, year: int) -> BranchChecklist:
    rows = {
        r.item_code: r for r in await models.ChecklistAssessment.filter(organization_id=org.id, year=year)
    }
    entries = [
        ChecklistEntry(
            item=_item(item),
            status=rows[item.code].status if item.code in rows else None,
            evidence=rows[item.code].evidence if item.code in rows else "",
            assessed_on=rows[item.code].assessed_on if item.code in rows else None,
        )
        for item in checklist.ITEMS
    ]
    counts = {s: sum(1 for e in entries if e.status == s) for s in models.ItemStatus}
    return BranchChecklist(
        organization=Organization.from_model(org),
        year=year,
        entries=entries,
        met=counts[models.ItemStatus.MET],
        partial=counts[models.ItemStatus.PARTIAL],
        not_met=counts[models.ItemStatus.NOT_MET],
        not_assessed=sum(1 for e in entries if e.status is None),
    )


def _team(row: models.EmergencyTeam, path: str | None) -> EmergencyTeam:
    return EmergencyTeam.from_model(row, path=path)


@strawberry.type
class Query:
    @field(permission=Permission.TENANT_READ, plugin=PLUGIN, description="报社支部建设 6 个方面 21 项。")
    async def newspaper_checklist_areas(self, info: Info) -> list[ChecklistArea]:
        return [
            ChecklistArea(
                code=a.code,
                label=a.label,
                focus=a.focus,
                items=[_item(i) for i in checklist.ITEMS if i.area == a.code],
            )
            for a in checklist.AREAS
        ]

    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="一个支部一年的 21 项对标情况。")
    async def newspaper_checklist(
        self, info: Info, organization_id: strawberry.ID, year: int
    ) -> BranchChecklist:
        org = await branch_for(organization_id, info=info, read=Permission.ORG_READ)
        return await _branch_checklist(org, year)

    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="海外分社（记者站）党支部。")
    async def overseas_bureaus(self, info: Info) -> list[OverseasBureau]:
        query = scoped(info, models.OverseasBureau.all(), "organization__path").select_related("organization")
        rows = await query.order_by("organization__path")
        counts = await services.abroad_member_counts([r.organization_id for r in rows])
        return [
            OverseasBureau.from_model(r, path=r.organization.path, abroad_members=counts[r.organization_id])
            for r in rows
        ]

    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="应急报道队（默认仅未撤销）。")
    async def emergency_teams(self, info: Info, include_dissolved: bool = False) -> list[EmergencyTeam]:
        query = scoped(info, models.EmergencyTeam.all(), "temporary_branch__path").select_related(
            "temporary_branch"
        )
        if not include_dissolved:
            query = query.filter(dissolved_on__isnull=True)
        rows = await query.order_by("-approved_on", "id")
        return [_team(r, r.temporary_branch.path if r.temporary_branch else None) for r in rows]

    @field(permission=Permission.ORG_READ, plugin=PLUGIN, description="联合党支部覆盖部门（上限见配置）。")
    async def joint_branch_coverage(self, info: Info) -> list[JointBranchCoverage]:
        limit = effective_config(await info.context.tenant())[PLUGIN]["joint_branch_max_departments"]
        query = scoped(info, OrganizationModel.filter(kind="JOINT_BRANCH", dissolved_on__isnull=True), "path")
        return [
            JointBranchCoverage(
                organization=Organization.from_model(o),
                covered_units=list(o.covered_units or []),
                limit=limit,
                within_limit=len(o.covered_units or []) <= limit,
            )
            for o in await query.order_by("path")
        ]

    @field(permission=Permission.MEMBER_READ, plugin=PLUGIN, description="党员个人社交媒体账号登记。")
    async def social_media_accounts(
        self,
        info: Info,
        member_id: strawberry.ID | None = None,
        include_closed: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SocialMediaAccount]:
        query = scoped(info, models.SocialMediaAccount.all(), "member__branch__path")
        if member_id is not None:
            query = query.filter(member_id=decode_id(member_id, "Member", field="memberId"))
        if not include_closed:
            query = query.filter(closed_on__isnull=True)
        return await paginate(
            query.select_related("member__branch").order_by("member_id", "platform", "id"),
            SocialMediaAccount.from_row,
            first=first,
            after=after,
        )


@strawberry.type
class Mutation:
    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="登记一个支部在一项上的对标情况。")
    async def assess_newspaper_checklist_item(self, info: Info, input: AssessItemInput) -> ChecklistPayload:
        branch = await branch_for(input.organization_id, write=True)
        await services.assess_item(
            branch,
            year=input.year,
            item_code=input.item_code,
            status=models.ItemStatus(input.status),
            evidence=input.evidence,
            by=info.context.principal.label,
        )
        return {"checklist": await _branch_checklist(branch, input.year)}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="标记海外分社（记者站）党支部。")
    async def mark_overseas_bureau(self, info: Info, input: OverseasBureauInput) -> OverseasBureauPayload:
        branch = await branch_for(input.organization_id, write=True)
        row = await services.mark_overseas_bureau(
            branch,
            bureau_name=input.bureau_name,
            country=input.country,
            city=input.city,
            embassy_party_organization=input.embassy_party_organization,
        )
        counts = await services.abroad_member_counts([branch.id])
        bureau = OverseasBureau.from_model(row, path=branch.path, abroad_members=counts[branch.id])
        return {"bureau": bureau}

    @mutation(permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="组建应急报道队并成立临时党支部。")
    async def create_emergency_team(
        self, info: Info, input: CreateEmergencyTeamInput
    ) -> EmergencyTeamPayload:
        parent = await organization_for(input.parent_id, field="parentId", write=True)
        team = await services.create_emergency_team(
            parent,
            name=input.name,
            event=input.event,
            approved_on=input.approved_on,
            approved_by=input.approved_by,
        )
        branch = await OrganizationModel.get(id=team.temporary_branch_id)
        return {"team": _team(team, branch.path)}

    @mutation(
        permission=Permission.ORG_MANAGE, plugin=PLUGIN, description="撤销应急报道队，其临时党支部随之撤销。"
    )
    async def dissolve_emergency_team(self, info: Info, input: CloseInput) -> EmergencyTeamPayload:
        team = await services.dissolve_emergency_team(decode_id(input.id, "EmergencyTeam"), input.on)
        branch = await OrganizationModel.get_or_none(id=team.temporary_branch_id or 0)
        return {"team": _team(team, branch.path if branch else None)}

    @mutation(permission=Permission.MEMBER_MANAGE, plugin=PLUGIN, description="登记党员个人社交媒体账号。")
    async def register_social_media_account(
        self, info: Info, input: RegisterAccountInput
    ) -> SocialMediaAccountPayload:
        member = await member_for(input.member_id, write=True)
        row = await services.register_account(
            member, platform=input.platform, handle=input.handle, registered_on=input.registered_on
        )
        return {"account": SocialMediaAccount.from_model(row, path=member.branch.path)}

    @mutation(permission=Permission.MEMBER_MANAGE, plugin=PLUGIN, description="注销已登记的社交媒体账号。")
    async def close_social_media_account(self, info: Info, input: CloseInput) -> SocialMediaAccountPayload:
        row = await services.close_account(decode_id(input.id, "SocialMediaAccount"), input.on)
        return {"account": SocialMediaAccount.from_row(row)}
