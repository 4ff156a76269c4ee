"""Standardization acceptance (标准化验收): apply → assess → accept or reject, and the on-site sample.

Who acts where (checked with :func:`core.guard.require`):

- the branch APPLIES (``ACCEPTANCE_APPLY`` on the branch) and may WITHDRAW while not yet assessed;
- the superior committee ASSESSES: ``ACCEPTANCE_ASSESS`` on the assessing organization, the nearest
  ancestor of kind ``acceptance.assessing_kind`` (default ``PARTY_COMMITTEE``: the 党委 above the
  branch, not a general branch in between; ``""`` = the parent), fixed at application time; pass
  (→ ASSESSED) or fail (→ RETURNED, the branch may apply again);
- the accepting level DECIDES: ``ACCEPTANCE_DECIDE`` on the accepting organization, which is the
  nearest ancestor of kind ``acceptance.accepting_kind`` when the tenant sets one, otherwise the
  ancestor at depth ``acceptance.accepting_depth`` (default 0: the top of the tree, the county-level
  committee), never the branch itself;
- the accepting level opens rounds (batches), draws the on-site sample of a round (default 5 %, at
  least 1, seed recorded), records on-site checks; a sampled application cannot be accepted before
  its on-site check, nor after a failed one.
"""

from __future__ import annotations

import importlib
from typing import Any

from core import audit, sql
from core.error_codes import AcceptanceErrorCode, OrganizationErrorCode, StandardsErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import require
from core.models import Organization
from core.rectification import sampling
from core.rectification.common import actor, now, parent_path, unique_or
from core.rectification.items import UNCLOSED
from core.rectification.models import (
    AcceptanceApplication,
    AcceptanceRound,
    AcceptanceSampleDraw,
    ApplicationStatus,
    RectificationItem,
)
from core.services.organizations import ancestor_ids, current_vocabulary
from core.services.tenants import current_tenant
from core.tenant_config import effective_config

OPEN_STATUSES = (ApplicationStatus.APPLIED, ApplicationStatus.ASSESSED)
STATUS_LABELS = {
    ApplicationStatus.APPLIED: "已申请待评估",
    ApplicationStatus.ASSESSED: "已评估待验收",
    ApplicationStatus.RETURNED: "评估未通过",
    ApplicationStatus.ACCEPTED: "验收通过",
    ApplicationStatus.REJECTED: "验收未通过",
    ApplicationStatus.WITHDRAWN: "已撤回",
}
ACTION_LABELS = {
    "withdraw": "撤回",
    "assess": "评估",
    "onsite": "登记实地抽查结果",
    "decide": "作出验收决定",
}


async def _config() -> dict[str, Any]:
    return effective_config(await current_tenant())["acceptance"]


def _invalid(app: AcceptanceApplication, action: str) -> DomainError:
    return DomainError(
        AcceptanceErrorCode.ACCEPTANCE_INVALID_TRANSITION,
        field="id",
        status=str(app.status),
        action=action,
        status_label=STATUS_LABELS[app.status],
        action_label=ACTION_LABELS[action],
    )


async def get_application(app_id: int) -> AcceptanceApplication:
    app = await AcceptanceApplication.get_or_none(id=app_id).select_related(
        "organization", "accepting_organization", "assessing_organization"
    )
    if app is None:
        raise NotFound("验收申请", app_id, field="id")
    return app


async def get_round(round_id: int, field: str = "roundId") -> AcceptanceRound:
    row = await AcceptanceRound.get_or_none(id=round_id).select_related("organization")
    if row is None:
        raise NotFound("验收批次", round_id, field=field)
    return row


async def accepting_organization(branch: Organization) -> Organization:
    """The organization that accepts ``branch`` (see module docstring)."""
    ancestors = ancestor_ids(branch.path)[:-1]
    if not ancestors:
        raise DomainError(
            AcceptanceErrorCode.ACCEPTANCE_NO_ACCEPTING_LEVEL,
            field="organizationId",
            name=branch.name,
            level="组织",
        )
    config = await _config()
    rows = {o.id: o for o in await Organization.filter(id__in=ancestors)}
    chain = [rows[i] for i in ancestors if i in rows]
    kind = (config.get("accepting_kind") or "").strip()
    if kind:
        for org in reversed(chain):
            if org.kind == kind:
                return org
        raise DomainError(
            AcceptanceErrorCode.ACCEPTANCE_NO_ACCEPTING_LEVEL,
            field="organizationId",
            name=branch.name,
            level=kind,
        )
    depth = int(config.get("accepting_depth", 0))
    return chain[min(depth, len(chain) - 1)]


async def assessing_organization(branch: Organization) -> Organization:
    """The superior committee that assesses ``branch`` (see module docstring)."""
    ancestors = ancestor_ids(branch.path)[:-1]
    if not ancestors:
        raise DomainError(
            AcceptanceErrorCode.ACCEPTANCE_NO_ASSESSING_LEVEL,
            field="organizationId",
            name=branch.name,
            level="党组织",
        )
    kind = (str((await _config()).get("assessing_kind") or "")).strip()
    rows = {o.id: o for o in await Organization.filter(id__in=ancestors)}
    chain = [rows[i] for i in ancestors if i in rows]
    if not kind:
        return chain[-1]
    for org in reversed(chain):
        if org.kind == kind:
            return org
    label = (await current_vocabulary()).organization_kinds.get(kind)
    raise DomainError(
        AcceptanceErrorCode.ACCEPTANCE_NO_ASSESSING_LEVEL,
        field="organizationId",
        name=branch.name,
        level=label.label if label else kind,
    )


async def create_round(organization_id: int, title: str) -> AcceptanceRound:
    """Open a batch of applications at an accepting organization."""
    org = await Organization.get_or_none(id=organization_id)
    if org is None:
        raise NotFound("组织", organization_id, field="organizationId")
    require(org.path)
    if not title.strip():
        raise ValidationFailed("批次名称不能为空", field="title")
    label, _ = actor()
    row = await AcceptanceRound.create(organization_id=org.id, title=title.strip(), created_by=label)
    audit.created(row)
    return row


async def apply(
    organization_id: int, *, statement: str = "", round_id: int | None = None
) -> AcceptanceApplication:
    """A branch applies for standardization acceptance."""
    branch = await Organization.get_or_none(id=organization_id)
    if branch is None:
        raise NotFound("组织", organization_id, field="organizationId")
    require(branch.path)
    vocabulary = await current_vocabulary()
    spec = vocabulary.organization_kinds.get(branch.kind)
    if spec is None or not spec.is_branch:
        raise DomainError(AcceptanceErrorCode.ACCEPTANCE_NOT_A_BRANCH, field="organizationId")
    if branch.dissolved_on is not None:
        raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="organizationId", name=branch.name)
    if await AcceptanceApplication.filter(open_key=branch.id).exists():
        raise DomainError(
            AcceptanceErrorCode.ACCEPTANCE_ALREADY_OPEN, field="organizationId", name=branch.name
        )
    config = await _config()
    if config.get("block_on_open_rectification", True):
        unclosed = await RectificationItem.filter(
            organization_id=branch.id, status__in=list(UNCLOSED)
        ).count()
        if unclosed:
            raise DomainError(
                AcceptanceErrorCode.ACCEPTANCE_OPEN_RECTIFICATION,
                field="organizationId",
                unclosed=unclosed,
                name=branch.name,
            )
    accepting = await accepting_organization(branch)
    assessing = await assessing_organization(branch)
    if round_id is not None:
        batch = await get_round(round_id)
        if not branch.path.startswith(batch.organization.path):
            raise DomainError(AcceptanceErrorCode.ACCEPTANCE_ROUND_MISMATCH, field="roundId")
        if await AcceptanceSampleDraw.filter(round_id=batch.id).exists():
            raise DomainError(AcceptanceErrorCode.ACCEPTANCE_ROUND_CLOSED, field="roundId")
    label, user_id = actor()
    async with unique_or(
        AcceptanceErrorCode.ACCEPTANCE_ALREADY_OPEN, field="organizationId", name=branch.name
    ):
        app = await AcceptanceApplication.create(
            organization_id=branch.id,
            round_id=round_id,
            open_key=branch.id,
            statement=statement,
            applied_by=label,
            applied_by_id=user_id,
            accepting_organization_id=accepting.id,
            assessing_organization_id=assessing.id,
        )
    audit.created(app)
    return app


async def withdraw(app_id: int) -> AcceptanceApplication:
    app = await get_application(app_id)
    require(app.organization.path)
    if app.status != ApplicationStatus.APPLIED:
        raise _invalid(app, "withdraw")
    before = audit.snapshot(app)
    app.status = ApplicationStatus.WITHDRAWN
    app.open_key = None
    await app.save()
    audit.changed(app, before)
    return app


async def _score_snapshot(score_run_id: int, organization_id: int) -> tuple[float | None, str]:
    """Total and grade of the branch in a stored score run (standards engine), if it has one."""
    try:
        models = importlib.import_module("core.standards.models")
    except ImportError as exc:
        raise DomainError(
            StandardsErrorCode.STANDARDS_UNAVAILABLE, field="scoreRunId", action="引用评分结果"
        ) from exc
    row = await models.BranchScoreRecord.filter(run_id=score_run_id, organization_id=organization_id).first()
    if row is None:
        raise DomainError(AcceptanceErrorCode.ACCEPTANCE_SCORE_NOT_FOUND, field="scoreRunId")
    total = getattr(row, "total", None)
    return (float(total) if total is not None else None), str(getattr(row, "grade", "") or "")


async def assess(
    app_id: int, *, passed: bool, comments: str = "", score_run_id: int | None = None
) -> AcceptanceApplication:
    """The superior committee assesses: pass → ASSESSED, fail → RETURNED (the branch may reapply)."""
    app = await get_application(app_id)
    if app.assessing_organization_id is not None:
        require(app.assessing_organization.path)
    else:  # applications recorded before the assessing organization was stored
        require(parent_path(app.organization.path))
    if app.status != ApplicationStatus.APPLIED:
        raise _invalid(app, "assess")
    if not passed and not comments.strip():
        raise ValidationFailed("评估未通过须写明意见", field="comments")
    before = audit.snapshot(app)
    if score_run_id is not None:
        app.score_total, app.score_grade = await _score_snapshot(score_run_id, app.organization_id)
        app.score_run_id = score_run_id
    label, user_id = actor()
    app.assessed_by, app.assessed_by_id, app.assessed_at = label, user_id, now()
    app.assessment_passed = passed
    app.assessment_comments = comments
    if passed:
        app.status = ApplicationStatus.ASSESSED
    else:
        app.status = ApplicationStatus.RETURNED
        app.open_key = None
    await app.save()
    audit.changed(app, before)
    return app


async def record_onsite_check(app_id: int, *, passed: bool, comments: str = "") -> AcceptanceApplication:
    """The accepting level records the result of the on-site check of a sampled application."""
    app = await get_application(app_id)
    require(app.accepting_organization.path)
    if app.status not in OPEN_STATUSES:
        raise _invalid(app, "onsite")
    if not app.onsite_selected:
        raise DomainError(AcceptanceErrorCode.ACCEPTANCE_NOT_SAMPLED, field="id")
    if app.onsite_checked_at is not None:
        raise DomainError(AcceptanceErrorCode.ACCEPTANCE_ONSITE_ALREADY_RECORDED, field="id")
    before = audit.snapshot(app)
    app.onsite_checked_at = now()
    app.onsite_passed = passed
    app.onsite_comments = comments
    await app.save()
    audit.changed(app, before)
    return app


async def decide(app_id: int, *, accept: bool, comments: str = "") -> AcceptanceApplication:
    """The accepting level accepts or rejects an assessed application."""
    app = await get_application(app_id)
    require(app.accepting_organization.path)
    if app.status != ApplicationStatus.ASSESSED:
        raise _invalid(app, "decide")
    if app.onsite_selected and app.onsite_checked_at is None:
        raise DomainError(AcceptanceErrorCode.ACCEPTANCE_ONSITE_CHECK_PENDING, field="id")
    if accept and app.onsite_passed is False:
        raise DomainError(AcceptanceErrorCode.ACCEPTANCE_ONSITE_CHECK_FAILED, field="id")
    if not accept and not comments.strip():
        raise ValidationFailed("验收不通过须写明理由", field="comments")
    before = audit.snapshot(app)
    label, user_id = actor()
    app.decided_by, app.decided_by_id, app.decided_at = label, user_id, now()
    app.decision_comments = comments
    app.status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.REJECTED
    app.open_key = None
    await app.save()
    audit.changed(app, before)
    return app


async def draw_sample(round_id: int, *, seed: int | None = None) -> AcceptanceSampleDraw:
    """Draw the round's on-site check sample once, recording seed, population and result."""
    batch = await get_round(round_id)
    require(batch.organization.path)
    if await AcceptanceSampleDraw.filter(round_id=batch.id).exists():
        raise DomainError(AcceptanceErrorCode.ACCEPTANCE_SAMPLE_ALREADY_DRAWN, field="roundId")
    config = await _config()
    rate, minimum = float(config["sample_rate"]), int(config["sample_min"])
    if not 0 < rate <= 1:
        raise DomainError(AcceptanceErrorCode.ACCEPTANCE_CONFIG_INVALID, field="sampleRate")
    population = sorted(
        await AcceptanceApplication.filter(round_id=batch.id)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .values_list("id", flat=True)
    )
    if not population:
        raise DomainError(AcceptanceErrorCode.ACCEPTANCE_SAMPLE_EMPTY, field="roundId")
    if seed is None:
        seed = sampling.new_seed()
    if not 0 <= seed < 2**63:
        raise ValidationFailed("随机种子须为非负整数", field="seed")
    chosen = sampling.draw(population, seed, rate, minimum)
    label, user_id = actor()
    row = await AcceptanceSampleDraw.create(
        round_id=batch.id,
        seed=seed,
        algorithm=sampling.ALGORITHM,
        rate=rate,
        minimum=minimum,
        population_ids=population,
        chosen_ids=chosen,
        drawn_by=label,
        drawn_by_id=user_id,
    )
    audit.created(row)
    for app in await AcceptanceApplication.filter(id__in=chosen):
        before = audit.snapshot(app)
        app.onsite_selected = True
        await app.save(update_fields=["onsite_selected", "updated_at"])
        audit.changed(app, before)
    return row


async def verify_draw(draw: AcceptanceSampleDraw) -> dict[str, Any]:
    """Recompute a recorded draw from its seed and compare (also against the round's population now)."""
    recomputed = sampling.draw(list(draw.population_ids), int(draw.seed), draw.rate, draw.minimum)
    current = sorted(
        await AcceptanceApplication.filter(round_id=draw.round_id)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .values_list("id", flat=True)
    )
    return {
        "recomputed_ids": recomputed,
        "matches": recomputed == sorted(draw.chosen_ids) and draw.algorithm == sampling.ALGORITHM,
        "population_unchanged": current == sorted(draw.population_ids),
    }


async def summary(scope: Organization) -> dict[str, Any]:
    """Acceptance progress of a subtree: live branches, branches accepted, open and returned
    applications (SQL aggregates)."""
    vocabulary = await current_vocabulary()
    kinds = sorted(code for code, spec in vocabulary.organization_kinds.items() if spec.is_branch)
    branches = await Organization.filter(
        path__startswith=scope.path, kind__in=kinds, dissolved_on__isnull=True
    ).count()
    rows = await sql.fetch(
        "SELECT a.status AS status, COUNT(DISTINCT a.organization_id) AS n "
        "FROM acceptance_application a JOIN organization o "
        "ON o.id = a.organization_id AND o.tenant_id = a.tenant_id "
        "WHERE a.tenant_id = :tenant_id AND o.path LIKE :prefix GROUP BY a.status",
        prefix=scope.path + "%",
    )
    by_status = {str(r["status"]): int(r["n"]) for r in rows}
    accepted = by_status.get(ApplicationStatus.ACCEPTED, 0)
    return {
        "branches": branches,
        "accepted": accepted,
        "open": by_status.get(ApplicationStatus.APPLIED, 0) + by_status.get(ApplicationStatus.ASSESSED, 0),
        "accepted_share": round(accepted / branches, 4) if branches else 0.0,
    }
