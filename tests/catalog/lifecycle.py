"""Catalog entries: the development pipeline (发展党员) and relation transfers (组织关系接转).

Object-level rules these entries encode: a development case belongs to its person's branch (the
position's branch); a transfer is seen and handled from the organization it leaves or enters (the
position's branch). ``transferMember`` needs TRANSFER_MANAGE on both ends: the target is a fresh
branch under the position's organization, so positions whose organization is a branch or a party
group (no other branch can stand in its subtree) have no target there.

Targets are built with trusted ORM code in states the services accept: dates in the recent past
(``core.lifecycle.dates.today``), members with the status the step needs, and only the earlier
steps whose dates the timing rules read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.tenancy import tenant_scope
from core.testing import gid
from tests.catalog import Op, Target
from tests.catalog._helpers import fresh_org, seq

VOTE = {"entitled": 30, "present": 25, "issued": 25, "returned": 25, "yes": 20}


def _today() -> dt.date:
    from core.lifecycle.dates import today

    return today()


def _ago(days: int) -> str:
    return (_today() - dt.timedelta(days=days)).isoformat()


async def _person(world, branch_key: str, status: str) -> Any:  # noqa: ANN001
    """A fresh roster row in ``branch_key`` with ``status``."""
    from core.models import Member

    with tenant_scope(world.tenant_id):
        return await Member.create(
            name=f"人员{seq()}",
            branch_id=world.orgs[branch_key].id,
            status=status,
            birth_date=dt.date(1995, 5, 5),
        )


async def _case(world, pos, *, status: str = "APPLICANT", last: int = 1, probation_ended: bool = False):  # noqa: ANN001, ANN202
    """A fresh open case of a fresh person at the position's branch, steps 1..``last`` recorded
    (only the rows the next step's rules read are stored: step 1 and the last one)."""
    from core.lifecycle.models import DevelopmentCase, DevelopmentStep
    from core.lifecycle.steps import BY_SEQUENCE

    member = await _person(world, pos.branch, status)
    applied = _today() - dt.timedelta(days=30)
    with tenant_scope(world.tenant_id):
        case = await DevelopmentCase.create(
            member_id=member.id,
            applied_on=applied,
            last_sequence=last,
            probation_ends_on=(_today() - dt.timedelta(days=5)) if probation_ended else None,
        )
        for sequence in sorted({1, last}):
            spec = BY_SEQUENCE[sequence]
            await DevelopmentStep.create(
                case_id=case.id,
                code=spec.code,
                sequence=spec.sequence,
                stage=spec.stage,
                done_on=applied if sequence == 1 else _today() - dt.timedelta(days=10),
            )
    return case


def _case_gid(case: Any) -> str:
    return gid("DevelopmentCase", case.id)


async def _transfer(world, pos) -> Any:  # noqa: ANN001
    """A fresh ISSUED outgoing letter for a fresh member of the position's branch."""
    from core.lifecycle.models import RelationTransfer

    member = await _person(world, pos.branch, "FULL")
    with tenant_scope(world.tenant_id):
        return await RelationTransfer.create(
            kind="OUTGOING",
            status="ISSUED",
            member_id=member.id,
            from_organization_id=world.orgs[pos.branch].id,
            external_organization="外省某党委",
            issued_on=_today() - dt.timedelta(days=10),
            person={"name": member.name},
        )


def _transfer_gid(transfer: Any) -> str:
    return gid("RelationTransfer", transfer.id)


# ------------------------------------------------------------------ development


async def _none(world, pos):  # noqa: ANN001, ANN202
    return Target({})


async def _one_case(world, pos):  # noqa: ANN001, ANN202
    return Target({"id": _case_gid(await _case(world, pos))})


async def _cases(world, pos):  # noqa: ANN001, ANN202
    case = await _case(world, pos)
    return Target({"member": gid("Member", case.member_id)}, expect=_case_gid(case))


async def _start(world, pos):  # noqa: ANN001, ANN202
    return Target(
        {
            "input": {
                "branchId": world.org_gid(pos.branch),
                "appliedOn": _ago(3),
                "applicant": {"name": f"申请人{seq()}", "birthDate": "1995-05-05", "gender": "MALE"},
            }
        }
    )


async def _record(world, pos):  # noqa: ANN001, ANN202
    case = await _case(world, pos)
    return Target(
        {
            "input": {
                "caseId": _case_gid(case),
                "code": "APPLICATION_TALK",
                "doneOn": _ago(2),
                "actedBy": "支部书记",
            }
        }
    )


async def _extend(world, pos):  # noqa: ANN001, ANN202
    case = await _case(world, pos, status="PROBATIONARY", last=22, probation_ended=True)
    return Target(
        {
            "input": {
                "caseId": _case_gid(case),
                "months": 6,
                "decidedOn": _ago(1),
                "reason": "预备期内表现未完全达到党员条件",
                "vote": VOTE,
            }
        }
    )


async def _close(world, pos):  # noqa: ANN001, ANN202
    case = await _case(world, pos)
    return Target({"input": {"caseId": _case_gid(case), "closedOn": _ago(1), "reason": "本人撤回申请"}})


# ------------------------------------------------------------------ transfers


async def _one_transfer(world, pos):  # noqa: ANN001, ANN202
    return Target({"id": _transfer_gid(await _transfer(world, pos))})


async def _transfers(world, pos):  # noqa: ANN001, ANN202
    transfer = await _transfer(world, pos)
    return Target({"member": gid("Member", transfer.member_id)}, expect=_transfer_gid(transfer))


async def _move(world, pos):  # noqa: ANN001, ANN202
    if world.orgs[pos.org].kind in ("BRANCH", "PARTY_GROUP"):
        return None  # no other branch inside the position's subtree
    target = await fresh_org(world, pos.org, "BRANCH")
    member = await _person(world, pos.branch, "FULL")
    return Target(
        {
            "input": {
                "memberId": gid("Member", member.id),
                "toBranchId": gid("Organization", target.id),
                "transferredOn": _ago(1),
                "reason": "工作调动",
            }
        }
    )


async def _issue(world, pos):  # noqa: ANN001, ANN202
    member = await _person(world, pos.branch, "FULL")
    return Target(
        {
            "input": {
                "memberId": gid("Member", member.id),
                "destination": "外省某党委",
                "issuedOn": _ago(1),
                "letterNumber": f"转出{seq()}",
            }
        }
    )


async def _receive(world, pos):  # noqa: ANN001, ANN202
    return Target(
        {
            "input": {
                "toBranchId": world.org_gid(pos.branch),
                "origin": "外省某党委",
                "issuedOn": _ago(1),
                "person": {"name": f"转入党员{seq()}", "status": "FULL", "gender": "FEMALE"},
            }
        }
    )


async def _complete(world, pos):  # noqa: ANN001, ANN202
    transfer = await _transfer(world, pos)
    return Target({"input": {"id": _transfer_gid(transfer), "completedOn": _ago(1)}})


async def _return(world, pos):  # noqa: ANN001, ANN202
    transfer = await _transfer(world, pos)
    return Target({"input": {"id": _transfer_gid(transfer), "returnedOn": _ago(1), "reason": "对方不予接收"}})


CASE_PAYLOAD = "errors { code } developmentCase { id status }"
TRANSFER_PAYLOAD = "errors { code } transfer { id status }"


def _mutation(field: str, input_type: str, payload: str) -> str:
    return f"mutation($input: {input_type}!) {{ {field}(input: $input) {{ {payload} }} }}"


OPERATIONS = [
    Op("developmentSteps", "query", "{ developmentSteps { code } }", "DEVELOPMENT_READ", "holder", _none),
    Op(
        "developmentCase",
        "query",
        "query($id: ID!) { developmentCase(id: $id) { id status member { id } } }",
        "DEVELOPMENT_READ",
        "tree",
        _one_case,
    ),
    Op(
        "developmentCases",
        "query",
        "query($member: ID!) { developmentCases(first: 100, filter: {memberId: $member}) "
        "{ edges { node { id } } } }",
        "DEVELOPMENT_READ",
        "list",
        _cases,
    ),
    Op(
        "startDevelopmentCase",
        "mutation",
        _mutation("startDevelopmentCase", "StartDevelopmentCaseInput", CASE_PAYLOAD),
        "DEVELOPMENT_MANAGE",
        "tree",
        _start,
    ),
    Op(
        "recordDevelopmentStep",
        "mutation",
        _mutation("recordDevelopmentStep", "RecordDevelopmentStepInput", "errors { code } step { id code }"),
        "DEVELOPMENT_MANAGE",
        "tree",
        _record,
    ),
    Op(
        "extendProbation",
        "mutation",
        _mutation("extendProbation", "ExtendProbationInput", CASE_PAYLOAD),
        "DEVELOPMENT_MANAGE",
        "tree",
        _extend,
    ),
    Op(
        "closeDevelopmentCase",
        "mutation",
        _mutation("closeDevelopmentCase", "CloseDevelopmentCaseInput", CASE_PAYLOAD),
        "DEVELOPMENT_MANAGE",
        "tree",
        _close,
    ),
    Op(
        "relationTransfer",
        "query",
        "query($id: ID!) { relationTransfer(id: $id) { id status } }",
        "TRANSFER_READ",
        "tree",
        _one_transfer,
    ),
    Op(
        "relationTransfers",
        "query",
        "query($member: ID!) { relationTransfers(first: 100, filter: {memberId: $member}) "
        "{ edges { node { id } } } }",
        "TRANSFER_READ",
        "list",
        _transfers,
    ),
    Op(
        "transferMember",
        "mutation",
        _mutation("transferMember", "TransferMemberInput", TRANSFER_PAYLOAD),
        "TRANSFER_MANAGE",
        "tree",
        _move,
        notes="needs TRANSFER_MANAGE on the source and the target branch",
    ),
    Op(
        "issueTransferLetter",
        "mutation",
        _mutation("issueTransferLetter", "IssueTransferLetterInput", TRANSFER_PAYLOAD),
        "TRANSFER_MANAGE",
        "tree",
        _issue,
    ),
    Op(
        "receiveTransferLetter",
        "mutation",
        _mutation("receiveTransferLetter", "ReceiveTransferLetterInput", TRANSFER_PAYLOAD),
        "TRANSFER_MANAGE",
        "tree",
        _receive,
    ),
    Op(
        "completeTransfer",
        "mutation",
        _mutation("completeTransfer", "CompleteTransferInput", TRANSFER_PAYLOAD),
        "TRANSFER_MANAGE",
        "tree",
        _complete,
    ),
    Op(
        "returnTransfer",
        "mutation",
        _mutation("returnTransfer", "ReturnTransferInput", TRANSFER_PAYLOAD),
        "TRANSFER_MANAGE",
        "tree",
        _return,
    ),
]
