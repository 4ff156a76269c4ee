"""Rules of the committee-level assessment cadence (年初有部署、季度有检查、半年有点评、年终有考核).

One MISSING and one LATE rule per stage, over the calendar's expected artefacts of every holder
organization (``assessment.holder_kinds``, the 党委 by default): ``ASSESSMENT_DEPLOYMENT_MISSING``,
``ASSESSMENT_QUARTERLY_CHECK_MISSING``, ``ASSESSMENT_HALF_YEAR_REVIEW_MISSING``,
``ASSESSMENT_YEAR_END_ASSESSMENT_MISSING`` and their ``_LATE``. The findings are the committee's
(its organization, no branch): they cost no branch points.
"""

from __future__ import annotations

from core.standards import data
from core.standards.api import Area, Finding, Rule, RuleContext, Severity
from core.standards.assessment import STAGES, kind_of
from core.standards.calendar import SlotStatus, assessment_calendar, period_text
from core.standards.models import AssessmentStage


class _AssessmentRule(Rule):
    stage: AssessmentStage = AssessmentStage.DEPLOYMENT
    status: SlotStatus = SlotStatus.MISSING
    area = Area.MECHANISMS
    source = "domain §5 (seed: 年初有部署、季度有检查、半年有点评、年终有考核)"

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        kind = kind_of(self.stage)
        label = STAGES[self.stage].label
        entries = [e for e in await assessment_calendar(ctx) if e.kind == kind and e.status is self.status]
        if not entries:
            return []
        holders = await data.orgs_of_kinds(
            ctx, frozenset(ctx.section("assessment").get("holder_kinds") or ())
        )
        out = []
        for entry in entries:
            org = holders.get(entry.organization_id)
            name = org.name if org else ""
            when = period_text(entry.period)
            if self.status is SlotStatus.MISSING:
                message = f"{name}{when}的{label}未记录（应于{entry.due.isoformat()}前完成）"
            else:
                message = (
                    f"{name}{when}的{label}于{entry.held_on[0].isoformat()}完成，晚于{entry.due.isoformat()}"
                )
            out.append(
                self.finding(
                    entry.organization_id,
                    message,
                    period=entry.period,
                    numbers={
                        **entry.numbers,
                        "stage": self.stage.value,
                        "due": entry.due.isoformat(),
                        "held_on": [d.isoformat() for d in entry.held_on],
                    },
                )
            )
        return out


def _rule(stage: AssessmentStage, status: SlotStatus, title: str, severity: Severity) -> type[Rule]:
    spec = STAGES[stage]
    name = "".join(part.title() for part in f"assessment_{stage.value}_{status.value}".split("_"))
    return type(
        name,
        (_AssessmentRule,),
        {
            "code": f"{kind_of(stage)}_{status.value}",
            "title": title,
            "severity": severity,
            "stage": stage,
            "status": status,
            "config_keys": ("assessment.holder_kinds", f"assessment.{spec.due_key}"),
            "__doc__": f"{spec.label}: {status.value}",
        },
    )


RULES: tuple[type[Rule], ...] = (
    _rule(AssessmentStage.DEPLOYMENT, SlotStatus.MISSING, "年初有部署", Severity.ERROR),
    _rule(AssessmentStage.DEPLOYMENT, SlotStatus.LATE, "年初部署按时完成", Severity.INFO),
    _rule(AssessmentStage.QUARTERLY_CHECK, SlotStatus.MISSING, "季度有检查", Severity.WARNING),
    _rule(AssessmentStage.QUARTERLY_CHECK, SlotStatus.LATE, "季度检查按时完成", Severity.INFO),
    _rule(AssessmentStage.HALF_YEAR_REVIEW, SlotStatus.MISSING, "半年有点评", Severity.ERROR),
    _rule(AssessmentStage.HALF_YEAR_REVIEW, SlotStatus.LATE, "半年点评按时完成", Severity.INFO),
    _rule(AssessmentStage.YEAR_END_ASSESSMENT, SlotStatus.MISSING, "年终有考核", Severity.ERROR),
    _rule(AssessmentStage.YEAR_END_ASSESSMENT, SlotStatus.LATE, "年终考核按时完成", Severity.INFO),
)
