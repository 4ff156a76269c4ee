"""The engine: build a context, evaluate the tenant's rules over a scope, score, store a run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import audit
from core.error_codes import StandardsErrorCode
from core.errors import DomainError, ValidationFailed
from core.models import Organization, Tenant
from core.plugins import BASELINE_SCORING
from core.registry import vocabulary_for
from core.standards.api import BranchScore, Finding, Rule, RuleContext, Scorer, ScoringContext, period_label
from core.standards.data import branches
from core.standards.models import BranchScoreRecord, FindingRecord, ScoreRun
from core.standards.rules import rules_for
from core.tenant_config import effective_config

#: The longest window one evaluation may cover.
MAX_WINDOW_DAYS = 366 * 3


async def make_context(
    tenant: Tenant,
    scope: Organization | None,
    period_start: dt.date,
    period_end: dt.date,
    *,
    today: dt.date | None = None,
    scoring: bool = False,
) -> RuleContext:
    """A fresh evaluation context for ``scope`` (None = the whole tenant) and the period."""
    if period_end < period_start:
        raise ValidationFailed("结束日期不能早于开始日期", field="to")
    if (period_end - period_start).days > MAX_WINDOW_DAYS:
        raise ValidationFailed("评估期间不能超过3年", field="to")
    cls = ScoringContext if scoring else RuleContext
    ctx = cls(
        tenant=tenant,
        config=effective_config(tenant),
        scope=scope,
        scope_path=scope.path if scope is not None else "/",
        period_start=period_start,
        period_end=period_end,
        vocabulary=vocabulary_for(tuple(tenant.enabled_plugins or ())),
        today=today or dt.date.today(),
    )
    if isinstance(ctx, ScoringContext):
        ctx.branches = {b.id: (b.name, b.path) for b in (await branches(ctx)).values()}
    return ctx


def tenant_rules(ctx: RuleContext) -> list[Rule]:
    """The rules in force for the context's tenant (core, calendar, enabled plugins)."""
    return rules_for(tuple(ctx.tenant.enabled_plugins or ()), ctx.vocabulary)


async def evaluate(
    ctx: RuleContext,
    *,
    rules: list[Rule] | None = None,
    codes: set[str] | None = None,
) -> list[Finding]:
    """Every finding of the rules (optionally only ``codes``) over the context's scope and period."""
    findings: list[Finding] = []
    for rule in rules if rules is not None else tenant_rules(ctx):
        if codes and rule.code not in codes:
            continue
        findings.extend(await rule.evaluate(ctx))
    findings.sort(key=lambda f: (f.scored_branch_id, f.organization_id, f.rule_code, f.period))
    return findings


def available_scorers(tenant: Tenant) -> list[Scorer]:
    """The scorers of core (the baseline, ``core.defaults.standards``) and of the tenant's enabled
    plugins, all through ``zhibu_scorers``."""
    from core.plugins import collect

    scorers: dict[str, Scorer] = {}
    for scorer in collect("zhibu_scorers", tuple(tenant.enabled_plugins or ())):
        if not isinstance(scorer, Scorer):
            raise TypeError(f"zhibu_scorers must return core.standards.api.Scorer objects, got {scorer!r}")
        scorers[scorer.code] = scorer
    return list(scorers.values())


def scorer_for(tenant: Tenant, code: str | None = None) -> Scorer:
    """The scorer named ``code`` or the tenant's scoring plugin (``Tenant.scoring_plugin``)."""
    wanted = code or tenant.scoring_plugin or BASELINE_SCORING
    for scorer in available_scorers(tenant):
        if scorer.code == wanted:
            return scorer
    raise DomainError(StandardsErrorCode.SCORER_NOT_AVAILABLE, field="scorer", scorer=wanted, wanted=wanted)


async def score(
    ctx: ScoringContext, scorer: Scorer, findings: list[Finding] | None = None
) -> tuple[list[Finding], list[BranchScore]]:
    """Findings and branch scores of the context's scope."""
    if findings is None:
        findings = await evaluate(ctx)
    return findings, await scorer.score(ctx, findings)


async def run_scoring(
    tenant: Tenant,
    scope: Organization | None,
    period_start: dt.date,
    period_end: dt.date,
    *,
    scorer_code: str | None = None,
    run_by: str = "",
    run_by_user_id: int | None = None,
    today: dt.date | None = None,
) -> ScoreRun:
    """Evaluate, score and store a run (its branch scores and findings) in the caller's transaction."""
    scorer = scorer_for(tenant, scorer_code)
    ctx = await make_context(tenant, scope, period_start, period_end, today=today, scoring=True)
    assert isinstance(ctx, ScoringContext)
    rules = tenant_rules(ctx)
    findings, scores = await score(ctx, scorer, await evaluate(ctx, rules=rules))
    run = await ScoreRun.create(
        scope_id=scope.id if scope is not None else None,
        scope_path=ctx.scope_path,
        period_start=period_start,
        period_end=period_end,
        period=period_label(period_start, period_end),
        scorer=scorer.code,
        config_version=ctx.config_version,
        config=ctx.config,
        rule_codes=sorted(rule.code for rule in rules),
        run_by=run_by[:200],
        run_by_user_id=run_by_user_id,
        branch_count=len(scores),
        passed_count=sum(1 for s in scores if s.passed),
        finding_count=len(findings),
    )
    await BranchScoreRecord.bulk_create(
        [
            BranchScoreRecord(
                run_id=run.id,
                organization_id=s.organization_id,
                total=s.total,
                grade=s.grade,
                grade_label=s.grade_label,
                passed=s.passed,
                needs_rectification=s.needs_rectification,
                rank=s.rank,
                breakdown=[a.__dict__ for a in s.breakdown],
                details=jsonable(s.details),
                finding_count=len(s.findings),
            )
            for s in scores
        ],
        batch_size=1000,
    )
    await FindingRecord.bulk_create(
        [
            FindingRecord(
                run_id=run.id,
                organization_id=f.organization_id,
                branch_id=f.scored_branch_id,
                rule_code=f.rule_code,
                severity=str(f.severity),
                area=str(f.area),
                message=f.message[:500],
                numbers=jsonable(f.numbers),
                period=f.period,
                points=scorer.cost(ctx, f) if f.scored_branch_id in ctx.branches else 0.0,
                plugin=f.plugin,
            )
            for f in findings
        ],
        batch_size=1000,
    )
    audit.created(run)
    return run


def jsonable(value: Any) -> Any:
    """A JSON-safe copy (dates as ISO strings)."""
    return audit.to_jsonable(value)
