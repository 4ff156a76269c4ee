"""Speed of the development pipeline and the case list, through GraphQL.

    .venv/bin/python bench/lifecycle_bench.py [--cases 200] [--db sqlite|postgres]

Creates a throwaway database, walks one person through all 25 steps (time per step), opens
``--cases`` cases advanced to stage 2, then times the nested case list page (50 cases with member,
branch and steps) and counts its SQL statements.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


async def main(cases: int, backend: str) -> None:
    from core.db import close_db, init_db, migrate_db
    from core.principal import Principal
    from tests.support import GraphQLClient, count_statements, make_tenant
    from tests.test_development import CODES, NESTED, RECORD, advance, make_branches, start, step_input

    admin_url = os.environ.get("ZHIBU_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
    name = f"zhibu_bench_{uuid.uuid4().hex[:8]}"
    if backend == "postgres":
        import asyncpg

        conn = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
        url = admin_url.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite://{tempfile.mkdtemp(prefix='zhibu-bench-')}/bench.sqlite3"
    os.environ["ZHIBU_DB_URL"] = url
    await migrate_db(url)
    await init_db(url)
    try:
        tenant = await make_tenant()
        admin = GraphQLClient(Principal.tenant_admin(tenant.id))
        _, branches = await make_branches(admin, "一支部", "二支部", "三支部", "四支部")
        case = await start(admin, branches[0])
        timings = []
        for code in CODES[1:]:
            t0 = time.perf_counter()
            await admin.mutate(RECORD, input=step_input(case["id"], code))
            timings.append(time.perf_counter() - t0)
        print(
            f"[{backend}] recordDevelopmentStep: mean {statistics.mean(timings) * 1000:.1f} ms, "
            f"max {max(timings) * 1000:.1f} ms over 24 steps"
        )
        t0 = time.perf_counter()
        for i in range(cases):
            c = await start(admin, branches[i % 4], name=f"人员{i}")
            await advance(admin, c["id"], "ACTIVIST_DESIGNATED")
        print(f"[{backend}] opened and advanced {cases} cases to step 3 in {time.perf_counter() - t0:.1f} s")
        with count_statements() as statements:
            t0 = time.perf_counter()
            data = await admin.ok(NESTED)
            elapsed = time.perf_counter() - t0
        page = data["developmentCases"]
        print(
            f"[{backend}] developmentCases page of {len(page['nodes'])} (total {page['totalCount']}) with "
            f"member, branch, steps: {elapsed * 1000:.1f} ms, {len(statements)} SQL statements"
        )
    finally:
        await close_db()
        if backend == "postgres":
            import asyncpg

            conn = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    asyncio.run(main(args.cases, args.db))
