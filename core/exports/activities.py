"""三会一课 and the other activities with their attendance, as the ``activities`` query shows them.

Sheet 活动记录: one row per activity of the caller's readable subtrees (``ACTIVITY_READ``, filtered in
SQL; cancelled records left out, as in the list), optionally one subtree, a period and some kinds,
with 应到/实到/请假/缺席 and the rate from one grouped SQL aggregate. Sheet 出勤明细: the attendance,
one row per person and activity. A person's name — the host's too — appears only where GraphQL
would show that member (``MEMBER_READ`` on the member's branch, :func:`sees_member`); elsewhere it
is withheld (``（无权查看）``) and the row counted as masked: a plain member exports their branch's
meetings and counts, not who attended. Four statements whatever the size (activities, the
aggregate, the attendance, the organizations' names).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Subquery
from tortoise.functions import Count

from core.errors import ValidationFailed
from core.models import Activity, Attendance
from core.models.activity import AttendanceStatus
from core.permissions import Permission
from core.principal import Principal
from core.services.organizations import subtree_root
from core.spreadsheets.exporting import (
    SUBTREE_OF,
    Export,
    ExportKind,
    NamePaths,
    Param,
    allows,
    within,
)
from core.spreadsheets.xlsx import DATE, NUMBER, PERCENT, Col, Sheet

WITHHELD = "（无权查看）"
ATTENDANCE_LABELS = {"PRESENT": "出席", "LEAVE": "请假", "ABSENT": "缺席"}

ACTIVITY_COLUMNS = [
    Col("序号", 6, NUMBER), Col("组织", 30), Col("活动类型", 12), Col("日期", 12, DATE), Col("主题", 36),
    Col("主持人", 10), Col("授课人", 10), Col("应到", 6, NUMBER), Col("实到", 6, NUMBER),
    Col("请假", 6, NUMBER), Col("缺席", 6, NUMBER), Col("出勤率", 8, PERCENT),
]  # fmt: skip
ATTENDANCE_COLUMNS = [
    Col("活动序号", 8, NUMBER), Col("组织", 30), Col("日期", 12, DATE), Col("活动类型", 12), Col("主题", 36),
    Col("姓名", 10), Col("出勤情况", 8),
]  # fmt: skip


def sees_member(principal: Principal | None, branch_path: str | None) -> bool:
    """Whether GraphQL would show ``principal`` a member of the branch at ``branch_path``: the
    ``member`` / ``host`` fields declare ``MEMBER_READ``, checked at the member's branch."""
    return branch_path is not None and allows(principal, Permission.MEMBER_READ, branch_path)


async def build(
    principal: Principal | None,
    *,
    subtree_of: int | None,
    from_: dt.date | None = None,
    to: dt.date | None = None,
    kind: list[str],
) -> Export:
    from core.services.organizations import current_vocabulary

    vocabulary = await current_vocabulary()
    unknown = [k for k in kind if k not in vocabulary.activity_kinds]
    if unknown:
        known = "、".join(vocabulary.activity_kinds)
        raise ValidationFailed(f"未知的活动类型：{'、'.join(unknown)}（可选：{known}）", field="kind")
    if from_ is not None and to is not None and from_ > to:
        raise ValidationFailed("起始日期晚于结束日期", field="from")
    query = within(Activity.filter(cancelled_on__isnull=True), principal, Permission.ACTIVITY_READ,
                   "organization__path")  # fmt: skip
    root = await subtree_root(subtree_of, "subtreeOf")
    if root is not None:
        query = query.filter(organization__path__startswith=root.path)
    if from_ is not None:
        query = query.filter(held_on__gte=from_)
    if to is not None:
        query = query.filter(held_on__lte=to)
    if kind:
        query = query.filter(kind__in=kind)
    activities = await query.order_by("organization__path", "held_on", "id").values(
        "id", "kind", "held_on", "topic", "lecturer", "organization__path", "host__name", "host__branch__path"
    )
    ids = Subquery(query.values("id"))
    counts: dict[int, dict[str, int]] = {}
    for row in (
        await Attendance.filter(activity_id__in=ids)
        .annotate(n=Count("id"))
        .group_by("activity_id", "status")
        .values("activity_id", "status", "n")
    ):
        counts.setdefault(row["activity_id"], {})[str(row["status"])] = row["n"]
    attendance = (
        await Attendance.filter(activity_id__in=ids)
        .order_by("activity_id", "member__name", "member_id")
        .values("activity_id", "status", "member__name", "member__branch__path")
    )
    names = await NamePaths.load(a["organization__path"] for a in activities)

    def label(code: str) -> str:
        spec = vocabulary.activity_kinds.get(code)
        return spec.label if spec else code

    number: dict[int, int] = {}
    rows: list[list[Any]] = []
    masked = 0
    for index, a in enumerate(activities, 1):
        number[a["id"]] = index
        c = counts.get(a["id"], {})
        present, leave, absent = (c.get(s.value, 0) for s in AttendanceStatus)
        expected = present + leave + absent
        host = a["host__name"]
        if host and not sees_member(principal, a["host__branch__path"]):
            host, masked = WITHHELD, masked + 1
        rows.append([
            index, names(a["organization__path"]), label(a["kind"]), a["held_on"], a["topic"], host,
            a["lecturer"], expected, present, leave, absent, present / expected if expected else None,
        ])  # fmt: skip
    by_id = {a["id"]: a for a in activities}
    detail: list[list[Any]] = []
    for row in attendance:
        a = by_id.get(row["activity_id"])
        if a is None:
            continue
        name = row["member__name"]
        if not sees_member(principal, row["member__branch__path"]):
            name, masked = WITHHELD, masked + 1
        detail.append([
            number[a["id"]], names(a["organization__path"]), a["held_on"], label(a["kind"]), a["topic"], name,
            ATTENDANCE_LABELS.get(str(row["status"]), str(row["status"])),
        ])  # fmt: skip
    return Export(
        title="组织生活记录",
        sheets=[Sheet("活动记录", ACTIVITY_COLUMNS, rows), Sheet("出勤明细", ATTENDANCE_COLUMNS, detail)],
        rows=len(rows),
        masked=masked,
        target_id=subtree_of,
        facts={"attendance": len(detail)},
    )


KIND = ExportKind(
    name="activities",
    operation="exportActivities",
    target="ActivityExport",
    permission=Permission.ACTIVITY_READ,
    help="activities (三会一课 …) with attendance",
    params=(
        SUBTREE_OF,
        Param("from", "--from", "date", "held on or after (YYYY-MM-DD)"),
        Param("to", "--to", "date", "held on or before (YYYY-MM-DD)"),
        Param("kind", "--kind", "text", "activity kind codes: MEMBER_CONGRESS, PARTY_LECTURE …", many=True),
    ),
    build=build,
)
