"""Organizational life: activities and attendance."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

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
    organization: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "core.Organization", related_name="activities", on_delete=fields.RESTRICT, db_index=False
    )
    organization_id: int
    kind = fields.CharField(max_length=48)
    held_on = fields.DateField()
    topic = fields.CharField(max_length=300)
    host: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "core.Member",
        related_name="hosted_activities",
        null=True,
        on_delete=fields.SET_NULL,
        db_index=False,
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
    activity: fields.ForeignKeyRelation[Activity] = fields.ForeignKeyField(
        "core.Activity", related_name="attendance", on_delete=fields.CASCADE, db_index=False
    )
    activity_id: int
    member: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "core.Member", related_name="attendance", on_delete=fields.RESTRICT, db_index=False
    )
    member_id: int
    status = fields.CharEnumField(AttendanceStatus, max_length=8)

    class Meta:
        table = "attendance"
        unique_together = (("tenant_id", "activity_id", "member_id"),)
        indexes = (("tenant_id", "member_id"),)
