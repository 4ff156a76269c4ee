"""Rules of the member team (党员队伍), domain §4."""

from __future__ import annotations

import datetime as dt

from core import sql
from core.lifecycle.steps import BY_CODE
from core.standards import data
from core.standards.api import Area, Finding, Rule, RuleContext, Severity
from core.standards.rules.organization import number, window

#: once the confirmation congress (step 23) discussed it, the approval step takes over
CONFIRMATION_CONGRESS_SEQUENCE = BY_CODE["CONFIRMATION_CONGRESS"].sequence


class ProbationOverdue(Rule):
    code = "PROBATION_OVERDUE"
    title = "预备期满应及时讨论转正"
    area = Area.MEMBER_EDUCATION
    severity = Severity.WARNING
    source = "domain §4 (Party rules)"
    config_keys = ("development.probation_months", "development.extension_max_months")

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        """A probationary member whose probation has ended without the confirmation congress.

        The end of probation is the development case's ``probation_ends_on`` (a lawful extension
        moves it), else ``joined_on`` + ``development.probation_months`` for members without a case.
        ERROR once even the longest extension (``development.extension_max_months`` after the
        original end) would have ended."""
        development = ctx.section("development")
        months = int(development.get("probation_months", 12))
        extension = int(development.get("extension_max_months", 12))
        due = data.add_months(ctx.as_of, -months)
        rows = await sql.fetch(
            "SELECT m.branch_id AS org_id, m.joined_on AS joined_on, c.probation_ends_on AS ends_on, "
            "c.extended_months AS extended_months "
            "FROM member m JOIN organization o ON o.id = m.branch_id AND o.tenant_id = m.tenant_id "
            "LEFT JOIN development_case c ON c.member_id = m.id AND c.tenant_id = m.tenant_id "
            "AND c.status = 'OPEN' "
            "WHERE m.tenant_id = :tenant_id AND o.path LIKE :prefix AND m.status = 'PROBATIONARY' "
            "AND (c.last_sequence IS NULL OR c.last_sequence < :congress) "
            "AND ((c.probation_ends_on IS NOT NULL AND c.probation_ends_on < :as_of) "
            "OR (c.probation_ends_on IS NULL AND m.joined_on IS NOT NULL AND m.joined_on < :due))",
            prefix=data.prefix(ctx),
            congress=CONFIRMATION_CONGRESS_SEQUENCE,
            as_of=ctx.as_of,
            due=due,
        )
        counts: dict[int, list[int]] = {}  # branch -> [overdue, beyond the extension limit, extended]
        for r in rows:
            if r["ends_on"] is not None:
                ends_on = data.as_date(r["ends_on"])
                extended = int(r["extended_months"] or 0)
                original_end = data.add_months(ends_on, -extended)
            else:
                extended = 0
                original_end = data.add_months(data.as_date(r["joined_on"]), months)
            beyond = data.add_months(original_end, extension) < ctx.as_of
            tally = counts.setdefault(r["org_id"], [0, 0, 0])
            tally[0] += 1
            tally[1] += int(beyond)
            tally[2] += int(extended > 0)
        branches = await data.branches(ctx)
        out = []
        for org_id, (overdue, beyond, extended) in counts.items():
            branch = branches.get(org_id)
            if branch is None:
                continue
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}有{overdue}名预备党员预备期已满仍未讨论转正"
                    + (f"（其中{extended}名为延长后的预备期）" if extended else "")
                    + (f"，其中{beyond}名已超过延长预备期上限" if beyond else ""),
                    period=window(ctx),
                    numbers={
                        "overdue": overdue,
                        "beyond_extension": beyond,
                        "extended": extended,
                        "probation_months": months,
                        "extension_max_months": extension,
                    },
                    severity=Severity.ERROR if beyond else None,
                )
            )
        return out


class UnqualifiedMemberUnhandled(Rule):
    code = "UNQUALIFIED_MEMBER_UNHANDLED"
    title = "评定为不合格的党员应及时按程序处置"
    area = Area.MEMBER_EDUCATION
    severity = Severity.WARNING
    source = "domain §4 (seed: 依规稳妥处置不合格党员)"
    config_keys = ("appraisal.unqualified_handling_days",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        """Ratings UNQUALIFIED given more than ``appraisal.unqualified_handling_days`` before the day
        judged on (rated in a year up to the period's) with no handling step recorded, by branch."""
        days = int(number(ctx, "appraisal", "unqualified_handling_days"))
        cutoff = ctx.as_of - dt.timedelta(days=days)
        rows = await sql.fetch(
            "SELECT r.branch_id AS org_id, COUNT(*) AS unhandled, MIN(r.rated_on) AS oldest "
            "FROM appraisal_rating r JOIN organization o ON o.id = r.branch_id AND o.tenant_id = r.tenant_id "
            "WHERE r.tenant_id = :tenant_id AND o.path LIKE :prefix AND r.grade = 'UNQUALIFIED' "
            "AND r.rated_on < :cutoff AND r.year <= :year AND NOT EXISTS (SELECT 1 FROM "
            "unqualified_handling_step s WHERE s.tenant_id = r.tenant_id AND s.rating_id = r.id) "
            "GROUP BY r.branch_id",
            prefix=data.prefix(ctx),
            cutoff=cutoff,
            year=ctx.period_end.year,
        )
        branches = await data.branches(ctx)
        out = []
        for r in rows:
            branch = branches.get(r["org_id"])
            if branch is None:
                continue
            unhandled = int(r["unhandled"])
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}有{unhandled}名评定为不合格的党员，评定后{days}天仍未启动处置程序",
                    period=window(ctx),
                    numbers={
                        "unhandled": unhandled,
                        "unqualified_handling_days": days,
                        "oldest_rated_on": data.as_date(r["oldest"]).isoformat(),
                    },
                )
            )
        return out


RULES: tuple[type[Rule], ...] = (ProbationOverdue, UnqualifiedMemberUnhandled)
