"""Models of the ``core`` app (tortoise app label ``core``)."""

from core.models.activity import (
    TALK_TRIGGER_LABELS,
    Activity,
    Attendance,
    AttendanceStatus,
    TalkTrigger,
    TalkTriggerKind,
)
from core.models.audit import AuditRecord
from core.models.committee import CommitteeRole, CommitteeSeat, CommitteeTerm, SeatSource
from core.models.coverage import COVERED_UNIT_LABELS, CoveredUnit, CoveredUnitKind
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
    "COVERED_UNIT_LABELS",
    "CommitteeRole",
    "CoveredUnit",
    "CoveredUnitKind",
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
    "TALK_TRIGGER_LABELS",
    "TalkTrigger",
    "TalkTriggerKind",
    "Tenant",
    "TenantConfigVersion",
    "TenantDomain",
]
