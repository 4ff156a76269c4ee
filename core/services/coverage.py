"""双覆盖: the units under a committee and the two coverage rates (组织覆盖率 / 工作覆盖率).

Organization coverage: the unit has a party organization (linked, or recorded as existing outside
the platform); work coverage: it has a party organization or party work. The rates are one grouped
SQL aggregate over the units of the committees in a subtree.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import audit, sql
from core.error_codes import CoverageErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.models import CoveredUnit, CoveredUnitKind, Organization
from core.services.organizations import get_organization

#: Organizations that may be responsible for units (党委, incl. 综合党委, and 党总支).
COVERING_KINDS = frozenset({"PARTY_COMMITTEE", "GENERAL_BRANCH"})


async def _party_organization(committee: Organization, org_id: int | None) -> int | None:
    if org_id is None:
        return None
    org = await Organization.get_or_none(id=org_id)
    if org is None:
        raise NotFound("党组织", org_id, field="partyOrganizationId")
    if not org.path.startswith(committee.path):
        raise DomainError(
            CoverageErrorCode.COVERAGE_ORG_OUTSIDE,
            field="partyOrganizationId",
            name=org.name,
            committee_name=committee.name,
        )
    return org.id


async def record_covered_unit(
    committee_id: int,
    *,
    name: str,
    kind: CoveredUnitKind | str,
    has_party_organization: bool = False,
    party_organization_id: int | None = None,
    has_party_work: bool = False,
) -> CoveredUnit:
    committee = await get_organization(committee_id, for_write=True)
    if committee.kind not in COVERING_KINDS:
        raise DomainError(CoverageErrorCode.COVERAGE_NOT_A_COMMITTEE, field="organizationId")
    if not (name or "").strip():
        raise ValidationFailed("单位名称不能为空", field="name")
    if await CoveredUnit.filter(committee_id=committee.id, name=name.strip()).exists():
        raise DomainError(CoverageErrorCode.COVERED_UNIT_DUPLICATE, field="name", name=name.strip())
    unit = await CoveredUnit.create(
        committee_id=committee.id,
        name=name.strip(),
        kind=CoveredUnitKind(kind),
        has_party_organization=has_party_organization,
        party_organization_id=await _party_organization(committee, party_organization_id),
        has_party_work=has_party_work,
    )
    audit.created(unit)
    return unit


_UNSET = object()


async def update_covered_unit(
    unit_id: int,
    *,
    has_party_organization: bool | None = None,
    party_organization_id: int | None | object = _UNSET,
    has_party_work: bool | None = None,
) -> CoveredUnit:
    unit = await CoveredUnit.get_or_none(id=unit_id).select_related("committee")
    if unit is None:
        raise NotFound("单位", unit_id, field="id")
    require(unit.committee.path)
    before = audit.snapshot(unit)
    if has_party_organization is not None:
        unit.has_party_organization = has_party_organization
    if party_organization_id is not _UNSET:
        unit.party_organization_id = await _party_organization(unit.committee, party_organization_id)  # type: ignore[arg-type]
    if has_party_work is not None:
        unit.has_party_work = has_party_work
    await unit.save()
    audit.changed(unit, before)
    return unit


@dataclass(frozen=True)
class CoverageRow:
    kind: str
    units: int
    organized: int
    worked: int

    @property
    def organization_rate(self) -> float | None:
        return round(self.organized / self.units, 4) if self.units else None

    @property
    def work_rate(self) -> float | None:
        return round(self.worked / self.units, 4) if self.units else None


ORGANIZED = "(u.party_organization_id IS NOT NULL OR u.has_party_organization)"


async def coverage(scope: Organization) -> list[CoverageRow]:
    """Per unit kind (both kinds always listed): units, organized, worked — one grouped aggregate."""
    rows = await sql.fetch(
        "SELECT u.kind AS kind, COUNT(*) AS units, "
        f"SUM(CASE WHEN {ORGANIZED} THEN 1 ELSE 0 END) AS organized, "
        f"SUM(CASE WHEN {ORGANIZED} OR u.has_party_work THEN 1 ELSE 0 END) AS worked "
        "FROM covered_unit u JOIN organization o ON o.id = u.committee_id AND o.tenant_id = u.tenant_id "
        "WHERE u.tenant_id = :tenant_id AND o.path LIKE :prefix GROUP BY u.kind",
        prefix=scope.path + "%",
    )
    found = {r["kind"]: r for r in rows}
    return [
        CoverageRow(
            kind=kind.value,
            units=int(found[kind.value]["units"]) if kind.value in found else 0,
            organized=int(found[kind.value]["organized"] or 0) if kind.value in found else 0,
            worked=int(found[kind.value]["worked"] or 0) if kind.value in found else 0,
        )
        for kind in CoveredUnitKind
    ]
