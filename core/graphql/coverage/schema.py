"""双覆盖: units under a committee and the coverage rates (组织覆盖率 / 工作覆盖率)."""

from __future__ import annotations

import strawberry

from core.error_codes import CoverageErrorCode
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, organization_argument
from core.graphql.core.mutations import MutationPayload, mutation
from core.graphql.core.nodes import decode_id, encode_id
from core.models import COVERED_UNIT_LABELS
from core.models import CoveredUnit as CoveredUnitModel
from core.models import CoveredUnitKind as CoveredUnitKindEnum
from core.permissions import Permission
from core.services import coverage as service

CoveredUnitKind = strawberry.enum(
    CoveredUnitKindEnum, description="NON_PUBLIC_ENTERPRISE 非公有制企业, SOCIAL_ORGANIZATION 社会组织."
)


@strawberry.type(description="A unit (non-public enterprise, social organization) a committee covers.")
class CoveredUnit:
    id: strawberry.ID
    name: str
    kind: CoveredUnitKind
    has_party_organization: bool = strawberry.field(
        description="组织覆盖: a party organization (linked or recorded as existing)."
    )
    has_party_work: bool = strawberry.field(description="工作覆盖 (also true when it has an organization).")
    party_organization_id: strawberry.ID | None

    @classmethod
    def from_row(cls, row: CoveredUnitModel) -> CoveredUnit:
        organized = row.party_organization_id is not None or row.has_party_organization
        return cls(
            id=strawberry.ID(encode_id("CoveredUnit", row.id)),
            name=row.name,
            kind=row.kind,
            has_party_organization=organized,
            has_party_work=organized or row.has_party_work,
            party_organization_id=(
                strawberry.ID(encode_id("Organization", row.party_organization_id))
                if row.party_organization_id
                else None
            ),
        )


@strawberry.type(description="Coverage of one kind of unit: 组织覆盖率 and 工作覆盖率.")
class CoverageRate:
    kind: CoveredUnitKind
    kind_label: str
    units: int
    organized: int = strawberry.field(description="Units with a party organization.")
    worked: int = strawberry.field(description="Units with a party organization or party work.")
    organization_rate: float | None = strawberry.field(
        description="组织覆盖率 organized / units; null without units."
    )
    work_rate: float | None = strawberry.field(description="工作覆盖率 worked / units; null without units.")


@strawberry.input
class RecordCoveredUnitInput:
    organization_id: strawberry.ID = strawberry.field(description="The responsible committee (党委/党总支).")
    name: str
    kind: CoveredUnitKind
    has_party_organization: bool = False
    party_organization_id: strawberry.ID | None = None
    has_party_work: bool = False


@strawberry.input
class UpdateCoveredUnitInput:
    id: strawberry.ID
    has_party_organization: bool | None = None
    party_organization_id: strawberry.ID | None = strawberry.UNSET
    has_party_work: bool | None = None


@strawberry.type
class CoveredUnitPayload(MutationPayload):
    covered_unit: CoveredUnit | None = None


@strawberry.type
class Query:
    @field(
        permission=Permission.ORG_READ,
        description="双覆盖 of the units under an organization's subtree, per kind (one SQL aggregate).",
    )
    async def coverage(self, info: Info, organization_id: strawberry.ID) -> list[CoverageRate]:
        org = await organization_argument(info, organization_id)
        return [
            CoverageRate(
                kind=CoveredUnitKindEnum(r.kind),
                kind_label=COVERED_UNIT_LABELS[r.kind],
                units=r.units,
                organized=r.organized,
                worked=r.worked,
                organization_rate=r.organization_rate,
                work_rate=r.work_rate,
            )
            for r in await service.coverage(org)
        ]


def _org_id(value: strawberry.ID | None) -> int | None:
    return decode_id(value, "Organization", field="partyOrganizationId") if value else None


@strawberry.type
class Mutation:
    @mutation(permission=Permission.ORG_MANAGE, description="Register a unit a committee covers (双覆盖).")
    async def record_covered_unit(self, info: Info, input: RecordCoveredUnitInput) -> CoveredUnitPayload:
        unit = await service.record_covered_unit(
            decode_id(input.organization_id, "Organization", field="organizationId"),
            name=input.name,
            kind=input.kind,
            has_party_organization=input.has_party_organization,
            party_organization_id=_org_id(input.party_organization_id),
            has_party_work=input.has_party_work,
        )
        return {"covered_unit": CoveredUnit.from_row(unit)}

    @mutation(
        permission=Permission.ORG_MANAGE, description="Update whether a unit has a party organization / work."
    )
    async def update_covered_unit(self, info: Info, input: UpdateCoveredUnitInput) -> CoveredUnitPayload:
        extra = {}
        if input.party_organization_id is not strawberry.UNSET:
            extra["party_organization_id"] = _org_id(input.party_organization_id)
        unit = await service.update_covered_unit(
            decode_id(input.id, "CoveredUnit"),
            has_party_organization=input.has_party_organization,
            has_party_work=input.has_party_work,
            **extra,
        )
        return {"covered_unit": CoveredUnit.from_row(unit)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(CoverageErrorCode),)
