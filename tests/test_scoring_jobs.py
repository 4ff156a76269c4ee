"""Score runs as background jobs through GraphQL and ``zhibu worker``: queued, worked by the
database queue (``ZHIBU_JOB_QUEUE=database``, the worker run as its own process) or in-process
(``inline``, the default), progress and final status, the stored run equal to a synchronous run,
typed failures, and tenant isolation of the job records."""

from __future__ import annotations

import datetime as dt

from core.models import AuditRecord
from core.principal import Principal
from core.standards import engine, jobs
from core.standards.api import Area, Rule, Severity
from core.standards.models import FindingRecord, ScoringJob
from core.tenancy import tenant_scope
from tests import standards_factories as f
from tests.sheet_support import zhibu
from tests.support import GraphQLClient, make_tenant

START = """
mutation($input: RunScoringInput!) {
  startScoringRun(input: $input) {
    errors { code message field }
    job { id status progress rulesDone rulesTotal branchesStored run { id } errorCode }
  }
}
"""

RUN = """
mutation($input: RunScoringInput!) {
  runScoring(input: $input) { errors { code } run { id } }
}
"""

JOB = """
query($id: ID!) {
  scoringJob(id: $id) {
    id status progress rulesDone rulesTotal branchesTotal branchesStored findingsStored
    errorCode errorMessage requestedBy startedAt finishedAt scope { name }
    run {
      id runBy branchCount passedCount findingCount scorer
      scores(first: 50) { edges { node {
        total grade passed rank organization { name } findings { ruleCode severity points }
      } } }
      findings(first: 100) { edges { node { ruleCode period points message } } }
    }
  }
}
"""

RUN_DETAIL = """
query($id: ID!) {
  scoreRun(id: $id) {
    id runBy branchCount passedCount findingCount scorer
    scores(first: 50) { edges { node {
      total grade passed rank organization { name } findings { ruleCode severity points }
    } } }
    findings(first: 100) { edges { node { ruleCode period points message } } }
  }
}
"""

YEAR = {"periodStart": f"{f.YEAR}-01-01", "periodEnd": f"{f.YEAR}-12-31"}


async def three_branches(tenant_id: int):
    root = await f.committee_root(tenant_id, "县直机关工委")
    await f.compliant_branch(tenant_id, root, name="甲支部")
    await f.compliant_branch(
        tenant_id, root, name="乙支部", skip={("COMMITTEE_MEETING", m) for m in (2, 3, 4)}
    )
    await f.compliant_branch(tenant_id, root, name="丙支部", skip={("LIFE_MEETING", 0)})
    return root


def results(run: dict) -> dict:
    """What a run says, without its id."""
    return {k: v for k, v in run.items() if k != "id"}


async def start(client, scope_gid: str | None, **extra) -> dict:  # noqa: ANN001
    payload = await client.mutate(START, input={"scopeId": scope_gid, **YEAR, **extra})
    return payload["job"]


async def synchronous(client, scope_gid: str) -> dict:  # noqa: ANN001
    run = (await client.mutate(RUN, input={"scopeId": scope_gid, **YEAR}))["run"]
    return (await client.ok(RUN_DETAIL, id=run["id"]))["scoreRun"]


async def test_a_job_queued_in_the_database_is_run_by_zhibu_worker(admin, tenant, monkeypatch):
    monkeypatch.setenv("ZHIBU_JOB_QUEUE", "database")
    root = await three_branches(tenant.id)
    scope = f.gid("Organization", root.id)

    job = await start(admin, scope)
    assert job["status"] == "QUEUED" and job["run"] is None
    assert (job["rulesDone"], job["rulesTotal"], job["progress"]) == (0, 0, 0.0)
    queued = (await admin.ok(JOB, id=job["id"]))["scoringJob"]
    assert queued["status"] == "QUEUED" and queued["scope"]["name"] == "县直机关工委"
    assert queued["requestedBy"] == "测试管理员" and queued["startedAt"] is None

    worked = zhibu("worker", "--burst")
    assert worked.returncode == 0, worked.stderr
    line = f"job {f.db_id(job['id'])}\ttenant {tenant.id}\tDONE"
    assert line in worked.stdout

    done = (await admin.ok(JOB, id=job["id"]))["scoringJob"]
    assert done["status"] == "DONE" and done["progress"] == 1.0 and done["errorCode"] is None
    year = (dt.date(f.YEAR, 1, 1), dt.date(f.YEAR, 12, 31))
    with tenant_scope(tenant.id):
        rule_count = len(engine.tenant_rules(await engine.make_context(tenant, None, *year)))
    assert done["rulesDone"] == done["rulesTotal"] == rule_count > 0
    assert done["branchesTotal"] == done["branchesStored"] == 3
    assert done["findingsStored"] == done["run"]["findingCount"] == 4
    assert done["startedAt"] and done["finishedAt"]

    # the stored run is what a synchronous run of the same scope stores
    assert results(done["run"]) == results(await synchronous(admin, scope))
    assert done["run"]["runBy"] == "测试管理员" and done["run"]["passedCount"] == 2

    # nothing left: a second worker finds nothing to do
    again = zhibu("worker", "--burst")
    assert again.returncode == 0 and f"job {f.db_id(job['id'])}\t" not in again.stdout

    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="startScoringRun", target_type="ScoringJob").count() == 1
        done_audit = await AuditRecord.filter(operation="scoringJob:done").order_by("id")
        assert {r.target_type for r in done_audit} == {"ScoreRun", "ScoringJob"}
        assert all(r.actor == "测试管理员" for r in done_audit)
        assert await FindingRecord.filter(run_id=f.db_id(done["run"]["id"])).count() == 4


async def test_without_a_queue_the_job_runs_in_process(admin, tenant, monkeypatch):
    monkeypatch.delenv("ZHIBU_JOB_QUEUE", raising=False)
    root = await three_branches(tenant.id)
    scope = f.gid("Organization", root.id)

    job = await start(admin, scope)
    assert job["status"] == "QUEUED"
    await jobs.drain()
    done = (await admin.ok(JOB, id=job["id"]))["scoringJob"]
    assert done["status"] == "DONE" and done["rulesDone"] == done["rulesTotal"] > 0
    assert done["branchesStored"] == 3
    assert results(done["run"]) == results(await synchronous(admin, scope))
    with tenant_scope(tenant.id):
        assert (await ScoringJob.get(id=f.db_id(job["id"]))).queue == "inline"


class _Broken(Rule):
    code = "BROKEN_FOR_TEST"
    title = "测试用：执行出错的规则"
    area = Area.RECORDS
    severity = Severity.INFO

    async def evaluate(self, ctx):  # noqa: ANN001
        raise RuntimeError("boom")


async def test_a_rule_crashing_fails_the_job_with_its_progress_so_far(admin, tenant, monkeypatch):
    monkeypatch.delenv("ZHIBU_JOB_QUEUE", raising=False)
    original = engine.tenant_rules
    monkeypatch.setattr(engine, "tenant_rules", lambda ctx: [*original(ctx), _Broken()])
    root = await three_branches(tenant.id)

    job = await start(admin, f.gid("Organization", root.id))
    await jobs.drain()
    failed = (await admin.ok(JOB, id=job["id"]))["scoringJob"]
    assert failed["status"] == "FAILED" and failed["errorCode"] == "SCORING_JOB_FAILED"
    assert failed["errorMessage"] and "boom" not in failed["errorMessage"]
    assert failed["run"] is None and failed["finishedAt"]
    # the rules evaluated before it stopped were counted (on PostgreSQL a few run at once)
    assert 0 < failed["rulesDone"] < failed["rulesTotal"]
    assert failed["progress"] < 1.0
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="scoringJob:failed", target_type="ScoringJob").count() == 1


async def test_a_scorer_gone_before_the_job_runs_fails_it_with_a_typed_code(tenant, monkeypatch):
    monkeypatch.setenv("ZHIBU_JOB_QUEUE", "database")
    rural = await make_tenant(domain="rural", plugins=["rural"], scoring="baseline")
    client = GraphQLClient(Principal.tenant_admin(rural.id, label="镇党委"))
    town = await f.committee_root(rural.id, "某镇党委")
    await f.compliant_branch(rural.id, town, name="某村党支部", term_years=5, sector="VILLAGE")

    job = await start(client, None, scorer="rural")
    assert job["status"] == "QUEUED"
    disabled = await client.mutate(
        'mutation { disablePlugin(input: {name: "rural"}) { errors { code } tenant { enabledPlugins } } }'
    )
    assert disabled["tenant"]["enabledPlugins"] == []

    worked = zhibu("worker", "--burst")
    assert worked.returncode == 0, worked.stderr
    assert "SCORER_NOT_AVAILABLE" in worked.stdout
    failed = (await client.ok(JOB, id=job["id"]))["scoringJob"]
    assert failed["status"] == "FAILED" and failed["errorCode"] == "SCORER_NOT_AVAILABLE"
    assert "rural" in failed["errorMessage"] and failed["run"] is None


async def test_bad_input_is_refused_when_queuing(admin, tenant, monkeypatch):
    monkeypatch.setenv("ZHIBU_JOB_QUEUE", "database")
    assert await admin.error_code(START, input={**YEAR, "scorer": "rural"}) == "SCORER_NOT_AVAILABLE"
    bad_period = {"periodStart": "2025-12-31", "periodEnd": "2025-01-01"}
    assert await admin.error_code(START, input=bad_period) == "INVALID_INPUT"
    reader = GraphQLClient(Principal(tenant.id, label="读者", grants={"STANDARDS_READ": ("/",)}))
    assert await reader.error_code(START, input=YEAR) == "PERMISSION_DENIED"
    with tenant_scope(tenant.id):
        assert await ScoringJob.all().count() == 0


async def test_another_tenant_cannot_read_the_job(admin, tenant, monkeypatch):
    monkeypatch.setenv("ZHIBU_JOB_QUEUE", "database")
    await three_branches(tenant.id)
    job = await start(admin, None)
    assert (await admin.ok(JOB, id=job["id"]))["scoringJob"]["id"] == job["id"]

    other = await make_tenant()
    stranger = GraphQLClient(Principal.tenant_admin(other.id, label="别的单位"))
    assert (await stranger.ok(JOB, id=job["id"]))["scoringJob"] is None
    nobody = GraphQLClient(Principal(tenant.id, label="无权限", grants={}))
    assert await nobody.error_code(JOB, id=job["id"]) == "PERMISSION_DENIED"
    # a worker still runs it under its own tenant
    assert zhibu("worker", "--burst").returncode == 0
    assert (await admin.ok(JOB, id=job["id"]))["scoringJob"]["status"] == "DONE"
    assert (await stranger.ok(JOB, id=job["id"]))["scoringJob"] is None


async def _as_if_its_worker_died(job_gid: str, *, silent_for: dt.timedelta, attempts: int) -> int:
    """The job as a killed worker leaves it: RUNNING, its heartbeat ``silent_for`` old."""
    from core.tenancy import platform_scope

    job_id = f.db_id(job_gid)
    with platform_scope():
        await ScoringJob.filter(id=job_id).update(
            status="RUNNING",
            attempts=attempts,
            heartbeat_at=dt.datetime.now(dt.UTC) - silent_for,
            started_at=dt.datetime.now(dt.UTC) - silent_for,
        )
    return job_id


async def test_a_job_whose_worker_was_killed_is_taken_again_once_silent(admin, tenant, monkeypatch):
    """Not while its worker may still be alive (a fresh heartbeat); after ZHIBU_JOB_STALE_SECONDS
    of silence the next worker claims and finishes it, counting the attempt."""
    monkeypatch.setenv("ZHIBU_JOB_QUEUE", "database")
    root = await three_branches(tenant.id)
    scope = f.gid("Organization", root.id)
    job = await start(admin, scope)

    job_id = await _as_if_its_worker_died(job["id"], silent_for=dt.timedelta(seconds=60), attempts=1)
    alive = zhibu("worker", "--burst")
    assert alive.returncode == 0 and f"job {job_id}\t" not in alive.stdout
    assert (await admin.ok(JOB, id=job["id"]))["scoringJob"]["status"] == "RUNNING"

    await _as_if_its_worker_died(job["id"], silent_for=dt.timedelta(hours=1), attempts=1)
    worked = zhibu("worker", "--burst")
    assert worked.returncode == 0, worked.stderr
    assert f"job {job_id}\ttenant {tenant.id}\tDONE" in worked.stdout
    done = (await admin.ok(JOB, id=job["id"]))["scoringJob"]
    assert done["status"] == "DONE" and done["branchesStored"] == 3
    assert results(done["run"]) == results(await synchronous(admin, scope))
    with tenant_scope(tenant.id):
        assert (await ScoringJob.get(id=job_id)).attempts == 2


async def test_a_job_silent_past_its_attempts_is_abandoned_not_run_again(admin, tenant, monkeypatch):
    monkeypatch.setenv("ZHIBU_JOB_QUEUE", "database")
    monkeypatch.setenv("ZHIBU_JOB_MAX_ATTEMPTS", "2")
    root = await three_branches(tenant.id)
    job = await start(admin, f.gid("Organization", root.id))
    job_id = await _as_if_its_worker_died(job["id"], silent_for=dt.timedelta(hours=1), attempts=2)

    worked = zhibu("worker", "--burst")
    assert worked.returncode == 0, worked.stderr
    assert f"job {job_id}\ttenant {tenant.id}\tFAILED" in worked.stdout
    failed = (await admin.ok(JOB, id=job["id"]))["scoringJob"]
    assert failed["status"] == "FAILED" and failed["errorCode"] == "SCORING_JOB_ABANDONED"
    assert failed["errorMessage"] == "评分任务已中断2次，不再重试，请重新发起" and failed["run"] is None
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="scoringJob:failed", target_type="ScoringJob").count() == 1
    again = zhibu("worker", "--burst")
    assert again.returncode == 0 and f"job {job_id}\t" not in again.stdout
