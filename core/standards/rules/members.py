"""Rules of the member team (党员队伍), domain §4."""

from __future__ import annotations

from core import sql
from core.standards import data
from core.standards.api import Area, Finding, Rule, RuleContext, Severity
from core.standards.rules.organization import window


class ProbationOverdue(Rule):
    code = "PROBATION_OVERDUE"
    title = "预备期满应及时讨论转正"
    area = Area.MEMBER_EDUCATION
    severity = Severity.WARNING
    source = "domain §4 (Party rules)"
    config_keys = ("development.probation_months", "development.extension_max_months")

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        development = ctx.section("development")
        months = int(development.get("probation_months", 12))
        extension = int(development.get("extension_max_months", 12))
        due = data.add_months(ctx.as_of, -months)
        hard = data.add_months(ctx.as_of, -(months + extension))
        rows = await sql.fetch(
            "SELECT m.branch_id AS org_id, COUNT(*) AS overdue, "
            "SUM(CASE WHEN m.joined_on < :hard THEN 1 ELSE 0 END) AS beyond_extension "
            "FROM member m JOIN organization o ON o.id = m.branch_id AND o.tenant_id = m.tenant_id "
            "WHERE m.tenant_id = :tenant_id AND o.path LIKE :prefix AND m.status = 'PROBATIONARY' "
            "AND m.joined_on IS NOT NULL AND m.joined_on < :due GROUP BY m.branch_id",
            prefix=data.prefix(ctx),
            due=due,
            hard=hard,
        )
        branches = await data.branches(ctx)
        out = []
        for r in rows:
            branch = branches.get(r["org_id"])
            if branch is None:
                continue
            overdue, beyond = int(r["overdue"]), int(r["beyond_extension"] or 0)
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}有{overdue}名预备党员预备期已满{months}个月仍未转正"
                    + (f"，其中{beyond}名已超过延长预备期上限" if beyond else ""),
                    period=window(ctx),
                    numbers={
                        "overdue": overdue,
                        "beyond_extension": beyond,
                        "probation_months": months,
                        "extension_max_months": extension,
                    },
                    severity=Severity.ERROR if beyond else None,
                )
            )
        return out


RULES: tuple[type[Rule], ...] = (ProbationOverdue,)
