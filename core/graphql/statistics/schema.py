"""``statistics(scopeId, from, to)``: counts over any subtree the caller may read, in SQL."""

from __future__ import annotations

import datetime as dt

import strawberry

from core.errors import ValidationFailed
from core.graphql.core.context import Info
from core.graphql.core.fields import field, scope_argument
from core.graphql.standards.schema import DateFrom, DateTo
from core.graphql.statistics.types import Statistics
from core.permissions import Permission

#: the longest period one request may cover
MAX_PERIOD_DAYS = 366 * 5


@strawberry.type
class Query:
    @field(
        permission=Permission.ORG_READ,
        description="统计：一个组织及其下级（不传 scopeId 为整个单位）在统计期内的党员队伍、发展党员、"
        "活动完成率、党费收缴、达标率与整改情况；各部分按调用者的权限返回或为空。",
    )
    async def statistics(
        self, info: Info, period_from: DateFrom, period_to: DateTo, scope_id: strawberry.ID | None = None
    ) -> Statistics:
        if period_to < period_from:
            raise ValidationFailed("统计期的结束日期不能早于开始日期", field="to")
        if (period_to - period_from).days > MAX_PERIOD_DAYS:
            raise ValidationFailed("统计期最长5年", field="to")
        scope = await scope_argument(info, scope_id)
        return Statistics(period_from=period_from, period_to=period_to, scope=scope, today=dt.date.today())
