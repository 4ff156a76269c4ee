"""Core timings: seeding the demo tenants, and the nested query over a large roster.

    .venv/bin/python bench/core_bench.py [--members 2000]

Prints the seconds the demo seed takes on a fresh SQLite file (core seed plus every registered
SEEDER), and the statements and seconds of the nested organizations → members → activities →
attendance query for the given roster size. Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


async def main(members: int) -> None:
    from core.db import close_db, init_db, migrate_db
    from core.principal import Principal
    from tenants.demo.seed import seed_demo
    from tests.core_factories import gid
    from tests.support import GraphQLClient, count_statements
    from tests.test_statement_counts import NESTED, build

    url = f"sqlite://{Path(tempfile.mkdtemp(prefix='zhibu-bench-')) / 'bench.sqlite3'}"
    await migrate_db(url)
    await init_db(url)
    try:
        start = time.perf_counter()
        lines = await seed_demo()
        print(f"demo seed: {time.perf_counter() - start:.2f} s ({len(lines)} lines)")

        tenant_id, root_id = await build(members)
        client = GraphQLClient(Principal.tenant_admin(tenant_id))
        start = time.perf_counter()
        with count_statements() as statements:
            await client.ok(NESTED, root=gid("Organization", root_id))
        elapsed = time.perf_counter() - start
        print(f"nested query, {members} members: {len(statements)} statements, {elapsed:.2f} s")
    finally:
        await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=2000)
    asyncio.run(main(parser.parse_args().members))
