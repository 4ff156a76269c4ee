"""The demo seed: four tenants with real content, answered over HTTP by the ASGI app."""

from __future__ import annotations

import datetime as dt

import httpx

from core.app import create_app
from core.models import Activity, Member, Organization, Tenant
from core.principal import Principal
from core.tenancy import tenant_scope
from tenants.demo.seed import DEMO_TENANTS, seed_demo
from tests.support import unique_slug

NESTED = """
{
  tenant { slug name domain enabledPlugins scoringPlugin }
  organizationRoots {
    name kindLabel
    currentCommittee { endsOn seats { roleLabel member { name } } vacantSeats { role } }
    children {
      name kind coveredUnits temporaryBody currentCommittee { endsOn }
      members { name status categories { code } }
      activities(kinds: ["THEMED_PARTY_DAY"]) { heldOn topic stats { expected present attendanceRate } }
      children { name kind leader { name } members { name } }
    }
  }
}
"""


async def test_seed_demo_is_idempotent_and_realistic():
    suffix = "-" + unique_slug("d")
    lines = await seed_demo(suffix)
    assert len(lines) >= 4 and all("已存在" not in line for line in lines)
    again = await seed_demo(suffix)
    assert sum("已存在" in line for line in again) == 4

    tenants = {t.slug: t for t in await Tenant.filter(slug__in=[s.slug + suffix for s in DEMO_TENANTS])}
    rural = tenants["demo-rural" + suffix]
    assert rural.domain == "rural" and rural.enabled_plugins == ["rural"] and rural.scoring_plugin == "rural"
    assert tenants["demo-foreign-affairs" + suffix].domain == "foreign_affairs"

    with tenant_scope(rural.id):
        branches = await Organization.filter(kind__in=["BRANCH", "JOINT_BRANCH"])
        sizes = {}
        for b in branches:
            sizes[b.name] = (
                await Member.filter(branch_id=b.id, status="FULL").count(),
                await Member.filter(branch_id=b.id).count(),
            )
        assert any(total > 20 for _, total in sizes.values()), sizes
        assert any(full < 3 for full, _ in sizes.values()), sizes
        assert await Organization.filter(kind="PARTY_GROUP").count() >= 3
        year_ago = dt.date.today() - dt.timedelta(days=366)
        assert await Activity.filter(held_on__gte=year_ago).count() > 100

    # the newspaper has an overseas bureau branch and a temporary branch for the emergency team
    with tenant_scope(tenants["demo-newspaper" + suffix].id):
        temp = await Organization.get(kind="TEMPORARY_BRANCH")
        assert temp.temporary_body == "防汛抢险应急报道组"
        assert await Organization.filter(name__contains="驻外").exists()
    # the foreign-affairs office branch has four party groups, each with a leader
    with tenant_scope(tenants["demo-foreign-affairs" + suffix].id):
        groups = await Organization.filter(kind="PARTY_GROUP")
        assert len(groups) == 4 and all(g.leader_id for g in groups)
        leaders = await Member.filter(id__in=[g.leader_id for g in groups])
        posts = sorted(m.extra["post"] for m in leaders)
        assert posts == ["亚非处处长", "欧美处处长", "礼宾处处长", "综合处处长"]

    # one HTTP request through the real ASGI app answers a nested query over the demo data
    async def resolver(request):  # noqa: ANN001, ANN202
        return Principal.tenant_admin(rural.id, label="demo")

    app = create_app(manage_db=False, principal_resolver=resolver)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo") as client:
        response = await client.post("/graphql", json={"query": NESTED})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body.get("errors")
    data = body["data"]
    assert data["tenant"]["domain"] == "RURAL" and data["tenant"]["slug"] == "demo-rural" + suffix
    (town,) = data["organizationRoots"]
    assert town["name"] == "中共青山镇委员会" and town["kindLabel"] == "党委"
    assert {s["roleLabel"] for s in town["currentCommittee"]["seats"]} >= {"书记", "组织委员"}
    villages = {c["name"]: c for c in town["children"]}
    dongling = villages["东岭村党支部"]
    assert len(dongling["members"]) > 20
    assert [g["kind"] for g in dongling["children"]] == ["PARTY_GROUP"] * 3
    themed = dongling["activities"]
    assert len(themed) >= 10 and all(a["stats"]["expected"] > 20 for a in themed)
    xihe = villages["西河村党支部"]
    rates = [a["stats"]["attendanceRate"] for a in xihe["activities"]]
    assert sum(rates) / len(rates) < 0.8  # a branch whose themed party days fall short of 80%
    assert len(xihe["activities"]) < 12  # and which skipped some months
    joint = villages["青山镇非公企业联合党支部"]
    assert len(joint["coveredUnits"]) == 3

    # every demo term was started with the default length: village terms 5 years, the township's
    # agency branch 3, so none deviates from the term the rule expects
    from tests.support import GraphQLClient

    admin = GraphQLClient(Principal.tenant_admin(rural.id, label="demo"))
    year = dt.date.today().year
    found = await admin.ok(
        "query($from: Date!, $to: Date!) { findings(from: $from, to: $to, "
        'ruleCodes: ["COMMITTEE_TERM_LENGTH"]) { ruleCode } }',
        **{"from": f"{year}-01-01", "to": f"{year}-12-31"},
    )
    assert found["findings"] == []
    terms = {c["name"]: c["currentCommittee"] for c in town["children"]}
    ends = {name: dt.date.fromisoformat(t["endsOn"]) for name, t in terms.items() if t}
    assert ends["东岭村党支部"] > dt.date.today() + dt.timedelta(days=365 * 3)  # 5 years from ~1 year ago
    assert ends["青山镇机关党支部"] < dt.date.today() + dt.timedelta(days=365 * 2 + 30)  # 3 years


def test_documented_operations_are_valid_against_the_schema():
    """Every GraphQL example in docs/api.md parses and validates against the built schema."""
    import re
    from pathlib import Path

    from graphql import parse, validate

    from schema import get_schema

    text = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```graphql\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 6
    schema = get_schema()._schema
    for block in blocks:
        errors = validate(schema, parse(block))
        assert not errors, (block[:80], [e.message for e in errors])
