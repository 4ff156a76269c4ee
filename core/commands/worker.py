"""``zhibu worker [--burst]``: run the background job queue (score runs queued by ``startScoringRun``).

Start one or more next to ``zhibu serve`` with ``ZHIBU_JOB_QUEUE=database``; each claims queued
jobs one at a time (never the same job twice, see :mod:`core.standards.jobs`) and runs them under
their tenant's scoping. ``--burst`` runs what is queued and exits (cron, tests).
"""

from __future__ import annotations

import argparse


async def run(args: argparse.Namespace) -> int:
    from core.db import close_db, init_db
    from core.standards import jobs
    from core.standards.models import ScoringJob

    def report(job: ScoringJob) -> None:
        outcome = f"run {job.run_id}" if job.run_id is not None else f"{job.error_code}: {job.error_message}"
        print(f"job {job.id}\ttenant {job.tenant_id}\t{job.status}\t{outcome}", flush=True)

    await init_db(args.db_url)
    try:
        count = await jobs.work(burst=args.burst, report=report)
    finally:
        await close_db()
    print(f"worker: {count} job(s) run")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("worker", help="run queued background jobs (score runs)")
    p.add_argument("--burst", action="store_true", help="run the jobs queued now, then exit")
    p.set_defaults(func=run)
