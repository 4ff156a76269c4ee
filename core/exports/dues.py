"""The dues register (党费收缴登记簿) of a year: per member, per month, billed and paid.

The same data as ``duesRegister`` / ``duesBills``: the bills of branches where the caller holds
``DUES_READ`` (filtered in SQL), optionally one subtree (a 党委's register covers its branches). A
bill belongs to the branch that issued it, so after a transfer the old branch keeps its months.
Sheet 党费收缴登记簿: one row per branch and member, 应缴 and 实缴 of each month as numbers (blank
without a bill, 0 for a bill not paid), the year's totals and what is still owed. Sheet 月度汇总:
the month totals of the same bills, one grouped SQL aggregate
(:func:`core.dues.service.month_summaries`). Three statements whatever the size.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from core.dues import service
from core.dues.models import DuesBill
from core.errors import ValidationFailed
from core.permissions import Permission
from core.principal import Principal
from core.services.organizations import subtree_root
from core.spreadsheets.exporting import (
    Export,
    ExportKind,
    NamePaths,
    Param,
    readable,
    within,
)
from core.spreadsheets.xlsx import MONEY, MONTH, NUMBER, Col, Sheet

MONTHS = range(1, 13)
REGISTER_COLUMNS = (
    [Col("序号", 6, NUMBER), Col("所在支部", 30), Col("姓名", 10)]
    + [Col(f"{m}月{what}", 9, MONEY) for m in MONTHS for what in ("应缴", "实缴")]
    + [Col("全年应缴", 11, MONEY), Col("全年实缴", 11, MONEY), Col("欠缴", 10, MONEY)]
)
SUMMARY_COLUMNS = [
    Col("月份", 10, MONTH), Col("应缴人次", 9, NUMBER), Col("应缴金额", 12, MONEY),
    Col("已缴人次", 9, NUMBER), Col("已缴金额", 12, MONEY), Col("代缴人次", 9, NUMBER),
    Col("未缴人次", 9, NUMBER), Col("未缴金额", 12, MONEY),
]  # fmt: skip


async def build(principal: Principal | None, *, year: int, subtree_of: int | None) -> Export:
    if not 1900 <= year <= 2999:
        raise ValidationFailed("年份无效", field="year")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 1)
    root = await subtree_root(subtree_of, "subtreeOf")
    query = within(DuesBill.filter(period__gte=start, period__lte=end), principal, Permission.DUES_READ,
                   "branch__path")  # fmt: skip
    if root is not None:
        query = query.filter(branch__path__startswith=root.path)
    bills = await query.order_by("branch__path", "member__name", "member_id", "period").values(
        "member_id", "member__name", "branch_id", "branch__path", "period", "amount", "payment_id"
    )
    names = await NamePaths.load({b["branch__path"] for b in bills})

    lines: dict[tuple[int, int], dict[str, Any]] = {}
    for bill in bills:
        line = lines.setdefault(
            (bill["branch_id"], bill["member_id"]),
            {"branch": names(bill["branch__path"]), "name": bill["member__name"], "months": {}},
        )
        amount = Decimal(bill["amount"])
        line["months"][service.as_date(bill["period"]).month] = (amount, amount if bill["payment_id"] else 0)
    rows = []
    for number, line in enumerate(lines.values(), 1):
        cells: list[Any] = []
        for month in MONTHS:
            cells.extend(line["months"].get(month, (None, None)))
        billed = sum((b for b, _ in line["months"].values()), Decimal(0))
        paid = sum((p for _, p in line["months"].values()), Decimal(0))
        rows.append([number, line["branch"], line["name"], *cells, billed, paid, billed - paid])

    summaries = await service.month_summaries(
        None,
        start,
        end,
        prefixes=readable(principal, Permission.DUES_READ),
        subtree=root.path if root else None,
    )
    summary = [
        [s.month, s.billed, s.billed_amount, s.paid, s.paid_amount, s.paid_by_proxy, s.billed - s.paid,
         s.billed_amount - s.paid_amount]
        for s in summaries
    ]  # fmt: skip
    if summaries:
        totals = [sum(column) for column in zip(*(row[1:] for row in summary), strict=True)]
        summary.append(["合计", *totals])
    return Export(
        title=f"党费收缴登记簿{year}",
        sheets=[Sheet("党费收缴登记簿", REGISTER_COLUMNS, rows), Sheet("月度汇总", SUMMARY_COLUMNS, summary)],
        rows=len(rows),
        target_id=subtree_of,
        facts={"bills": len(bills)},
    )


KIND = ExportKind(
    name="dues",
    operation="exportDuesRegister",
    target="DuesRegisterExport",
    permission=Permission.DUES_READ,
    help="the dues register (党费收缴登记簿) of a year",
    params=(
        Param("year", "--year", "int", "the year", required=True),
        Param(
            "subtreeOf", "--org", "org", "only this organization's subtree (a branch, or a 党委's branches)"
        ),
    ),
    build=build,
)
