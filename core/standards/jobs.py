"""Score runs as background jobs: a job queue on the database the platform already has.

``startScoringRun`` stores a :class:`~core.standards.models.ScoringJob` (status ``QUEUED``) in the
mutation's transaction, with the tenant, the scope, the period, the scorer and who asked. After
commit the job is run by

- ``zhibu worker`` (``ZHIBU_JOB_QUEUE=database``): one or more worker processes claim queued jobs
  one at a time — atomically, with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers never
  take the same job — and run them;
- the process that queued it (``ZHIBU_JOB_QUEUE=inline``, the default: the demo and SQLite need
  nothing else running), as an asyncio task started after the commit. It claims the job the same
  way, so a worker started later also picks up inline jobs a stopped process left queued.

A job runs under its own tenant's scoping (:func:`~core.tenancy.tenant_scope` of the job's
``tenant_id``, and row-level security on PostgreSQL): rules are evaluated outside any transaction
while ``rules_done``/``rules_total`` are written as rules finish (the first, the last, and at most
every :data:`PROGRESS_SECONDS` between: each write is a commit), then the run, its branch scores
and findings are stored and the job marked ``DONE`` in one transaction with its audit record
(``scoringJob:done``). A :class:`~core.errors.DomainError` (a scorer no longer available, the scope
gone) marks it ``FAILED`` with that error's code and message; anything else with
``SCORING_JOB_FAILED`` (the details go to the log), also audited (``scoringJob:failed``).

A worker killed mid-job leaves it ``RUNNING``; nothing of its run was stored (the store is one
transaction). The running worker refreshes ``heartbeat_at`` at the claim and with each progress
write (the first rule, the last, at most every :data:`PROGRESS_SECONDS` between), and a
``RUNNING`` job silent for ``ZHIBU_JOB_STALE_SECONDS`` is claimed again like a queued one; a job
claimed more than ``ZHIBU_JOB_MAX_ATTEMPTS`` times is marked ``FAILED``
(``SCORING_JOB_ABANDONED``) instead of being run again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time

from tortoise import connections
from tortoise.transactions import in_transaction

from core import audit
from core.error_codes import StandardsErrorCode
from core.errors import DomainError, NotFound
from core.guard import current_principal, require
from core.models import Organization
from core.services.tenants import current_tenant, get_tenant
from core.settings import get_settings
from core.standards import engine
from core.standards.models import JobStatus, ScoringJob
from core.tenancy import platform_scope, tenant_scope

log = logging.getLogger("zhibu.jobs")

#: the error code of a job that failed for a reason that is not a domain error
INTERNAL_FAILURE = StandardsErrorCode.SCORING_JOB_FAILED

#: rules evaluated at once by a job on PostgreSQL (each holds a pooled connection while in SQL)
RULE_CONCURRENCY = 3

#: the shortest time between two progress writes of a running job (each is a commit)
PROGRESS_SECONDS = 0.5

_inline: set[asyncio.Task] = set()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def enqueue(
    scope_id: int | None,
    start: dt.date,
    end: dt.date,
    *,
    scorer: str | None = None,
    request_id: str = "",
) -> ScoringJob:
    """Queue a score run of ``scope_id``'s subtree (None: the tenant) after the checks a
    synchronous run makes up front (the scope, the caller's right to run it, the scorer, the
    period), so bad input is refused now with its typed error rather than failing in the queue."""
    from core.standards.service import get_scope

    scope = await get_scope(scope_id)
    require(scope.path if scope is not None else None)
    engine.check_period(start, end)
    engine.scorer_for(await current_tenant(), scorer)
    principal = current_principal()
    job = await ScoringJob.create(
        queue=get_settings().job_queue,
        scope_id=scope.id if scope is not None else None,
        scope_path=scope.path if scope is not None else "/",
        period_start=start,
        period_end=end,
        scorer=scorer,
        requested_by=(principal.label if principal else "system")[:200],
        requested_by_user_id=principal.user_id if principal else None,
        request_id=(request_id or "")[:64],
    )
    audit.created(job)
    return job


def dispatch(job: ScoringJob) -> None:
    """After the queuing transaction committed: start an inline job in this process (a database
    job waits for ``zhibu worker``)."""
    if job.queue != "inline":
        return
    task = asyncio.get_running_loop().create_task(_run_inline(job.id))
    _inline.add(task)
    task.add_done_callback(_inline.discard)


async def _run_inline(job_id: int) -> None:
    claimed = await claim(job_id)
    if claimed is not None:
        await run_claimed(*claimed)


async def drain() -> None:
    """Wait until every inline job this process started has finished."""
    while _inline:
        await asyncio.gather(*list(_inline), return_exceptions=True)


def _stamp(moment: dt.datetime) -> object:
    """``moment`` as the database stores ``heartbeat_at`` (for raw SQL on either dialect)."""
    return ScoringJob._meta.fields_map["heartbeat_at"].to_db_value(moment, ScoringJob)


async def claim(job_id: int | None = None) -> tuple[int, int] | None:
    """Take the oldest job to run — queued, or ``RUNNING`` but silent for ``ZHIBU_JOB_STALE_SECONDS``
    (its worker was killed) — or job ``job_id`` if it is still queued: mark it RUNNING, count the
    attempt, stamp its heartbeat and return (job id, tenant id); None when there is nothing to take.
    Atomic: one statement, and on PostgreSQL the candidate row is locked with SKIP LOCKED so
    concurrent workers take other jobs.

    Claiming is platform work (a worker serves every tenant); the job then runs under its tenant."""
    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    now = _now()
    stale_before = now - dt.timedelta(seconds=get_settings().job_stale_seconds)
    params: list[object] = [_stamp(now), _stamp(stale_before)]
    if job_id is not None:
        params.append(job_id)
    mark = [f"${n}" if postgres else "?" for n in range(1, len(params) + 1)]
    # SQLite binds in order of appearance: the stale mark appears twice there
    takeable = f"(status = 'QUEUED' OR (status = 'RUNNING' AND heartbeat_at < {mark[1]}))"
    only = f"AND status = 'QUEUED' AND id = {mark[2]} " if job_id is not None else ""
    lock = " FOR UPDATE SKIP LOCKED" if postgres else ""
    query = (
        f"UPDATE standards_scoring_job SET status = 'RUNNING', attempts = attempts + 1, "
        f"heartbeat_at = {mark[0]} WHERE {takeable} AND id = (SELECT id FROM standards_scoring_job "
        f"WHERE {takeable} {only}ORDER BY id LIMIT 1{lock}) RETURNING id, tenant_id"
    )
    values = params if postgres else [params[0], params[1], params[1], *params[2:]]
    with platform_scope():
        rows = await conn.execute_query_dict(query, values)
    if not rows:
        return None
    return int(rows[0]["id"]), int(rows[0]["tenant_id"])


async def _beat(job_id: int, **progress: int) -> None:
    """Progress of a running job, and its worker's sign of life."""
    await ScoringJob.filter(id=job_id).update(heartbeat_at=_now(), **progress)


async def run_claimed(job_id: int, tenant_id: int) -> ScoringJob:
    """Run a claimed job under its tenant's scoping to DONE or FAILED."""
    with tenant_scope(tenant_id):
        job = await ScoringJob.get(id=job_id)
        job.started_at = _now()
        await ScoringJob.filter(id=job_id).update(started_at=job.started_at)
        limit = get_settings().job_max_attempts
        if job.attempts > limit:
            code = StandardsErrorCode.SCORING_JOB_ABANDONED
            log.warning("scoring job %s of tenant %s abandoned after %s runs", job_id, tenant_id, limit)
            await _finish_failed(job, code.value, code.message(attempts=limit))
            return job
        try:
            await _execute(job)
        except DomainError as error:
            await _finish_failed(job, error.code, error.message)
        except Exception:
            log.exception("scoring job %s of tenant %s failed", job_id, tenant_id)
            await _finish_failed(job, INTERNAL_FAILURE.value, INTERNAL_FAILURE.message())
        return job


async def _execute(job: ScoringJob) -> None:
    tenant = await get_tenant(job.tenant_id)
    scope = None
    if job.scope_id is not None:
        scope = await Organization.get_or_none(id=job.scope_id)
        if scope is None:
            raise NotFound("组织", job.scope_id, field="scopeId")

    written = 0.0

    async def progress(done: int, total: int) -> None:
        # kept on the job at once (a failure stores the count reached); written with the
        # heartbeat at the first rule, the last, and otherwise at most every PROGRESS_SECONDS —
        # not a commit per rule
        nonlocal written
        job.rules_done, job.rules_total = done, total
        now = time.monotonic()
        if done > 1 and done < total and now - written < PROGRESS_SECONDS:
            return
        written = now
        await _beat(job.id, rules_done=done, rules_total=total)

    # outside any transaction: on PostgreSQL rules run a few at a time on pooled connections
    postgres = connections.get("default").capabilities.dialect == "postgres"
    prepared = await engine.prepare_run(
        tenant,
        scope,
        job.period_start,
        job.period_end,
        scorer_code=job.scorer,
        progress=progress,
        concurrency=RULE_CONCURRENCY if postgres else 1,
    )
    await _beat(job.id, branches_total=len(prepared.scores))
    async with in_transaction():
        with audit.audited(
            "scoringJob:done",
            actor_id=job.requested_by_user_id,
            actor=job.requested_by,
            request_id=job.request_id,
        ) as trail:
            run = await engine.store_run(
                prepared, scope, run_by=job.requested_by, run_by_user_id=job.requested_by_user_id
            )
            before = audit.snapshot(job)
            job.status = JobStatus.DONE
            job.run_id = run.id
            job.rules_total = job.rules_done = len(prepared.rules)
            job.branches_total = job.branches_stored = len(prepared.scores)
            job.findings_stored = len(prepared.findings)
            job.finished_at = _now()
            await job.save()
            audit.changed(job, before)
            await trail.flush(job.tenant_id)


async def _finish_failed(job: ScoringJob, code: str, message: str) -> None:
    async with in_transaction():
        with audit.audited(
            "scoringJob:failed",
            actor_id=job.requested_by_user_id,
            actor=job.requested_by,
            request_id=job.request_id,
        ) as trail:
            fresh = await ScoringJob.get(id=job.id)
            before = audit.snapshot(fresh)
            fresh.status = JobStatus.FAILED
            if job.rules_done > fresh.rules_done:  # progress reached since the last write
                fresh.rules_done, fresh.rules_total = job.rules_done, job.rules_total
            fresh.error_code = code[:64]
            fresh.error_message = message[:500]
            fresh.finished_at = _now()
            await fresh.save()
            audit.changed(fresh, before)
            await trail.flush(job.tenant_id)
    job.status, job.error_code, job.error_message = fresh.status, fresh.error_code, fresh.error_message


async def work(*, burst: bool = False, poll_seconds: float | None = None, report=None) -> int:  # noqa: ANN001
    """Run queued jobs until none is left (``burst``) or forever, looking again every
    ``poll_seconds`` (``ZHIBU_WORKER_POLL_SECONDS``) when idle. ``report(job)`` is called after
    each job. Returns the number of jobs run."""
    count = 0
    wait = poll_seconds if poll_seconds is not None else get_settings().worker_poll_seconds
    while True:
        claimed = await claim()
        if claimed is None:
            if burst:
                return count
            await asyncio.sleep(wait)
            continue
        job = await run_claimed(*claimed)
        count += 1
        if report is not None:
            report(job)
