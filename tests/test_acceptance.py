"""Standardization acceptance through GraphQL: apply → assess (superior committee) → accept/reject
(accepting level), refused transitions and callers, and the reproducible random on-site sample."""

from __future__ import annotations

from core.models import AuditRecord
from core.principal import Principal
from core.rectification import sampling
from core.rectification.models import AcceptanceSampleDraw
from core.tenancy import tenant_scope
from tests.core_factories import db_id, org
from tests.support import GraphQLClient

APP_FIELDS = """
  id status statusLabel organizationName acceptingOrganizationName acceptingOrganization { name }
  assessingOrganizationName
  assessmentPassed assessmentComments onsiteSelected onsitePassed decisionComments roundGid
"""
APPLY = f"""
mutation($input: ApplyForAcceptanceInput!) {{
  applyForAcceptance(input: $input) {{ errors {{ code message field }} application {{ {APP_FIELDS} }} }}
}}
"""
ASSESS = f"""
mutation($input: AssessAcceptanceInput!) {{
  assessAcceptanceApplication(input: $input) {{
    errors {{ code message field }} application {{ {APP_FIELDS} }}
  }}
}}
"""
DECIDE = f"""
mutation($input: DecideAcceptanceInput!) {{
  decideAcceptanceApplication(input: $input) {{
    errors {{ code message field }} application {{ {APP_FIELDS} }}
  }}
}}
"""
WITHDRAW = f"""
mutation($input: AcceptanceIdInput!) {{
  withdrawAcceptanceApplication(input: $input) {{ errors {{ code message }} application {{ {APP_FIELDS} }} }}
}}
"""
ONSITE = f"""
mutation($input: RecordOnsiteCheckInput!) {{
  recordAcceptanceOnsiteCheck(input: $input) {{ errors {{ code message }} application {{ {APP_FIELDS} }} }}
}}
"""
ROUND = """
mutation($input: CreateAcceptanceRoundInput!) {
  createAcceptanceRound(input: $input) { errors { code message } round { id title } }
}
"""
DRAW = """
mutation($input: DrawAcceptanceSampleInput!) {
  drawAcceptanceSample(input: $input) {
    errors { code message field }
    draw {
      id seed algorithm rate minimum populationIds chosenIds chosen { id organizationName onsiteSelected }
    }
  }
}
"""
VERIFY = """
query($id: ID!) { verifyAcceptanceSample(id: $id) { matches populationUnchanged recomputedIds } }
"""
OPEN_ITEM = """
mutation($input: OpenRectificationItemInput!) { openRectificationItem(input: $input) { errors { code } } }
"""


def client(tenant, label: str, perms: tuple[str, ...], path: str) -> GraphQLClient:
    grants = {p: (path,) for p in (*perms, "ACCEPTANCE_READ", "ORG_READ")}
    return GraphQLClient(Principal(tenant_id=tenant.id, label=label, grants=grants))


async def setup(admin, tenant) -> dict:
    """County committee (top) → township committee → two branches; a caller at each level who holds
    every acceptance permission on their own subtree only."""
    county = await org(admin, "PARTY_COMMITTEE", "县委组织部党委")
    town = await org(admin, "PARTY_COMMITTEE", "某镇党委", county)
    branch = await org(admin, "BRANCH", "某村党支部", town)
    other = await org(admin, "BRANCH", "另一村党支部", town)
    every = ("ACCEPTANCE_APPLY", "ACCEPTANCE_ASSESS", "ACCEPTANCE_DECIDE")
    return {
        "county": county,
        "town": town,
        "branch": branch,
        "other": other,
        "branch_user": client(tenant, "支部书记", every, branch["path"]),
        "town_user": client(tenant, "镇党委", every, town["path"]),
        "county_user": client(tenant, "县委", every, county["path"]),
    }


async def test_acceptance_state_machine_and_refused_transitions(admin, tenant):
    t = await setup(admin, tenant)
    branch_user, town_user, county_user = t["branch_user"], t["town_user"], t["county_user"]
    app = (
        await branch_user.mutate(APPLY, input={"organizationId": t["branch"]["id"], "statement": "自评达标"})
    )["application"]
    assert app["status"] == "APPLIED" and app["acceptingOrganization"] is None  # not visible to the branch
    aid = app["id"]
    # one open application per branch
    code = await branch_user.error_code(APPLY, input={"organizationId": t["branch"]["id"]})
    assert code == "ACCEPTANCE_ALREADY_OPEN"
    # only branches apply; a committee is refused
    assert await town_user.error_code(APPLY, input={"organizationId": t["town"]["id"]}) == (
        "ACCEPTANCE_NOT_A_BRANCH"
    )
    # deciding before the assessment is a wrong transition
    assert await county_user.error_code(DECIDE, input={"id": aid, "accept": True}) == (
        "ACCEPTANCE_INVALID_TRANSITION"
    )
    # the branch cannot assess itself (ASSESS held on its own path only)
    assert await branch_user.error_code(ASSESS, input={"id": aid, "passed": True}) == "PERMISSION_DENIED"
    assessed = (await town_user.mutate(ASSESS, input={"id": aid, "passed": True, "comments": "材料齐全"}))[
        "application"
    ]
    assert assessed["status"] == "ASSESSED" and assessed["assessmentPassed"] is True
    assert assessed["acceptingOrganizationName"] == "县委组织部党委"
    assert assessed["acceptingOrganization"] is None  # the township may not read the county itself
    assert await town_user.error_code(ASSESS, input={"id": aid, "passed": True}) == (
        "ACCEPTANCE_INVALID_TRANSITION"
    )
    assert await branch_user.error_code(WITHDRAW, input={"id": aid}) == "ACCEPTANCE_INVALID_TRANSITION"
    # the township committee is not the accepting level (the county is, accepting_depth = 0)
    assert await town_user.error_code(DECIDE, input={"id": aid, "accept": True}) == "PERMISSION_DENIED"
    # rejecting needs a reason
    assert await county_user.error_code(DECIDE, input={"id": aid, "accept": False}) == "INVALID_INPUT"
    accepted = (await county_user.mutate(DECIDE, input={"id": aid, "accept": True}))["application"]
    assert accepted["status"] == "ACCEPTED" and accepted["statusLabel"] == "验收通过"
    assert await county_user.error_code(DECIDE, input={"id": aid, "accept": False, "comments": "x"}) == (
        "ACCEPTANCE_INVALID_TRANSITION"
    )

    # a failed assessment returns the application; the branch may apply again
    second = (await admin.mutate(APPLY, input={"organizationId": t["other"]["id"]}))["application"]
    assert await town_user.error_code(ASSESS, input={"id": second["id"], "passed": False}) == "INVALID_INPUT"
    returned = (
        await town_user.mutate(ASSESS, input={"id": second["id"], "passed": False, "comments": "台账不全"})
    )["application"]
    assert returned["status"] == "RETURNED" and returned["assessmentComments"] == "台账不全"
    again = (await admin.mutate(APPLY, input={"organizationId": t["other"]["id"]}))["application"]
    assert again["status"] == "APPLIED"
    withdrawn = (await admin.mutate(WITHDRAW, input={"id": again["id"]}))["application"]
    assert withdrawn["status"] == "WITHDRAWN"
    with tenant_scope(tenant.id):
        ops = set(await AuditRecord.all().values_list("operation", flat=True))
    assert {"applyForAcceptance", "assessAcceptanceApplication", "decideAcceptanceApplication"} <= ops


async def test_open_rectification_blocks_applying_and_accepting_kind_is_configurable(admin, tenant):
    t = await setup(admin, tenant)
    await admin.mutate(OPEN_ITEM, input={"organizationId": t["branch"]["id"], "title": "阵地不达标"})
    code = await admin.error_code(APPLY, input={"organizationId": t["branch"]["id"]})
    assert code == "ACCEPTANCE_OPEN_RECTIFICATION"
    # the tenant makes the nearest party committee (the township) the accepting level
    await admin.mutate(
        "mutation($input: UpdateTenantConfigInput!) "
        "{ updateTenantConfig(input: $input) { errors { code } } }",
        input={"patch": {"acceptance": {"accepting_kind": "PARTY_COMMITTEE"}}},
    )
    app = (await admin.mutate(APPLY, input={"organizationId": t["other"]["id"]}))["application"]
    assert app["acceptingOrganizationName"] == "某镇党委"
    await t["town_user"].mutate(ASSESS, input={"id": app["id"], "passed": True})
    decided = (await t["town_user"].mutate(DECIDE, input={"id": app["id"], "accept": True}))["application"]
    assert decided["status"] == "ACCEPTED"


CONFIG = (
    "mutation($input: UpdateTenantConfigInput!) { updateTenantConfig(input: $input) { errors { code } } }"
)


async def test_the_party_committee_above_assesses_not_a_general_branch_in_between(admin, tenant):
    """The seed: the branch applies, the superior 党委 assesses, the county-level committee accepts.
    A general branch between the branch and the township committee does not assess."""
    t = await setup(admin, tenant)
    general = await org(admin, "GENERAL_BRANCH", "某镇机关党总支", t["town"])
    branch = await org(admin, "BRANCH", "某镇机关第一党支部", general)
    every = ("ACCEPTANCE_APPLY", "ACCEPTANCE_ASSESS", "ACCEPTANCE_DECIDE")
    general_user = client(tenant, "党总支", every, general["path"])
    config = (await admin.ok("{ tenant { config } }"))["tenant"]["config"]["acceptance"]
    assert config["assessing_kind"] == "PARTY_COMMITTEE"
    app = (await admin.mutate(APPLY, input={"organizationId": branch["id"]}))["application"]
    assert app["assessingOrganizationName"] == "某镇党委"
    assert (
        await general_user.error_code(ASSESS, input={"id": app["id"], "passed": True}) == "PERMISSION_DENIED"
    )
    assessed = (await t["town_user"].mutate(ASSESS, input={"id": app["id"], "passed": True}))["application"]
    assert assessed["status"] == "ASSESSED"
    # a tenant that lets the direct parent assess says so in its config
    await admin.mutate(CONFIG, input={"patch": {"acceptance": {"assessing_kind": ""}}})
    other = await org(admin, "BRANCH", "某镇机关第二党支部", general)
    app = (await admin.mutate(APPLY, input={"organizationId": other["id"]}))["application"]
    assert app["assessingOrganizationName"] == "某镇机关党总支"
    assert (await general_user.mutate(ASSESS, input={"id": app["id"], "passed": True}))["application"][
        "status"
    ] == "ASSESSED"
    # no party committee above the branch: nobody to assess
    await admin.mutate(CONFIG, input={"patch": {"acceptance": {"assessing_kind": "PARTY_COMMITTEE"}}})
    lonely_root = await org(admin, "GENERAL_BRANCH", "独立党总支")
    lonely = await org(admin, "BRANCH", "独立党总支第一党支部", lonely_root)
    assert await admin.error_code(APPLY, input={"organizationId": lonely["id"]}) == (
        "ACCEPTANCE_NO_ASSESSING_LEVEL"
    )


async def test_onsite_sample_is_recorded_reproducible_and_enforced(admin, tenant):
    t = await setup(admin, tenant)
    county_user = t["county_user"]
    branches = [await org(admin, "BRANCH", f"第{i}党支部", t["town"]) for i in range(30)]
    batch = (
        await county_user.mutate(ROUND, input={"organizationId": t["county"]["id"], "title": "2025年第一批"})
    )["round"]
    # the township cannot open a round at the county
    code = await t["town_user"].error_code(ROUND, input={"organizationId": t["county"]["id"], "title": "x"})
    assert code == "PERMISSION_DENIED"
    apps = [
        (await admin.mutate(APPLY, input={"organizationId": b["id"], "roundId": batch["id"]}))["application"]
        for b in branches
    ]
    draw = (await county_user.mutate(DRAW, input={"roundId": batch["id"], "seed": "20250701"}))["draw"]
    # 5 % of 30 = 1.5 → 2 (rounded up), drawn from the 30 recorded applications with the seed
    assert draw["seed"] == "20250701" and draw["rate"] == 0.05 and draw["minimum"] == 1
    assert sorted(draw["populationIds"]) == sorted(db_id(a) for a in apps)
    assert len(draw["chosenIds"]) == 2
    assert draw["chosenIds"] == sampling.draw(draw["populationIds"], 20250701, 0.05, 1)
    assert all(c["onsiteSelected"] for c in draw["chosen"])
    # the same seed over the same population gives the same sample; another seed may not
    assert sampling.draw(list(reversed(draw["populationIds"])), 20250701, 0.05, 1) == draw["chosenIds"]
    verified = (await county_user.ok(VERIFY, id=draw["id"]))["verifyAcceptanceSample"]
    assert verified == {"matches": True, "populationUnchanged": True, "recomputedIds": draw["chosenIds"]}

    # the draw is in the audit trail with its seed, population and result
    with tenant_scope(tenant.id):
        record = await AuditRecord.get(operation="drawAcceptanceSample", target_type="AcceptanceSampleDraw")
        assert record.after["seed"] == 20250701 and record.after["chosen_ids"] == draw["chosenIds"]
        assert record.actor == "县委"
    # once per round; the round takes no more applications
    code = await county_user.error_code(DRAW, input={"roundId": batch["id"]})
    assert code == "ACCEPTANCE_SAMPLE_ALREADY_DRAWN"
    code = await admin.error_code(APPLY, input={"organizationId": t["branch"]["id"], "roundId": batch["id"]})
    assert code == "ACCEPTANCE_ROUND_CLOSED"

    # a tampered record no longer verifies
    with tenant_scope(tenant.id):
        row = await AcceptanceSampleDraw.get(id=db_id(draw["id"]))
        unchosen = next(i for i in row.population_ids if i not in row.chosen_ids)
        row.chosen_ids = [row.chosen_ids[0], unchosen]
        await row.save()
    assert (await county_user.ok(VERIFY, id=draw["id"]))["verifyAcceptanceSample"]["matches"] is False

    # a sampled application needs its on-site check before the decision; a failed check cannot pass
    sampled = next(a for a in apps if db_id(a) == draw["chosenIds"][0])
    not_sampled = next(a for a in apps if db_id(a) not in draw["chosenIds"])
    for a in (sampled, not_sampled):
        await t["town_user"].mutate(ASSESS, input={"id": a["id"], "passed": True})
    code = await county_user.error_code(DECIDE, input={"id": sampled["id"], "accept": True})
    assert code == "ACCEPTANCE_ONSITE_CHECK_PENDING"
    code = await county_user.error_code(ONSITE, input={"id": not_sampled["id"], "passed": True})
    assert code == "ACCEPTANCE_NOT_SAMPLED"
    await county_user.mutate(ONSITE, input={"id": sampled["id"], "passed": False, "comments": "阵地未建成"})
    code = await county_user.error_code(DECIDE, input={"id": sampled["id"], "accept": True})
    assert code == "ACCEPTANCE_ONSITE_CHECK_FAILED"
    rejected = await county_user.mutate(
        DECIDE, input={"id": sampled["id"], "accept": False, "comments": "实地抽查未通过"}
    )
    assert rejected["application"]["status"] == "REJECTED"
    accepted = await county_user.mutate(DECIDE, input={"id": not_sampled["id"], "accept": True})
    assert accepted["application"]["status"] == "ACCEPTED"


async def test_small_round_draws_at_least_one(admin, tenant):
    t = await setup(admin, tenant)
    batch = (await admin.mutate(ROUND, input={"organizationId": t["county"]["id"], "title": "小批次"}))[
        "round"
    ]
    code = await admin.error_code(DRAW, input={"roundId": batch["id"]})
    assert code == "ACCEPTANCE_SAMPLE_EMPTY"
    applications = []
    for b in (t["branch"], t["other"]):
        payload = await admin.mutate(APPLY, input={"organizationId": b["id"], "roundId": batch["id"]})
        applications.append(db_id(payload["application"]))
    draw = (await admin.mutate(DRAW, input={"roundId": batch["id"]}))["draw"]  # seed generated, recorded
    # 5 % of two applications rounds to none: the minimum of one applies, drawn from exactly them
    assert sorted(draw["populationIds"]) == sorted(applications)
    assert len(draw["chosenIds"]) == 1 and set(draw["chosenIds"]) <= set(applications)
    assert draw["chosenIds"] == sampling.draw(applications, int(draw["seed"]), 0.05, 1)
    verified = (await admin.ok(VERIFY, id=draw["id"]))["verifyAcceptanceSample"]
    assert verified == {"matches": True, "populationUnchanged": True, "recomputedIds": draw["chosenIds"]}
    # the recorded seed decides: over many seeds both applications get drawn, one at a time
    assert {tuple(sampling.draw(applications, seed, 0.05, 1)) for seed in range(50)} == {
        (a,) for a in applications
    }


RUN = """
mutation($input: RunScoringInput!) {
  runScoring(input: $input) { errors { code message } run { id scores(first: 10) { nodes { total grade } } } }
}
"""
SUMMARY = """
query($id: ID!) { acceptanceSummary(scopeId: $id) { branches accepted open acceptedShare } }
"""


async def test_assessment_cites_a_score_and_the_summary_counts_accepted_branches(admin, tenant):
    t = await setup(admin, tenant)
    period = {"periodStart": "2025-01-01", "periodEnd": "2025-12-31"}
    run = (await admin.mutate(RUN, input={"scopeId": t["branch"]["id"], **period}))["run"]
    other_run = (await admin.mutate(RUN, input={"scopeId": t["other"]["id"], **period}))["run"]
    (score,) = run["scores"]["nodes"]
    app = (await admin.mutate(APPLY, input={"organizationId": t["branch"]["id"]}))["application"]
    # a run that did not score this branch cannot be cited
    code = await t["town_user"].error_code(
        ASSESS, input={"id": app["id"], "passed": True, "scoreRunId": other_run["id"]}
    )
    assert code == "ACCEPTANCE_SCORE_NOT_FOUND"
    cited = await t["town_user"].ok(
        """mutation($input: AssessAcceptanceInput!) {
          assessAcceptanceApplication(input: $input) {
            errors { code } application { status scoreRunId scoreTotal scoreGrade }
          }
        }""",
        input={"id": app["id"], "passed": True, "scoreRunId": run["id"]},
    )
    assessed = cited["assessAcceptanceApplication"]["application"]
    assert assessed == {
        "status": "ASSESSED",
        "scoreRunId": run["id"],
        "scoreTotal": score["total"],
        "scoreGrade": score["grade"],
    }
    summary = (await t["county_user"].ok(SUMMARY, id=t["town"]["id"]))["acceptanceSummary"]
    assert summary == {"branches": 2, "accepted": 0, "open": 1, "acceptedShare": 0.0}
    await t["county_user"].mutate(DECIDE, input={"id": app["id"], "accept": True})
    summary = (await t["county_user"].ok(SUMMARY, id=t["town"]["id"]))["acceptanceSummary"]
    assert summary == {"branches": 2, "accepted": 1, "open": 0, "acceptedShare": 0.5}
    # the branch may not read the township's summary
    result = await t["branch_user"].execute(SUMMARY, id=t["town"]["id"])
    assert result.errors[0].extensions["code"] == "PERMISSION_DENIED"
