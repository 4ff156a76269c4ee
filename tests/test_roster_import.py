"""Roster import through GraphQL (the Upload scalar, in-process and as a real multipart request) and the
CLI: row-by-row reports, dry runs, all-or-nothing or valid rows only, re-imports that change nothing,
updates that are audited, the caller's subtree, and bad files refused whole."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from core.app import create_app
from core.models import AuditRecord, Member, MemberCategoryAssignment
from core.principal import Principal
from core.tenancy import tenant_scope
from core.testing.world import client_of, make_user
from tests.core_factories import db_id, id_number, member, org, tree
from tests.roster_files import (
    HEADER,
    IMPORT,
    IMPORT_WITH_FILE,
    csv_bytes,
    open_report,
    upload,
    xlsx,
    zip_with,
)
from tests.sheet_support import zhibu


def row(name, number, organization="机关党委/第一党支部", **cells):  # noqa: ANN001, ANN201
    """A data row under :data:`HEADER` (keyword arguments by header)."""
    values = {"姓名": name, "身份证号": number, "所在组织": organization, **cells}
    return [values.get(header) for header in HEADER]


async def run_import(client, data, filename="花名册.xlsx", document=IMPORT, **options):  # noqa: ANN001, ANN201
    result = await client.ok(document, input={"file": upload(data, filename), **options})
    return result["importMembers"]


async def roster(tenant):  # noqa: ANN001, ANN201
    with tenant_scope(tenant.id):
        return {m.id_number: m for m in await Member.all().select_related("branch", "party_group")}


async def import_audits(tenant):  # noqa: ANN001, ANN201
    with tenant_scope(tenant.id):
        return await AuditRecord.filter(operation="importMembers").order_by("id")


# --- dry run, report ---------------------------------------------------------------------------


async def test_dry_run_reports_every_row_and_writes_nothing(admin, tenant):
    await tree(admin)
    good, dup = id_number(), id_number()
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [
        HEADER,
        row("李红", good, 性别="女", 出生日期=dt.datetime(1985, 3, 12), 党小组="第一党小组", 状态="正式党员",
            类别="离退休党员、流动", 入党日期="2010-07-01", 转正日期="2011/7/1", 手机="13812345678"),
        row("王强", bad_check),
        row("赵敏", id_number(), "不存在的支部"),
        row("钱进", id_number(), 入党日期="去年"),
        row(None, id_number()),
        row("孙立", dup),
        row("孙立", dup),
        [None] * len(HEADER),  # blank rows are skipped
        row("周平", id_number(), "机关党委"),  # not a branch
        row("吴涛", id_number(), 类别="外星党员"),
        row("郑一", id_number(), 入党日期="2020-01-01", 转正日期="2019-01-01"),
        row("冯二", None),  # no ID number: nothing to match by
    ]  # fmt: skip
    payload = await run_import(admin, xlsx(rows), dryRun=True, document=IMPORT_WITH_FILE)
    assert payload["errors"] == []
    report = payload["report"]
    assert (report["dryRun"], report["committed"], report["format"]) == (True, False, "XLSX")
    assert (report["totalRows"], report["created"], report["invalid"]) == (11, 2, 9)
    problems = {(p["row"], p["column"], p["code"]) for p in report["problems"]}
    assert problems == {
        (3, "身份证号", "INVALID_INPUT"),
        (4, "所在组织", "ORG_NOT_FOUND"),
        (5, "入党日期", "INVALID_INPUT"),
        (6, "姓名", "INVALID_INPUT"),
        (8, "身份证号", "IMPORT_DUPLICATE_ROW"),
        (10, "所在组织", "MEMBER_BRANCH_KIND_INVALID"),
        (11, "类别", "MEMBER_CATEGORY_UNKNOWN"),
        (12, "转正日期", "INVALID_INPUT"),
        (13, "身份证号", "INVALID_INPUT"),
    }
    messages = {p["row"]: p["message"] for p in report["problems"]}
    assert messages[3] == "身份证号码校验位不正确" and "与第7行" in messages[8]
    first = report["rows"][0]
    assert first["row"] == 2 and first["action"] == "CREATE" and first["memberId"] is None  # dry run
    assert await roster(tenant) == {}  # nothing written

    # the report workbook: the rows as uploaded, a result and an error column, bad cells marked
    book = open_report(report["reportXlsx"])
    sheet = book["导入报告"]
    header = [c.value for c in sheet[1]]
    assert header == [*HEADER, "导入结果", "错误说明"] and sheet.freeze_panes == "A2"
    assert sheet.cell(row=2, column=len(HEADER) + 1).value == "新增（未写入）"
    id_cell = sheet.cell(row=3, column=HEADER.index("身份证号") + 1)
    assert id_cell.value == bad_check and id_cell.fill.fgColor.rgb == "FFFFC7CE"
    assert "校验位" in id_cell.comment.text
    assert "身份证号：身份证号码校验位不正确" in sheet.cell(row=3, column=len(HEADER) + 2).value
    assert sheet.cell(row=2, column=HEADER.index("出生日期") + 1).value == dt.datetime(1985, 3, 12)
    assert book["汇总"]["B10"].value == 9  # 有误

    # the dry run is audited with its counts, and only that
    (record,) = await import_audits(tenant)
    assert record.target_type == "MemberImport" and record.after["dryRun"] is True
    assert record.after["invalid"] == 9 and record.after["create"] == 2


async def test_all_or_nothing_then_valid_rows_only(admin, tenant):
    await tree(admin)
    rows = [HEADER, row("甲", id_number()), row("乙", "123"), row("丙", id_number())]
    payload = await run_import(admin, xlsx(rows))
    assert payload["report"]["committed"] is False and payload["report"]["invalid"] == 1
    assert await roster(tenant) == {}

    payload = await run_import(admin, xlsx(rows), mode="VALID_ROWS")
    report = payload["report"]
    assert report["committed"] is True and (report["created"], report["invalid"]) == (2, 1)
    written = await roster(tenant)
    assert sorted(m.name for m in written.values()) == ["丙", "甲"]
    created = [r for r in report["rows"] if r["action"] == "CREATE"]
    assert {db_id(r["memberId"]) for r in created} == {m.id for m in written.values()}


async def test_commit_reimport_and_update(admin, tenant):
    t = await tree(admin)
    a, b = id_number(), id_number()
    rows = [
        HEADER,
        row("李红", a, 党小组="第一党小组", 类别="离退休党员", 入党日期="2010-07-01", 手机="13812345678"),
        row("王强", b, "第二党支部", 状态="预备党员", 入党日期=dt.date(2024, 7, 1)),
    ]
    data = xlsx(rows)
    report = (await run_import(admin, data))["report"]
    assert report["committed"] and report["created"] == 2
    members = await roster(tenant)
    li = members[a]
    assert li.branch_id == db_id(t["branch"]) and li.party_group_id == db_id(t["group"])
    assert li.joined_on == dt.date(2010, 7, 1) and li.phone == "13812345678" and li.status == "FULL"
    assert members[b].status == "PROBATIONARY" and members[b].branch_id == db_id(t["other"])
    with tenant_scope(tenant.id):
        assert await MemberCategoryAssignment.filter(member_id=li.id).values_list("category", flat=True) == [
            "RETIRED"
        ]
        created_records = await AuditRecord.filter(operation="importMembers", target_type="Member").count()
    assert created_records == 2

    # the same file again: nothing changes, nothing but the import itself is audited
    with tenant_scope(tenant.id):
        before = await AuditRecord.all().count()
    again = (await run_import(admin, data))["report"]
    assert (again["unchanged"], again["created"], again["updated"]) == (2, 0, 0)
    assert {r["memberId"] for r in again["rows"]} == {r["memberId"] for r in report["rows"]}
    with tenant_scope(tenant.id):
        assert await AuditRecord.all().count() == before + 1  # the MemberImport summary

    # one changed row: the member is updated with only what changed, and audited
    rows[1] = row("李红", a, "第二党支部", 类别="离退休党员", 入党日期="2010-07-01", 手机="13900000000")
    changed = (await run_import(admin, xlsx(rows), document=IMPORT))["report"]
    assert (changed["updated"], changed["unchanged"]) == (1, 1)
    updated_row = next(r for r in changed["rows"] if r["action"] == "UPDATE")
    assert sorted(updated_row["changedColumns"]) == ["所在组织", "手机"]
    li = (await roster(tenant))[a]
    assert li.phone == "13900000000" and li.branch_id == db_id(t["other"]) and li.party_group_id is None
    with tenant_scope(tenant.id):
        record = (
            await AuditRecord.filter(operation="importMembers", target_type="Member", target_id=str(li.id))
            .order_by("-id")
            .first()
        )
    assert record.before["phone"] == "13812345678" and record.after["phone"] == "13900000000"
    assert record.after["branch_id"] == db_id(t["other"])

    # an empty cell leaves the field alone
    rows[1] = row("李红", a, None)
    assert (await run_import(admin, xlsx(rows)))["report"]["unchanged"] == 2


async def test_service_refusals_are_reported_on_their_row(admin, tenant):
    t = await tree(admin)
    number = id_number()
    await member(admin, t["branch"], "李红", idNumber=number)
    rows = [HEADER, row("李红", number, 状态="预备党员"), row("新人", id_number(), 状态="出党")]
    report = (await run_import(admin, xlsx(rows), dryRun=True))["report"]
    problems = {(p["row"], p["column"], p["code"]) for p in report["problems"]}
    assert problems == {(2, "状态", "MEMBER_STATUS_CHANGE_NOT_ALLOWED"), (3, "状态", "INVALID_INPUT")}

    # ending membership is an ordinary edit, also through the roster
    rows = [HEADER, row("李红", number, 状态="去世")]
    report = (await run_import(admin, xlsx(rows)))["report"]
    assert report["updated"] == 1 and (await roster(tenant))[number].status == "DECEASED"


async def test_organization_by_name_path_or_unique_name(admin, tenant):
    t = await tree(admin)
    elsewhere = await org(admin, "PARTY_COMMITTEE", "街道党工委")
    await org(admin, "BRANCH", "第一党支部", elsewhere)  # a second 第一党支部
    await org(admin, "BRANCH", "社区党支部", elsewhere)
    rows = [
        HEADER,
        row("甲", id_number(), "第一党支部"),  # ambiguous
        row("乙", id_number(), "街道党工委 / 第一党支部"),
        row("丙", id_number(), "社区党支部"),  # unique name
        row("丁", id_number(), "机关党委/第一党支部", 党小组="没有的小组"),
    ]
    report = (await run_import(admin, xlsx(rows), dryRun=True))["report"]
    problems = {(p["row"], p["column"], p["code"]): p["message"] for p in report["problems"]}
    assert set(problems) == {(2, "所在组织", "ORG_AMBIGUOUS"), (5, "党小组", "MEMBER_PARTY_GROUP_INVALID")}
    assert "机关党委/第一党支部" in problems[(2, "所在组织", "ORG_AMBIGUOUS")]
    assert report["created"] == 2
    del t


# --- access ----------------------------------------------------------------------------------


async def test_branch_secretary_imports_into_their_own_subtree_only(admin, tenant):
    t = await tree(admin)
    outsider = id_number()
    await member(admin, t["other"], "外支部党员", idNumber=outsider)
    user = await make_user(tenant.id, role="ORG_SECRETARY", org_id=db_id(t["branch"]))
    secretary = await client_of(user)

    mine = [HEADER, row("甲", id_number(), "第一党支部")]
    report = (await run_import(secretary, xlsx(mine)))["report"]
    assert report["committed"] and report["created"] == 1

    for rows in (
        [HEADER, row("乙", id_number(), "第一党支部"), row("丙", id_number(), "第二党支部")],
        [HEADER, row("外支部党员", outsider, "第一党支部")],  # pulling in someone else's member
        [HEADER, row("外支部党员", outsider, None, 手机="13700000000")],
    ):
        before = await roster(tenant)
        for dry_run in (True, False):
            payload = await run_import(secretary, xlsx(rows), dryRun=dry_run)
            assert payload["report"] is None
            assert [(e["code"], e["field"]) for e in payload["errors"]] == [("PERMISSION_DENIED", "file")]
        assert (await roster(tenant)).keys() == before.keys()
        assert (await roster(tenant))[outsider].phone == ""
    imports = [r for r in await import_audits(tenant) if r.target_type == "MemberImport"]
    assert len(imports) == 1  # refusals leave no record

    inspector = await client_of(
        await make_user(tenant.id, role="ORG_INSPECTOR", org_id=db_id(t["committee"]))
    )
    assert await inspector.error_code(IMPORT, input={"file": upload(xlsx(mine))}) == "PERMISSION_DENIED"


# --- bad files -------------------------------------------------------------------------------

_PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _big_workbook() -> bytes:
    rows = [HEADER, row("甲", id_number())]
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    entries = {name: archive.read(name) for name in archive.namelist()}
    entries["xl/media/padding.bin"] = b"0" * (2 * 1024 * 1024)  # compresses to almost nothing
    return zip_with(entries)


NOT_SHEET, HEADERS, EMPTY = "IMPORT_FILE_NOT_SPREADSHEET", "IMPORT_HEADERS_INVALID", "IMPORT_FILE_EMPTY"
BAD_FILES = [
    ("png named xlsx", _PNG, "照片.xlsx", NOT_SHEET),
    ("binary named csv", _PNG, "花名册.csv", NOT_SHEET),
    ("old xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "花名册.xls", "IMPORT_FILE_UNSUPPORTED"),
    ("zip, not a workbook", zip_with({"word/document.xml": b"<w/>"}), "花名册.xlsx", NOT_SHEET),
    ("broken workbook", zip_with({"xl/workbook.xml": b"<not xml"}), "花名册.xlsx", NOT_SHEET),
    ("empty file", b"", "花名册.csv", EMPTY),
    ("header only", xlsx([HEADER]), "花名册.xlsx", EMPTY),
    ("missing column", xlsx([["姓名", "所在组织"], ["甲", "第一党支部"]]), "a.xlsx", HEADERS),
    ("unknown column", xlsx([[*HEADER, "籍贯"], row("甲", "1")]), "a.xlsx", HEADERS),
    ("repeated column", xlsx([[*HEADER, "手机号码"], row("甲", "1")]), "a.xlsx", HEADERS),
    ("data without header", xlsx([HEADER, [*row("甲", "1"), "多出"]]), "a.xlsx", HEADERS),
    ("title row", xlsx([["第一党支部党员花名册"], HEADER, row("甲", "1")]), "a.xlsx", HEADERS),
    ("formula", xlsx([HEADER, row("甲", "1", 手机="=1+1")]), "a.xlsx", "IMPORT_FORMULAS"),
    ("csv formula", csv_bytes([HEADER, row("=HYPERLINK(1)", "1")]), "a.csv", "IMPORT_FORMULAS"),
    ("merged cells", xlsx([HEADER, row("甲", "1"), row("乙", "2")], merge="F2:F3"), "a.xlsx",
     "IMPORT_MERGED_CELLS"),
    ("unpacks too large", _big_workbook(), "a.xlsx", "IMPORT_FILE_TOO_LARGE"),
    ("too many rows", xlsx([HEADER] + [row(f"人{i}", "1") for i in range(6)]), "a.xlsx",
     "IMPORT_TOO_MANY_ROWS"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "data", "filename", "code"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
async def test_bad_files_are_refused_whole(admin, tenant, monkeypatch, what, data, filename, code):
    await tree(admin)
    monkeypatch.setenv("ZHIBU_IMPORT_MAX_ROWS", "5")
    monkeypatch.setenv("ZHIBU_IMPORT_MAX_UNPACKED_BYTES", str(1024 * 1024))
    payload = await run_import(admin, data, filename)
    assert payload["report"] is None
    (error,) = payload["errors"]
    assert (error["code"], error["field"]) == (code, "file"), error
    assert error["message"]
    assert await roster(tenant) == {} and await import_audits(tenant) == []


async def test_not_an_upload_is_a_typed_error(admin):
    result = await admin.ok(IMPORT, input={"file": "not a file"})
    assert result["importMembers"]["errors"][0]["code"] == "IMPORT_FILE_MISSING"


# --- cell formats, CSV -------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("gb18030", ","), ("utf-16", "\t")])
async def test_csv_in_the_encodings_excel_writes(admin, tenant, encoding, delimiter):
    await tree(admin)
    number = id_number()
    rows = [HEADER, row("李红", number, 性别="女", 出生日期="1985年3月12日", 入党日期="2010.07.01")]
    report = (await run_import(admin, csv_bytes(rows, encoding=encoding, delimiter=delimiter), "花名册.csv"))[
        "report"
    ]
    assert report["format"] == "CSV" and report["created"] == 1, report["problems"]
    li = (await roster(tenant))[number]
    assert (li.gender, li.birth_date, li.joined_on) == ("FEMALE", dt.date(1985, 3, 12), dt.date(2010, 7, 1))


async def test_numeric_id_numbers_are_refused_and_numeric_phones_read(admin, tenant):
    """Excel keeps 15 significant digits: an ID number typed as a number has lost its last digits."""
    await tree(admin)
    text, numeric = id_number(), id_number()
    rows = [HEADER, row("甲", text, 手机=13812345678), row("乙", int(numeric[:17] + "0"))]
    report = (await run_import(admin, xlsx(rows)))["report"]
    assert [(p["row"], p["column"]) for p in report["problems"]] == [(3, "身份证号")]
    assert "文本格式" in report["problems"][0]["message"]
    report = (await run_import(admin, xlsx(rows[:2])))["report"]
    assert report["created"] == 1 and (await roster(tenant))[text].phone == "13812345678"


# --- over HTTP: the GraphQL multipart request spec -------------------------------------------------


@pytest.fixture
async def http_as_admin(tenant):
    async def resolver(request):  # noqa: ANN001, ANN202
        return Principal.tenant_admin(tenant.id, label="测试管理员")

    app = create_app(manage_db=False, listen_policies=False, principal_resolver=resolver)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://zhibu") as client:
        yield client


async def test_multipart_upload_over_http(admin, tenant, http_as_admin):
    import json

    await tree(admin)
    number = id_number()
    operations = {"query": IMPORT, "variables": {"input": {"file": None, "dryRun": False}}}
    response = await http_as_admin.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": ("花名册.xlsx", xlsx([HEADER, row("李红", number)]), "application/octet-stream")},
    )
    assert response.status_code == 200, response.text
    report = response.json()["data"]["importMembers"]["report"]
    assert report["fileName"] == "花名册.xlsx" and report["created"] == 1
    assert number in await roster(tenant)

    # a multipart body that does not follow the spec: a typed error, not plain text
    response = await http_as_admin.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"9": ["variables.input.file"]})},
        files={"0": ("a.xlsx", b"x", "application/octet-stream")},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


# --- the command line ---------------------------------------------------------------------------


async def test_cli_import(admin, tenant, tmp_path):
    await tree(admin)
    good, bad = id_number(), "110101198503120010"
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(xlsx([HEADER, row("李红", good), row("王强", bad)]))

    done = zhibu("import", "members", str(path), "--tenant", tenant.slug, "--dry-run", "--report",
                 str(tmp_path / "report.xlsx"))  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "新增1" in done.stdout and "有误1" in done.stdout and "第3行" in done.stdout
    assert (tmp_path / "report.xlsx").exists()
    assert await roster(tenant) == {}
    assert done.stderr.rstrip().endswith("] 2/2") and "导入 [" in done.stderr  # the progress bar

    done = zhibu("import", "members", str(path), "--tenant", tenant.slug)
    assert done.returncode == 1 and "未写入" in done.stdout and await roster(tenant) == {}

    done = zhibu("import", "members", str(path), "--tenant", tenant.slug, "--valid-only")
    assert done.returncode == 1 and "已写入" in done.stdout
    assert set(await roster(tenant)) == {good}
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="cli:import members").count() >= 3

    path.write_bytes(xlsx([HEADER, row("李红", good)]))
    done = zhibu("import", "members", str(path), "--tenant", tenant.slug)
    assert done.returncode == 0 and "无变化1" in done.stdout

    path = tmp_path / "花名册.csv"
    path.write_bytes("名字,号码\n李红,1\n".encode())
    done = zhibu("import", "members", str(path), "--tenant", tenant.slug)
    assert done.returncode == 2 and "IMPORT_HEADERS_INVALID" in done.stdout
    done = zhibu("import", "members", str(path), "--tenant", "no-such-tenant")
    assert done.returncode == 2 and "NOT_FOUND" in done.stdout


# --- the must-show test ---------------------------------------------------------------------

COUNTS = """
mutation($input: ImportMembersInput!) {
  importMembers(input: $input) {
    errors { code }
    report { committed totalRows created updated unchanged invalid problems { row column code } }
  }
}
"""


def planted_sheet() -> tuple[list[list], set[tuple[int, str, str]]]:
    """1,000 data rows, 17 of them with one planted error each (of 17 kinds); the problems expected."""
    rows = [HEADER]
    numbers = [id_number(n, birth=f"{1950 + n // 360}{n % 12 + 1:02d}{n % 28 + 1:02d}") for n in range(1000)]
    for n in range(1000):
        branch = "机关党委/第一党支部" if n % 2 else "机关党委/第二党支部"
        rows.append(row(f"党员{n}", numbers[n], branch, 性别="男" if n % 3 else "女", 入党日期="2010-07-01",
                        手机=f"138{n:08d}", 类别="离退休党员" if n % 7 == 0 else None))  # fmt: skip
    good = numbers[1]
    plants = [  # (column, code, the row's cells)
        ("身份证号", "INVALID_INPUT", {"身份证号": good[:17] + ("0" if good[17] != "0" else "1")}),
        ("身份证号", "INVALID_INPUT", {"身份证号": float(good[:17] + "0")}),  # a number cell
        ("姓名", "INVALID_INPUT", {"姓名": None}),
        ("身份证号", "INVALID_INPUT", {"身份证号": None}),
        ("身份证号", "IMPORT_DUPLICATE_ROW", {"身份证号": good}),  # the same as row 3
        ("所在组织", "ORG_NOT_FOUND", {"所在组织": "不存在的支部"}),
        ("所在组织", "MEMBER_BRANCH_KIND_INVALID", {"所在组织": "机关党委"}),
        ("所在组织", "ORG_AMBIGUOUS", {"所在组织": "第一党支部"}),
        ("党小组", "MEMBER_PARTY_GROUP_INVALID", {"党小组": "没有的小组"}),
        ("入党日期", "INVALID_INPUT", {"入党日期": "去年"}),
        ("转正日期", "INVALID_INPUT", {"转正日期": "2009-07-01"}),  # before 入党日期
        ("类别", "MEMBER_CATEGORY_UNKNOWN", {"类别": "外星党员"}),
        ("性别", "INVALID_INPUT", {"性别": "未知"}),
        ("状态", "INVALID_INPUT", {"状态": "党外人士"}),
        ("状态", "INVALID_INPUT", {"状态": "出党"}),  # refused by create_member: a new member leaving
        ("手机", "INVALID_INPUT", {"手机": "请打办公室"}),
        ("姓名", "INVALID_INPUT", {"姓名": "长" * 101}),
    ]
    expected = set()
    for index, (column, code, cells) in enumerate(plants):
        line = 40 + 57 * index  # spread over the sheet; the sheet's row = data row + 1
        for header, value in cells.items():
            rows[line][HEADER.index(header)] = value
        expected.add((line + 1, column, code))
    return rows, expected


async def test_a_thousand_rows_with_seventeen_planted_errors(admin, tenant):
    """The issue's must-show test: exactly the 17 planted errors are reported; all-or-nothing
    writes no row; the valid-rows mode writes the other 983; importing it again changes nothing."""
    t = await tree(admin)
    street = await org(admin, "PARTY_COMMITTEE", "街道党工委")
    await org(admin, "BRANCH", "第一党支部", street)  # makes a bare 第一党支部 ambiguous
    rows, expected = planted_sheet()
    assert len(rows) == 1001 and len(expected) == 17
    data = xlsx(rows, text_columns=(HEADER.index("身份证号"),))

    payload = await run_import(admin, data, document=COUNTS)
    report = payload["report"]
    assert {(p["row"], p["column"], p["code"]) for p in report["problems"]} == expected
    assert len(report["problems"]) == 17  # one each: a too-long name was once also "empty"
    assert (report["totalRows"], report["invalid"], report["created"], report["committed"]) == (
        1000,
        17,
        983,
        False,
    )
    assert await roster(tenant) == {}  # all or nothing: no row written

    report = (await run_import(admin, data, document=COUNTS, mode="VALID_ROWS"))["report"]
    assert report["committed"] and (report["created"], report["invalid"]) == (983, 17)
    written = await roster(tenant)
    assert len(written) == 983 and {m.branch_id for m in written.values()} == {
        db_id(t["branch"]),
        db_id(t["other"]),
    }
    with tenant_scope(tenant.id):
        before = await AuditRecord.all().count()

    again = (await run_import(admin, data, document=COUNTS, mode="VALID_ROWS"))["report"]
    assert (again["unchanged"], again["created"], again["updated"], again["invalid"]) == (983, 0, 0, 17)
    assert {(p["row"], p["column"], p["code"]) for p in again["problems"]} == expected
    assert (await roster(tenant)).keys() == written.keys()
    with tenant_scope(tenant.id):
        assert await AuditRecord.all().count() == before + 1  # only the import's own summary
