"""Rules of organizational life (组织生活), domain §3: the expected-activity calendar, themed-day
attendance, heart-to-heart coverage and meeting quorums."""

from __future__ import annotations

import datetime as dt
import json

from core import sql
from core.registry import ActivityKindSpec, Period
from core.standards import data
from core.standards.api import Area, Finding, Rule, RuleContext, Severity
from core.standards.calendar import HEART_TO_HEART, SlotStatus, calendar_entries, period_text
from core.standards.rules.organization import number, window

#: Area of a kind's calendar findings (other kinds, e.g. plugin kinds: ORGANIZATIONAL_LIFE).
KIND_AREAS: dict[str, Area] = {
    "DEMOCRATIC_APPRAISAL": Area.MEMBER_EDUCATION,
    "HEART_TO_HEART": Area.MEMBER_EDUCATION,
}

CYCLE_TEXT = {
    Period.WEEK: "每周",
    Period.MONTH: "每月",
    Period.QUARTER: "每季度",
    Period.HALF_YEAR: "每半年",
    Period.YEAR: "每年",
}


class CalendarRule(Rule):
    """``<KIND>_MISSING`` / ``<KIND>_LATE`` for one activity kind with a cycle or key dates."""

    def __init__(self, spec: ActivityKindSpec, status: SlotStatus):
        assert spec.scheduled
        self.spec = spec
        self.status = status
        self.code = f"{spec.code}_{status.value}"  # type: ignore[misc]
        if spec.cycle is not None:
            cycle = CYCLE_TEXT.get(spec.cycle.period, "")
            times = f"{spec.cycle.times}次" if spec.cycle.times > 1 else ""
            missing_title = f"{spec.label}{cycle}至少{times or '1次'}"
            yearly = spec.cycle.period in (Period.YEAR, Period.HALF_YEAR)
        else:  # key dates the tenant configures
            missing_title = f"在重要节点开展{spec.label}"
            yearly = False
        if status is SlotStatus.MISSING:
            self.title = missing_title  # type: ignore[misc]
            self.severity = Severity.ERROR if yearly else Severity.WARNING  # type: ignore[misc]
        else:
            self.title = f"{spec.label}按时开展"  # type: ignore[misc]
            self.severity = Severity.INFO  # type: ignore[misc]
        self.area = KIND_AREAS.get(spec.code, Area.ORGANIZATIONAL_LIFE)  # type: ignore[misc]
        self.plugin = spec.plugin  # type: ignore[misc]
        self.source = "domain §3" if spec.plugin is None else f"plugin {spec.plugin}"  # type: ignore[misc]
        self.config_keys = ("standards.grace_days",)  # type: ignore[misc]
        if spec.code == "THEMED_PARTY_DAY":
            self.config_keys = (  # type: ignore[misc]
                "activities.themed_party_day",
                "standards.themed_day_tolerance_days",
                "standards.grace_days",
            )
        if spec.due_days is not None:
            self.config_keys = (spec.due_days, "standards.grace_days")  # type: ignore[misc]
        if spec.key_dates is not None:
            self.config_keys = (  # type: ignore[misc]
                spec.key_dates,
                "standards.key_date_tolerance_days",
                "standards.grace_days",
            )

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        names = {**{b.id: b.name for b in (await data.branches(ctx)).values()}}
        names.update({g.id: g.name for g in (await data.party_groups(ctx)).values()})
        out = []
        for entry in await calendar_entries(ctx, self.spec.code, self.status):
            name = names.get(entry.organization_id, "")
            when = period_text(entry.period)
            if entry.numbers.get("key_date"):
                when += f"（{entry.numbers['key_date']}）"
            if self.status is SlotStatus.MISSING:
                message = f"{name}{when}应开展{self.spec.label}{entry.expected}次，实际{len(entry.held_on)}次"
            else:
                held = "、".join(day.isoformat() for day in entry.held_on)
                message = f"{name}{when}的{self.spec.label}延期至{held}开展（应于{entry.due.isoformat()}前）"
            out.append(
                self.finding(
                    entry.organization_id,
                    message,
                    period=entry.period,
                    numbers={
                        **entry.numbers,
                        "due": entry.due.isoformat(),
                        "held_on": [d.isoformat() for d in entry.held_on],
                    },
                    branch_id=entry.branch_id,
                )
            )
        return out


class HeartToHeartCoverage(Rule):
    code = "HEART_TO_HEART_COVERAGE"
    title = "谈心谈话每年覆盖全体党员"
    area = Area.MEMBER_EDUCATION
    severity = Severity.WARNING
    source = "domain §3"
    config_keys = ("standards.heart_to_heart_min_coverage",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        names = {b.id: b.name for b in (await data.branches(ctx)).values()}
        out = []
        for entry in await calendar_entries(ctx, HEART_TO_HEART, SlotStatus.MISSING):
            n = entry.numbers
            out.append(
                self.finding(
                    entry.organization_id,
                    f"{names.get(entry.organization_id, '')}{period_text(entry.period)}谈心谈话覆盖"
                    f"{n['reached']}/{n['members']}名党员（{n['coverage']:.0%}），应达到{n['min_coverage']:.0%}",
                    period=entry.period,
                    numbers=dict(n),
                    branch_id=entry.branch_id,
                )
            )
        return out


class HeartToHeartTriggerMissing(Rule):
    """谈心谈话“四必谈”: a recorded occasion (岗位变动、组织处置、家庭变故、苗头性问题) needs a
    heart-to-heart talk listing the member present within ``standards.heart_to_heart_trigger_days``."""

    code = "HEART_TO_HEART_TRIGGER_MISSING"
    title = "岗位变动、组织处置、家庭变故、发现苗头性问题必谈"
    area = Area.MEMBER_EDUCATION
    severity = Severity.WARNING
    source = "domain §3"
    config_keys = ("standards.heart_to_heart_trigger_days",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        from core.models import TALK_TRIGGER_LABELS

        days = int(number(ctx, "standards", "heart_to_heart_trigger_days"))
        rows = await sql.fetch(
            "SELECT g.id AS trigger_id, g.organization_id AS org_id, g.member_id AS member_id, "
            "g.kind AS kind, g.occurred_on AS occurred_on, m.name AS name, "
            "(SELECT MIN(a.held_on) FROM activity a JOIN attendance t "
            "ON t.activity_id = a.id AND t.tenant_id = a.tenant_id "
            "WHERE a.tenant_id = g.tenant_id AND a.kind = 'HEART_TO_HEART' AND a.cancelled_on IS NULL "
            "AND t.member_id = g.member_id AND t.status = 'PRESENT' AND a.held_on >= g.occurred_on) "
            "AS talked_on FROM talk_trigger g "
            "JOIN organization o ON o.id = g.organization_id AND o.tenant_id = g.tenant_id "
            "JOIN member m ON m.id = g.member_id AND m.tenant_id = g.tenant_id "
            "WHERE g.tenant_id = :tenant_id AND o.path LIKE :prefix "
            "AND g.occurred_on >= :start AND g.occurred_on <= :end ORDER BY g.occurred_on, g.id",
            prefix=data.prefix(ctx),
            start=ctx.period_start,
            end=ctx.period_end,
        )
        branches = await data.branches(ctx)
        out = []
        for r in rows:
            branch = branches.get(r["org_id"])
            if branch is None:
                continue
            occurred = data.as_date(r["occurred_on"])
            due = occurred + dt.timedelta(days=days)
            talked = data.as_date(r["talked_on"]) if r["talked_on"] is not None else None
            if talked is not None and talked <= due:
                continue
            if talked is None and due >= ctx.today:
                continue  # still due
            label = TALK_TRIGGER_LABELS.get(r["kind"], r["kind"])
            done = f"至{talked.isoformat()}才谈" if talked else "尚未谈心谈话"
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}党员{r['name']}{occurred.isoformat()}{label}，应在{days}天内"
                    f"（{due.isoformat()}前）谈心谈话，{done}",
                    period=f"{occurred.year}-{occurred.month:02d}",
                    numbers={
                        "trigger_id": r["trigger_id"],
                        "member_id": r["member_id"],
                        "kind": r["kind"],
                        "occurred_on": occurred.isoformat(),
                        "due": due.isoformat(),
                        "talked_on": talked.isoformat() if talked else None,
                        "trigger_days": days,
                    },
                )
            )
        return out


class ThemedDayAttendanceLow(Rule):
    code = "THEMED_DAY_ATTENDANCE_LOW"
    title = "主题党日平均参加率不低于80%"
    area = Area.ORGANIZATIONAL_LIFE
    severity = Severity.WARNING
    source = "domain §3"
    config_keys = ("activities.themed_day_min_attendance",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        minimum = float(number(ctx, "activities", "themed_day_min_attendance"))
        rows = await sql.fetch(
            "SELECT x.org_id AS org_id, AVG(x.rate) AS rate, COUNT(*) AS activities FROM ("
            "SELECT a.organization_id AS org_id, "
            "SUM(CASE WHEN t.status = 'PRESENT' THEN 1.0 ELSE 0.0 END) / COUNT(t.id) AS rate "
            "FROM activity a JOIN organization o ON o.id = a.organization_id AND o.tenant_id = a.tenant_id "
            "JOIN attendance t ON t.activity_id = a.id AND t.tenant_id = a.tenant_id "
            "WHERE a.tenant_id = :tenant_id AND o.path LIKE :prefix AND a.kind = 'THEMED_PARTY_DAY' "
            "AND a.cancelled_on IS NULL AND a.held_on >= :start AND a.held_on <= :end "
            "GROUP BY a.id, a.organization_id) x GROUP BY x.org_id",
            prefix=data.prefix(ctx),
            start=ctx.period_start,
            end=ctx.period_end,
        )
        branches = await data.branches(ctx)
        out = []
        for r in rows:
            rate = float(r["rate"])
            branch = branches.get(r["org_id"])
            if branch is None or rate >= minimum:
                continue
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}主题党日平均参加率{rate:.0%}，低于{minimum:.0%}",
                    period=window(ctx),
                    numbers={"rate": round(rate, 4), "min_rate": minimum, "activities": int(r["activities"])},
                )
            )
        return out


class LeaderDualLifeMissed(Rule):
    code = "LEADER_DUAL_LIFE_MISSED"
    title = "党员领导干部以普通党员身份参加所在支部组织生活会和党课（双重组织生活）"
    area = Area.ORGANIZATIONAL_LIFE
    severity = Severity.WARNING
    source = "domain §2 (seed: 双重组织生活)"
    config_keys = ("dual_life.life_meetings_per_year", "dual_life.party_lectures_per_year")

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        """Leaders (member category LEADER) who attended fewer of their own branch's life meetings or
        party lectures, from the window's start to the day judged on, than its share of
        ``dual_life.*_per_year``: one finding per branch naming them."""
        from core.lifecycle.dual_life import leader_attendance, requirement, skipped

        need = requirement(ctx.config, ctx.period_start, ctx.as_of)
        if need.life_meetings == 0 and need.party_lectures == 0:
            return []
        branches = await data.branches(ctx)
        missed: dict[int, list[dict]] = {}
        for row in await leader_attendance(ctx.period_start, ctx.as_of, prefix=data.prefix(ctx)):
            if row["org_id"] in branches and skipped(row, need):
                missed.setdefault(row["org_id"], []).append(row)
        out = []
        for org_id, rows in missed.items():
            branch = branches[org_id]
            names = "、".join(
                f"{r['name']}（组织生活会{r['life_meetings']}/{need.life_meetings}次，"
                f"党课{r['party_lectures']}/{need.party_lectures}次）"
                for r in rows
            )
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}有{len(rows)}名党员领导干部未按要求参加所在支部组织生活：{names}",
                    period=window(ctx),
                    numbers={
                        "leaders": [
                            {
                                "member_id": r["member_id"],
                                "life_meetings": r["life_meetings"],
                                "party_lectures": r["party_lectures"],
                            }
                            for r in rows
                        ],
                        "life_meetings_required": need.life_meetings,
                        "party_lectures_required": need.party_lectures,
                    },
                )
            )
        return out


class ThemedDayPartsMissing(Rule):
    """主题党日“4+X”: every themed party day does the four required parts (the tenant's list in
    ``activities.themed_day_required_parts``); a day that recorded none of them lacks all four."""

    code = "THEMED_DAY_PARTS_MISSING"
    title = "主题党日完成“4+X”四项规定动作"
    area = Area.ORGANIZATIONAL_LIFE
    severity = Severity.WARNING
    source = "domain §3"
    config_keys = ("activities.themed_day_required_parts",)

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        required = list(ctx.config["activities"]["themed_day_required_parts"])
        if not required:
            return []
        rows = await sql.fetch(
            "SELECT a.id AS activity_id, a.organization_id AS org_id, a.held_on AS held_on, a.extra AS extra "
            "FROM activity a JOIN organization o ON o.id = a.organization_id AND o.tenant_id = a.tenant_id "
            "WHERE a.tenant_id = :tenant_id AND o.path LIKE :prefix AND a.kind = 'THEMED_PARTY_DAY' "
            "AND a.cancelled_on IS NULL AND a.held_on >= :start AND a.held_on <= :end "
            "ORDER BY a.held_on, a.id",
            prefix=data.prefix(ctx),
            start=ctx.period_start,
            end=ctx.period_end,
        )
        branches = await data.branches(ctx)
        out = []
        for r in rows:
            branch = branches.get(r["org_id"])
            if branch is None:
                continue
            extra = r["extra"]
            if isinstance(extra, str | bytes):
                extra = json.loads(extra or "{}")
            done = set((extra or {}).get("parts") or ())
            missing = [p for p in required if p["code"] not in done]
            if not missing:
                continue
            held = data.as_date(r["held_on"])
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}{held.isoformat()}的主题党日缺少规定动作："
                    + "、".join(p["label"] for p in missing),
                    period=f"{held.year}-{held.month:02d}",
                    numbers={
                        "activity_id": r["activity_id"],
                        "held_on": held.isoformat(),
                        "missing": [p["code"] for p in missing],
                        "required": [p["code"] for p in required],
                    },
                )
            )
        return out


#: A full member of the activity's branch on the day it was held (full since then).
_ROSTER = (
    "m.tenant_id = a.tenant_id AND m.branch_id = a.organization_id AND m.status = 'FULL' "
    "AND COALESCE(m.confirmed_on, m.joined_on, a.held_on) <= a.held_on"
)
#: A seat of the activity organization's committee held by someone on the day it was held
#: (``ct`` the term, ``s`` the seat; reached through the term's organization index).
_SEATED = (
    "ct.tenant_id = a.tenant_id AND ct.organization_id = a.organization_id AND ct.starts_on <= a.held_on "
    "AND (ct.closed_on IS NULL OR ct.closed_on > a.held_on) AND s.member_id IS NOT NULL "
    "AND COALESCE(s.started_on, a.held_on) <= a.held_on AND (s.ended_on IS NULL OR s.ended_on > a.held_on)"
)
#: The meetings of the rule's kind in the scope and period (``a`` the activity, ``o`` its organization).
_MEETINGS_FROM = (
    "FROM activity a JOIN organization o ON o.id = a.organization_id AND o.tenant_id = a.tenant_id "
)
_MEETINGS_WHERE = (
    "WHERE a.tenant_id = :tenant_id AND o.path LIKE :prefix AND a.kind = :kind "
    "AND a.cancelled_on IS NULL AND a.held_on >= :start AND a.held_on <= :end "
)
#: The attendance row of ``{who}`` at the activity (at most one per activity and member: the
#: table's unique key); the rule counts those with status PRESENT.
_PRESENT = (
    "LEFT JOIN attendance t ON t.tenant_id = a.tenant_id AND t.activity_id = a.id AND t.member_id = {who}"
)


class _QuorumRule(Rule):
    """More than ``standards.quorum_share`` of those entitled present. Entitled is not the
    attendance list: ``entitled_join`` joins them (the roster, the committee seats) for the day the
    meeting was held, and only those of them marked PRESENT count as present.

    One set-based statement per rule (:meth:`statement`): the meetings of the kind, joined to those
    entitled on their day, left-joined to each one's attendance row, grouped by meeting
    (``entitled`` / ``present`` are the counts over that join; the congress rule counts the two
    apart, see it). A meeting nobody was entitled to has no row (the rule skips those anyway)."""

    kind = ""
    what = ""
    entitled_join = ""
    entitled = ""
    present = ""
    area = Area.MECHANISMS
    severity = Severity.WARNING
    source = "domain §2 (Party rules)"
    config_keys = ("standards.quorum_share",)

    def statement(self) -> str:
        """The grouped statement: meeting × entitled, left-joined to attendance (``entitled_join``
        ends with that join), counted by ``entitled`` / ``present``."""
        return (
            "SELECT a.id AS activity_id, a.organization_id AS org_id, a.held_on AS held_on, "
            f"{self.entitled} AS entitled, {self.present} AS present "
            f"{_MEETINGS_FROM}{self.entitled_join} {_MEETINGS_WHERE}"
            "GROUP BY a.id, a.organization_id, a.held_on"
        )

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        share = float(number(ctx, "standards", "quorum_share"))
        rows = await sql.fetch(
            self.statement(),
            prefix=data.prefix(ctx),
            kind=self.kind,
            start=ctx.period_start,
            end=ctx.period_end,
        )
        branches = await data.branches(ctx)
        out = []
        for r in rows:
            present, entitled = int(r["present"] or 0), int(r["entitled"] or 0)
            branch = branches.get(r["org_id"])
            if branch is None or entitled == 0 or present > share * entitled:
                continue
            held: dt.date = data.as_date(r["held_on"])
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}{held.isoformat()}召开的{self.what}应到{entitled}人、实到{present}人，"
                    f"未超过{share:.0%}，不符合开会人数要求",
                    period=f"{held.year}-{held.month:02d}",
                    numbers={
                        "activity_id": r["activity_id"],
                        "entitled": entitled,
                        "present": present,
                        "quorum_share": share,
                        "held_on": held.isoformat(),
                    },
                )
            )
        return out


class CongressQuorumNotMet(_QuorumRule):
    """Entitled: the branch's full members on that day (the roster), not the attendance list.

    Two grouped aggregates joined by meeting rather than the roster left-joined to attendance: for
    that join PostgreSQL probes attendance by member and reads every attendance row of each member
    for each meeting (1.6M rows rejected on the 2,000-branch bench, ~0.9 s); counted apart, the
    roster per meeting comes from the member index and the PRESENT rows of the meetings are joined
    to their member once (~0.5 s). Same counts: a member is present when on the roster and marked
    PRESENT at the meeting (one attendance row per meeting and member)."""

    code = "CONGRESS_QUORUM_NOT_MET"
    title = "党员大会有表决权的到会人数超过应到人数的半数"
    kind = "MEMBER_CONGRESS"
    what = "党员大会（正式党员）"

    def statement(self) -> str:
        return (
            "SELECT e.activity_id AS activity_id, e.org_id AS org_id, e.held_on AS held_on, "
            "e.entitled AS entitled, COALESCE(p.present, 0) AS present FROM ("
            "SELECT a.id AS activity_id, a.organization_id AS org_id, a.held_on AS held_on, "
            f"COUNT(*) AS entitled {_MEETINGS_FROM}JOIN member m ON {_ROSTER} {_MEETINGS_WHERE}"
            "GROUP BY a.id, a.organization_id, a.held_on) e LEFT JOIN ("
            f"SELECT a.id AS activity_id, COUNT(*) AS present {_MEETINGS_FROM}"
            "JOIN attendance t ON t.tenant_id = a.tenant_id AND t.activity_id = a.id "
            f"AND t.status = 'PRESENT' JOIN member m ON m.id = t.member_id AND {_ROSTER} {_MEETINGS_WHERE}"
            "GROUP BY a.id) p ON p.activity_id = e.activity_id"
        )


class CommitteeQuorumNotMet(_QuorumRule):
    code = "COMMITTEE_QUORUM_NOT_MET"
    title = "支委会到会委员超过半数"
    kind = "COMMITTEE_MEETING"
    what = "支委会（委员）"
    # entitled: the people holding a committee seat that day, not the attendance list
    entitled_join = (
        f"JOIN committee_term ct ON ct.organization_id = a.organization_id AND ct.tenant_id = a.tenant_id "
        f"JOIN committee_seat s ON s.term_id = ct.id AND s.tenant_id = ct.tenant_id AND {_SEATED} "
        + _PRESENT.format(who="s.member_id")
    )
    entitled = "COUNT(DISTINCT s.member_id)"
    present = "COUNT(DISTINCT CASE WHEN t.status = 'PRESENT' THEN t.member_id END)"


def calendar_rules(kinds: list[ActivityKindSpec]) -> list[Rule]:
    """MISSING and LATE rules for every kind with a cycle or key dates (heart-to-heart has its
    coverage rule)."""
    rules: list[Rule] = []
    for spec in kinds:
        if not spec.scheduled or spec.code == HEART_TO_HEART:
            continue
        rules.append(CalendarRule(spec, SlotStatus.MISSING))
        rules.append(CalendarRule(spec, SlotStatus.LATE))
    return rules


RULES: tuple[type[Rule], ...] = (
    HeartToHeartCoverage,
    HeartToHeartTriggerMissing,
    ThemedDayAttendanceLow,
    ThemedDayPartsMissing,
    CongressQuorumNotMet,
    CommitteeQuorumNotMet,
    LeaderDualLifeMissed,
)
