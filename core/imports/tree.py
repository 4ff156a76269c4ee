"""The tenant's organizations by name path (``机关党委/第一党支部``), for the imports that name them.

A cell names an organization by its full name path, by the tail of it (``第一党支部`` or
``机关党委 / 第一党支部``; ``/``, ``／``, ``>`` separate), or by its name alone when that is unique.
One query loads the tenant's organizations.
"""

from __future__ import annotations

import re

from core.guard import current_principal
from core.models import Organization
from core.permissions import Permission


def split_path(text: str) -> list[str]:
    """``"机关党委 / 第一党支部"`` -> ``["机关党委", "第一党支部"]`` (``/``, ``／``, ``>`` separate)."""
    return [s.strip() for s in re.split(r"[/／>＞]", text) if s.strip()]


class OrgTree:
    """The tenant's organizations, resolvable by name path (one query)."""

    def __init__(self, orgs: list[Organization], branch_kinds: frozenset[str]):
        self.by_id = {o.id: o for o in orgs}
        self.branch_kinds = branch_kinds
        self.names: dict[int, list[str]] = {}
        for org in orgs:
            ids = [int(p) for p in org.path.strip("/").split("/") if p]
            self.names[org.id] = [self.by_id[i].name if i in self.by_id else "?" for i in ids]

    def name_path(self, org: Organization) -> str:
        return "/".join(self.names.get(org.id, [org.name]))

    def matching(self, text: str) -> list[Organization]:
        """Organizations whose name path ends with the segments of ``text``."""
        segments = split_path(text)
        if not segments:
            return []
        n = len(segments)
        return [o for o in self.by_id.values() if self.names[o.id][-n:] == segments]

    def groups_of(self, branch_id: int) -> list[Organization]:
        return [
            o
            for o in self.by_id.values()
            if o.parent_id == branch_id and o.kind == "PARTY_GROUP" and o.dissolved_on is None
        ]


def may(permission: Permission, path: str | None) -> bool:
    """Whether the caller (the mutation's principal; none for trusted code) holds ``permission``
    at ``path`` (``None``: tenant-wide)."""
    principal = current_principal()
    return principal is None or principal.allows(permission, path)
