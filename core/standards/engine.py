"""The engine: build a context, evaluate the tenant's rules over a scope, score, store a run."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from core import audit, sql
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


def check_period(period_start: dt.date, period_end: dt.date) -> None:
    """Refuse a window that ends before it starts or is longer than :data:`MAX_WINDOW_DAYS`."""
    if period_end < period_start:
        raise ValidationFailed("结束日期不能早于开始日期", field="to")
    if (period_end - period_start).days > MAX_WINDOW_DAYS:
        raise ValidationFailed("评估期间不能超过3年", field="to")


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
    check_period(period_start, period_end)
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


#: ``await progress(done, total)``: called after each rule evaluated (background scoring jobs)
Progress = Callable[[int, int], Awaitable[None]]


async def evaluate(
    ctx: RuleContext,
    *,
    rules: list[Rule] | None = None,
    codes: set[str] | None = None,
    progress: Progress | None = None,
    concurrency: int = 1,
) -> list[Finding]:
    """Every finding of the rules (optionally only ``codes``) over the context's scope and period.

    The rules share the context's fact loads (:mod:`core.standards.data` memoizes each aggregate
    per context), so facts several rules read are fetched once. With ``concurrency`` > 1 up to that
    many rules run at once (their statements on separate pooled connections, so one rule's SQL
    overlaps another's Python) — only outside a transaction, which has one connection; the
    findings come out in the same order either way."""
    candidates = rules if rules is not None else tenant_rules(ctx)
    chosen = [rule for rule in candidates if not codes or rule.code in codes]
    findings: list[Finding] = []
    if concurrency <= 1:
        for done, rule in enumerate(chosen, start=1):
            findings.extend(await rule.evaluate(ctx))
            if progress is not None:
                await progress(done, len(chosen))
    else:
        gate = asyncio.Semaphore(concurrency)
        reporting = asyncio.Lock()
        finished = 0

        async def one(rule: Rule) -> list[Finding]:
            nonlocal finished
            async with gate:
                found = await rule.evaluate(ctx)
            async with reporting:  # progress written in order, never backwards
                finished += 1
                if progress is not None:
                    await progress(finished, len(chosen))
            return found

        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(rule)) for rule in chosen]
        for task in tasks:
            findings.extend(task.result())
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


@dataclass
class PreparedRun:
    """A scoring evaluated and scored, not yet stored (see :func:`store_run`)."""

    scorer: Scorer
    ctx: ScoringContext
    rules: list[Rule]
    findings: list[Finding]
    scores: list[BranchScore]


async def prepare_run(
    tenant: Tenant,
    scope: Organization | None,
    period_start: dt.date,
    period_end: dt.date,
    *,
    scorer_code: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    concurrency: int = 1,
) -> PreparedRun:
    """Evaluate every rule of the tenant over the scope and score the branches (reads only;
    ``concurrency`` > 1 only outside a transaction, see :func:`evaluate`)."""
    scorer = scorer_for(tenant, scorer_code)
    ctx = await make_context(tenant, scope, period_start, period_end, today=today, scoring=True)
    assert isinstance(ctx, ScoringContext)
    rules = tenant_rules(ctx)
    found = await evaluate(ctx, rules=rules, progress=progress, concurrency=concurrency)
    findings, scores = await score(ctx, scorer, found)
    return PreparedRun(scorer, ctx, rules, findings, scores)


_BRANCH_COLUMNS = [
    "run_id",
    "organization_id",
    "total",
    "grade",
    "grade_label",
    "passed",
    "needs_rectification",
    "rank",
    "breakdown",
    "details",
    "finding_count",
]
_FINDING_COLUMNS = [
    "run_id",
    "organization_id",
    "branch_id",
    "rule_code",
    "severity",
    "area",
    "message",
    "numbers",
    "period",
    "points",
    "plugin",
]


async def store_run(
    prepared: PreparedRun,
    scope: Organization | None,
    *,
    run_by: str = "",
    run_by_user_id: int | None = None,
) -> ScoreRun:
    """Store the run, its branch scores and its findings in the caller's transaction: one row for
    the run, then the branch scores and findings as bulk multi-row inserts (no model per row)."""
    ctx, scorer, findings, scores = prepared.ctx, prepared.scorer, prepared.findings, prepared.scores
    run = await ScoreRun.create(
        scope_id=scope.id if scope is not None else None,
        scope_path=ctx.scope_path,
        period_start=ctx.period_start,
        period_end=ctx.period_end,
        period=period_label(ctx.period_start, ctx.period_end),
        scorer=scorer.code,
        config_version=ctx.config_version,
        config=ctx.config,
        rule_codes=sorted(rule.code for rule in prepared.rules),
        run_by=run_by[:200],
        run_by_user_id=run_by_user_id,
        branch_count=len(scores),
        passed_count=sum(1 for s in scores if s.passed),
        finding_count=len(findings),
    )
    await sql.insert_rows(
        BranchScoreRecord,
        _BRANCH_COLUMNS,
        [
            (
                run.id,
                s.organization_id,
                float(s.total),
                s.grade,
                s.grade_label,
                bool(s.passed),
                bool(s.needs_rectification),
                s.rank,
                dump_json([a.__dict__ for a in s.breakdown]),
                dump_json(s.details),
                len(s.findings),
            )
            for s in scores
        ],
    )
    costs = scorer.costs(ctx, findings)
    scored = ctx.branches
    await sql.insert_rows(
        FindingRecord,
        _FINDING_COLUMNS,
        [
            (
                run.id,
                f.organization_id,
                f.scored_branch_id,
                f.rule_code,
                str(f.severity),
                str(f.area),
                f.message[:500],
                dump_json(f.numbers),
                f.period,
                float(cost) if f.scored_branch_id in scored else 0.0,
                f.plugin,
            )
            for f, cost in zip(findings, costs, strict=True)
        ],
    )
    audit.created(run)
    return run


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
    prepared = await prepare_run(
        tenant, scope, period_start, period_end, scorer_code=scorer_code, today=today
    )
    return await store_run(prepared, scope, run_by=run_by, run_by_user_id=run_by_user_id)


def _json_default(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return list(value)
    converted = audit.to_jsonable(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return converted


_encode = json.JSONEncoder(separators=(",", ":"), default=_json_default).encode
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)


def _encode_fast(value: Any) -> str:
    """What :data:`_encode` gives, through the C encoder directly: ``JSONEncoder.encode`` builds
    that same encoder on every call through two Python frames (~40k calls per tenant run)."""
    if _c_make_encoder is None:
        return _encode(value)
    encoder = _c_make_encoder(
        {}, _json_default, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, True
    )
    return "".join(encoder(value, 0))


def dump_json(value: Any) -> str:
    """``value`` as stored JSON text — what the JSON fields store (:func:`jsonable` of it), without
    walking the value in Python first."""
    try:
        return _encode_fast(value)
    except TypeError:  # e.g. a date used as a dict key
        return json.dumps(jsonable(value), separators=(",", ":"))


def jsonable(value: Any) -> Any:
    """A JSON-safe copy (dates as ISO strings)."""
    return audit.to_jsonable(value)
