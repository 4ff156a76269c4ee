"""Small builders shared by catalog modules (trusted code: ORM under the world's tenant)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from core.tenancy import tenant_scope
from core.testing.world import World, gid

_seq = itertools.count(1)
TODAY = dt.date(2026, 6, 20)


def seq() -> int:
    return next(_seq)


def child_kind(org: Any) -> str | None:
    return {"PARTY_COMMITTEE": "BRANCH", "GENERAL_BRANCH": "BRANCH", "BRANCH": "PARTY_GROUP"}.get(org.kind)


async def fresh_org(world: World, parent_key: str, kind: str | None = None, name: str = "") -> Any:
    """A new organization under ``parent_key`` (of the kind that may stand there)."""
    from core.models import Organization

    parent = world.orgs[parent_key]
    kind = kind or child_kind(parent)
    if kind is None:
        return None
    with tenant_scope(world.tenant_id):
        org = await Organization.create(
            kind=kind, name=name or f"新组织{seq()}", parent=parent, path="", depth=parent.depth + 1
        )
        org.path = f"{parent.path}{org.id}/"
        await org.save(update_fields=["path"])
    return org


async def live_term(world: World, branch_key: str) -> Any:
    from core.models import CommitteeTerm

    org = world.orgs[branch_key]
    with tenant_scope(world.tenant_id):
        term = await CommitteeTerm.filter(organization_id=org.id, closed_on__isnull=True).first()
        if term is None:
            term = await CommitteeTerm.create(
                organization_id=org.id, starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2027, 1, 1)
            )
    return term


async def fresh_seat(world: World, branch_key: str, role: str, member_key: str | None = None) -> Any:
    from core.models import CommitteeSeat

    term = await live_term(world, branch_key)
    with tenant_scope(world.tenant_id):
        return await CommitteeSeat.create(
            term_id=term.id,
            role=role,
            member_id=world.members[member_key].id if member_key else None,
            started_on=dt.date(2024, 1, 1) if member_key else None,
        )


async def fresh_activity(world: World, org_key: str) -> Any:
    from core.models import Activity

    with tenant_scope(world.tenant_id):
        return await Activity.create(
            organization_id=world.orgs[org_key].id,
            kind="THEMED_PARTY_DAY",
            held_on=TODAY,
            topic=f"主题党日{seq()}",
        )


def activity_gid(activity: Any) -> str:
    return gid("Activity", activity.id)


class UploadedFile(dict):
    """An uploaded file for in-process calls (the Upload scalar passes values through); a dict so
    the catalog suites can serialise the variables."""

    def __init__(self, filename: str, data: bytes):
        super().__init__(filename=filename)
        self.filename, self._data = filename, data

    async def read(self) -> bytes:
        return self._data


async def name_path(world: World, org: Any) -> str:
    """``机关党委/第一党支部`` of ``org`` (one query)."""
    from core.models import Organization

    ids = [int(p) for p in org.path.strip("/").split("/") if p]
    with tenant_scope(world.tenant_id):
        names = dict(await Organization.filter(id__in=ids).values_list("id", "name"))
    return "/".join(names[i] for i in ids)
