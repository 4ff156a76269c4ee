"""党建工作季度报表: derived from records, submitted by the organization, reviewed by its superior,
frozen once submitted; superiors see who has not submitted."""

from __future__ import annotations

import datetime as dt

from core.models import AuditRecord, Member, Organization
from core.principal import Principal
from core.tenancy import tenant_scope
from core.testing import GraphQLClient
from tests.test_dues import gid, make_tree

SUBMIT = """mutation($org: ID!, $year: Int!, $quarter: Int!) {
  submitQuarterlyReport(input: {organizationId: $org, year: $year, quarter: $quarter, note: "按时报送"}) {
    errors { code field }
    report { id status submittedBy note content { from to
      members { total joinedInPeriod byStatus { key count } }
      activities { kind expected met held } dues { bills } rectification { opened } } }
  }
}"""
REVIEW = """mutation($id: ID!, $decision: ReportDecision!, $comment: String!) {
  reviewQuarterlyReport(input: {id: $id, decision: $decision, comment: $comment}) {
    errors { code field } report { status reviewedBy reviewComment content { members { total } } }
  }
}"""
OVERVIEW = """query($scope: ID!) { quarterlyReports(scopeId: $scope, year: 2025, quarter: 1) {
  reports { status organization { name } } notSubmitted { name } } }"""
PREVIEW = """query($org: ID!) { quarterlyReportPreview(organizationId: $org, year: 2025, quarter: 1) {
  members { total } } }"""


def secretary(tenant, org) -> GraphQLClient:
    grants = {"ORG_MANAGE": (org.path,), "ORG_READ": (org.path,)}
    return GraphQLClient(Principal(tenant_id=tenant.id, label=f"{org.name}书记", grants=grants))


async def test_submit_review_resubmit_and_the_snapshot_stays_frozen(admin, tenant):
    tree = await make_tree(tenant)
    with tenant_scope(tenant.id):
        for name, joined in (("甲", dt.date(2010, 1, 1)), ("乙", dt.date(2025, 2, 1))):
            status = "PROBATIONARY" if joined.year == 2025 else "FULL"
            await Member.create(name=name, branch_id=tree["a"].id, status=status, joined_on=joined)
    branch = secretary(tenant, tree["a"])
    committee = secretary(tenant, tree["root"])
    a = gid("Organization", tree["a"].id)

    submitted = await branch.mutate(SUBMIT, org=a, year=2025, quarter=1)
    report = submitted["report"]
    assert report["status"] == "SUBMITTED" and report["submittedBy"] == "第一党支部书记"
    content = report["content"]
    assert (content["from"], content["to"]) == ("2025-01-01", "2025-03-31")
    assert content["members"]["total"] == 2 and content["members"]["joinedInPeriod"] == 1
    assert {a["kind"]: a["expected"] for a in content["activities"]}["COMMITTEE_MEETING"] == 3
    assert await branch.error_code(SUBMIT, org=a, year=2025, quarter=1) == "REPORT_ALREADY_SUBMITTED"

    # the branch cannot review its own report; its superior can, and must say why it returns one
    review = {"id": report["id"], "decision": "RETURN", "comment": ""}
    assert await branch.error_code(REVIEW, **review) == "PERMISSION_DENIED"
    assert await committee.error_code(REVIEW, **review) == "INVALID_INPUT"
    returned = await committee.mutate(REVIEW, **{**review, "comment": "补充发展党员情况"})
    assert (
        returned["report"]["status"] == "RETURNED"
        and returned["report"]["reviewComment"] == "补充发展党员情况"
    )

    with tenant_scope(tenant.id):
        await Member.create(name="丙", branch_id=tree["a"].id, status="FULL", joined_on=dt.date(2001, 1, 1))
    again = await branch.mutate(SUBMIT, org=a, year=2025, quarter=1)
    assert again["report"]["id"] == report["id"] and again["report"]["content"]["members"]["total"] == 3
    approved = await committee.mutate(REVIEW, id=report["id"], decision="APPROVE", comment="")
    assert approved["report"]["status"] == "APPROVED" and approved["report"]["reviewedBy"] == "机关党委书记"
    assert await committee.error_code(REVIEW, id=report["id"], decision="APPROVE", comment="") == (
        "REPORT_NOT_SUBMITTED"
    )

    # frozen: a later change shows in the preview, not in the submitted report
    with tenant_scope(tenant.id):
        await Member.create(name="丁", branch_id=tree["a"].id, status="FULL", joined_on=dt.date(2001, 1, 1))
    assert (await branch.ok(PREVIEW, org=a))["quarterlyReportPreview"]["members"]["total"] == 4
    overview = (await committee.ok(OVERVIEW, scope=gid("Organization", tree["root"].id)))["quarterlyReports"]
    assert overview["reports"] == [{"status": "APPROVED", "organization": {"name": "第一党支部"}}]
    assert [o["name"] for o in overview["notSubmitted"]] == ["机关党委", "第二党支部"]
    with tenant_scope(tenant.id):
        operations = await AuditRecord.filter(
            operation__in=["submitQuarterlyReport", "reviewQuarterlyReport"]
        )
    assert len(operations) == 4  # submit, return, resubmit, approve; refusals leave none
    assert approved["report"]["content"]["members"]["total"] == 3


async def test_refusals(admin, tenant):
    tree = await make_tree(tenant)
    a = gid("Organization", tree["a"].id)
    today = dt.date.today()
    current = (today.month - 1) // 3 + 1
    assert (
        await admin.error_code(SUBMIT, org=a, year=today.year, quarter=current) == "REPORT_QUARTER_NOT_OVER"
    )
    assert await admin.error_code(SUBMIT, org=a, year=2025, quarter=5) == "INVALID_INPUT"
    assert await admin.error_code(SUBMIT, org="nope", year=2025, quarter=1) == "INVALID_INPUT"
    with tenant_scope(tenant.id):
        group = await Organization.create(
            kind="PARTY_GROUP", name="党小组", parent_id=tree["a"].id, path="", depth=2
        )
        group.path = f"{tree['a'].path}{group.id}/"
        await group.save()
    assert await admin.error_code(SUBMIT, org=gid("Organization", group.id), year=2025, quarter=1) == (
        "REPORT_NOT_FOR_KIND"
    )
    root = (await admin.mutate(SUBMIT, org=gid("Organization", tree["root"].id), year=2025, quarter=1))[
        "report"
    ]
    assert (
        await admin.error_code(REVIEW, id=root["id"], decision="APPROVE", comment="") == "REPORT_NO_SUPERIOR"
    )
    other = secretary(tenant, tree["b"])  # a sibling branch sees nothing of branch a
    assert await other.error_code(PREVIEW, org=a) == "PERMISSION_DENIED"
