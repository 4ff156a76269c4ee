"""The committee-level assessment cadence (年初有部署、季度有检查、半年有点评、年终有考核).

Every organization of the kinds in ``assessment.holder_kinds`` (the 党委 by default) owes, per
year: a deployment (年初部署, covering the year), a check per quarter (季度检查), a review of the
first half year (半年点评) and a year-end assessment (年终考核). Each artefact is an
:class:`AssessmentRecord` naming the stage and the period it covers, so a year-end assessment
held in January counts for the year it assesses, not the new one.

An expected artefact is due (tenant config, versioned):

- the deployment ``assessment.deployment_due_days`` (31) after 1 January, counting 1 January;
- a quarterly check ``assessment.quarterly_check_due_days`` (0) after the quarter's last day;
- the half-year review ``assessment.half_year_review_due_days`` (0) after 30 June;
- the year-end assessment ``assessment.year_end_assessment_due_days`` (0) after 31 December.

Recorded by then: DONE; recorded later: LATE; not recorded and the due day passed: MISSING; else
PENDING. The calendar lists the expected artefacts beside the activities; the rules
``ASSESSMENT_<STAGE>_MISSING`` / ``_LATE`` report them (``core/standards/rules/assessment.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import audit
from core.error_codes import StandardsErrorCode
from core.errors import DomainError, ValidationFailed
from core.guard import current_principal, require
from core.models import Organization
from core.standards.api import RuleContext
from core.standards.models import AssessmentRecord, AssessmentStage
from core.tenancy import current_tenant_id
from core.years import check_year


@dataclass(frozen=True)
class StageSpec:
    stage: AssessmentStage
    label: str
    #: the calendar's cycle label of the stage
    cycle: str
    #: the config key (section ``assessment``) of its due days
    due_key: str


STAGES: dict[AssessmentStage, StageSpec] = {
    spec.stage: spec
    for spec in (
        StageSpec(AssessmentStage.DEPLOYMENT, "年初部署", "YEAR", "deployment_due_days"),
        StageSpec(AssessmentStage.QUARTERLY_CHECK, "季度检查", "QUARTER", "quarterly_check_due_days"),
        StageSpec(AssessmentStage.HALF_YEAR_REVIEW, "半年点评", "HALF_YEAR", "half_year_review_due_days"),
        StageSpec(AssessmentStage.YEAR_END_ASSESSMENT, "年终考核", "YEAR", "year_end_assessment_due_days"),
    )
}

#: The calendar's ``kind`` of a stage (``ASSESSMENT_QUARTERLY_CHECK``); rule codes add _MISSING/_LATE.
KIND_PREFIX = "ASSESSMENT_"


def kind_of(stage: AssessmentStage) -> str:
    return f"{KIND_PREFIX}{stage.value}"


@dataclass(frozen=True)
class ExpectedArtefact:
    stage: AssessmentStage
    period: str
    start: dt.date
    end: dt.date
    due: dt.date


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def period_of(stage: AssessmentStage, year: int, quarter: int | None) -> str:
    """The period label an artefact covers: ``2025``, ``2025-Q2``, ``2025-H1``."""
    if stage is AssessmentStage.QUARTERLY_CHECK:
        if quarter is None or not 1 <= quarter <= 4:
            raise ValidationFailed("季度检查须注明第几季度（1至4）", field="quarter")
        return f"{year}-Q{quarter}"
    if quarter is not None:
        raise ValidationFailed("只有季度检查注明季度", field="quarter")
    if stage is AssessmentStage.HALF_YEAR_REVIEW:
        return f"{year}-H1"
    return f"{year}"


def expected(config: dict, year: int) -> list[ExpectedArtefact]:
    """The artefacts a holder owes for ``year``, with their due days from ``config`` (effective)."""
    section = (config.get("assessment") or {}).items()
    days = {**_NO_DAYS, **{key: int(value) for key, value in section if key.endswith("_due_days")}}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = [
        ExpectedArtefact(
            AssessmentStage.DEPLOYMENT,
            f"{year}",
            first,
            last,
            first + dt.timedelta(days=max(days["deployment_due_days"], 1) - 1),
        )
    ]
    for quarter in range(1, 5):
        start = dt.date(year, quarter * 3 - 2, 1)
        end = _quarter_end(year, quarter)
        out.append(
            ExpectedArtefact(
                AssessmentStage.QUARTERLY_CHECK,
                f"{year}-Q{quarter}",
                start,
                end,
                end + dt.timedelta(days=days["quarterly_check_due_days"]),
            )
        )
        if quarter == 2:
            out.append(
                ExpectedArtefact(
                    AssessmentStage.HALF_YEAR_REVIEW,
                    f"{year}-H1",
                    first,
                    end,
                    end + dt.timedelta(days=days["half_year_review_due_days"]),
                )
            )
    out.append(
        ExpectedArtefact(
            AssessmentStage.YEAR_END_ASSESSMENT,
            f"{year}",
            first,
            last,
            last + dt.timedelta(days=days["year_end_assessment_due_days"]),
        )
    )
    return out


def expected_between(config: dict, start: dt.date, end: dt.date) -> list[ExpectedArtefact]:
    """Expected artefacts whose covered period overlaps [start, end], in due order."""
    items = [
        item
        for year in range(start.year, end.year + 1)
        for item in expected(config, year)
        if item.start <= end and item.end >= start
    ]
    return sorted(items, key=lambda item: (item.due, item.stage.value))


async def records_in_scope(
    ctx: RuleContext, years: list[int]
) -> dict[tuple[int, str, str], AssessmentRecord]:
    """(organization id, stage, period) → record, for the scope and years (one statement, memoized)."""
    from core.standards import data

    async def compute() -> dict[tuple[int, str, str], AssessmentRecord]:
        rows = await AssessmentRecord.filter(
            year__in=years, organization__path__startswith=ctx.scope_path
        ).order_by("id")
        return {(r.organization_id, str(r.stage), r.period): r for r in rows}

    return await data.memo(ctx, f"assessments:{years}", compute)


# --- writes ------------------------------------------------------------------------------------------


async def _holder(organization_id: int) -> Organization:
    from core.services.tenants import current_tenant
    from core.standards.service import get_scope
    from core.tenant_config import effective_config

    org = await get_scope(organization_id, field="organizationId")
    assert org is not None
    require(org.path)
    kinds = effective_config(await current_tenant())["assessment"]["holder_kinds"]
    if org.kind not in kinds:
        raise DomainError(
            StandardsErrorCode.ASSESSMENT_NOT_HELD_BY_ORG,
            field="organizationId",
            name=org.name,
            kinds="、".join(kinds) or "未配置",
        )
    return org


def _check(stage: AssessmentStage, year: int, period: str, held_on: dt.date, summary: str) -> str:
    if held_on > dt.date.today():
        raise ValidationFailed("开展日期不能晚于今天", field="heldOn")
    spec = next(
        e for e in expected({"assessment": _NO_DAYS}, year) if e.stage is stage and e.period == period
    )
    earliest = dt.date(year - 1, 1, 1) if stage is AssessmentStage.DEPLOYMENT else spec.start
    if held_on < earliest:
        raise DomainError(
            StandardsErrorCode.ASSESSMENT_BEFORE_PERIOD,
            field="heldOn",
            stage=STAGES[stage].label,
            period=period,
            earliest=earliest.isoformat(),
        )
    text = (summary or "").strip()
    if not text:
        raise ValidationFailed("须写明部署、检查或考核的内容", field="summary")
    if len(text) > 5000:
        raise ValidationFailed("内容不超过5000字", field="summary")
    return text


_NO_DAYS = {
    "deployment_due_days": 1,
    "quarterly_check_due_days": 0,
    "half_year_review_due_days": 0,
    "year_end_assessment_due_days": 0,
}


def _stage(value: str) -> AssessmentStage:
    try:
        return AssessmentStage(value)
    except ValueError as exc:
        raise ValidationFailed(f"未知的考核环节：{value}", field="stage") from exc


async def record_assessment(
    organization_id: int,
    *,
    stage: str,
    year: int,
    quarter: int | None = None,
    held_on: dt.date,
    summary: str,
) -> AssessmentRecord:
    """Record one artefact of the cadence for a holder organization (one per stage and period)."""
    checked = _stage(stage)
    check_year(year, field="year")
    org = await _holder(organization_id)
    period = period_of(checked, year, quarter)
    text = _check(checked, year, period, held_on, summary)
    if await AssessmentRecord.filter(organization_id=org.id, stage=checked, period=period).exists():
        raise DomainError(
            StandardsErrorCode.ASSESSMENT_ALREADY_RECORDED,
            field="stage",
            name=org.name,
            period=period,
            stage=STAGES[checked].label,
        )
    principal = current_principal()
    record = await AssessmentRecord.create(
        tenant_id=current_tenant_id(),
        organization_id=org.id,
        stage=checked,
        year=year,
        period=period,
        held_on=held_on,
        summary=text,
        recorded_by=principal.label if principal else "",
    )
    audit.created(record)
    return record


async def update_assessment(
    record_id: int, *, held_on: dt.date | None = None, summary: str | None = None
) -> AssessmentRecord:
    """Correct the day or the text of a recorded artefact (the stage and period stay)."""
    from core.errors import NotFound

    record = await AssessmentRecord.get_or_none(id=record_id).select_related("organization")
    if record is None:
        raise NotFound("考核记录", record_id, field="id")
    require(record.organization.path)
    before = audit.snapshot(record)
    text = _check(
        record.stage,
        record.year,
        record.period,
        held_on or record.held_on,
        summary if summary is not None else record.summary,
    )
    record.held_on = held_on or record.held_on
    record.summary = text
    await record.save(update_fields=["held_on", "summary"])
    audit.changed(record, before)
    return record
