"""Limited group loads read as values (``LoaderRegistry.group_by(limit=…, values=True)``): the rows
the ORM's ``values()`` gives, of the bound tenant only — on PostgreSQL through one ``= ANY($1)``
array statement (``loaders.rows_by_pk``), elsewhere through the ORM."""

from __future__ import annotations

import pytest

from core.graphql.core.loaders import LoaderRegistry, _by_pk_applies, rows_by_pk
from core.models import Activity, Member
from core.tenancy import TenantNotBound, tenant_scope
from core.testing.world import build_world


@pytest.fixture
async def worlds():
    return await build_world(), await build_world()


def _loader(model, column, order_by):
    return LoaderRegistry().group_by(model, column, order_by=order_by, limit=2, values=True, omit=("extra",))


async def test_values_of_the_bound_tenant_only(worlds):
    first, second = worlds
    ours, theirs = first.orgs["OB"].id, second.orgs["OB"].id
    with tenant_scope(first.tenant_id):
        members = await _loader(Member, "branch_id", ("id",)).load_many([ours, theirs])
        fields = [name for name in Member._meta.db_fields if name != "extra"]
        expected = await Member.filter(branch_id=ours).order_by("id").limit(2).values(*fields)
    assert members[1] == []  # another tenant's branch: nothing, whatever the ids
    assert [dict(row) for row in members[0]] == expected
    assert members[0] and members[0][0].status == expected[0]["status"]  # converted like the ORM (enum)


async def test_rows_by_pk_is_the_orm_statement(worlds, monkeypatch):
    first, second = worlds
    with tenant_scope(second.tenant_id):
        foreign = [m.id for m in await Member.all()]
    with tenant_scope(first.tenant_id):
        own = [m.id for m in await Member.all()]
        fields = tuple(Member._meta.db_fields)
        if Member._meta.db.capabilities.dialect != "postgres":
            pytest.skip("rows_by_pk is the PostgreSQL path")
        client, sent = Member._meta.db, []
        run = client.execute_query_dict

        async def recorded(sql, values=None):
            sent.append((sql, values))
            return await run(sql, values)

        monkeypatch.setattr(client, "execute_query_dict", recorded)
        rows = await rows_by_pk(Member, own + foreign, fields, ("-id",))
        monkeypatch.undo()
        expected = await Member.filter(pk__in=own + foreign).order_by("-id").values(*fields)
        assert rows == expected and {r["id"] for r in rows} == set(own)
        # the manager's tenant filter is in the statement itself (row-level security is the second wall)
        assert '"member"."tenant_id" = $2' in sent[0][0] and sent[0][1][1] == first.tenant_id
        assert await rows_by_pk(Activity, [0], ("id",), ("id",)) == []
    with pytest.raises(TenantNotBound):
        await rows_by_pk(Member, own, fields, ("id",))


def test_rows_by_pk_only_for_the_models_own_columns() -> None:
    postgres = Member._meta.db.capabilities.dialect == "postgres"
    assert _by_pk_applies(Member, ("id",)) is postgres
    assert _by_pk_applies(Activity, ("-held_on", "-id")) is postgres
    assert _by_pk_applies(Member, ("-activity__held_on", "-id")) is False  # a joined key: the ORM's join
