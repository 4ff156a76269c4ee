"""Demo seeder: one stored score run per demo tenant (the tenant's own scorer, last 12 months).

Runs with the demo tenant bound and no guard (trusted code), after the core seed and the plugin
data, so the run reflects the deliberately imperfect demo data: ``scoreRuns``, ``branchRanking``
and ``attainmentRate`` answer right away.
"""

from __future__ import annotations

import datetime as dt

from core.errors import DomainError
from core.models import Tenant
from core.standards import engine


def last_twelve_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """The twelve complete months before ``today``'s month."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = dt.date(end.year - 1, end.month, 1) + dt.timedelta(days=32)
    return start.replace(day=1), end


async def seed_standards(tenant: Tenant, world) -> list[str]:  # noqa: ANN001
    """Score the tenant's tree with its scorer and store the run."""
    roots = [o for o in world.orgs() if o.parent_id is None]
    if not roots:
        return []
    root = roots[0]
    start, end = last_twelve_months(world.today)
    try:
        run = await engine.run_scoring(tenant, root, start, end, run_by="演示数据")
    except DomainError as error:
        if error.code != "SCORER_NOT_AVAILABLE":
            raise
        run = await engine.run_scoring(tenant, root, start, end, scorer_code="baseline", run_by="演示数据")
    rate = run.passed_count / run.branch_count if run.branch_count else 0.0
    return [
        f"{tenant.slug}: 标准化评分（{run.scorer}，{start.isoformat()}至{end.isoformat()}）："
        f"{run.branch_count}个支部，达标{run.passed_count}个（达标率{rate:.0%}），发现问题{run.finding_count}条"
    ]
