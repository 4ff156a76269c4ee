"""The .xlsx exports beyond the roster, through the authenticated HTTP route (real tokens) and the
command line: each workbook opened with openpyxl (rows, cell types, formats), the permission and
masking of the same data in GraphQL, refusals, other tenants, audit records."""

from __future__ import annotations

import datetime as dt

from core.models import AuditRecord
from core.rectification.common import today as rectification_today
from core.rectification.models import RectificationItem
from core.tenancy import tenant_scope
from tests.core_factories import db_id, gid
from tests.sheet_support import assert_proper, caller, cell, records, small_tenant

RECORD = """
mutation($input: RecordActivityInput!) {
  recordActivity(input: $input) { errors { code message field } activity { id } }
}
"""


async def audits(tenant, operation: str) -> list[AuditRecord]:  # noqa: ANN001
    with tenant_scope(tenant.id):
        return await AuditRecord.filter(operation=operation).order_by("id")


# --- 三会一课 with attendance -----------------------------------------------------------------


async def record(admin, org, kind, held_on, topic, attendance, host=None):  # noqa: ANN001, ANN201
    payload = await admin.mutate(
        RECORD,
        input={
            "organizationId": org["id"],
            "kind": kind,
            "heldOn": held_on,
            "topic": topic,
            "hostId": host["id"] if host else None,
            "markOthersAbsent": True,
            "attendance": [{"memberId": m["id"], "status": s} for m, s in attendance],
        },
    )
    return payload["activity"]


async def test_activities_with_attendance(admin, tenant, http):
    t = await small_tenant(admin, tenant)
    await record(
        admin,
        t["branch"],
        "THEMED_PARTY_DAY",
        "2025-06-20",
        "重温入党誓词",
        [(t["li"], "PRESENT")],
        host=t["li"],
    )
    await record(admin, t["other"], "PARTY_LECTURE", "2025-05-10", "=党课", [(t["wang"], "LEAVE")])
    await record(admin, t["branch"], "THEMED_PARTY_DAY", "2024-12-20", "去年的主题党日", [])

    admin_ = await caller(http, tenant, "admin")
    book = await admin_.book("activities", **{"from": "2025-01-01", "to": "2025-12-31"})
    assert book.sheetnames == ["活动记录", "出勤明细"]
    sheet = book["活动记录"]
    assert_proper(sheet)
    rows = records(sheet)
    assert [(r["组织"], r["活动类型"], r["主题"]) for r in rows] == [
        ("机关党委/第一党支部", "主题党日", "重温入党誓词"),
        ("机关党委/第二党支部", "党课", "=党课"),  # text, never a formula
    ]
    first = rows[0]
    assert (first["应到"], first["实到"], first["请假"], first["缺席"], first["出勤率"]) == (1, 1, 0, 0, 1)
    assert first["日期"] == dt.datetime(2025, 6, 20) and cell(sheet, 1, "日期").is_date
    assert cell(sheet, 1, "出勤率").number_format == "0.0%" and first["主持人"] == "李红"
    assert (rows[1]["应到"], rows[1]["请假"], rows[1]["出勤率"]) == (1, 1, 0)
    detail = records(book["出勤明细"])
    assert [(d["活动序号"], d["姓名"], d["出勤情况"]) for d in detail] == [
        (1, "李红", "出席"),
        (2, "王强", "请假"),
    ]
    assert_proper(book["出勤明细"])

    # filters: a kind, a subtree; the cancelled and the out-of-period ones are left out
    book = await admin_.book("activities", kind="PARTY_LECTURE")
    assert [r["主题"] for r in records(book["活动记录"])] == ["=党课"]
    book = await admin_.book("activities", subtreeOf=t["branch"]["id"])
    assert [r["主题"] for r in records(book["活动记录"])] == ["去年的主题党日", "重温入党誓词"]

    # a plain member: their branch's meetings and counts, not who attended (GraphQL refuses member)
    member = await caller(http, tenant, "plain-member")
    response = await member.get("activities", **{"from": "2025-01-01"})
    assert response.headers["x-export-masked"] == "2"
    book = await member.book("activities", **{"from": "2025-01-01"})
    (only,) = records(book["活动记录"])
    assert (only["主题"], only["实到"], only["主持人"]) == ("重温入党誓词", 1, "（无权查看）")
    assert [d["姓名"] for d in records(book["出勤明细"])] == ["（无权查看）"]
    # an inspector reads members: names in the clear
    inspector = await caller(http, tenant, "inspector")
    book = await inspector.book("activities", **{"from": "2025-01-01"})
    assert [d["姓名"] for d in records(book["出勤明细"])] == ["李红", "王强"]

    # typed refusals
    nobody = await caller(http, tenant, "nobody")
    await nobody.refused("activities", 403, "PERMISSION_DENIED")
    await admin_.refused("activities", 400, "INVALID_INPUT", "kind", kind="NO_SUCH_KIND")
    await admin_.refused("activities", 400, "INVALID_INPUT", "from", **{"from": "2025-13-01"})
    await admin_.refused(
        "activities", 400, "INVALID_INPUT", "from", **{"from": "2025-02-01", "to": "2025-01-01"}
    )
    await admin_.refused("activities", 400, "INVALID_INPUT", "subtreeOf", subtreeOf=t["li"]["id"])
    await admin_.refused("activities", 404, "NOT_FOUND", "subtreeOf", subtreeOf=gid("Organization", 10**9))
    await admin_.refused("activities", 400, "INVALID_INPUT", "period", period="2025")

    (first_audit, *_) = await audits(tenant, "exportActivities")
    assert first_audit.target_type == "ActivityExport"
    assert first_audit.after["rows"] == 2 and first_audit.after["attendance"] == 2
    assert first_audit.after["filters"] == {"from": "2025-01-01", "to": "2025-12-31"}
    assert len(await audits(tenant, "exportActivities")) == 6  # refusals leave none


# --- the dues register ----------------------------------------------------------------------

SET_PROFILE = """
mutation($input: SetDuesProfileInput!) { setDuesProfile(input: $input) { errors { code } profile { id } } }
"""
GENERATE = """
mutation($input: GenerateDuesBillsInput!) { generateDuesBills(input: $input) { errors { code } created } }
"""
PAY = """
mutation($input: PayDuesInput!) { payDues(input: $input) { errors { code message } payment { id } } }
"""


async def dues_year(admin, t) -> None:  # noqa: ANN001
    """李红 15.00 a month (January paid, February owed), 王强 45.68 (both paid, February by proxy)."""
    for person, income in (("li", "3000"), ("wang", "4567.89")):
        await admin.mutate(
            SET_PROFILE,
            input={
                "memberId": t[person]["id"],
                "category": "SALARIED",
                "monthlyIncome": income,
                "effectiveFrom": "2025-01-01",
            },
        )
    for month in ("2025-01-01", "2025-02-01"):
        await admin.mutate(GENERATE, input={"organizationId": t["committee"]["id"], "month": month})
    await admin.mutate(
        PAY, input={"memberId": t["li"]["id"], "months": ["2025-01-01"], "paidOn": "2025-01-20"}
    )
    await admin.mutate(
        PAY, input={"memberId": t["wang"]["id"], "months": ["2025-01-01"], "paidOn": "2025-01-20"}
    )
    await admin.mutate(
        PAY,
        input={
            "memberId": t["wang"]["id"],
            "months": ["2025-02-01"],
            "paidOn": "2025-02-20",
            "paidByProxy": True,
            "proxyName": "同事",
        },
    )


async def test_dues_register(admin, tenant, http):
    t = await small_tenant(admin, tenant)
    await dues_year(admin, t)
    admin_ = await caller(http, tenant, "admin")
    book = await admin_.book("dues", year="2025")
    assert book.sheetnames == ["党费收缴登记簿", "月度汇总"]
    sheet = book["党费收缴登记簿"]
    assert_proper(sheet)
    li, wang = records(sheet)
    assert (li["所在支部"], li["姓名"]) == ("机关党委/第一党支部", "李红")
    assert (li["1月应缴"], li["1月实缴"], li["2月应缴"], li["2月实缴"], li["3月应缴"]) == (
        15,
        15,
        15,
        0,
        None,
    )
    assert (li["全年应缴"], li["全年实缴"], li["欠缴"]) == (30, 15, 15)
    assert (wang["1月应缴"], wang["2月实缴"], wang["全年实缴"], wang["欠缴"]) == (45.68, 45.68, 91.36, 0)
    money = cell(sheet, 1, "1月应缴")
    assert money.data_type == "n" and money.number_format == "#,##0.00"
    summary = book["月度汇总"]
    assert_proper(summary)
    january, february, total = records(summary)
    assert january["月份"] == dt.datetime(2025, 1, 1) and cell(summary, 1, "月份").number_format == "yyyy-mm"
    assert (january["应缴人次"], january["应缴金额"], january["已缴金额"], january["未缴人次"]) == (
        2,
        60.68,
        60.68,
        0,
    )
    assert (february["已缴人次"], february["代缴人次"], february["未缴金额"]) == (1, 1, 15)
    assert (total["月份"], total["应缴金额"], total["已缴金额"]) == ("合计", 121.36, 106.36)

    # the same bills as duesBills / duesRegister: a secretary sees their branch; a subtree filters
    secretary = await caller(http, tenant, "branch-secretary")
    rows = records((await secretary.book("dues", year="2025"))["党费收缴登记簿"])
    assert [r["姓名"] for r in rows] == ["李红"]
    summary = records((await secretary.book("dues", year="2025"))["月度汇总"])
    assert summary[-1]["应缴金额"] == 30
    rows = records((await admin_.book("dues", year="2025", subtreeOf=t["other"]["id"]))["党费收缴登记簿"])
    assert [r["姓名"] for r in rows] == ["王强"]
    assert records((await admin_.book("dues", year="2024"))["党费收缴登记簿"]) == []

    member = await caller(http, tenant, "plain-member")
    await member.refused("dues", 403, "PERMISSION_DENIED", year="2025")  # no DUES_READ
    await admin_.refused("dues", 400, "INVALID_INPUT", "year")  # required
    await admin_.refused("dues", 400, "INVALID_INPUT", "year", year="二〇二五")
    await admin_.refused("dues", 400, "INVALID_INPUT", "year", year="1800")
    (record, *_) = await audits(tenant, "exportDuesRegister")
    assert (
        record.target_type == "DuesRegisterExport"
        and record.after["rows"] == 2
        and record.after["bills"] == 4
    )


# --- a score run and the branch ranking ---------------------------------------------------------

RUN = """
mutation($input: RunScoringInput!) { runScoring(input: $input) { errors { code message } run { id } } }
"""


async def test_score_run_and_ranking(admin, tenant, http):
    from core.testing.world import make_user
    from tests import standards_factories as f

    root = await f.committee_root(tenant.id, "县直机关工委")
    await f.compliant_branch(tenant.id, root, name="甲支部")
    b = await f.compliant_branch(
        tenant.id, root, name="乙支部", skip={("COMMITTEE_MEETING", m) for m in (2, 3, 4)}
    )
    await f.compliant_branch(tenant.id, root, name="丙支部", skip={("LIFE_MEETING", 0)})
    other_root = await f.committee_root(tenant.id, "另一个党委")
    scope = gid("Organization", root.id)
    period = {"periodStart": "2025-01-01", "periodEnd": "2025-12-31"}
    run = (await admin.mutate(RUN, input={"scopeId": scope, **period}))["run"]
    await make_user(tenant.id, "admin", role="TENANT_ADMIN")
    await make_user(tenant.id, "b-secretary", role="ORG_SECRETARY", org_id=b.id)
    await make_user(tenant.id, "plain", member_id=b.members[3].id)

    admin_ = await caller(http, tenant, "admin")
    book = await admin_.book("scores", scopeId=scope)  # the latest run covering the scope
    assert book.sheetnames == ["支部排名", "扣分明细", "评分信息"]
    sheet = book["支部排名"]
    assert_proper(sheet)
    rows = records(sheet)
    assert [(r["排名"], r["组织"], r["总分"], r["等级"], r["达标"]) for r in rows] == [
        (1, "县直机关工委/甲支部", 100, "达标", "是"),
        (2, "县直机关工委/乙支部", 94, "达标", "是"),
        (2, "县直机关工委/丙支部", 94, "未达标", "否"),
    ]
    headers = [c.value for c in sheet[1]]
    assert headers[:7] == ["排名", "组织", "总分", "等级", "达标", "需整改", "扣分项"] and len(headers) == 15
    assert headers[7] == "组织设置（12.5分）"  # the eight areas, each with its maximum
    assert (rows[1]["组织生活（12.5分）"], rows[1]["班子队伍（12.5分）"], rows[1]["扣分项"]) == (6.5, 12.5, 3)
    assert cell(sheet, 1, "总分").data_type == "n" and rows[2]["需整改"] == "是"
    findings = records(book["扣分明细"])
    assert sorted((x["组织"], x["规则"], x["扣分"]) for x in findings) == [
        ("县直机关工委/丙支部", "LIFE_MEETING_MISSING", 6),
        *[("县直机关工委/乙支部", "COMMITTEE_MEETING_MISSING", 2)] * 3,
    ]
    info = dict(tuple(r) for r in [[c.value for c in row] for row in book["评分信息"].iter_rows(min_row=2)])
    assert info["评分范围"] == "县直机关工委" and info["评估期间"] == "2025" and info["参评支部"] == 3
    assert info["期间起"] == dt.datetime(2025, 1, 1) and info["评分人"] == "测试管理员"
    assert round(info["达标率"], 4) == 0.6667

    # a branch secretary ranks their own branch within itself; the tenant-wide default needs more
    secretary = await caller(http, tenant, "b-secretary")
    rows = records((await secretary.book("scores", scopeId=gid("Organization", b.id)))["支部排名"])
    assert [(r["排名"], r["组织"]) for r in rows] == [(1, "县直机关工委/乙支部")]
    await secretary.refused("scores", 403, "PERMISSION_DENIED")
    await secretary.refused("scores", 403, "PERMISSION_DENIED", scopeId=scope)
    await (await caller(http, tenant, "plain")).refused("scores", 403, "PERMISSION_DENIED", scopeId=scope)
    await admin_.refused("scores", 400, "NO_SCORE_RUN", "scopeId", scopeId=gid("Organization", other_root.id))
    await admin_.refused(
        "scores",
        400,
        "RUN_SCOPE_MISMATCH",
        "runId",
        runId=run["id"],
        scopeId=gid("Organization", other_root.id),
    )
    await admin_.refused("scores", 400, "INVALID_INPUT", "runId", runId=scope)  # an Organization id
    await admin_.refused("scores", 404, "NOT_FOUND", "runId", runId=gid("ScoreRun", 10**9))
    record, _ = await audits(tenant, "exportScores")
    assert record.target_type == "ScoreRunExport" and record.target_id == str(f.db_id(run["id"]))
    assert record.after["rows"] == 3 and record.after["findings"] == 4


# --- the rectification lists ----------------------------------------------------------------------

OPEN_ITEM = """
mutation($input: OpenRectificationItemInput!) {
  openRectificationItem(input: $input) { errors { code message field } item { id } }
}
"""
ADD_TASK = """
mutation($input: AddRectificationTaskInput!) {
  addRectificationTask(input: $input) { errors { code message } task { id } }
}
"""


async def test_rectification_lists(admin, tenant, http):
    t = await small_tenant(admin, tenant)
    day = rectification_today()  # the day overdue days are counted on (Asia/Shanghai), not the machine's
    late = (day - dt.timedelta(days=3)).isoformat()
    soon = (day + dt.timedelta(days=20)).isoformat()
    first = (
        await admin.mutate(
            OPEN_ITEM,
            input={
                "organizationId": t["branch"]["id"],
                "title": "三会一课记录不全",
                "severity": "ERROR",
                "area": "ORGANIZATIONAL_LIFE",
                "ownerMemberId": t["li"]["id"],
                "deadline": soon,
            },
        )
    )["item"]
    await admin.mutate(
        ADD_TASK,
        input={
            "itemId": first["id"],
            "title": "补记三月支委会记录",
            "assigneeMemberId": t["li"]["id"],
            "dueOn": soon,
        },
    )
    with tenant_scope(tenant.id):  # three days overdue (a deadline cannot be set in the past)
        await RectificationItem.filter(id=db_id(first["id"])).update(deadline=dt.date.fromisoformat(late))
    await admin.mutate(
        OPEN_ITEM, input={"organizationId": t["other"]["id"], "title": "=活动阵地未挂牌", "deadline": soon}
    )

    admin_ = await caller(http, tenant, "admin")
    book = await admin_.book("rectification")
    assert book.sheetnames == ["问题清单", "任务清单", "责任清单"]
    for name in book.sheetnames:
        assert_proper(book[name])
    sheet = book["问题清单"]
    problems = records(sheet)
    assert [(p["组织"], p["问题"], p["责任人"], p["状态"]) for p in problems] == [
        ("机关党委/第一党支部", "三会一课记录不全", "李红", "整改中"),  # the first task started it
        ("机关党委/第二党支部", "=活动阵地未挂牌", None, "待整改"),
    ]
    assert (problems[0]["严重程度"], problems[0]["领域"], problems[0]["逾期天数"]) == ("严重", "组织生活", 3)
    assert problems[1]["逾期天数"] == 0 and problems[0]["来源"] == "人工登记"
    assert cell(sheet, 1, "整改期限").is_date and problems[0]["整改期限"] == dt.datetime.fromisoformat(late)
    (task,) = records(book["任务清单"])
    assert (task["问题序号"], task["任务"], task["承办人"], task["已完成"]) == (
        1,
        "补记三月支委会记录",
        "李红",
        "否",
    )
    duties = records(book["责任清单"])
    assert [(d["责任人"], d["职责"], d["事项"]) for d in duties] == [
        ("李红", "问题责任人", "三会一课记录不全"),
        ("李红", "任务承办人", "补记三月支委会记录"),
        ("（未指定）", "问题责任人", "=活动阵地未挂牌"),
    ]

    # the caller's grant and the filters, as rectificationItems
    secretary = await caller(http, tenant, "branch-secretary")
    assert [p["问题"] for p in records((await secretary.book("rectification"))["问题清单"])] == [
        "三会一课记录不全"
    ]
    inspector = await caller(http, tenant, "inspector")
    assert len(records((await inspector.book("rectification"))["问题清单"])) == 2
    book = await admin_.book("rectification", status="OPEN")
    assert [p["问题"] for p in records(book["问题清单"])] == ["=活动阵地未挂牌"] and records(
        book["任务清单"]
    ) == []
    await (await caller(http, tenant, "plain-member")).refused("rectification", 403, "PERMISSION_DENIED")
    await admin_.refused("rectification", 400, "INVALID_INPUT", "status", status="DONE")
    record, *_ = await audits(tenant, "exportRectification")
    assert record.target_type == "RectificationExport" and record.after["tasks"] == 1


# --- quarterly reports ------------------------------------------------------------------------------

SUBMIT = """
mutation($input: SubmitQuarterlyReportInput!) {
  submitQuarterlyReport(input: $input) { errors { code message } report { id } }
}
"""
REVIEW = """
mutation($input: ReviewQuarterlyReportInput!) { reviewQuarterlyReport(input: $input) { errors { code } } }
"""


async def test_quarterly_reports(admin, tenant, http):
    t = await small_tenant(admin, tenant)
    await dues_year(admin, t)
    quarter = {"year": 2025, "quarter": 1}
    mine = await admin.mutate(
        SUBMIT, input={"organizationId": t["branch"]["id"], **quarter, "note": "按时报送"}
    )
    theirs = (await admin.mutate(SUBMIT, input={"organizationId": t["other"]["id"], **quarter}))["report"]
    await admin.mutate(REVIEW, input={"id": theirs["id"], "decision": "APPROVE"})
    mine = mine["report"]

    admin_ = await caller(http, tenant, "admin")
    book = await admin_.book("reports", id=mine["id"])
    assert book.sheetnames == ["季度报表", "组织生活", "发展党员", "未报送"]
    for name in book.sheetnames:
        assert_proper(book[name])
    sheet = book["季度报表"]
    (row,) = records(sheet)
    assert (row["组织"], row["年度"], row["季度"], row["状态"], row["说明"]) == (
        "机关党委/第一党支部",
        2025,
        1,
        "已报送待审核",
        "按时报送",
    )
    assert (
        row["党员总数"],
        row["正式党员"],
        row["党费应缴笔数"],
        row["党费应缴金额"],
        row["党费已缴金额"],
    ) == (1, 1, 2, 30, 15)
    assert cell(sheet, 1, "党费应缴金额").number_format == "#,##0.00" and cell(sheet, 1, "报送时间").is_date
    life = records(book["组织生活"])
    assert {r["活动类型"] for r in life} >= {"支委会", "主题党日"} and all(r["已记录"] == 0 for r in life)
    assert records(book["未报送"]) == []

    # a subtree for a quarter: the reports it may read and who has not submitted
    book = await admin_.book("reports", scopeId=t["committee"]["id"], year="2025", quarter="1")
    assert [(r["组织"], r["状态"]) for r in records(book["季度报表"])] == [
        ("机关党委/第一党支部", "已报送待审核"),
        ("机关党委/第二党支部", "已审核"),
    ]
    assert records(book["未报送"]) == [{"组织": "机关党委", "组织类型": "党委"}]

    # ORG_READ, as quarterlyReports: a plain member reads their own branch's report, no other
    member = await caller(http, tenant, "plain-member")
    assert len(records((await member.book("reports", id=mine["id"]))["季度报表"])) == 1
    await member.refused("reports", 403, "PERMISSION_DENIED", id=theirs["id"])
    await member.refused(
        "reports", 403, "PERMISSION_DENIED", scopeId=t["committee"]["id"], year="2025", quarter="1"
    )
    await (await caller(http, tenant, "nobody")).refused("reports", 403, "PERMISSION_DENIED", id=mine["id"])
    await admin_.refused("reports", 400, "INVALID_INPUT", "scopeId")
    await admin_.refused(
        "reports", 400, "INVALID_INPUT", "quarter", scopeId=t["committee"]["id"], year="2025"
    )
    await admin_.refused(
        "reports", 400, "INVALID_INPUT", "quarter", scopeId=t["committee"]["id"], year="2025", quarter="5"
    )
    await admin_.refused("reports", 400, "INVALID_INPUT", "id", id=mine["id"], year="2025")
    await admin_.refused("reports", 404, "NOT_FOUND", "id", id=gid("QuarterlyReport", 10**9))
    record, *_ = await audits(tenant, "exportQuarterlyReports")
    assert record.target_type == "QuarterlyReportExport" and record.target_id == str(db_id(mine["id"]))


# --- every kind: other tenants, the command line ------------------------------------------------


async def everything(admin, tenant) -> dict:  # noqa: ANN001
    """A tenant with data for every export: activities, dues, a score run, an item, a report."""
    t = await small_tenant(admin, tenant)
    await record(admin, t["branch"], "THEMED_PARTY_DAY", "2025-03-20", "主题党日", [(t["li"], "PRESENT")])
    await dues_year(admin, t)
    soon = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    await admin.mutate(
        OPEN_ITEM, input={"organizationId": t["branch"]["id"], "title": "台账不全", "deadline": soon}
    )
    run = (
        await admin.mutate(
            RUN,
            input={"scopeId": t["committee"]["id"], "periodStart": "2025-01-01", "periodEnd": "2025-12-31"},
        )
    )["run"]
    report = (
        await admin.mutate(SUBMIT, input={"organizationId": t["branch"]["id"], "year": 2025, "quarter": 1})
    )["report"]
    return {**t, "run": run, "report": report}


async def test_another_tenant_sees_none_of_it(admin, tenant, http):
    from core.testing.world import make_user
    from tests.support import make_tenant

    t = await everything(admin, tenant)
    other = await make_tenant()
    await make_user(other.id, "admin", role="TENANT_ADMIN")
    outsider = await caller(http, other, "admin")
    for kind, params in (
        ("members", {}),
        ("activities", {}),
        ("dues", {"year": "2025"}),
        ("rectification", {}),
    ):
        book = await outsider.book(kind, **params)
        assert all(records(book[name]) == [] for name in book.sheetnames), kind
    await outsider.refused("scores", 400, "NO_SCORE_RUN", "scopeId")  # none of its own
    committee = t["committee"]["id"]
    for kind, params, field in (
        ("members", {"subtreeOf": committee}, "subtreeOf"),
        ("activities", {"subtreeOf": committee}, "subtreeOf"),
        ("dues", {"year": "2025", "subtreeOf": committee}, "subtreeOf"),
        ("rectification", {"subtreeOf": committee}, "subtreeOf"),
        ("scores", {"runId": t["run"]["id"]}, "runId"),
        ("scores", {"scopeId": committee}, "scopeId"),
        ("reports", {"id": t["report"]["id"]}, "id"),
        ("reports", {"scopeId": committee, "year": "2025", "quarter": "1"}, "scopeId"),
    ):
        await outsider.refused(kind, 404, "NOT_FOUND", field, **params)
    with tenant_scope(tenant.id):
        assert not await AuditRecord.filter(operation__startswith="export").exists()


async def test_platform_operators_and_unknown_kinds_are_refused(admin, tenant, http):
    await small_tenant(admin, tenant)
    admin_ = await caller(http, tenant, "admin")
    await admin_.refused("nothing", 404, "NOT_FOUND", "kind")
    await admin_.refused("members", 400, "INVALID_INPUT", "subtreeOf", subtreeOf=["a", "b"])
    response = await http.get("/export/dues.xlsx", params={"year": "2025"})
    assert (
        response.status_code == 401
        and response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    )


async def test_cli_exports(admin, tenant, tmp_path):
    from tests.sheet_support import open_book, zhibu

    t = await everything(admin, tenant)
    out = tmp_path / "out.xlsx"
    for args, sheet, rows in (
        (["activities", "--from", "2025-01-01"], "活动记录", 1),
        (["dues", "--year", "2025", "--org", str(db_id(t["branch"]))], "党费收缴登记簿", 1),
        (["scores", "--scope", t["committee"]["id"]], "支部排名", 2),
        (["rectification", "--status", "OPEN"], "问题清单", 1),
        (["reports", "--report", str(db_id(t["report"]))], "季度报表", 1),
        (["activities", "--as", "plain-member"], "出勤明细", 1),
    ):
        done = zhibu("export", *args, "--tenant", tenant.slug, "-o", str(out))
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert done.stdout.startswith("已导出 ") and str(out) in done.stdout, done.stdout
        assert len(records(open_book(out.read_bytes())[sheet])) == rows, args
    assert "（无权查看）" in [r["姓名"] for r in records(open_book(out.read_bytes())["出勤明细"])]
    done = zhibu("export", "dues", "--year", "2025", "--as", "plain-member", "--tenant", tenant.slug)
    assert done.returncode == 2 and "PERMISSION_DENIED" in done.stdout
    done = zhibu("export", "dues", "--year", "next", "--tenant", tenant.slug)
    assert done.returncode == 2 and "INVALID_INPUT" in done.stdout
    with tenant_scope(tenant.id):
        for kind in ("activities", "dues", "scores", "rectification", "reports"):
            assert await AuditRecord.filter(operation=f"cli:export {kind}").exists(), kind


async def test_exports_cost_a_constant_number_of_statements(admin, tenant):
    from core.access.models import User
    from core.exports import activities, dues, rectification
    from core.testing.world import principal_of
    from tests.support import count_statements

    t = await small_tenant(admin, tenant)
    await dues_year(admin, t)
    with tenant_scope(tenant.id):
        inspector = await principal_of(await User.get(username="inspector"))
    soon = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    made, counts = 0, {}
    for n in (1, 5):
        for month in range(made + 1, n + 1):  # n activities, n items with a task each
            day = f"2025-0{month}-15"
            await record(
                admin, t["branch"], "THEMED_PARTY_DAY", day, "主题党日", [(t["li"], "PRESENT")], t["li"]
            )
            item = await admin.mutate(
                OPEN_ITEM,
                input={
                    "organizationId": t["other"]["id"],
                    "title": "问题",
                    "deadline": soon,
                    "ownerMemberId": t["wang"]["id"],
                },
            )
            await admin.mutate(ADD_TASK, input={"itemId": item["item"]["id"], "title": "任务",
                                                "assigneeMemberId": t["wang"]["id"]})  # fmt: skip
        made = n
        with tenant_scope(tenant.id), count_statements() as statements:
            built = [
                await activities.build(inspector, subtree_of=None, kind=[]),
                await rectification.build(inspector, subtree_of=None, status=[]),
                await dues.build(inspector, year=2025, subtree_of=None),
            ]
        assert [b.rows for b in built] == [n, n, 2]
        counts[n] = len(statements)
    assert counts[1] == counts[5], counts
