"""Models of the ``core`` app (tortoise app label ``core``)."""

from core.models.activity import Activity, Attendance, AttendanceStatus
from core.models.audit import AuditRecord
from core.models.committee import CommitteeRole, CommitteeSeat, CommitteeTerm, SeatSource
from core.models.member import (
    Gender,
    Member,
    MemberCategory,
    MemberCategoryAssignment,
    MemberStatus,
)
from core.models.organization import Organization, OrganizationKind
from core.models.tenant import Tenant, TenantConfigVersion, TenantDomain

__all__ = [
    "Activity",
    "Attendance",
    "AttendanceStatus",
    "AuditRecord",
    "CommitteeRole",
    "CommitteeSeat",
    "CommitteeTerm",
    "Gender",
    "Member",
    "MemberCategory",
    "MemberCategoryAssignment",
    "MemberStatus",
    "Organization",
    "OrganizationKind",
    "SeatSource",
    "Tenant",
    "TenantConfigVersion",
    "TenantDomain",
]
