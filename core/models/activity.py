"""Organizational life: activities and attendance."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from core.fields import reference
from core.tenancy import TenantModel


class AttendanceStatus(StrEnum):
    PRESENT = "PRESENT"
    LEAVE = "LEAVE"
    ABSENT = "ABSENT"


class Activity(TenantModel):
    """One recorded activity (a meeting, a lecture, a themed party day …) of an organization.

    A mistaken record is cancelled (kept, with a reason), not deleted.
    """

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation = reference("core.Organization", related_name="activities")
    organization_id: int
    kind = fields.CharField(max_length=48)
    held_on = fields.DateField()
    topic = fields.CharField(max_length=300)
    host: fields.ForeignKeyNullableRelation = reference(
        "core.Member", related_name="hosted_activities", null=True, on_delete=fields.SET_NULL
    )
    host_id: int | None
    lecturer = fields.CharField(max_length=100, default="")
    minutes = fields.TextField(default="")
    cancelled_on = fields.DateField(null=True)
    cancel_reason = fields.CharField(max_length=300, default="")
    extra: dict = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "activity"
        indexes = (("tenant_id", "organization_id", "held_on"), ("tenant_id", "kind", "held_on"))


class Attendance(TenantModel):
    """Whether one member entitled to attend an activity was present, on leave or absent."""

    id = fields.IntField(primary_key=True)
    activity: fields.ForeignKeyRelation[Activity] = reference(
        "core.Activity", related_name="attendance", on_delete=fields.CASCADE
    )
    activity_id: int
    member: fields.ForeignKeyRelation = reference("core.Member", related_name="attendance")
    member_id: int
    status = fields.CharEnumField(AttendanceStatus, max_length=8)

    class Meta:
        table = "attendance"
        unique_together = (("tenant_id", "activity_id", "member_id"),)
        indexes = (("tenant_id", "member_id"),)


class TalkTriggerKind(StrEnum):
    """Occasions on which a heart-to-heart talk is obligatory (谈心谈话“四必谈”, domain §3)."""

    JOB_CHANGE = "JOB_CHANGE"
    DISCIPLINARY_ACTION = "DISCIPLINARY_ACTION"
    FAMILY_MISFORTUNE = "FAMILY_MISFORTUNE"
    EARLY_WARNING = "EARLY_WARNING"


TALK_TRIGGER_LABELS: dict[str, str] = {
    "JOB_CHANGE": "岗位变动",
    "DISCIPLINARY_ACTION": "组织处置",
    "FAMILY_MISFORTUNE": "家庭变故",
    "EARLY_WARNING": "发现苗头性问题",
}


class TalkTrigger(TenantModel):
    """An occasion that obliges a heart-to-heart talk with one member (岗位变动必谈 …).

    The talk is due ``standards.heart_to_heart_trigger_days`` after ``occurred_on`` (read when
    judged, so the deadline follows the tenant's config); it is held when a HEART_TO_HEART activity
    lists the member PRESENT on or after ``occurred_on``.
    """

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation = reference("core.Member", related_name="talk_triggers")
    member_id: int
    #: the member's branch when the occasion was recorded (the organization that owes the talk)
    organization: fields.ForeignKeyRelation = reference("core.Organization", related_name="talk_triggers")
    organization_id: int
    kind = fields.CharEnumField(TalkTriggerKind, max_length=24)
    occurred_on = fields.DateField()
    note = fields.CharField(max_length=300, default="")
    recorded_by = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "talk_trigger"
        indexes = (("tenant_id", "organization_id", "occurred_on"), ("tenant_id", "member_id"))
