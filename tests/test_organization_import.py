"""Organization tree import (组织架构导入) through GraphQL and the CLI: parents by name path (created
by earlier rows of the same file, too), the nesting rules of createOrganization, row-by-row reports,
dry runs, all-or-nothing or valid rows only, re-imports that change nothing, updates, the caller's
subtree."""

from __future__ import annotations

import datetime as dt

from core.models import AuditRecord, Organization
from core.principal import Principal
from core.tenancy import tenant_scope
from core.testing.world import client_of, make_user
from tests.core_factories import db_id, org, tree
from tests.roster_files import open_report, upload, xlsx
from tests.sheet_support import zhibu
from tests.support import GraphQLClient

HEADER = ["序号", "组织名称", "上级组织", "组织类型", "成立日期", "所在领域", "覆盖单位", "依托临时机构"]
IMPORT = """
mutation($input: ImportOrganizationsInput!) {
  importOrganizations(input: $input) {
    errors { code message field }
    report {
      fileName format dryRun mode committed totalRows created updated unchanged invalid
      rows { row action name organizationId changedColumns problems { column code } }
      problems { row column code message }
    }
  }
}
"""


def row(name, parent=None, kind=None, **cells):  # noqa: ANN001, ANN201
    values = {"组织名称": name, "上级组织": parent, "组织类型": kind, **cells}
    return [values.get(header) for header in HEADER]


async def run_import(client, rows, filename="组织架构.xlsx", document=IMPORT, **options):  # noqa: ANN001, ANN201
    result = await client.ok(document, input={"file": upload(xlsx([HEADER, *rows]), filename), **options})
    return result["importOrganizations"]


async def tree_of(tenant) -> dict[str, Organization]:  # noqa: ANN001
    """Organizations by name path."""
    with tenant_scope(tenant.id):
        orgs = await Organization.all()
    names = {o.id: o.name for o in orgs}
    return {"/".join(names[int(p)] for p in o.path.strip("/").split("/")): o for o in orgs}


GOOD = [
    row("机关党委", None, "党委", 成立日期="2001-07-01", 所在领域="机关"),
    row("第一党支部", "机关党委", "党支部", 成立日期=dt.datetime(2002, 7, 1)),
    row("第一党小组", "机关党委/第一党支部", "PARTY_GROUP"),
    row("联合党支部", "机关党委", "联合党支部", 覆盖单位="甲公司、乙公司"),
]


async def test_dry_run_reports_every_row_and_writes_nothing(admin, tenant):
    rows = [
        *GOOD,
        row("坏类型", "机关党委", "党部"),
        row("孤儿", "不存在的党委", "党支部"),
        row("早到的小组", "晚来的支部", "党小组"),
        row("晚来的支部", "机关党委", "党支部"),
        row("第一党支部", "机关党委", "党支部"),
        row("嵌套错", "机关党委/第一党支部/第一党小组", "党支部"),
        row("临时支部", "机关党委", "临时党支部"),
        row("子孙", "坏类型", "党小组"),
        row(None, "机关党委", "党支部"),
        row("无类型", "机关党委"),
        row("顶级临时", None, "临时党支部", 依托临时机构="抗洪指挥部"),
        row("错领域", "机关党委", "党支部", 所在领域="火星"),
    ]
    payload = await run_import(admin, rows, dryRun=True)
    assert payload["errors"] == []
    report = payload["report"]
    assert (report["dryRun"], report["committed"], report["totalRows"]) == (True, False, 16)
    assert (report["created"], report["invalid"]) == (5, 11)
    problems = {(p["row"], p["column"], p["code"]) for p in report["problems"]}
    assert problems == {
        (6, "组织类型", "INVALID_INPUT"),
        (7, "上级组织", "ORG_NOT_FOUND"),
        (8, "上级组织", "IMPORT_PARENT_ORDER"),
        (10, "组织名称", "IMPORT_DUPLICATE_ROW"),
        (11, "上级组织", "ORG_NESTING_NOT_ALLOWED"),  # createOrganization's own rule
        (12, "依托临时机构", "INVALID_INPUT"),  # a temporary branch names its temporary body
        (13, "上级组织", "IMPORT_PARENT_INVALID"),
        (14, "组织名称", "INVALID_INPUT"),
        (15, "组织类型", "INVALID_INPUT"),
        (16, "上级组织", "ORG_NESTING_NOT_ALLOWED"),  # a temporary branch is never a root
        (17, "所在领域", "INVALID_INPUT"),
    }
    messages = {p["row"]: p["message"] for p in report["problems"]}
    assert "第9行" in messages[8] and "第3行" in messages[10] and "第6行" in messages[13]
    assert [r["action"] for r in report["rows"][:4]] == ["CREATE"] * 4
    assert all(r["organizationId"] is None for r in report["rows"])  # a dry run creates nothing
    assert await tree_of(tenant) == {}
    with tenant_scope(tenant.id):
        (record,) = await AuditRecord.filter(operation="importOrganizations")
    assert record.target_type == "OrganizationImport" and record.after["invalid"] == 11


async def test_commit_valid_rows_then_reimport_and_update(admin, tenant):
    bad = row("坏类型", "机关党委", "党部")
    payload = await run_import(admin, [*GOOD, bad])
    assert payload["report"]["committed"] is False and await tree_of(tenant) == {}  # all or nothing

    report = (await run_import(admin, [*GOOD, bad], mode="VALID_ROWS"))["report"]
    assert report["committed"] and (report["created"], report["invalid"]) == (4, 1)
    orgs = await tree_of(tenant)
    assert set(orgs) == {
        "机关党委",
        "机关党委/第一党支部",
        "机关党委/第一党支部/第一党小组",
        "机关党委/联合党支部",
    }
    top, first = orgs["机关党委"], orgs["机关党委/第一党支部"]
    assert (top.kind, top.parent_id, top.established_on, top.sector) == (
        "PARTY_COMMITTEE", None, dt.date(2001, 7, 1), "AGENCY")  # fmt: skip
    assert (first.kind, first.parent_id, first.established_on) == ("BRANCH", top.id, dt.date(2002, 7, 1))
    assert orgs["机关党委/第一党支部/第一党小组"].kind == "PARTY_GROUP"
    assert orgs["机关党委/联合党支部"].covered_units == ["甲公司", "乙公司"]
    created = {db_id(r["organizationId"]) for r in report["rows"] if r["action"] == "CREATE"}
    assert created == {o.id for o in orgs.values()}
    with tenant_scope(tenant.id):
        assert (
            await AuditRecord.filter(operation="importOrganizations", target_type="Organization").count() == 4
        )

    # the same file again: nothing changes, matched by name path
    with tenant_scope(tenant.id):
        before = await AuditRecord.all().count()
    again = (await run_import(admin, GOOD))["report"]
    assert (again["unchanged"], again["created"], again["updated"]) == (4, 0, 0) and again["committed"]
    assert {db_id(r["organizationId"]) for r in again["rows"]} == created
    with tenant_scope(tenant.id):
        assert await AuditRecord.all().count() == before + 1  # the OrganizationImport summary
    assert len(await tree_of(tenant)) == 4

    # a changed cell updates only that; empty cells change nothing; the kind cannot change
    changed = [row("第一党支部", "机关党委", None, 成立日期="2003-03-01"), row("联合党支部", "机关党委")]
    report = (await run_import(admin, changed))["report"]
    assert (report["updated"], report["unchanged"]) == (1, 1)
    assert report["rows"][0]["changedColumns"] == ["成立日期"]
    assert (await tree_of(tenant))["机关党委/第一党支部"].established_on == dt.date(2003, 3, 1)
    with tenant_scope(tenant.id):
        record = (
            await AuditRecord.filter(operation="importOrganizations", target_id=str(first.id))
            .order_by("-id")
            .first()
        )
    assert record.before["established_on"] == "2002-07-01" and record.after["established_on"] == "2003-03-01"
    report = (await run_import(admin, [row("第一党支部", "机关党委", "党总支")]))["report"]
    assert [(p["column"], p["code"]) for p in report["problems"]] == [
        ("组织类型", "ORG_KIND_CHANGE_NOT_ALLOWED")
    ]


async def test_parents_by_path_or_unique_name_and_the_callers_subtree(admin, tenant):
    t = await tree(admin)  # 机关党委 ⊃ 第一党支部 (第一党小组), 第二党支部
    street = await org(admin, "PARTY_COMMITTEE", "街道党工委")
    await org(admin, "BRANCH", "第一党支部", street)
    rows = [
        row("甲小组", "第一党支部", "党小组"),  # two of that name
        row("乙小组", "街道党工委 / 第一党支部", "党小组"),
        row("丙小组", "第二党支部", "党小组"),  # unique
    ]
    report = (await run_import(admin, rows, dryRun=True))["report"]
    assert [(p["row"], p["code"]) for p in report["problems"]] == [(2, "ORG_AMBIGUOUS")]
    assert "机关党委/第一党支部" in report["problems"][0]["message"] and report["created"] == 2

    # ORG_MANAGE on one branch's subtree (no role of the table grants it below the tenant today)
    secretary = GraphQLClient(
        Principal(tenant.id, label="支部", grants={"ORG_MANAGE": (t["branch"]["path"],)})
    )
    mine = [row("第二党小组", "第一党支部", "党小组")]  # the ambiguous name resolves to their own
    report = (await run_import(secretary, mine))["report"]
    assert report["committed"] and report["created"] == 1
    assert "机关党委/第一党支部/第二党小组" in await tree_of(tenant)
    for rows in (
        [
            row("第三党小组", "第一党支部", "党小组"),
            row("新支部", "机关党委", "党支部"),
        ],  # beside their branch
        [row("新党委", None, "党委")],  # a new root is tenant-wide
        [row("第二党支部", "机关党委", None, 成立日期="2020-01-01")],  # someone else's branch
    ):
        payload = await run_import(secretary, rows, dryRun=True)
        assert payload["report"] is None, (rows, payload["report"])
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("PERMISSION_DENIED", "file")], rows
    # their own branch may stand in the file, named under its committee, with their new groups
    rows = [row("第一党支部", "机关党委", "党支部"), row("第三党小组", "机关党委/第一党支部", "党小组")]
    report = (await run_import(secretary, rows))["report"]
    assert [r["action"] for r in report["rows"]] == ["UNCHANGED", "CREATE"] and report["committed"]
    inspector = await client_of(
        await make_user(tenant.id, role="ORG_INSPECTOR", org_id=db_id(t["committee"]))
    )
    assert (
        await inspector.error_code(IMPORT, input={"file": upload(xlsx([HEADER, *mine]))})
        == "PERMISSION_DENIED"
    )


async def test_bad_files_and_the_report_workbook(admin, tenant):
    result = await admin.ok(IMPORT, input={"file": upload(xlsx([["组织名称", "组织类型"], ["甲", "党委"]]))})
    (error,) = result["importOrganizations"]["errors"]
    assert error["code"] == "IMPORT_HEADERS_INVALID" and "上级组织" in error["message"]
    document = IMPORT.replace("problems { row column code message }", "reportXlsx")
    rows = [row("机关党委", None, "党委"), row("孤儿", "无", "党支部")]
    report = (await run_import(admin, rows, document=document, dryRun=True))["report"]
    sheet = open_report(report["reportXlsx"])["导入报告"]
    assert [c.value for c in sheet[1]] == [*HEADER, "导入结果", "错误说明"]
    assert sheet.cell(row=3, column=3).fill.fgColor.rgb == "FFFFC7CE"  # 上级组织 marked
    assert "未找到上级组织" in sheet.cell(row=3, column=len(HEADER) + 2).value


async def test_cli_import(tenant, tmp_path):
    path = tmp_path / "组织架构.xlsx"
    path.write_bytes(xlsx([HEADER, *GOOD]))
    done = zhibu("import", "organizations", str(path), "--tenant", tenant.slug, "--dry-run")
    assert done.returncode == 0 and "新增4" in done.stdout and "未写入" in done.stdout, done.stdout
    assert await tree_of(tenant) == {}
    done = zhibu("import", "organizations", str(path), "--tenant", tenant.slug)
    assert done.returncode == 0 and "已写入" in done.stdout
    assert len(await tree_of(tenant)) == 4
    done = zhibu("import", "organizations", str(path), "--tenant", tenant.slug)
    assert done.returncode == 0 and "无变化4" in done.stdout
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="cli:import organizations").count() >= 3
