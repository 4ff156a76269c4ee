"""Rules of organization setup (组织设置), domain §1."""

from __future__ import annotations

from core.standards import data
from core.standards.api import Area, Finding, Rule, RuleContext, Severity, period_label

#: Temporary branches keep their members' relations elsewhere: member-count rules skip them.
MEMBERLESS_KINDS = frozenset({"TEMPORARY_BRANCH"})


def window(ctx: RuleContext) -> str:
    """Period label of a standing rule's finding: the evaluated window."""
    return period_label(ctx.period_start, ctx.period_end)


def number(ctx: RuleContext, section: str, key: str) -> float:
    """A number from the tenant's effective config."""
    return ctx.config[section][key]


class BranchMinFullMembers(Rule):
    code = "BRANCH_MIN_FULL_MEMBERS"
    title = "党支部正式党员不少于3人"
    area = Area.ORGANIZATION_SETUP
    severity = Severity.ERROR
    source = "domain §1"
    config_keys = ("organization.branch_min_full_members",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        minimum = int(number(ctx, "organization", "branch_min_full_members"))
        counts = await data.member_counts(ctx)
        out = []
        for branch in (await data.branches(ctx)).values():
            if branch.kind in MEMBERLESS_KINDS:
                continue
            full = counts.get(branch.id, data.Counts()).full
            if full < minimum:
                out.append(
                    self.finding(
                        branch.id,
                        f"{branch.name}正式党员{full}名，少于{minimum}名，应按地域相邻、行业相近、"
                        "规模适当的原则组建联合党支部",
                        period=window(ctx),
                        numbers={"full_members": full, "min_full_members": minimum},
                    )
                )
        return out


class JointBranchMaxUnits(Rule):
    code = "JOINT_BRANCH_MAX_UNITS"
    title = "联合党支部覆盖单位不超过5个"
    area = Area.ORGANIZATION_SETUP
    severity = Severity.ERROR
    source = "domain §1"
    config_keys = ("organization.joint_branch_max_units",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        maximum = int(number(ctx, "organization", "joint_branch_max_units"))
        out = []
        for branch in (await data.branches(ctx)).values():
            units = len(branch.covered_units)
            if branch.kind == "JOINT_BRANCH" and units > maximum:
                out.append(
                    self.finding(
                        branch.id,
                        f"{branch.name}覆盖{units}个单位，联合党支部覆盖单位一般不超过{maximum}个",
                        period=window(ctx),
                        numbers={"units": units, "max_units": maximum},
                    )
                )
        return out


class BranchMaxMembers(Rule):
    """上提下分 (Party rules): more than 50 members — a general branch (党总支); more than 100 — a
    grassroots committee (党的基层委员会, 党委). Judged for branches and for general branches (their
    members are those of the branches below them)."""

    code = "BRANCH_MAX_MEMBERS"
    title = "党支部党员不超过50人；50人以上设党总支，100人以上设党委（上提下分）"
    area = Area.ORGANIZATION_SETUP
    severity = Severity.WARNING
    source = "domain §1 (Party rules: 50+ general branch, 100+ committee)"
    config_keys = ("organization.branch_max_members", "organization.general_branch_max_members")

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        maximum = int(number(ctx, "organization", "branch_max_members"))
        committee = int(number(ctx, "organization", "general_branch_max_members"))
        counts = await data.member_counts(ctx)
        branches = await data.branches(ctx)
        out = []
        for branch in branches.values():
            members = counts.get(branch.id, data.Counts()).members
            if branch.kind not in MEMBERLESS_KINDS and members > maximum:
                out.append(self._finding(ctx, branch, members, maximum, committee))
        generals = await data.orgs_of_kinds(ctx, frozenset({"GENERAL_BRANCH"}))
        for general in generals.values():
            members = sum(
                counts.get(b.id, data.Counts()).members
                for b in branches.values()
                if b.path.startswith(general.path) and b.kind not in MEMBERLESS_KINDS
            )
            if members > committee:
                out.append(self._finding(ctx, general, members, maximum, committee))
        return out

    def _finding(
        self, ctx: RuleContext, org: data.OrgInfo, members: int, maximum: int, committee: int
    ) -> Finding:
        if members > committee:
            required, advice = "PARTY_COMMITTEE", f"超过{committee}名，应设立党的基层委员会（党委）"
        else:
            required, advice = "GENERAL_BRANCH", f"超过{maximum}名，应按“上提下分”调整为党总支"
        return self.finding(
            org.id,
            f"{org.name}有党员{members}名，{advice}",
            period=window(ctx),
            numbers={
                "members": members,
                "max_members": maximum,
                "general_branch_max_members": committee,
                "required_kind": required,
            },
        )


class BranchNeedsPartyGroups(Rule):
    code = "BRANCH_NEEDS_PARTY_GROUPS"
    title = "党员20人以上的党支部应划分党小组"
    area = Area.ORGANIZATION_SETUP
    severity = Severity.WARNING
    source = "domain §1"
    config_keys = ("organization.party_group_threshold",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        threshold = int(number(ctx, "organization", "party_group_threshold"))
        counts = await data.member_counts(ctx)
        with_groups = {g.parent_id for g in (await data.party_groups(ctx)).values()}
        out = []
        for branch in (await data.branches(ctx)).values():
            members = counts.get(branch.id, data.Counts()).members
            if branch.kind in MEMBERLESS_KINDS or members < threshold or branch.id in with_groups:
                continue
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}有党员{members}名（{threshold}名以上），尚未划分党小组",
                    period=window(ctx),
                    numbers={"members": members, "threshold": threshold},
                )
            )
        return out


class PartyGroupMinMembers(Rule):
    code = "PARTY_GROUP_MIN_MEMBERS"
    title = "党小组党员不少于3人"
    area = Area.ORGANIZATION_SETUP
    severity = Severity.WARNING
    source = "domain §1"
    config_keys = ("organization.party_group_min_members",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        minimum = int(number(ctx, "organization", "party_group_min_members"))
        counts = await data.group_member_counts(ctx)
        out = []
        for group in (await data.party_groups(ctx)).values():
            members = counts.get(group.id, data.Counts()).members
            if members < minimum:
                out.append(
                    self.finding(
                        group.id,
                        f"{group.name}有党员{members}名，少于{minimum}名",
                        period=window(ctx),
                        numbers={"members": members, "min_members": minimum},
                        branch_id=group.parent_id,
                    )
                )
        return out


class PartyGroupNeedsFullMember(Rule):
    code = "PARTY_GROUP_NEEDS_FULL_MEMBER"
    title = "党小组至少有1名正式党员"
    area = Area.ORGANIZATION_SETUP
    severity = Severity.WARNING
    source = "domain §1"
    config_keys = ("organization.party_group_min_full_members",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        minimum = int(number(ctx, "organization", "party_group_min_full_members"))
        counts = await data.group_member_counts(ctx)
        out = []
        for group in (await data.party_groups(ctx)).values():
            full = counts.get(group.id, data.Counts()).full
            if full < minimum:
                out.append(
                    self.finding(
                        group.id,
                        f"{group.name}正式党员{full}名，应至少有{minimum}名正式党员",
                        period=window(ctx),
                        numbers={"full_members": full, "min_full_members": minimum},
                        branch_id=group.parent_id,
                    )
                )
        return out


class PartyGroupNeedsLeader(Rule):
    code = "PARTY_GROUP_NEEDS_LEADER"
    title = "党小组应有党小组长"
    area = Area.ORGANIZATION_SETUP
    severity = Severity.WARNING
    source = "domain §1"

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        led = await data.group_leaders_in_group(ctx)
        return [
            self.finding(
                group.id,
                f"{group.name}未确定党小组长（或组长已不在本组）",
                period=window(ctx),
                branch_id=group.parent_id,
            )
            for group in (await data.party_groups(ctx)).values()
            if group.id not in led
        ]


class AnnualSetupReview(Rule):
    code = "ANNUAL_SETUP_REVIEW"
    title = "组织设置每年体检一次"
    area = Area.ORGANIZATION_SETUP
    severity = Severity.WARNING
    source = "domain §1"
    config_keys = ("standards.setup_review_months",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        months = int(number(ctx, "standards", "setup_review_months"))
        since = data.add_months(ctx.as_of, -months)
        reviewed = await data.setup_reviewed(ctx, since)
        return [
            self.finding(
                branch.id,
                f"{branch.name}近{months}个月未进行组织设置年度体检",
                period=window(ctx),
                numbers={"months": months, "since": since.isoformat()},
            )
            for branch in (await data.branches(ctx)).values()
            if branch.id not in reviewed
        ]


RULES: tuple[type[Rule], ...] = (
    BranchMinFullMembers,
    JointBranchMaxUnits,
    BranchMaxMembers,
    BranchNeedsPartyGroups,
    PartyGroupMinMembers,
    PartyGroupNeedsFullMember,
    PartyGroupNeedsLeader,
    AnnualSetupReview,
)
