"""One score run as a workbook: the branch ranking (支部赛马) of a subtree, as ``branchRanking``.

The same arguments and rules as the query: ``scopeId`` (default: the whole tenant) needs
``STANDARDS_READ`` there, ``runId`` defaults to the latest run covering the scope (``NO_SCORE_RUN``
when there is none, ``RUN_SCOPE_MISMATCH`` when the run did not cover it), ranks are within the
scope (SQL window function, ties share a rank). Sheet 支部排名: rank, branch, total, grade, 达标,
需整改, findings, and the points of every area (the header says the area's maximum). Sheet
扣分明细: the findings that cost points. Sheet 评分信息: what the run was (scope, period, scorer,
config version, who ran it, 达标率).
"""

from __future__ import annotations

from typing import Any

from core.errors import PermissionDenied
from core.permissions import Permission
from core.principal import Principal
from core.services.organizations import subtree_root
from core.spreadsheets.exporting import Export, ExportKind, NamePaths, Param, allows
from core.spreadsheets.xlsx import NUMBER, PERCENT, Col, Sheet, Typed, facts_sheet
from core.standards import service
from core.standards.api import AREA_LABELS, Area
from core.standards.models import BranchScoreRecord, FindingRecord

FINDING_COLUMNS = [
    Col("组织", 30), Col("规则", 28), Col("领域", 16), Col("期间", 10), Col("扣分", 6, NUMBER),
    Col("级别", 8), Col("说明", 60),
]  # fmt: skip
SEVERITY_LABELS = {"ERROR": "严重", "WARNING": "一般", "INFO": "提示"}


def area_label(code: str) -> str:
    """``ORGANIZATIONAL_LIFE`` -> ``组织生活`` (a plugin's own dimension code stays as it is)."""
    try:
        return AREA_LABELS[Area(code)] if code else ""
    except ValueError:
        return code


async def build(principal: Principal | None, *, run_id: int | None, scope_id: int | None) -> Export:
    scope = await subtree_root(scope_id, "scopeId")
    if not allows(principal, Permission.STANDARDS_READ, scope.path if scope else None):
        raise PermissionDenied("没有查看该范围的权限", permission=Permission.STANDARDS_READ)
    run = await service.find_run(run_id, scope)
    ranks = await service.subtree_ranks(run, scope)
    prefix = scope.path if scope is not None else "/"
    scores = await BranchScoreRecord.filter(run_id=run.id, organization__path__startswith=prefix).order_by(
        "-total", "organization_id"
    ).values("id", "total", "grade_label", "passed", "needs_rectification", "finding_count", "breakdown",
             "organization__path")  # fmt: skip
    findings = await FindingRecord.filter(
        run_id=run.id, points__gt=0, organization__path__startswith=prefix
    ).order_by("organization__path", "rule_code", "period", "id").values(
        "rule_code", "area", "period", "points", "severity", "message", "organization__path"
    )  # fmt: skip
    paths = [s["organization__path"] for s in scores] + [f["organization__path"] for f in findings]
    names = await NamePaths.load([*paths, run.scope_path])

    areas: dict[str, float] = {}  # area -> its maximum, in the order the scorer lists them
    for score in scores:
        for row in score["breakdown"]:
            areas.setdefault(row["area"], row["max_points"])
    columns = [
        Col("排名", 6, NUMBER), Col("组织", 30), Col("总分", 8, NUMBER), Col("等级", 10), Col("达标", 6),
        Col("需整改", 7), Col("扣分项", 7, NUMBER),
    ] + [Col(f"{area_label(a)}（{m:g}分）", 14, NUMBER) for a, m in areas.items()]  # fmt: skip
    rows: list[list[Any]] = []
    for score in scores:
        points = {row["area"]: row["points"] for row in score["breakdown"]}
        rows.append(
            [ranks.get(score["id"]), names(score["organization__path"]), score["total"], score["grade_label"],
             score["passed"], score["needs_rectification"], score["finding_count"]]
            + [points.get(a) for a in areas]
        )  # fmt: skip
    detail = [
        [names(f["organization__path"]), f["rule_code"], area_label(f["area"]), f["period"], f["points"],
         SEVERITY_LABELS.get(f["severity"], f["severity"]), f["message"]]
        for f in findings
    ]  # fmt: skip
    passed = sum(1 for s in scores if s["passed"])
    info = facts_sheet("评分信息", [
        ("排名范围", names(scope.path) if scope else "全单位"),
        ("评分范围", names(run.scope_path) if run.scope_path != "/" else "全单位"),
        ("评估期间", run.period), ("期间起", run.period_start), ("期间止", run.period_end),
        ("评分方法", run.scorer), ("配置版本", run.config_version), ("评分人", run.run_by),
        ("评分时间", run.created_at), ("参评支部", len(scores)), ("达标支部", passed),
        ("达标率", Typed(passed / len(scores), PERCENT) if scores else None),
    ])  # fmt: skip
    return Export(
        title=f"支部评分{run.period}",
        sheets=[Sheet("支部排名", columns, rows), Sheet("扣分明细", FINDING_COLUMNS, detail), info],
        rows=len(rows),
        target_id=run.id,
        facts={"run": run.id, "findings": len(detail)},
    )


KIND = ExportKind(
    name="scores",
    operation="exportScores",
    target="ScoreRunExport",
    permission=Permission.STANDARDS_READ,
    help="a score run's branch ranking (支部赛马) with per-area points",
    params=(
        Param("runId", "--run", "node:ScoreRun", "the run (default: the latest covering the scope)"),
        Param("scopeId", "--scope", "org", "rank within this subtree (default: the whole tenant)"),
    ),
    build=build,
)
