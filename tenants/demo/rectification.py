"""Demo seeder: rectification items opened from each demo tenant's findings, in every state, and one
standardization acceptance application in a round with its recorded on-site sample.

Runs inside the demo tenant's transaction with the tenant bound and no guard (trusted code). The
findings come from a live evaluation of the last twelve months by the standards engine; without the
engine, two items are opened by hand instead.
"""

from __future__ import annotations

import datetime as dt

from core.errors import DomainError
from core.models import Organization, Tenant
from core.rectification import acceptance, items
from core.rectification.common import today as real_today
from core.rectification.findings import FindingRef, live_findings
from core.rectification.models import RectificationItem

#: how many findings the demo turns into items (the most serious first, one per organization)
DEMO_ITEMS = 5
#: the seed of the demo's on-site sample draw (recorded, so the draw can be verified)
DEMO_SEED = 20250701


async def _findings(root: Organization, today: dt.date) -> list[FindingRef]:
    try:
        found = await live_findings(root, today - dt.timedelta(days=364), today)
    except DomainError as error:
        if error.code != "STANDARDS_UNAVAILABLE":
            raise
        return []
    rank = {"ERROR": 0, "WARNING": 1, "INFO": 2}
    chosen: dict[int, FindingRef] = {}
    for finding in sorted(found, key=lambda f: (rank.get(f.severity, 3), f.organization_id, f.rule_code)):
        chosen.setdefault(finding.organization_id, finding)
    return list(chosen.values())[:DEMO_ITEMS]


async def seed_rectification(tenant: Tenant, world) -> list[str]:  # noqa: ANN001
    """Open items (open, in progress, submitted, closed, overdue) and one acceptance application."""
    roots = [o for o in world.orgs() if o.parent_id is None]
    if not roots:
        return []
    root = roots[0]
    start = max(world.today, real_today())
    found = await _findings(root, world.today)
    if found:
        created, _ = await items.open_items_from_findings(root, found, deadline=start + dt.timedelta(days=30))
    else:
        branches = [o for o in world.orgs() if o.kind in ("BRANCH", "JOINT_BRANCH")][:2]
        created = [
            await items.open_item(organization_id=b.id, title="三会一课记录不完整", severity="WARNING")
            for b in branches
        ]
    created = sorted(created, key=lambda i: i.id)
    # walk the items into the states a real list has
    if len(created) >= 2:
        await items.add_task(created[1].id, title="补齐缺失的会议记录并由书记签字")
        await items.add_evidence(created[1].id, description="整改情况说明", document_ref="整改-001")
    if len(created) >= 3:
        third = created[2].id
        task = await items.add_task(third, title="召开支委会研究整改措施")
        await items.set_task_done(task.id)
        await items.add_evidence(third, description="支委会会议记录（扫描件）", document_ref="整改-002")
        await items.submit_item(third, "已完成整改，申请销号")
    if len(created) >= 4:
        fourth = created[3].id
        await items.add_evidence(fourth, description="组织生活会召开记录", document_ref="整改-003")
        await items.submit_item(fourth)
        await items.close_item(fourth, "经上级党委核实，同意销号")
    if created:  # the first item is overdue: its deadline has passed
        await RectificationItem.filter(id=created[0].id).update(deadline=world.today - dt.timedelta(days=5))

    lines = [f"{tenant.slug}: 整改事项 {len(created)} 项（含逾期、已提交、已销号）"]
    lines += await _seed_acceptance(tenant, world, root)
    return lines


async def _seed_acceptance(tenant: Tenant, world, root: Organization) -> list[str]:  # noqa: ANN001
    """One branch without unclosed items applies in a round at the top; the superior assesses it;
    the round's on-site sample is drawn with a recorded seed."""
    unclosed = set(
        await RectificationItem.filter(status__in=list(items.UNCLOSED)).values_list(
            "organization_id", flat=True
        )
    )
    candidates = [
        o
        for o in world.orgs()
        if o.kind in ("BRANCH", "JOINT_BRANCH") and o.parent_id is not None and o.id not in unclosed
    ]
    if not candidates:
        return []
    branch = sorted(candidates, key=lambda o: o.id)[0]
    accepting = await acceptance.accepting_organization(branch)
    batch = await acceptance.create_round(accepting.id, f"{world.today.year}年党支部标准化验收第一批")
    app = await acceptance.apply(branch.id, statement="对照八个方面逐项自评，均已达标", round_id=batch.id)
    await acceptance.assess(app.id, passed=True, comments="材料齐全，自评属实，同意报验收")
    draw = await acceptance.draw_sample(batch.id, seed=DEMO_SEED)
    status = (await acceptance.get_application(app.id)).status
    return [
        f"{tenant.slug}: 验收申请 1 份（{branch.name}，{acceptance.STATUS_LABELS[status]}），"
        f"实地抽查种子 {draw.seed}"
    ]
