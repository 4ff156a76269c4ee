"""The seam to the standards engine (``core.standards``, helper D1's app): findings that open items.

Items reference a finding by (rule code, organization, period) and, when the finding was stored by a
score run, by its row id and the run id (plain integer columns, no foreign key, so this app does not
depend on the engine's tables).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from typing import Any

from core.error_codes import StandardsErrorCode
from core.errors import DomainError


@dataclasses.dataclass(frozen=True)
class FindingRef:
    """A finding as rectification needs it."""

    rule_code: str
    organization_id: int
    severity: str
    area: str
    message: str
    numbers: dict[str, Any]
    period: str = ""
    finding_id: int | None = None
    score_run_id: int | None = None
    title: str = ""
    branch_id: int | None = None


def _engine(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise DomainError(StandardsErrorCode.STANDARDS_UNAVAILABLE, action="从问题发现生成整改事项") from exc


def _value(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return default


def to_ref(finding: Any, *, finding_id: int | None = None, score_run_id: int | None = None) -> FindingRef:
    """A :class:`FindingRef` from an engine finding (object or dict)."""
    severity = _value(finding, "severity", default="WARNING")
    area = _value(finding, "area", default="")
    return FindingRef(
        rule_code=str(_value(finding, "rule_code", "code")),
        organization_id=int(_value(finding, "organization_id")),
        severity=str(getattr(severity, "value", severity)),
        area=str(getattr(area, "value", area)),
        message=str(_value(finding, "message", default="")),
        numbers=dict(_value(finding, "numbers", default={}) or {}),
        period=str(_value(finding, "period", default="") or ""),
        finding_id=finding_id,
        score_run_id=score_run_id,
        title=str(_value(finding, "title", default="") or ""),
        branch_id=_value(finding, "branch_id"),
    )


_STORED_COLUMNS = (
    "id",
    "run_id",
    "organization_id",
    "branch_id",
    "rule_code",
    "severity",
    "area",
    "message",
    "numbers",
    "period",
)


async def stored_findings(
    *, ids: list[int] | None = None, run_id: int | None = None, flagged_only: bool = False
) -> list[FindingRef]:
    """Findings stored by score runs, by id or by run (one query, plain values). ``flagged_only``
    keeps the findings of branches the run's scorer sent to rectification (e.g. two stars or fewer)."""
    from tortoise.expressions import Subquery

    models = _engine("core.standards.models")
    query = models.FindingRecord.all()
    if ids is not None:
        query = query.filter(id__in=list(ids))
    if run_id is not None:
        query = query.filter(run_id=run_id)
    flagged = models.BranchScoreRecord.filter(needs_rectification=True)
    if flagged_only and run_id is not None:
        query = query.filter(branch_id__in=Subquery(flagged.filter(run_id=run_id).values("organization_id")))
    rows = await query.order_by("id").values(*_STORED_COLUMNS)
    if flagged_only and run_id is None:
        pairs = await flagged.filter(run_id__in=list({r["run_id"] for r in rows})).values_list(
            "run_id", "organization_id"
        )
        keep = set(pairs)
        rows = [row for row in rows if (row["run_id"], row["branch_id"]) in keep]
    return [to_ref(row, finding_id=row["id"], score_run_id=row["run_id"]) for row in rows]


async def live_findings(
    scope: Any, period_start: dt.date, period_end: dt.date, codes: set[str] | None = None
) -> list[FindingRef]:
    """Findings of the tenant's rules evaluated now over ``scope``'s subtree and the period."""
    engine = _engine("core.standards.engine")
    from core.services.tenants import current_tenant

    ctx = await engine.make_context(await current_tenant(), scope, period_start, period_end)
    return [to_ref(f) for f in await engine.evaluate(ctx, codes=codes or None)]


async def rule_titles() -> dict[str, str]:
    """Rule code -> Chinese title of the rules in force for the bound tenant (empty without the
    engine), so an item opened from a finding is titled by its rule (e.g. 党支部正式党员不少于3人)."""
    try:
        rules = importlib.import_module("core.standards.rules")
    except ImportError:
        return {}
    from core.registry import vocabulary_for
    from core.services.tenants import current_tenant

    plugins = tuple((await current_tenant()).enabled_plugins or ())
    return {rule.code: rule.title for rule in rules.rules_for(plugins, vocabulary_for(plugins)) if rule.title}
