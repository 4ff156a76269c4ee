"""Roster export (花名册) as .xlsx through the authenticated HTTP route (real tokens) and the CLI: the
caller's grants and GraphQL's masking, the workbook's format, an export that imports back unchanged."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from core.models import AuditRecord, Member
from core.tenancy import tenant_scope
from core.testing.world import make_user
from tests.core_factories import db_id, gid, id_number, member, org, tree
from tests.roster_files import IMPORT, upload
from tests.sheet_support import token_for, zhibu

EXPORT = "/export/members.xlsx"
HEADERS = ["序号", "姓名", "性别", "身份证号", "出生日期", "民族", "学历", "所在组织", "党小组", "状态",
           "类别", "入党日期", "转正日期", "手机"]  # fmt: skip


def sheet_rows(content: bytes):  # noqa: ANN201
    sheet = load_workbook(io.BytesIO(content))["花名册"]
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.fixture
async def roster(admin, tenant):
    """机关党委 ⊃ 第一党支部 (with 第一党小组) and 第二党支部; a member in each branch."""
    t = await tree(admin)
    li = await member(
        admin, t["branch"], "李红", partyGroupId=t["group"]["id"], gender="FEMALE", birthDate="1985-03-12",
        idNumber=id_number(), phone="13812345678", joinedOn="2010-07-01", confirmedOn="2011-07-01",
        categories=["RETIRED", "FLOATING"], education="大学", ethnicity="汉族",
    )  # fmt: skip
    wang = await member(
        admin, t["other"], "王强", idNumber=id_number(), phone="13900001111", status="PROBATIONARY"
    )
    await make_user(tenant.id, "admin", role="TENANT_ADMIN")
    await make_user(tenant.id, "branch-secretary", role="ORG_SECRETARY", org_id=db_id(t["branch"]))
    await make_user(tenant.id, "inspector", role="ORG_INSPECTOR", org_id=db_id(t["committee"]))
    await make_user(tenant.id, "plain-member", member_id=db_id(li))
    return {**t, "li": li, "wang": wang}


async def test_admin_exports_the_whole_roster_as_a_proper_workbook(http, tenant, roster):
    token = await token_for(http, tenant, "admin")
    response = await http.get(EXPORT, headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    sheet, rows = sheet_rows(response.content)
    assert rows[0] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == 21 and sheet.column_dimensions["H"].width == 36
    li = dict(zip(HEADERS, rows[1], strict=True))
    assert li == {
        "序号": 1, "姓名": "李红", "性别": "女", "身份证号": roster["li"]["idNumber"],
        "出生日期": dt.datetime(1985, 3, 12), "民族": "汉族", "学历": "大学",
        "所在组织": "机关党委/第一党支部", "党小组": "第一党小组", "状态": "正式党员",
        "类别": "离退休党员、流动党员",
        "入党日期": dt.datetime(2010, 7, 1), "转正日期": dt.datetime(2011, 7, 1), "手机": "13812345678",
    }  # fmt: skip
    birth = sheet.cell(row=2, column=HEADERS.index("出生日期") + 1)
    assert birth.is_date and birth.number_format == "yyyy-mm-dd"
    id_cell = sheet.cell(row=2, column=HEADERS.index("身份证号") + 1)
    assert id_cell.data_type == "s" and id_cell.number_format == "@"
    assert rows[2][1:3] == ["王强", None] and rows[2][9] == "预备党员"

    with tenant_scope(tenant.id):
        record = await AuditRecord.filter(operation="exportMembers").order_by("-id").first()
    assert record.target_type == "MemberExport" and record.after["rows"] == 2 and record.after["masked"] == 0


async def test_same_permissions_and_masking_as_graphql(http, tenant, roster):
    secretary = await token_for(http, tenant, "branch-secretary")
    _, rows = sheet_rows((await http.get(EXPORT, headers={"authorization": f"Bearer {secretary}"})).content)
    assert [r[1] for r in rows[1:]] == ["李红"]  # own branch only
    assert rows[1][3] == roster["li"]["idNumber"] and rows[1][13] == "13812345678"  # sensitive read

    inspector = await token_for(http, tenant, "inspector")
    response = await http.get(EXPORT, headers={"authorization": f"Bearer {inspector}"})
    assert response.headers["x-export-masked"] == "2"
    _, rows = sheet_rows(response.content)
    assert [r[1] for r in rows[1:]] == ["李红", "王强"]
    assert rows[1][13] == "138****5678" and rows[1][3].startswith("1101") and "*" in rows[1][3]
    graphql = await http.post(
        "/graphql",
        json={"query": "{ members { edges { node { name phone idNumber } } } }"},
        headers={"authorization": f"Bearer {inspector}"},
    )
    nodes = [e["node"] for e in graphql.json()["data"]["members"]["edges"]]
    assert [[n["name"], n["idNumber"], n["phone"]] for n in nodes] == [[r[1], r[3], r[13]] for r in rows[1:]]

    # filters: a subtree, statuses; a subtree outside the caller's grant is simply empty
    admin = await token_for(http, tenant, "admin")
    auth = {"authorization": f"Bearer {admin}"}
    _, rows = sheet_rows(
        (await http.get(EXPORT, params={"subtreeOf": roster["other"]["id"]}, headers=auth)).content
    )
    assert [r[1] for r in rows[1:]] == ["王强"]
    _, rows = sheet_rows((await http.get(EXPORT, params={"status": "FULL"}, headers=auth)).content)
    assert [r[1] for r in rows[1:]] == ["李红"]
    response = await http.get(
        EXPORT, params={"subtreeOf": roster["other"]["id"]}, headers={"authorization": f"Bearer {secretary}"}
    )
    assert sheet_rows(response.content)[1] == [HEADERS]


async def test_refusals_are_typed(http, tenant, roster):
    async def refused(status: int, code: str, **kwargs) -> None:  # noqa: ANN003
        response = await http.get(EXPORT, **kwargs)
        assert response.status_code == status, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == code

    await refused(401, "UNAUTHENTICATED")
    await refused(401, "UNAUTHENTICATED", headers={"authorization": "Bearer nonsense"})
    plain = await token_for(http, tenant, "plain-member")
    await refused(403, "PERMISSION_DENIED", headers={"authorization": f"Bearer {plain}"})
    admin = {"authorization": f"Bearer {await token_for(http, tenant, 'admin')}"}
    await refused(400, "INVALID_INPUT", params={"subtreeOf": "not-an-id"}, headers=admin)
    await refused(
        400, "INVALID_INPUT", params={"subtreeOf": roster["li"]["id"]}, headers=admin
    )  # a Member id
    await refused(400, "INVALID_INPUT", params={"status": "NOPE"}, headers=admin)
    await refused(404, "NOT_FOUND", params={"subtreeOf": gid("Organization", 10**9)}, headers=admin)
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="exportMembers").count() == 0


async def test_an_export_imports_back_unchanged(admin, http, tenant, roster):
    odd = await org(admin, "BRANCH", '=HYPERLINK("x")支部', roster["committee"])  # looks like a formula
    await member(admin, odd, "赵敏", idNumber=id_number(), categories=["WORKING_ABROAD"])
    token = await token_for(http, tenant, "admin")
    content = (await http.get(EXPORT, headers={"authorization": f"Bearer {token}"})).content
    result = await admin.ok(IMPORT, input={"file": upload(content, "花名册.xlsx")})
    report = result["importMembers"]["report"]
    assert result["importMembers"]["errors"] == [] and report["problems"] == []
    assert (report["unchanged"], report["created"], report["updated"]) == (3, 0, 0)


async def test_exported_text_is_never_a_formula(admin, http, tenant):
    t = await tree(admin)
    await member(admin, t["branch"], "=1+1")
    await make_user(tenant.id, "admin", role="TENANT_ADMIN")
    token = await token_for(http, tenant, "admin")
    sheet, rows = sheet_rows((await http.get(EXPORT, headers={"authorization": f"Bearer {token}"})).content)
    cell = sheet.cell(row=2, column=2)
    assert cell.value == "=1+1" and cell.data_type == "s"


async def test_cli_export(tenant, roster, tmp_path):
    out = tmp_path / "roster.xlsx"
    done = zhibu("export", "members", "--tenant", tenant.slug, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "已导出 2 行" in done.stdout
    _, rows = sheet_rows(out.read_bytes())
    assert rows[1][13] == "13812345678"

    done = zhibu("export", "members", "--tenant", tenant.slug, "--as", "inspector", "-o", str(out))
    assert done.returncode == 0 and "2行含脱敏" in done.stdout
    assert sheet_rows(out.read_bytes())[1][1][13] == "138****5678"

    done = zhibu("export", "members", "--tenant", tenant.slug, "--as", "branch-secretary", "--status", "FULL",
                 "-o", str(out))  # fmt: skip
    assert done.returncode == 0 and [r[1] for r in sheet_rows(out.read_bytes())[1][1:]] == ["李红"]

    done = zhibu("export", "members", "--tenant", tenant.slug, "--as", "plain-member", "-o", str(out))
    assert done.returncode == 2 and "PERMISSION_DENIED" in done.stdout
    done = zhibu(
        "export", "members", "--tenant", tenant.slug, "--org", str(db_id(roster["other"])), "-o", str(out)
    )
    assert done.returncode == 0 and [r[1] for r in sheet_rows(out.read_bytes())[1][1:]] == ["王强"]
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="cli:export members").count() == 4


async def test_export_costs_a_constant_number_of_statements(admin, tenant):
    from core.exports.members import roster_rows
    from core.principal import Principal
    from tests.support import count_statements

    t = await tree(admin)
    counts = []
    for total in (2, 12):
        with tenant_scope(tenant.id):
            have = await Member.all().count()
        for n in range(have, total):
            branch = t["branch"] if n % 2 else t["other"]
            await member(admin, branch, f"党员{n}", categories=["RETIRED"] if n % 3 else [])
        with tenant_scope(tenant.id), count_statements() as statements:
            rows, _ = await roster_rows(Principal.tenant_admin(tenant.id))
        assert len(rows) == total
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
