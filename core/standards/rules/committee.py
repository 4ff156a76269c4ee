"""Rules of the branch committee (支委会/班子), domain §2."""

from __future__ import annotations

from core.standards import data
from core.standards.api import Area, Finding, Rule, RuleContext, Severity
from core.standards.rules.organization import MEMBERLESS_KINDS, number, window
from core.terms import term_config_key, term_years

ROLE_LABELS = {
    "SECRETARY": "书记",
    "DEPUTY_SECRETARY": "副书记",
    "ORGANIZATION": "组织委员",
    "PUBLICITY": "宣传委员",
    "DISCIPLINE": "纪检委员",
    "MEMBER": "委员",
}


class CommitteeRequired(Rule):
    code = "COMMITTEE_REQUIRED"
    title = "正式党员7人以上的党支部应设立支部委员会"
    area = Area.LEADERSHIP
    severity = Severity.ERROR
    source = "domain §2"
    config_keys = ("organization.committee_threshold_full_members",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        threshold = int(number(ctx, "organization", "committee_threshold_full_members"))
        counts = await data.member_counts(ctx)
        terms = await data.live_terms(ctx)
        out = []
        for branch in (await data.branches(ctx)).values():
            full = counts.get(branch.id, data.Counts()).full
            if branch.kind in MEMBERLESS_KINDS or full < threshold or branch.id in terms:
                continue
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}有正式党员{full}名（{threshold}名以上），未设立支部委员会",
                    period=window(ctx),
                    numbers={"full_members": full, "threshold": threshold},
                )
            )
        return out


class CommitteeSize(Rule):
    code = "COMMITTEE_SIZE"
    title = "支部委员会由3至5人组成，一般不超过7人"
    area = Area.LEADERSHIP
    severity = Severity.ERROR
    source = "domain §2"
    config_keys = (
        "organization.committee_threshold_full_members",
        "organization.committee_min_seats",
        "organization.committee_max_seats",
        "organization.committee_hard_max_seats",
    )

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        org = ctx.config["organization"]
        threshold = int(org["committee_threshold_full_members"])
        low, high, hard = (
            int(org[k]) for k in ("committee_min_seats", "committee_max_seats", "committee_hard_max_seats")
        )
        counts = await data.member_counts(ctx)
        terms = await data.live_terms(ctx)
        out = []
        for branch in (await data.branches(ctx)).values():
            term = terms.get(branch.id)
            full = counts.get(branch.id, data.Counts()).full
            if term is None or branch.kind in MEMBERLESS_KINDS or full < threshold:
                continue
            numbers = {"people": term.people, "min": low, "max": high, "hard_max": hard}
            if term.people < low:
                message, severity = (
                    f"{branch.name}支部委员会现有委员{term.people}人，少于{low}人",
                    Severity.ERROR,
                )
            elif term.people > hard:
                message, severity = (
                    f"{branch.name}支部委员会现有委员{term.people}人，超过{hard}人",
                    Severity.ERROR,
                )
            elif term.people > high:
                message = f"{branch.name}支部委员会现有委员{term.people}人，一般应为{low}至{high}人"
                severity = Severity.INFO
            else:
                continue
            out.append(
                self.finding(branch.id, message, period=window(ctx), numbers=numbers, severity=severity)
            )
        return out


class SecretaryRequired(Rule):
    code = "SECRETARY_REQUIRED"
    title = "党支部应配备书记"
    area = Area.LEADERSHIP
    severity = Severity.ERROR
    source = "domain §2"

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        terms = await data.live_terms(ctx)
        out = []
        for branch in (await data.branches(ctx)).values():
            term = terms.get(branch.id)
            if term is None or term.secretaries == 0:
                out.append(self.finding(branch.id, f"{branch.name}未配备支部书记", period=window(ctx)))
        return out


class DisciplineDesigneeRequired(Rule):
    code = "DISCIPLINE_DESIGNEE_REQUIRED"
    title = "党支部应有纪检委员或指定一名党员负责纪检工作"
    area = Area.LEADERSHIP
    severity = Severity.WARNING
    source = "domain §2"
    config_keys = ("organization.committee_threshold_full_members",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        threshold = int(number(ctx, "organization", "committee_threshold_full_members"))
        counts = await data.member_counts(ctx)
        terms = await data.live_terms(ctx)
        out = []
        for branch in (await data.branches(ctx)).values():
            if branch.kind in MEMBERLESS_KINDS:
                continue
            term = terms.get(branch.id)
            if term is not None and term.discipline > 0:
                continue
            full = counts.get(branch.id, data.Counts()).full
            if full >= threshold:
                message = f"{branch.name}支部委员会未设纪检委员"
            else:
                message = f"{branch.name}正式党员不足{threshold}人，应指定一名党员负责纪检工作，目前未指定"
            out.append(
                self.finding(
                    branch.id,
                    message,
                    period=window(ctx),
                    numbers={"full_members": full, "threshold": threshold},
                )
            )
        return out


class CommitteeTermExpired(Rule):
    code = "COMMITTEE_TERM_EXPIRED"
    title = "班子任期届满应按期换届"
    area = Area.LEADERSHIP
    severity = Severity.ERROR
    source = "domain §2"

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        return [
            self.finding(
                term.organization_id,
                f"{term.name}本届班子任期已于{term.ends_on.isoformat()}届满，尚未换届",
                period=window(ctx),
                numbers={
                    "ends_on": term.ends_on.isoformat(),
                    "days_overdue": (ctx.as_of - term.ends_on).days,
                },
            )
            for term in (await data.live_terms(ctx)).values()
            if term.ends_on < ctx.as_of
        ]


class CommitteeTermLength(Rule):
    code = "COMMITTEE_TERM_LENGTH"
    title = "任期符合规定（党支部、党总支3年，党委和村、社区党组织5年），延期或提前换届不超过1年"
    area = Area.LEADERSHIP
    severity = Severity.WARNING
    source = "domain §2"
    config_keys = (
        "committee.term_years",
        "committee.term_years_by_kind",
        "committee.term_years_by_sector",
        "standards.term_extension_max_years",
    )

    def years_for(self, ctx: RuleContext, term: data.TermInfo) -> int:
        """Term length of the term's organization: the same numbers the default term uses."""
        return term_years(ctx.config, term.kind, term.sector)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        slack = int(number(ctx, "standards", "term_extension_max_years"))
        out = []
        for term in (await data.live_terms(ctx)).values():
            years = self.years_for(ctx, term)
            earliest = data.add_months(term.starts_on, (years - slack) * 12)
            latest = data.add_months(term.starts_on, (years + slack) * 12)
            if earliest <= term.ends_on <= latest:
                continue
            out.append(
                self.finding(
                    term.organization_id,
                    f"{term.name}本届任期{term.starts_on.isoformat()}至{term.ends_on.isoformat()}，"
                    f"与{years}年任期相差超过{slack}年",
                    period=window(ctx),
                    numbers={
                        "term_years": years,
                        "term_years_key": term_config_key(ctx.config, term.kind, term.sector),
                        "max_deviation_years": slack,
                        "starts_on": term.starts_on.isoformat(),
                        "ends_on": term.ends_on.isoformat(),
                    },
                )
            )
        return out


class CommitteeTermEndingSoon(Rule):
    code = "COMMITTEE_TERM_ENDING_SOON"
    title = "任期届满前6个月提醒换届"
    area = Area.LEADERSHIP
    severity = Severity.INFO
    source = "domain §2"
    config_keys = ("standards.term_ending_soon_months",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        months = int(number(ctx, "standards", "term_ending_soon_months"))
        horizon = data.add_months(ctx.as_of, months)
        return [
            self.finding(
                term.organization_id,
                f"{term.name}本届班子将于{term.ends_on.isoformat()}任期届满，请做好换届准备",
                period=window(ctx),
                numbers={"ends_on": term.ends_on.isoformat(), "months_ahead": months},
            )
            for term in (await data.live_terms(ctx)).values()
            if ctx.as_of <= term.ends_on <= horizon
        ]


class SeatVacant(Rule):
    code = "SEAT_VACANT"
    title = "班子职位出现空缺应及时补齐"
    area = Area.LEADERSHIP
    severity = Severity.WARNING
    source = "domain §2"

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        out = []
        for term in (await data.live_terms(ctx)).values():
            if term.vacant == 0:
                continue
            roles = "、".join(ROLE_LABELS.get(r, r) for r in term.vacant_roles)
            out.append(
                self.finding(
                    term.organization_id,
                    f"{term.name}班子有{term.vacant}个职位空缺（{roles}），应及时补齐",
                    period=window(ctx),
                    numbers={"vacant": term.vacant, "roles": list(term.vacant_roles)},
                )
            )
        return out


RULES: tuple[type[Rule], ...] = (
    CommitteeRequired,
    CommitteeSize,
    SecretaryRequired,
    DisciplineDesigneeRequired,
    CommitteeTermExpired,
    CommitteeTermLength,
    CommitteeTermEndingSoon,
    SeatVacant,
)
