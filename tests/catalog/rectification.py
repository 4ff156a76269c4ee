"""Catalog entries: rectification (整改销号) and standardization acceptance (helper D2's).

Object-level rules these entries encode: the organization's own work (open, tasks, evidence, submit)
needs RECTIFICATION_MANAGE on the item's organization; closing, returning, reopening and deadlines
need RECTIFICATION_CLOSE on the organization ABOVE the item's, so those targets are items of a fresh
child of the position's organization (the position is the superior). Acceptance: APPLY on the
branch, ASSESS on the applicant's parent (targets: a fresh child of the position), DECIDE on the
accepting organization (the position)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.tenancy import tenant_scope
from core.testing import gid
from tests.catalog import Op, Target
from tests.catalog._helpers import fresh_org, seq

FUTURE = dt.date(2099, 12, 31)


async def _item(world, org: Any, *, status: str = "OPEN", evidence: bool = False):  # noqa: ANN001, ANN202
    from core.rectification.models import RectificationEvidence, RectificationItem

    with tenant_scope(world.tenant_id):
        item = await RectificationItem.create(
            organization_id=org.id,
            title=f"问题{seq()}",
            deadline=FUTURE,
            status=status,
            closed_at=dt.datetime.now(dt.UTC) if status == "CLOSED" else None,
        )
        if evidence:
            await RectificationEvidence.create(item_id=item.id, description="佐证材料")
    return item


def _item_gid(item: Any) -> str:
    return gid("RectificationItem", item.id)


async def _at(world, pos, **kw):  # noqa: ANN001, ANN202
    return await _item(world, world.orgs[pos.org], **kw)


async def _below(world, pos, **kw):  # noqa: ANN001, ANN202
    """An item of a fresh child of the position (closing needs CLOSE above the item's org)."""
    child = await fresh_org(world, pos.org)
    return None if child is None else await _item(world, child, **kw)


async def _one_item(world, pos):  # noqa: ANN001, ANN202
    return Target({"id": _item_gid(await _at(world, pos))})


async def _items(world, pos):  # noqa: ANN001, ANN202
    item = await _at(world, pos)
    return Target({"org": world.org_gid(pos.org)}, expect=_item_gid(item))


async def _scope(world, pos):  # noqa: ANN001, ANN202
    return Target({"id": world.org_gid(pos.org)})


async def _open(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"organizationId": world.org_gid(pos.org), "title": f"手工问题{seq()}"}})


async def _open_many(world, pos):  # noqa: ANN001, ANN202
    from core.standards.models import FindingRecord, ScoreRun

    org = world.orgs[pos.org]
    with tenant_scope(world.tenant_id):
        run = await ScoreRun.create(
            scope_path="/",
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            period="2025",
            scorer="baseline",
            config_version=1,
        )
        finding = await FindingRecord.create(
            run_id=run.id,
            organization_id=org.id,
            branch_id=org.id,
            rule_code=f"CATALOG_RULE_{seq()}",
            severity="WARNING",
            area="RECORDS",
            message="台账不全",
            period="2025",
        )
    return Target(
        {"input": {"scopeId": world.org_gid(pos.org), "findingIds": [gid("StoredFinding", finding.id)]}}
    )


async def _update(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"id": _item_gid(await _at(world, pos)), "title": "改过的标题"}})


async def _deadline(world, pos):  # noqa: ANN001, ANN202
    item = await _below(world, pos)
    if item is None:
        return None
    return Target({"input": {"id": _item_gid(item), "deadline": "2099-06-30", "reason": "延期"}})


async def _add_task(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"itemId": _item_gid(await _at(world, pos)), "title": "任务"}})


async def _task_done(world, pos):  # noqa: ANN001, ANN202
    from core.rectification.models import RectificationTask

    item = await _at(world, pos, status="IN_PROGRESS")
    with tenant_scope(world.tenant_id):
        task = await RectificationTask.create(item_id=item.id, title="任务")
    return Target({"input": {"id": gid("RectificationTask", task.id)}})


async def _add_evidence(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"itemId": _item_gid(await _at(world, pos)), "description": "材料"}})


async def _start(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"id": _item_gid(await _at(world, pos))}})


async def _submit(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"id": _item_gid(await _at(world, pos, evidence=True))}})


def _superior_action(status: str):  # noqa: ANN202
    async def build(world, pos):  # noqa: ANN001, ANN202
        item = await _below(world, pos, status=status, evidence=True)
        return None if item is None else Target({"input": {"id": _item_gid(item), "comment": "理由"}})

    return build


# --- acceptance --------------------------------------------------------------------------------


async def _application(world, org: Any, *, status: str = "APPLIED", accepting: Any = None, **kw: Any):  # noqa: ANN001, ANN202
    from core.rectification.models import AcceptanceApplication

    with tenant_scope(world.tenant_id):
        if status in ("APPLIED", "ASSESSED"):  # one open application per organization
            await AcceptanceApplication.filter(open_key=org.id).update(open_key=None, status="WITHDRAWN")
        return await AcceptanceApplication.create(
            organization_id=org.id,
            status=status,
            open_key=org.id if status in ("APPLIED", "ASSESSED") else None,
            accepting_organization_id=(accepting or org).id,
            **kw,
        )


def _app_gid(app: Any) -> str:
    return gid("AcceptanceApplication", app.id)


async def _round(world, org: Any, *, drawn: bool = False):  # noqa: ANN001, ANN202
    from core.rectification.models import AcceptanceRound, AcceptanceSampleDraw

    with tenant_scope(world.tenant_id):
        batch = await AcceptanceRound.create(organization_id=org.id, title=f"批次{seq()}")
        draw = None
        if drawn:
            draw = await AcceptanceSampleDraw.create(
                round_id=batch.id,
                seed=7,
                algorithm="py-random-sample-v1",
                rate=0.05,
                minimum=1,
                population_ids=[],
                chosen_ids=[],
            )
    return batch, draw


async def _one_app(world, pos):  # noqa: ANN001, ANN202
    app = await _application(world, world.orgs[pos.org], status="ACCEPTED")
    return Target({"id": _app_gid(app)})


async def _apps(world, pos):  # noqa: ANN001, ANN202
    app = await _application(world, world.orgs[pos.org], status="ACCEPTED")
    return Target({"org": world.org_gid(pos.org)}, expect=_app_gid(app))


async def _one_round(world, pos):  # noqa: ANN001, ANN202
    batch, _ = await _round(world, world.orgs[pos.org])
    return Target({"id": gid("AcceptanceRound", batch.id)})


async def _rounds(world, pos):  # noqa: ANN001, ANN202
    batch, _ = await _round(world, world.orgs[pos.org])
    return Target({"org": world.org_gid(pos.org)}, expect=gid("AcceptanceRound", batch.id))


async def _one_draw(world, pos):  # noqa: ANN001, ANN202
    _, draw = await _round(world, world.orgs[pos.org], drawn=True)
    return Target({"id": gid("AcceptanceSampleDraw", draw.id)})


async def _create_round(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"organizationId": world.org_gid(pos.org), "title": "验收批次"}})


async def _apply(world, pos):  # noqa: ANN001, ANN202
    from core.rectification.models import AcceptanceApplication, RectificationItem

    branch = world.orgs[pos.branch]
    with tenant_scope(world.tenant_id):  # clear what would block a new application
        await AcceptanceApplication.filter(open_key=branch.id).update(open_key=None, status="WITHDRAWN")
        await RectificationItem.filter(organization_id=branch.id).update(status="CLOSED", open_key=None)
    return Target({"input": {"organizationId": world.org_gid(pos.branch), "statement": "自评达标"}})


async def _withdraw(world, pos):  # noqa: ANN001, ANN202
    app = await _application(world, world.orgs[pos.branch])
    return Target({"input": {"id": _app_gid(app)}})


async def _assess(world, pos):  # noqa: ANN001, ANN202
    child = await fresh_org(world, pos.org)
    if child is None:
        return None
    app = await _application(world, child)
    return Target({"input": {"id": _app_gid(app), "passed": True}})


async def _decision_target(world, pos, **kw):  # noqa: ANN001, ANN202
    child = await fresh_org(world, pos.org)
    if child is None:
        return None
    return await _application(world, child, status="ASSESSED", accepting=world.orgs[pos.org], **kw)


async def _onsite(world, pos):  # noqa: ANN001, ANN202
    app = await _decision_target(world, pos, onsite_selected=True)
    return None if app is None else Target({"input": {"id": _app_gid(app), "passed": True}})


async def _decide(world, pos):  # noqa: ANN001, ANN202
    app = await _decision_target(world, pos)
    return None if app is None else Target({"input": {"id": _app_gid(app), "accept": True}})


async def _draw(world, pos):  # noqa: ANN001, ANN202
    batch, _ = await _round(world, world.orgs[pos.org])
    child = await fresh_org(world, pos.org)
    if child is None:
        return None
    app = await _application(world, child, accepting=world.orgs[pos.org])
    with tenant_scope(world.tenant_id):
        app.round_id = batch.id
        await app.save(update_fields=["round_id"])
    return Target({"input": {"roundId": gid("AcceptanceRound", batch.id), "seed": "42"}})


def _mutation(name: str, input_type: str, payload: str) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ errors {{ code }} {payload} }} }}"


def _item_mutation(name: str, input_type: str = "RectificationActionInput") -> str:
    return _mutation(name, input_type, "item { id status }")


def _app_mutation(name: str, input_type: str) -> str:
    return _mutation(name, input_type, "application { id status }")


OPERATIONS = [
    Op(
        "rectificationItem",
        "query",
        "query($id: ID!) { rectificationItem(id: $id) { id title } }",
        "RECTIFICATION_READ",
        "tree",
        _one_item,
    ),
    Op(
        "rectificationItems",
        "query",
        "query($org: ID!) { rectificationItems(first: 100, filter: {organizationId: $org}) "
        "{ nodes { id } } }",
        "RECTIFICATION_READ",
        "list",
        _items,
    ),
    Op(
        "rectificationSummary",
        "query",
        "query($id: ID!) { rectificationSummary(scopeId: $id) { total } }",
        "RECTIFICATION_READ",
        "tree",
        _scope,
    ),
    Op(
        "openRectificationItem",
        "mutation",
        _item_mutation("openRectificationItem", "OpenRectificationItemInput"),
        "RECTIFICATION_MANAGE",
        "tree",
        _open,
    ),
    Op(
        "openRectificationItems",
        "mutation",
        _mutation("openRectificationItems", "OpenRectificationItemsInput", "created { id }"),
        "RECTIFICATION_MANAGE",
        "tree",
        _open_many,
    ),
    Op(
        "updateRectificationItem",
        "mutation",
        _item_mutation("updateRectificationItem", "UpdateRectificationItemInput"),
        "RECTIFICATION_MANAGE",
        "tree",
        _update,
    ),
    Op(
        "setRectificationDeadline",
        "mutation",
        _item_mutation("setRectificationDeadline", "SetRectificationDeadlineInput"),
        "RECTIFICATION_CLOSE",
        "tree",
        _deadline,
        notes="needs CLOSE above the item's organization: the item belongs to a child of the position",
    ),
    Op(
        "addRectificationTask",
        "mutation",
        _mutation("addRectificationTask", "AddRectificationTaskInput", "task { id }"),
        "RECTIFICATION_MANAGE",
        "tree",
        _add_task,
    ),
    Op(
        "setRectificationTaskDone",
        "mutation",
        _mutation("setRectificationTaskDone", "SetRectificationTaskDoneInput", "task { id done }"),
        "RECTIFICATION_MANAGE",
        "tree",
        _task_done,
    ),
    Op(
        "addRectificationEvidence",
        "mutation",
        _mutation("addRectificationEvidence", "AddRectificationEvidenceInput", "evidence { id }"),
        "RECTIFICATION_MANAGE",
        "tree",
        _add_evidence,
    ),
    Op(
        "startRectificationItem",
        "mutation",
        _item_mutation("startRectificationItem"),
        "RECTIFICATION_MANAGE",
        "tree",
        _start,
    ),
    Op(
        "submitRectificationItem",
        "mutation",
        _item_mutation("submitRectificationItem"),
        "RECTIFICATION_MANAGE",
        "tree",
        _submit,
    ),
    Op(
        "closeRectificationItem",
        "mutation",
        _item_mutation("closeRectificationItem"),
        "RECTIFICATION_CLOSE",
        "tree",
        _superior_action("SUBMITTED"),
        notes="销号 needs CLOSE above the item's organization: the item belongs to a child of the position",
    ),
    Op(
        "returnRectificationItem",
        "mutation",
        _item_mutation("returnRectificationItem"),
        "RECTIFICATION_CLOSE",
        "tree",
        _superior_action("SUBMITTED"),
        notes="needs CLOSE above the item's organization",
    ),
    Op(
        "reopenRectificationItem",
        "mutation",
        _item_mutation("reopenRectificationItem"),
        "RECTIFICATION_CLOSE",
        "tree",
        _superior_action("CLOSED"),
        notes="needs CLOSE above the item's organization",
    ),
    Op(
        "acceptanceApplication",
        "query",
        "query($id: ID!) { acceptanceApplication(id: $id) { id status } }",
        "ACCEPTANCE_READ",
        "tree",
        _one_app,
    ),
    Op(
        "acceptanceApplications",
        "query",
        "query($org: ID!) { acceptanceApplications(first: 100, filter: {subtreeOf: $org}) { nodes { id } } }",
        "ACCEPTANCE_READ",
        "list",
        _apps,
    ),
    Op(
        "acceptanceRound",
        "query",
        "query($id: ID!) { acceptanceRound(id: $id) { id title } }",
        "ACCEPTANCE_READ",
        "tree",
        _one_round,
    ),
    Op(
        "acceptanceRounds",
        "query",
        "query($org: ID!) { acceptanceRounds(first: 100, subtreeOf: $org) { nodes { id } } }",
        "ACCEPTANCE_READ",
        "list",
        _rounds,
    ),
    Op(
        "acceptanceSampleDraw",
        "query",
        "query($id: ID!) { acceptanceSampleDraw(id: $id) { id seed } }",
        "ACCEPTANCE_READ",
        "tree",
        _one_draw,
    ),
    Op(
        "verifyAcceptanceSample",
        "query",
        "query($id: ID!) { verifyAcceptanceSample(id: $id) { matches } }",
        "ACCEPTANCE_READ",
        "tree",
        _one_draw,
    ),
    Op(
        "acceptanceSummary",
        "query",
        "query($id: ID!) { acceptanceSummary(scopeId: $id) { branches accepted } }",
        "ACCEPTANCE_READ",
        "tree",
        _scope,
    ),
    Op(
        "createAcceptanceRound",
        "mutation",
        _mutation("createAcceptanceRound", "CreateAcceptanceRoundInput", "round { id }"),
        "ACCEPTANCE_DECIDE",
        "tree",
        _create_round,
    ),
    Op(
        "applyForAcceptance",
        "mutation",
        _app_mutation("applyForAcceptance", "ApplyForAcceptanceInput"),
        "ACCEPTANCE_APPLY",
        "tree",
        _apply,
        notes="the position's branch applies (open applications and items of it are cleared first)",
    ),
    Op(
        "withdrawAcceptanceApplication",
        "mutation",
        _app_mutation("withdrawAcceptanceApplication", "AcceptanceIdInput"),
        "ACCEPTANCE_APPLY",
        "tree",
        _withdraw,
    ),
    Op(
        "assessAcceptanceApplication",
        "mutation",
        _app_mutation("assessAcceptanceApplication", "AssessAcceptanceInput"),
        "ACCEPTANCE_ASSESS",
        "tree",
        _assess,
        notes="the superior committee assesses: the applicant is a fresh child of the position",
    ),
    Op(
        "recordAcceptanceOnsiteCheck",
        "mutation",
        _app_mutation("recordAcceptanceOnsiteCheck", "RecordOnsiteCheckInput"),
        "ACCEPTANCE_DECIDE",
        "tree",
        _onsite,
        notes="the position is the accepting organization of a sampled application below it",
    ),
    Op(
        "decideAcceptanceApplication",
        "mutation",
        _app_mutation("decideAcceptanceApplication", "DecideAcceptanceInput"),
        "ACCEPTANCE_DECIDE",
        "tree",
        _decide,
        notes="the position is the accepting organization of an assessed application below it",
    ),
    Op(
        "drawAcceptanceSample",
        "mutation",
        _mutation("drawAcceptanceSample", "DrawAcceptanceSampleInput", "draw { id chosenIds }"),
        "ACCEPTANCE_DECIDE",
        "tree",
        _draw,
    ),
]
