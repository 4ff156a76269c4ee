"""Rules of the member team (党员队伍), domain §4."""

from __future__ import annotations

from core import sql
from core.lifecycle.steps import BY_CODE
from core.standards import data
from core.standards.api import Area, Finding, Rule, RuleContext, Severity
from core.standards.rules.organization import window

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


RULES: tuple[type[Rule], ...] = (ProbationOverdue,)
