"""Access timings: password login (argon2id), token -> principal per request, enforcer build.

    .venv/bin/python bench/access_bench.py [--users 500]

On a throwaway SQLite file: one tenant with ``--users`` accounts, each with a positional role on its
own organization; prints the seconds of one login verification, of resolving an access token into a
principal with a warm enforcer (the per-request cost), and of building the tenant's enforcer (after
a policy change). Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


async def main(users: int) -> None:
    from core.access.authentication import principal_from_token
    from core.access.enforcer import build_enforcer, get_cache
    from core.access.models import RoleAssignment, User
    from core.access.passwords import hash_password, verify_password
    from core.access.roles import sync_tenant_policies
    from core.access.tokens import issue_pair
    from core.db import close_db, init_db, migrate_db
    from core.models import Organization
    from core.tenancy import tenant_scope
    from tests.support import make_tenant

    url = f"sqlite://{Path(tempfile.mkdtemp(prefix='zhibu-bench-')) / 'bench.sqlite3'}"
    await migrate_db(url)
    await init_db(url)
    try:
        tenant = await make_tenant()
        password_hash = hash_password("bench-password")
        with tenant_scope(tenant.id):
            root = await Organization.create(kind="PARTY_COMMITTEE", name="党委", path="", depth=0)
            root.path = f"/{root.id}/"
            await root.save()
            orgs = [
                Organization(kind="BRANCH", name=f"支部{i}", parent_id=root.id, path=f"tmp{i}", depth=1)
                for i in range(users)
            ]
            await Organization.bulk_create(orgs)
            orgs = await Organization.filter(depth=1).order_by("id")
            for org in orgs:
                org.path = f"{root.path}{org.id}/"
            await Organization.bulk_update(orgs, fields=["path"])
            await User.bulk_create(
                [User(username=f"u{i}", password_hash=password_hash) for i in range(users)]
            )
            accounts = await User.all().order_by("id")
            await RoleAssignment.bulk_create(
                [
                    RoleAssignment(role="ORG_SECRETARY", organization_id=o.id, user_id=u.id)
                    for o, u in zip(orgs, accounts, strict=True)
                ]
            )
            started = time.perf_counter()
            await sync_tenant_policies(tenant.id)
            print(f"policy sync for {users} assignments: {time.perf_counter() - started:.3f}s")

        started = time.perf_counter()
        verify_password(password_hash, "bench-password")
        print(f"one argon2id login verification: {time.perf_counter() - started:.3f}s")

        started = time.perf_counter()
        await build_enforcer(tenant.id)
        print(f"enforcer build ({users} users): {time.perf_counter() - started:.3f}s")

        user = accounts[users // 2]
        token = issue_pair(user.id, tenant.id, user.token_version).access_token
        await principal_from_token(token)
        rounds = 200
        started = time.perf_counter()
        for _ in range(rounds):
            await principal_from_token(token)
        per = (time.perf_counter() - started) / rounds
        print(f"token -> principal, warm enforcer: {per * 1000:.2f} ms per request")
        print(f"enforcer builds so far: {get_cache().builds}")
    finally:
        await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=500)
    asyncio.run(main(parser.parse_args().users))
