"""Catalog entries of the quarterly report domain."""

from __future__ import annotations

import datetime as dt

from core.tenancy import tenant_scope
from core.testing import gid
from tests.catalog import Op, Target
from tests.catalog._helpers import fresh_org

PAYLOAD = "errors { code } report { id status }"


async def _org(world, pos):  # noqa: ANN001, ANN202
    return Target({"org": world.org_gid(pos.org)})


async def _scope(world, pos):  # noqa: ANN001, ANN202
    return Target({"scope": world.org_gid(pos.org)})


async def _submit(world, pos):  # noqa: ANN001, ANN202
    org = await fresh_org(world, pos.org, kind="BRANCH")
    return Target({"input": {"organizationId": gid("Organization", org.id), "year": 2025, "quarter": 1}})


async def _review(world, pos):  # noqa: ANN001, ANN202
    from core.reports.models import QuarterlyReport
    from core.reports.service import build_content

    org = await fresh_org(world, pos.org, kind="BRANCH")
    with tenant_scope(world.tenant_id):
        report = await QuarterlyReport.create(
            organization_id=org.id,
            year=2025,
            quarter=1,
            content=await build_content(org, 2025, 1, dt.date(2026, 1, 1)),
            submitted_by="支部书记",
            submitted_at=dt.datetime(2025, 4, 3, tzinfo=dt.UTC),
        )
    return Target({"input": {"id": gid("QuarterlyReport", report.id), "decision": "APPROVE"}})


OPERATIONS = [
    Op(
        "quarterlyReportPreview",
        "query",
        "query($org: ID!) { quarterlyReportPreview(organizationId: $org, year: 2025, quarter: 1) "
        "{ members { total } } }",
        "ORG_READ",
        "tree",
        _org,
    ),
    Op(
        "quarterlyReports",
        "query",
        "query($scope: ID!) { quarterlyReports(scopeId: $scope, year: 2025, quarter: 1) "
        "{ reports { id } notSubmitted { id } } }",
        "ORG_READ",
        "tree",
        _scope,
    ),
    Op(
        "submitQuarterlyReport",
        "mutation",
        f"mutation($input: SubmitQuarterlyReportInput!) {{ submitQuarterlyReport(input: $input) {{ {PAYLOAD} }} }}",  # noqa: E501
        "ORG_MANAGE",
        "tree",
        _submit,
        notes="target: a fresh branch under the position organization, 2025 Q1",
    ),
    Op(
        "reviewQuarterlyReport",
        "mutation",
        f"mutation($input: ReviewQuarterlyReportInput!) {{ reviewQuarterlyReport(input: $input) {{ {PAYLOAD} }} }}",  # noqa: E501
        "ORG_MANAGE",
        "tree",
        _review,
        notes="target: the submitted report of a fresh branch under the position (its superior)",
    ),
]
