"""Reminders: every source, idempotent and concurrent runs (in-process and two CLI workers),
GraphQL listing scoped to the people responsible, acknowledgement."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.dues import service as dues
from core.dues.models import DuesProfile
from core.graphql.core.nodes import encode_id
from core.models import Activity, CommitteeTerm, Member, Organization
from core.principal import Principal
from core.reminders import sources
from core.reminders.models import Reminder
from core.reminders.service import run_for_current_tenant
from core.tenancy import platform_scope, tenant_scope
from core.tenant_config import update_config
from tests.support import GraphQLClient, make_tenant

TODAY = dt.date(2025, 6, 15)
ROOT = Path(__file__).resolve().parent.parent


async def _org(kind: str, name: str, parent: Organization | None = None) -> Organization:
    org = await Organization.create(
        kind=kind, name=name, parent=parent, path="", depth=(parent.depth + 1) if parent else 0
    )
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    await org.save()
    return org


async def build_world(tenant) -> dict:
    """A committee with two branches and one fact for each reminder source (as of TODAY)."""
    with tenant_scope(tenant.id):
        root = await _org("PARTY_COMMITTEE", "机关党委")
        a = await _org("BRANCH", "第一党支部", root)
        b = await _org("BRANCH", "第二党支部", root)
        # committee terms: A ends in five months (6-month reminder due), B in 2028 (nothing yet)
        term_a = await CommitteeTerm.create(
            organization=a,
            starts_on=dt.date(2022, 11, 10),
            ends_on=dt.date(2025, 11, 10),
            live_organization_id=a.id,
        )
        await CommitteeTerm.create(
            organization=b,
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2028, 1, 1),
            live_organization_id=b.id,
        )
        zhang = await Member.create(name="张三", branch=a, status="FULL", joined_on=dt.date(2010, 6, 3))
        li = await Member.create(name="李四", branch=a, status="FULL", joined_on=dt.date(2012, 3, 1))
        wang = await Member.create(
            name="王五", branch=b, status="PROBATIONARY", joined_on=dt.date(2024, 7, 1)
        )
        await Member.create(name="赵六", branch=b, status="PROBATIONARY", joined_on=dt.date(2024, 9, 1))
        await Member.create(
            name="新人", branch=b, status="FULL", joined_on=dt.date(2025, 6, 1)
        )  # not yet a year
        # activities: branch A held its monthly meetings in May, branch B did not
        for kind in ("COMMITTEE_MEETING", "THEMED_PARTY_DAY"):
            await Activity.create(organization=a, kind=kind, held_on=dt.date(2025, 5, 20), topic="五月")
        # dues: 张三 unpaid January … May (5 months), 李四 unpaid December … May (6: flagged)
        for m, since in ((zhang, dt.date(2025, 1, 1)), (li, dt.date(2024, 12, 1))):
            await DuesProfile.create(
                member=m, category="SALARIED", monthly_income="4000", effective_from=since
            )
        month = dt.date(2024, 12, 1)
        while month <= dt.date(2025, 5, 1):
            await dues.generate_bills(root.id, month)
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        # rectification: one item due within a week, one later
        from core.rectification.models import RectificationItem

        item = await RectificationItem.create(
            organization=a, title="补齐基础台账", deadline=dt.date(2025, 6, 20), accepting_organization=root
        )
        await RectificationItem.create(organization=b, title="完善阵地", deadline=dt.date(2025, 8, 1))
    return {
        "root": root,
        "a": a,
        "b": b,
        "term_a": term_a,
        "zhang": zhang,
        "li": li,
        "wang": wang,
        "item": item,
    }


def expected_keys(w: dict) -> set[tuple[str, str]]:
    """The reminders every run as of TODAY must produce (activity reminders checked apart)."""
    return {
        ("COMMITTEE_TERM_EXPIRY", f"committee-term-expiry:{w['term_a'].id}:2025-11-10:6m"),
        ("POLITICAL_BIRTHDAY", f"political-birthday:{w['zhang'].id}:2025"),
        ("PROBATION_ENDING", f"probation-ending:{w['wang'].id}:2025-07-01"),
        ("DUES_UNPAID", f"dues-unpaid:{w['zhang'].id}:2025-05-01"),
        ("DUES_UNPAID", f"dues-unpaid:{w['li'].id}:2025-05-01"),
        ("DUES_ARREARS_FLAGGED", f"dues-arrears-flag:{w['li'].id}:2024-12-01"),
        ("RECTIFICATION_DEADLINE", f"rectification-deadline:{w['item'].id}:2025-06-20"),
    }


async def stored(tenant) -> list[tuple[str, str]]:
    with tenant_scope(tenant.id):
        return sorted(await Reminder.all().values_list("kind", "dedupe_key"))


async def run(tenant, today: dt.date = TODAY):
    with tenant_scope(tenant.id):
        return await run_for_current_tenant(today)


@pytest.fixture(params=["calendar", "simple"])
def overdue_mode(request, monkeypatch):
    """Run the activity source through the standards calendar and through the simple fallback."""
    if request.param == "simple":
        real = sources.unavailable

        def without_calendar(requires=(), apps=()):
            return "hidden in test" if "core.standards.calendar" in requires else real(requires, apps)

        monkeypatch.setattr(sources, "unavailable", without_calendar)
    elif sources.unavailable(("core.standards.calendar",), ("standards",)) is not None:
        pytest.skip("standards calendar not installed")
    return request.param


async def test_every_source_and_running_twice_gives_the_same_set(tenant, overdue_mode):
    w = await build_world(tenant)
    first = await run(tenant)
    rows = await stored(tenant)
    keys = set(rows)
    assert expected_keys(w) <= keys
    others = keys - expected_keys(w)
    assert others and {k for k, _ in others} == {"ACTIVITY_OVERDUE"}
    overdue = {key for _, key in others}
    a, b = w["a"].id, w["b"].id
    assert f"activity-overdue:{b}:COMMITTEE_MEETING:2025-05-01" in overdue
    assert f"activity-overdue:{b}:THEMED_PARTY_DAY:2025-05-01" in overdue
    assert f"activity-overdue:{a}:COMMITTEE_MEETING:2025-05-01" not in overdue
    assert f"activity-overdue:{a}:THEMED_PARTY_DAY:2025-05-01" not in overdue
    assert len(rows) == first.created == first.candidates

    second = await run(tenant)
    assert second.created == 0 and second.candidates == first.candidates
    assert await stored(tenant) == rows

    # five months later the 1-month term reminder is a new reminder; the 6-month one stays
    await run(tenant, dt.date(2025, 10, 15))
    keys = {key for _, key in await stored(tenant)}
    assert f"committee-term-expiry:{w['term_a'].id}:2025-11-10:1m" in keys
    assert f"committee-term-expiry:{w['term_a'].id}:2025-11-10:6m" in keys


async def test_concurrent_runs_create_each_reminder_once():
    tenant = await make_tenant()
    w = await build_world(tenant)
    with tenant_scope(tenant.id):
        reports = await asyncio.gather(*(run_for_current_tenant(TODAY) for _ in range(3)))
    rows = await stored(tenant)
    assert len(rows) == len(set(rows)) == reports[0].candidates
    assert sum(r.created for r in reports) == len(rows)  # each row counted by the run that inserted it
    assert expected_keys(w) <= set(rows)
    # the same set as one run on an identical tenant
    twin = await make_tenant()
    await build_world(twin)
    await run(twin)
    assert len(await stored(twin)) == len(rows)
    assert {k for k, _ in await stored(twin)} == {k for k, _ in rows}


async def test_two_cli_workers_at_once(database):
    tenant = await make_tenant()
    w = await build_world(tenant)
    env = {**os.environ, "ZHIBU_DB_URL": database}
    command = [
        sys.executable,
        "-m",
        "core.cli",
        "reminders",
        "run",
        "--tenant",
        tenant.slug,
        "--date",
        "2025-06-15",
    ]
    workers = [
        await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(2)
    ]
    results = [await worker.communicate() for worker in workers]
    for worker, (out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err.decode()
        assert tenant.slug in out.decode()
    rows = await stored(tenant)
    assert len(rows) == len(set(rows)) and expected_keys(w) <= set(rows)
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert "new 0" in again.stdout
    assert await stored(tenant) == rows


async def test_missing_and_disabled_sources_are_skipped(tenant):
    async def never(ctx):
        raise AssertionError("a source whose module is missing must not run")

    sources.register_source(sources.Source("TEST_MISSING", "测试", never, requires=("core.no_such_domain",)))
    try:
        with platform_scope():
            await update_config(tenant, {"reminders": {"disabled_kinds": ["POLITICAL_BIRTHDAY"]}})
        w = await build_world(tenant)
        report = await run(tenant)
    finally:
        sources.SOURCES.pop("TEST_MISSING")
    assert "not installed" in report.skipped["TEST_MISSING"]
    assert report.skipped["POLITICAL_BIRTHDAY"] == "disabled in tenant config"
    keys = {key for _, key in await stored(tenant)}
    assert f"political-birthday:{w['zhang'].id}:2025" not in keys


LIST = """
query($filter: ReminderFilter) {
  reminders(filter: $filter, first: 100) {
    totalCount
    nodes {
      id kind kindLabel title dueOn createdAt details acknowledged acknowledgedBy subjectType subjectId
      organization { name }
    }
  }
}
"""
ACK = """
mutation($input: AcknowledgeReminderInput!) {
  acknowledgeReminder(input: $input) {
    errors { code } reminder { acknowledged acknowledgedBy acknowledgeNote }
  }
}
"""
RUN = """
mutation($input: RunRemindersInput) {
  runReminders(input: $input) { errors { code } date created kinds { kind candidates created } }
}
"""


async def test_graphql_lists_for_the_responsible_and_acknowledges(admin, tenant):
    w = await build_world(tenant)
    payload = await admin.mutate(RUN, input={"date": "2025-06-15"})
    assert payload["date"] == "2025-06-15" and payload["created"] > 0
    assert (await admin.mutate(RUN, input={"date": "2025-06-15"}))["created"] == 0

    secretary_a = GraphQLClient(
        Principal(
            tenant_id=tenant.id,
            user_id=7,
            label="一支部书记",
            grants={
                "REMINDER_READ": (w["a"].path,),
                "REMINDER_ACK": (w["a"].path,),
                "ORG_READ": (w["a"].path,),
            },
        )
    )
    mine = (await secretary_a.ok(LIST))["reminders"]
    assert mine["totalCount"] > 0
    assert {n["organization"]["name"] for n in mine["nodes"]} == {"第一党支部"}
    assert {"COMMITTEE_TERM_EXPIRY", "POLITICAL_BIRTHDAY", "DUES_ARREARS_FLAGGED"} <= {
        n["kind"] for n in mine["nodes"]
    }
    birthday = next(n for n in mine["nodes"] if n["kind"] == "POLITICAL_BIRTHDAY")
    assert birthday["kindLabel"] == "政治生日" and "张三" in birthday["title"]
    assert birthday["details"] == {"joinedOn": "2010-06-03", "years": 15}
    assert birthday["subjectId"] == encode_id("Member", w["zhang"].id) and birthday["createdAt"]

    everything = (await admin.ok(LIST))["reminders"]
    other = next(n for n in everything["nodes"] if n["organization"]["name"] == "第二党支部")
    assert await secretary_a.error_code(ACK, input={"id": other["id"]}) == "PERMISSION_DENIED"
    assert await secretary_a.error_code(RUN) == "PERMISSION_DENIED"

    done = await secretary_a.mutate(ACK, input={"id": birthday["id"], "note": "已送贺卡和书籍"})
    assert done["reminder"] == {
        "acknowledged": True,
        "acknowledgedBy": "一支部书记",
        "acknowledgeNote": "已送贺卡和书籍",
    }
    assert await secretary_a.error_code(ACK, input={"id": birthday["id"]}) == "REMINDER_ALREADY_ACKNOWLEDGED"
    still_open = (await secretary_a.ok(LIST, filter={"acknowledged": False}))["reminders"]
    assert still_open["totalCount"] == mine["totalCount"] - 1
    kinds = (await admin.ok(LIST, filter={"kinds": ["PROBATION_ENDING"]}))["reminders"]["nodes"]
    assert [n["organization"]["name"] for n in kinds] == ["第二党支部"]
    # acknowledging survives the next run (the reminder is not recreated)
    await admin.mutate(RUN, input={"date": "2025-06-16"})
    with tenant_scope(tenant.id):
        row = await Reminder.get(id=int(_db_id(birthday["id"])))
    assert row.acknowledged_at is not None


def _db_id(gid: str) -> str:
    import base64

    return base64.b64decode(gid).decode().split(":", 1)[1]


async def test_probation_end_comes_from_the_development_case_when_installed(tenant):
    if sources.unavailable(("core.lifecycle.models",), ("lifecycle",)) is not None:
        pytest.skip("lifecycle domain not installed")
    from core.lifecycle.models import DevelopmentCase

    w = await build_world(tenant)
    with tenant_scope(tenant.id):  # probation extended by 6 months: ends 2026-01-01, not 2025-07-01
        await DevelopmentCase.create(
            member_id=w["wang"].id, applied_on=dt.date(2022, 3, 1), probation_ends_on=dt.date(2026, 1, 1)
        )
    await run(tenant)
    keys = {key for kind, key in await stored(tenant) if kind == "PROBATION_ENDING"}
    assert keys == set()
    await run(tenant, dt.date(2025, 12, 10))
    keys = {key for kind, key in await stored(tenant) if kind == "PROBATION_ENDING"}
    assert f"probation-ending:{w['wang'].id}:2026-01-01" in keys
