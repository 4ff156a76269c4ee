"""The rectification lists (问题清单、任务清单、责任清单), as ``rectificationItems`` shows them.

Items of organizations where the caller holds ``RECTIFICATION_READ`` (filtered in SQL), optionally
one subtree and some statuses, most urgent deadline first. Sheet 问题清单: one row per item — the
organization, the problem, its area, severity, source and rule, the owner (责任人), the deadline,
the status and the days overdue, when it was submitted and closed (销号) and by whom. Sheet 任务清单:
the tasks of those items (what, who, by when, done). Sheet 责任清单: who answers for what — one row
per item owner and per task assignee (an item without an owner says so). Names are shown as
GraphQL shows them on these lists (``owner { name }``, ``assignee { name }``). Three statements
whatever the size (items, tasks, organizations' names).
"""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Subquery

from core.exports.scores import SEVERITY_LABELS, area_label
from core.permissions import Permission
from core.principal import Principal
from core.rectification.common import today
from core.rectification.items import STATUS_LABELS, UNCLOSED
from core.rectification.models import ItemStatus, RectificationItem, RectificationTask
from core.services.organizations import subtree_root
from core.spreadsheets.exporting import (
    SUBTREE_OF,
    Export,
    ExportKind,
    NamePaths,
    choice_param,
    within,
)
from core.spreadsheets.xlsx import DATE, DATETIME, NUMBER, Col, Sheet

SOURCE_LABELS = {"FINDING": "规则发现", "MANUAL": "人工登记"}
NO_OWNER = "（未指定）"

ITEM_COLUMNS = [
    Col("序号", 6, NUMBER), Col("组织", 30), Col("问题", 36), Col("具体情况", 40), Col("领域", 14),
    Col("严重程度", 8), Col("来源", 8), Col("规则", 26), Col("期间", 10), Col("责任人", 10),
    Col("整改期限", 12, DATE), Col("状态", 12), Col("逾期天数", 8, NUMBER), Col("提交时间", 17, DATETIME),
    Col("销号时间", 17, DATETIME), Col("销号人", 10), Col("销号意见", 30),
]  # fmt: skip
TASK_COLUMNS = [
    Col("问题序号", 8, NUMBER), Col("组织", 30), Col("问题", 36), Col("任务", 36), Col("承办人", 10),
    Col("完成期限", 12, DATE), Col("已完成", 7), Col("完成时间", 17, DATETIME),
]  # fmt: skip
DUTY_COLUMNS = [
    Col("责任人", 10), Col("职责", 10), Col("组织", 30), Col("问题序号", 8, NUMBER), Col("事项", 36),
    Col("期限", 12, DATE), Col("状态", 12),
]  # fmt: skip


async def build(principal: Principal | None, *, subtree_of: int | None, status: list[str]) -> Export:
    query = within(RectificationItem.all(), principal, Permission.RECTIFICATION_READ, "organization__path")
    root = await subtree_root(subtree_of, "subtreeOf")
    if root is not None:
        query = query.filter(organization__path__startswith=root.path)
    if status:
        query = query.filter(status__in=[ItemStatus(s) for s in status])
    items = await query.order_by("deadline", "id").values(
        "id", "title", "description", "area", "severity", "source", "rule_code", "period", "deadline",
        "status", "submitted_at", "closed_at", "closed_by", "close_comment", "organization__path",
        "owner_member__name",
    )  # fmt: skip
    tasks = await RectificationTask.filter(item_id__in=Subquery(query.values("id"))).order_by(
        "item_id", "id"
    ).values("item_id", "title", "due_on", "done", "done_at", "assignee_member__name")  # fmt: skip
    names = await NamePaths.load(i["organization__path"] for i in items)
    day = today()

    number: dict[int, int] = {}
    rows: list[list[Any]] = []
    duties: list[list[Any]] = []
    for index, item in enumerate(items, 1):
        number[item["id"]] = index
        status_ = ItemStatus(item["status"])
        overdue = (day - item["deadline"]).days if status_ in UNCLOSED and item["deadline"] < day else 0
        org = names(item["organization__path"])
        owner = item["owner_member__name"]
        rows.append([
            index, org, item["title"], item["description"], area_label(item["area"]),
            SEVERITY_LABELS.get(item["severity"], item["severity"]), SOURCE_LABELS.get(item["source"], ""),
            item["rule_code"], item["period"], owner, item["deadline"], STATUS_LABELS[status_], overdue,
            item["submitted_at"], item["closed_at"], item["closed_by"], item["close_comment"],
        ])  # fmt: skip
        duties.append([owner or NO_OWNER, "问题责任人", org, index, item["title"], item["deadline"],
                       STATUS_LABELS[status_]])  # fmt: skip
    by_id = {item["id"]: item for item in items}
    detail: list[list[Any]] = []
    for task in tasks:
        item = by_id[task["item_id"]]
        org = names(item["organization__path"])
        who = task["assignee_member__name"]
        detail.append([number[item["id"]], org, item["title"], task["title"], who, task["due_on"],
                       task["done"], task["done_at"]])  # fmt: skip
        if who:
            done = "已完成" if task["done"] else "未完成"
            duties.append([who, "任务承办人", org, number[item["id"]], task["title"],
                           task["due_on"] or item["deadline"], done])  # fmt: skip
    duties.sort(key=lambda d: (d[0] == NO_OWNER, d[0], d[3], d[1] != "问题责任人"))
    return Export(
        title="整改清单",
        sheets=[
            Sheet("问题清单", ITEM_COLUMNS, rows),
            Sheet("任务清单", TASK_COLUMNS, detail),
            Sheet("责任清单", DUTY_COLUMNS, duties),
        ],
        rows=len(rows),
        target_id=subtree_of,
        facts={"tasks": len(detail)},
    )


KIND = ExportKind(
    name="rectification",
    operation="exportRectification",
    target="RectificationExport",
    permission=Permission.RECTIFICATION_READ,
    help="the rectification lists (问题清单、任务清单、责任清单)",
    params=(
        SUBTREE_OF,
        choice_param(
            "status", "--status", ItemStatus, "OPEN, IN_PROGRESS, SUBMITTED, CLOSED, REOPENED (default: all)"
        ),
    ),
    build=build,
)
