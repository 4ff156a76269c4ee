"""Roster export (花名册): the members a caller may read, masked as GraphQL masks them.

The same rules as the ``members`` query: only rosters of branches where the caller holds
``MEMBER_READ`` (filtered in SQL), optionally one subtree and some statuses (default: everyone still
attached, APPLICANT … FULL); the phone and ID number in the clear only where
:func:`core.services.members.sees_sensitive` says so (``138****5678`` elsewhere). A constant number
of statements whatever the size: the members with their branch and group, their categories, the
names of the branches' ancestors. The columns are the import's (an unmasked export imports back
unchanged).
"""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Subquery

from core.imports.members import COLUMNS
from core.models import Member, MemberCategoryAssignment, MemberStatus
from core.models.member import ACTIVE_STATUSES
from core.permissions import Permission
from core.principal import Principal
from core.services import members as member_service
from core.services.organizations import subtree_root
from core.spreadsheets.columns import TEXT_KINDS
from core.spreadsheets.exporting import (
    SUBTREE_OF,
    Export,
    ExportKind,
    NamePaths,
    choice_param,
    within,
)
from core.spreadsheets.xlsx import CODE, DATE, NUMBER, TEXT, Col, Sheet

_FIELDS = ("id", "name", "gender", "id_number", "birth_date", "ethnicity", "education", "status",
           "joined_on", "confirmed_on", "phone")  # fmt: skip
GENDER_LABELS = {"MALE": "男", "FEMALE": "女"}
SHEET = [Col("序号", 6, NUMBER)] + [
    Col(c.header, c.width, CODE if c.kind in TEXT_KINDS else DATE if c.kind == "date" else TEXT)
    for c in COLUMNS
]


async def roster_rows(
    principal: Principal | None, *, subtree_of: int | None = None, status: list[str] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """The roster rows ``principal`` may read (``None``: trusted code — everything, unmasked), by
    column key, and how many of them were masked. Rows are read as values, not model objects (a
    60,000-member roster costs seconds less)."""
    from core.services.organizations import current_vocabulary

    statuses = [str(s) for s in (status or ACTIVE_STATUSES)]
    query = within(Member.filter(status__in=statuses), principal, Permission.MEMBER_READ, "branch__path")
    root = await subtree_root(subtree_of, "subtreeOf")
    if root is not None:
        query = query.filter(branch__path__startswith=root.path)
    members = await query.order_by("branch__path", "id").values(*_FIELDS, "branch__path", "party_group__name")
    categories: dict[int, list[str]] = {}
    assigned = MemberCategoryAssignment.filter(member_id__in=Subquery(query.values("id")))
    for member_id, code in sorted(await assigned.values_list("member_id", "category")):
        categories.setdefault(member_id, []).append(code)
    names = await NamePaths.load({m["branch__path"] for m in members})
    vocabulary = await current_vocabulary()
    order = {code: i for i, code in enumerate(vocabulary.member_categories)}  # the vocabulary's order

    rows, masked = [], 0
    for member in members:
        path = member["branch__path"]
        clear = principal is None or member_service.sees_sensitive(principal, member["id"], path)
        masked += not clear
        codes = sorted(categories.get(member["id"], ()), key=lambda c: (order.get(c, len(order)), c))
        labels = [
            vocabulary.member_categories[c].label if c in vocabulary.member_categories else c for c in codes
        ]
        number, phone = member["id_number"], member["phone"]
        rows.append(
            {
                **member,
                "gender": GENDER_LABELS.get(str(member["gender"] or ""), ""),
                "id_number": (number if clear else member_service.mask_id_number(number)) or "",
                "branch": names(path),
                "party_group": member["party_group__name"] or "",
                "status": member_service.STATUS_LABELS[MemberStatus(member["status"])],
                "categories": "、".join(labels),
                "phone": phone if clear else member_service.mask_phone(phone),
            }
        )
    return rows, masked


async def build(principal: Principal | None, *, subtree_of: int | None, status: list[str]) -> Export:
    rows, masked = await roster_rows(principal, subtree_of=subtree_of, status=status)
    table = [[number, *(row[c.key] for c in COLUMNS)] for number, row in enumerate(rows, 1)]
    return Export(
        title="花名册",
        sheets=[Sheet("花名册", SHEET, table)],
        rows=len(rows),
        masked=masked,
        target_id=subtree_of,
    )


KIND = ExportKind(
    name="members",
    operation="exportMembers",
    target="MemberExport",
    permission=Permission.MEMBER_READ,
    help="the roster (花名册)",
    params=(
        SUBTREE_OF,
        choice_param("status", "--status", MemberStatus, "FULL, PROBATIONARY … (default: all on the roster)"),
    ),
    build=build,
)
