"""Roster export (花名册) as ``.xlsx``: the members a caller may read, masked as GraphQL masks them.

:func:`roster_rows` applies the same rules as the ``members`` query: only rosters of branches where
the caller holds ``MEMBER_READ`` (filtered in SQL), optionally one subtree and some statuses (default:
everyone still attached, APPLICANT … FULL); the phone and ID number in the clear only where
:func:`core.services.members.sees_sensitive` says so (``138****5678`` elsewhere). A constant number
of statements whatever the size: the members with their branch and group, their categories, the
names of the branches' ancestors. :func:`core.roster.workbook.roster_workbook` writes the file —
the columns of the import (an unmasked export imports back unchanged).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from core.errors import NotFound, PermissionDenied
from core.models import Member, MemberCategoryAssignment, MemberStatus, Organization
from core.models.member import ACTIVE_STATUSES
from core.permissions import Permission
from core.principal import Principal
from core.services import members as member_service

_CHUNK = 500
GENDER_LABELS = {"MALE": "男", "FEMALE": "女"}


@dataclass
class RosterExport:
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: rows whose phone / ID number were masked for the caller
    masked: int = 0
    title: str = "党员花名册"


async def roster_rows(
    principal: Principal | None,
    *,
    subtree_of: int | None = None,
    statuses: list[MemberStatus] | None = None,
) -> RosterExport:
    """The roster rows ``principal`` may read (``None``: trusted code — everything, unmasked)."""
    from core.graphql.core.fields import path_filter
    from core.services.organizations import current_vocabulary, get_organization

    query = Member.filter(status__in=[str(s) for s in (statuses or ACTIVE_STATUSES)])
    if principal is not None:
        prefixes = principal.prefixes(Permission.MEMBER_READ)
        if prefixes == ():
            raise PermissionDenied("没有查看党员名册的权限（MEMBER_READ）", permission="MEMBER_READ")
        if prefixes is not None:
            query = query.filter(path_filter(prefixes, "branch__path"))
    title = "党员花名册"
    if subtree_of is not None:
        try:
            root = await get_organization(subtree_of)
        except NotFound:
            raise NotFound("组织", subtree_of, field="subtreeOf") from None
        query = query.filter(branch__path__startswith=root.path)
        title = f"{root.name}党员花名册" if not root.name.endswith("花名册") else root.name
    members = await query.select_related("branch", "party_group").order_by("branch__path", "id")

    ids = [m.id for m in members]
    categories: dict[int, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), _CHUNK):
        rows = await MemberCategoryAssignment.filter(member_id__in=ids[start : start + _CHUNK]).values_list(
            "member_id", "category"
        )
        for member_id, code in sorted(rows):
            categories[member_id].append(code)
    ancestor_ids = {int(p) for m in members for p in m.branch.path.strip("/").split("/") if p}
    names: dict[int, str] = {}
    ancestor_list = sorted(ancestor_ids)
    for start in range(0, len(ancestor_list), _CHUNK):
        chunk = ancestor_list[start : start + _CHUNK]
        names.update(dict(await Organization.filter(id__in=chunk).values_list("id", "name")))
    vocabulary = await current_vocabulary()
    order = {code: i for i, code in enumerate(vocabulary.member_categories)}  # the vocabulary's order

    export = RosterExport(title=title)
    for member in members:
        path = member.branch.path
        clear = principal is None or member_service.sees_sensitive(principal, member.id, path)
        if not clear:
            export.masked += 1
        codes = sorted(categories[member.id], key=lambda c: (order.get(c, len(order)), c))
        labels = [
            vocabulary.member_categories[c].label if c in vocabulary.member_categories else c for c in codes
        ]
        export.rows.append(
            {
                "name": member.name,
                "gender": GENDER_LABELS.get(str(member.gender or ""), ""),
                "id_number": (member.id_number if clear else member_service.mask_id_number(member.id_number))
                or "",
                "birth_date": member.birth_date,
                "ethnicity": member.ethnicity,
                "education": member.education,
                "branch": "/".join(names.get(int(p), "?") for p in path.strip("/").split("/") if p),
                "party_group": member.party_group.name if member.party_group else "",
                "status": member_service.STATUS_LABELS[MemberStatus(member.status)],
                "categories": "、".join(labels),
                "joined_on": member.joined_on,
                "confirmed_on": member.confirmed_on,
                "phone": member.phone if clear else member_service.mask_phone(member.phone),
            }
        )
    return export


def export_filename(tenant_slug: str, today: dt.date | None = None) -> str:
    return f"花名册-{tenant_slug}-{(today or dt.date.today()).isoformat()}.xlsx"
