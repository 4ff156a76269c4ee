"""Core-internal plugin (listed in ``core.hookspecs.INTERNAL_PLUGINS``): keeps access policies in
step with the tree and the committees."""

from __future__ import annotations

from typing import Any

from core.plugins import hookimpl


@hookimpl
async def zhibu_committee_seat_changed(seat: Any, organization: Any, ended: bool) -> None:
    """A seat filled grants ORG_SECRETARY / ORG_COMMITTEE at the organization; ended revokes it."""
    from core.access.roles import sync_seat_roles

    await sync_seat_roles(seat, organization, ended)


@hookimpl
async def zhibu_organization_moved(organization: Any, old_path: str, new_path: str) -> None:
    """Policies name paths: rewrite them for the moved subtree."""
    from core.access.roles import sync_tenant_policies

    await sync_tenant_policies(organization.tenant_id)
