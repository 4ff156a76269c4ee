"""Committees through GraphQL: terms, one live term, seats, vacancies, size limit, events."""

from __future__ import annotations

import datetime as dt

import pytest

from core import plugins
from core.models import AuditRecord, CommitteeSeat, CommitteeTerm
from core.tenancy import tenant_scope
from tests.core_factories import db_id, member, org, tree

START = """
mutation($input: StartCommitteeTermInput!) {
  startCommitteeTerm(input: $input) {
    errors { code message field }
    term { id startsOn endsOn closedOn isLive seats { id role member { name } source }
           vacantSeats { role roleLabel seat { id } } }
  }
}
"""
APPOINT = """
mutation($input: AppointCommitteeSeatInput!) {
  appointCommitteeSeat(input: $input) { errors { code } seat { id role isVacant member { name } } }
}
"""
END = """
mutation($input: EndCommitteeSeatInput!) {
  endCommitteeSeat(input: $input) {
    errors { code } seat { endedOn } vacancy { id role isVacant } term { vacantSeats { role } }
  }
}
"""
FILL = """
mutation($input: FillVacancyInput!) {
  fillVacancy(input: $input) {
    errors { code } seat { member { name } startedOn } term { vacantSeats { role } }
  }
}
"""
ORG_TERMS = """
query($id: ID!) {
  organization(id: $id) {
    committeeTerms { startsOn closedOn isLive }
    currentCommittee { startsOn seats { roleLabel member { name } } }
  }
}
"""


@pytest.fixture
def seat_events(monkeypatch):
    """Record the committee-seat events the services fire."""
    events: list[tuple] = []
    original = plugins.notify

    async def spy(hook_name, **kwargs):  # noqa: ANN001, ANN003, ANN202
        if hook_name == "zhibu_committee_seat_changed":
            events.append((kwargs["seat"].role, kwargs["seat"].member_id, kwargs["ended"]))
        await original(hook_name, **kwargs)

    monkeypatch.setattr("core.services.committees.notify", spy)
    return events


async def branch_with_people(admin, n: int = 6):
    t = await tree(admin)
    people = [await member(admin, t["branch"], f"委员{i}") for i in range(n)]
    return t, people


async def test_start_term_defaults_and_seats(admin, tenant, seat_events):
    t, people = await branch_with_people(admin)
    payload = await admin.mutate(
        START,
        input={
            "organizationId": t["branch"]["id"],
            "startsOn": "2024-03-01",
            "seats": [
                {"role": "SECRETARY", "memberId": people[0]["id"]},
                {"role": "DISCIPLINE", "memberId": people[1]["id"], "source": "APPOINTED"},
                {"role": "PUBLICITY"},
            ],
        },
    )
    term = payload["term"]
    assert term["endsOn"] == "2027-03-01" and term["isLive"]  # 3 years from tenant config
    assert [s["role"] for s in term["seats"]] == ["SECRETARY", "DISCIPLINE", "PUBLICITY"]
    assert term["vacantSeats"] == [
        {"role": "PUBLICITY", "roleLabel": "宣传委员", "seat": {"id": term["seats"][2]["id"]}}
    ]
    assert seat_events == [("SECRETARY", db_id(people[0]), False), ("DISCIPLINE", db_id(people[1]), False)]
    # a party committee's term is 5 years
    payload = await admin.mutate(
        START, input={"organizationId": t["committee"]["id"], "startsOn": "2024-03-01"}
    )
    assert payload["term"]["endsOn"] == "2029-03-01"
    assert payload["term"]["vacantSeats"] == [{"role": "SECRETARY", "roleLabel": "书记", "seat": None}]
    # a community organization serves 5 years whatever its kind (committee.term_years_by_sector)
    community = await org(admin, "GENERAL_BRANCH", "某社区党总支", t["committee"], sector="COMMUNITY")
    payload = await admin.mutate(START, input={"organizationId": community["id"], "startsOn": "2024-03-01"})
    assert payload["term"]["endsOn"] == "2029-03-01"


async def test_new_term_closes_the_live_one(admin, tenant, seat_events):
    t, people = await branch_with_people(admin)
    branch = t["branch"]["id"]
    first = await admin.mutate(
        START,
        input={
            "organizationId": branch,
            "startsOn": "2021-01-10",
            "seats": [{"role": "SECRETARY", "memberId": people[0]["id"]}],
        },
    )
    # a second live term cannot be started in the past of the live one
    code = await admin.error_code(START, input={"organizationId": branch, "startsOn": "2020-12-01"})
    assert code == "COMMITTEE_TERM_OVERLAP"
    await admin.mutate(
        START,
        input={
            "organizationId": branch,
            "startsOn": "2024-01-10",
            "seats": [{"role": "SECRETARY", "memberId": people[1]["id"]}],
        },
    )
    data = await admin.ok(ORG_TERMS, id=branch)
    assert data["organization"]["committeeTerms"] == [
        {"startsOn": "2024-01-10", "closedOn": None, "isLive": True},
        {"startsOn": "2021-01-10", "closedOn": "2024-01-10", "isLive": False},
    ]
    assert data["organization"]["currentCommittee"]["seats"] == [
        {"roleLabel": "书记", "member": {"name": "委员1"}}
    ]
    with tenant_scope(tenant.id):
        assert await CommitteeTerm.filter(organization_id=db_id(t["branch"]), closed_on=None).count() == 1
        old_seat = await CommitteeSeat.get(term_id=db_id(first["term"]))
        assert old_seat.ended_on == dt.date(2024, 1, 10)
    assert ("SECRETARY", db_id(people[0]), True) in seat_events


async def test_a_second_live_term_is_impossible_in_the_database(admin, tenant):
    from tortoise.exceptions import IntegrityError
    from tortoise.transactions import in_transaction

    t, _ = await branch_with_people(admin, 1)
    await admin.mutate(START, input={"organizationId": t["branch"]["id"], "startsOn": "2024-01-01"})
    org_id = db_id(t["branch"])
    with tenant_scope(tenant.id), pytest.raises(IntegrityError):
        async with in_transaction():
            await CommitteeTerm.create(
                organization_id=org_id,
                starts_on=dt.date(2025, 1, 1),
                ends_on=dt.date(2028, 1, 1),
                live_organization_id=org_id,
            )


async def test_term_refusals(admin, tenant):
    t, people = await branch_with_people(admin, 9)
    outsider = await member(admin, t["other"], "外支部党员")
    probationer = await member(admin, t["branch"], "预备党员", status="PROBATIONARY")
    branch = t["branch"]["id"]
    cases = [
        ({"organizationId": t["group"]["id"], "startsOn": "2024-01-01"}, "COMMITTEE_NOT_ALLOWED"),
        ({"organizationId": branch, "startsOn": "2024-01-01", "endsOn": "2023-01-01"}, "INVALID_INPUT"),
        (
            {
                "organizationId": branch,
                "startsOn": "2024-01-01",
                "seats": [{"role": "SECRETARY"}, {"role": "SECRETARY"}],
            },
            "COMMITTEE_SECRETARY_DUPLICATE",
        ),
        (
            {
                "organizationId": branch,
                "startsOn": "2024-01-01",
                "seats": [{"role": "SECRETARY", "memberId": outsider["id"]}],
            },
            "COMMITTEE_MEMBER_NOT_IN_ORG",
        ),
        (
            {
                "organizationId": branch,
                "startsOn": "2024-01-01",
                "seats": [{"role": "MEMBER", "memberId": probationer["id"]}],
            },
            "COMMITTEE_MEMBER_NOT_FULL",
        ),
        (
            {
                "organizationId": branch,
                "startsOn": "2024-01-01",
                "seats": [
                    {"role": "SECRETARY", "memberId": people[0]["id"]},
                    {"role": "MEMBER", "memberId": people[0]["id"]},
                ],
            },
            "COMMITTEE_MEMBER_DUPLICATE",
        ),
        (
            {
                "organizationId": branch,
                "startsOn": "2024-01-01",
                "seats": [
                    {"role": "MEMBER", "memberId": p["id"]} for p in people[:8]
                ],  # over the hard max of 7
            },
            "COMMITTEE_TOO_MANY_SEATS",
        ),
    ]
    for variables, expected in cases:
        assert await admin.error_code(START, input=variables) == expected, variables
    with tenant_scope(tenant.id):
        assert await CommitteeTerm.all().count() == 0 and await CommitteeSeat.all().count() == 0
        assert not await AuditRecord.filter(operation="startCommitteeTerm").exists()


async def test_appoint_end_and_fill_vacancy(admin, tenant, seat_events):
    t, people = await branch_with_people(admin)
    payload = await admin.mutate(
        START,
        input={
            "organizationId": t["branch"]["id"],
            "startsOn": "2024-01-01",
            "seats": [{"role": "SECRETARY", "memberId": people[0]["id"]}],
        },
    )
    term_id = payload["term"]["id"]
    seat_id = payload["term"]["seats"][0]["id"]
    appointed = await admin.mutate(
        APPOINT, input={"termId": term_id, "role": "DEPUTY_SECRETARY", "memberId": people[1]["id"]}
    )
    assert appointed["seat"]["member"]["name"] == "委员1"
    code = await admin.error_code(
        APPOINT, input={"termId": term_id, "role": "SECRETARY", "memberId": people[2]["id"]}
    )
    assert code == "COMMITTEE_SECRETARY_DUPLICATE"

    ended = await admin.mutate(END, input={"seatId": seat_id, "endedOn": "2025-02-01"})
    assert ended["seat"]["endedOn"] == "2025-02-01"
    assert ended["vacancy"]["role"] == "SECRETARY" and ended["vacancy"]["isVacant"]
    assert ended["term"]["vacantSeats"] == [{"role": "SECRETARY"}]
    assert await admin.error_code(END, input={"seatId": seat_id}) == "COMMITTEE_SEAT_ENDED"
    assert await admin.error_code(
        FILL, input={"seatId": appointed["seat"]["id"], "memberId": people[3]["id"]}
    ) == ("COMMITTEE_SEAT_NOT_VACANT")
    filled = await admin.mutate(
        FILL, input={"seatId": ended["vacancy"]["id"], "memberId": people[2]["id"], "startedOn": "2025-03-01"}
    )
    assert filled["seat"] == {"member": {"name": "委员2"}, "startedOn": "2025-03-01"}
    assert filled["term"]["vacantSeats"] == []
    assert seat_events[-2:] == [("SECRETARY", db_id(people[0]), True), ("SECRETARY", db_id(people[2]), False)]
    with tenant_scope(tenant.id):
        ops = set(await AuditRecord.all().values_list("operation", flat=True))
    assert {"startCommitteeTerm", "appointCommitteeSeat", "endCommitteeSeat", "fillVacancy"} <= ops


async def test_member_leaving_vacates_their_seat(admin, tenant):
    t, people = await branch_with_people(admin)
    await admin.mutate(
        START,
        input={
            "organizationId": t["branch"]["id"],
            "startsOn": "2024-01-01",
            "seats": [{"role": "SECRETARY", "memberId": people[0]["id"]}],
        },
    )
    await admin.mutate(
        "mutation($input: UpdateMemberInput!) { updateMember(input: $input) { errors { code } } }",
        input={"id": people[0]["id"], "status": "DECEASED"},
    )
    data = await admin.ok(
        """query($id: ID!) { organization(id: $id) {
          currentCommittee { seats { member { name } } vacantSeats { role seat { id } } }
        } }""",
        id=t["branch"]["id"],
    )
    committee = data["organization"]["currentCommittee"]
    assert committee["seats"] == [{"member": None}]
    assert committee["vacantSeats"][0]["role"] == "SECRETARY" and committee["vacantSeats"][0]["seat"]


async def test_committee_term_query_is_permission_checked(admin, tenant):
    from core.principal import Principal
    from tests.support import GraphQLClient

    t, _ = await branch_with_people(admin, 1)
    payload = await admin.mutate(START, input={"organizationId": t["branch"]["id"], "startsOn": "2024-01-01"})
    query = "query($id: ID!) { committeeTerm(id: $id) { startsOn organization { name } } }"
    data = await admin.ok(query, id=payload["term"]["id"])
    assert data["committeeTerm"] == {"startsOn": "2024-01-01", "organization": {"name": "第一党支部"}}
    other = GraphQLClient(
        Principal(tenant_id=tenant.id, grants={"COMMITTEE_READ": (t["other"]["path"],), "ORG_READ": ("/",)})
    )
    result = await other.execute(query, id=payload["term"]["id"])
    assert result.errors[0].extensions["code"] == "PERMISSION_DENIED"


async def test_moving_to_another_branch_ends_the_old_branch_seat_only(admin, tenant, seat_events):
    t, people = await branch_with_people(admin)
    await admin.mutate(
        START,
        input={
            "organizationId": t["branch"]["id"],
            "startsOn": "2024-01-01",
            "seats": [{"role": "SECRETARY", "memberId": people[0]["id"]}],
        },
    )
    await admin.mutate(
        START,
        input={
            "organizationId": t["committee"]["id"],
            "startsOn": "2024-01-01",
            "seats": [{"role": "SECRETARY", "memberId": people[0]["id"]}],
        },
    )
    await admin.mutate(
        "mutation($input: UpdateMemberInput!) { updateMember(input: $input) { errors { code } } }",
        input={"id": people[0]["id"], "branchId": t["other"]["id"]},
    )
    query = """query($b: ID!, $c: ID!) {
      b: organization(id: $b) { currentCommittee { seats { member { name } } vacantSeats { role } } }
      c: organization(id: $c) { currentCommittee { seats { member { name } } } }
    }"""
    data = await admin.ok(query, b=t["branch"]["id"], c=t["committee"]["id"])
    # the branch lost its secretary (a vacancy); the committee above still has them
    assert data["b"]["currentCommittee"] == {
        "seats": [{"member": None}],
        "vacantSeats": [{"role": "SECRETARY"}],
    }
    assert data["c"]["currentCommittee"]["seats"] == [{"member": {"name": "委员0"}}]
    assert seat_events[-1] == ("SECRETARY", db_id(people[0]), True)


async def test_dissolving_an_organization_closes_its_live_term(admin, tenant):
    committee = await org(admin, "PARTY_COMMITTEE", "党委")
    branch = await org(admin, "BRANCH", "临时撤并支部", committee)
    await admin.mutate(START, input={"organizationId": branch["id"], "startsOn": "2024-01-01"})
    await admin.mutate(
        "mutation($input: DissolveOrganizationInput!) "
        "{ dissolveOrganization(input: $input) { errors { code } } }",
        input={"id": branch["id"], "dissolvedOn": "2025-06-30"},
    )
    data = await admin.ok(
        "query($id: ID!) { organization(id: $id) { currentCommittee { id } committeeTerms { closedOn } } }",
        id=branch["id"],
    )
    assert data["organization"] == {"currentCommittee": None, "committeeTerms": [{"closedOn": "2025-06-30"}]}


SIZE_FINDINGS = """query($s: ID!) {
  findings(scopeId: $s, from: "2025-01-01", to: "2025-12-31", ruleCodes: ["COMMITTEE_SIZE"]) {
    severity message numbers } }"""
CONFIG = """mutation($patch: JSON!) {
  updateTenantConfig(input: {patch: $patch}) { errors { code field } tenant { config } } }"""


async def test_committee_size_6_to_7_is_info_more_than_7_is_an_error(admin, tenant):
    """COMMITTEE_SIZE for a branch with 7+ full members: 3–5 seats are fine, 6–7 are INFO (一般应为3至5人),
    more than 7 is an ERROR; startCommitteeTerm/appointCommitteeSeat refuse an 8th seat. The numbers
    come from tenant config (organization.committee_min/_max/_hard_max_seats)."""
    sizes = (await admin.ok("{ tenant { config } }"))["tenant"]["config"]["organization"]
    low, high, hard = (
        sizes[k] for k in ("committee_min_seats", "committee_max_seats", "committee_hard_max_seats")
    )
    assert (low, high, hard) == (3, 5, 7)
    t, people = await branch_with_people(admin, 10)
    branch = t["branch"]["id"]
    roles = ["SECRETARY", "DEPUTY_SECRETARY", "ORGANIZATION", "PUBLICITY", "DISCIPLINE"]
    payload = await admin.mutate(
        START,
        input={
            "organizationId": branch,
            "startsOn": "2025-01-10",
            "seats": [{"role": r, "memberId": p["id"]} for r, p in zip(roles, people, strict=False)],
        },
    )
    term = payload["term"]["id"]
    assert (await admin.ok(SIZE_FINDINGS, s=branch))["findings"] == []  # 5 = committee_max_seats

    async def add_seat(person: dict) -> None:
        await admin.mutate(APPOINT, input={"termId": term, "role": "MEMBER", "memberId": person["id"]})

    for n, person in ((high + 1, people[5]), (hard, people[6])):  # 6 and 7 seats
        await add_seat(person)
        (finding,) = (await admin.ok(SIZE_FINDINGS, s=branch))["findings"]
        assert finding["severity"] == "INFO" and finding["numbers"]["people"] == n
        assert f"一般应为{low}至{high}人" in finding["message"]
    # an 8th seat is refused while the hard maximum is 7
    code = await admin.error_code(
        APPOINT, input={"termId": term, "role": "MEMBER", "memberId": people[7]["id"]}
    )
    assert code == "COMMITTEE_TOO_MANY_SEATS"
    # a committee of 8 seated under a larger limit is an ERROR once the limit is 7 again
    await admin.mutate(CONFIG, patch={"organization": {"committee_hard_max_seats": 9}})
    await add_seat(people[7])
    (finding,) = (await admin.ok(SIZE_FINDINGS, s=branch))["findings"]
    assert (finding["severity"], finding["numbers"]["people"]) == ("INFO", 8)
    await admin.mutate(CONFIG, patch={"organization": {"committee_hard_max_seats": hard}})
    (finding,) = (await admin.ok(SIZE_FINDINGS, s=branch))["findings"]
    assert (finding["severity"], finding["numbers"]["people"], finding["numbers"]["hard_max"]) == (
        "ERROR",
        8,
        7,
    )
    assert f"超过{hard}人" in finding["message"]
