"""Who is calling, and what they may do where in the tree.

A :class:`Principal` answers two questions the GraphQL layer asks:

- ``allows(permission, path)``: may the caller do ``permission`` on the organization at ``path``
  (a materialized path; ``None`` for tenant-wide things)?
- ``prefixes(permission)``: which subtrees (path prefixes) may the caller do it on, so list queries
  filter in SQL; ``None`` means the whole tenant.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.permissions import Permission


@dataclass(frozen=True)
class Principal:
    """The caller of one request."""

    tenant_id: int | None
    user_id: int | None = None
    label: str = ""
    #: permission -> path prefixes it is granted on ("/" = the whole tenant)
    grants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the caller's own member record, if any (for MEMBER self-access)
    member_id: int | None = None
    is_platform_operator: bool = False
    #: signed in with an initial or reset password: only the password change is open
    must_change_password: bool = False

    def prefixes(self, permission: Permission | str) -> tuple[str, ...] | None:
        """Path prefixes ``permission`` is granted on; ``None`` = whole tenant; ``()`` = nowhere."""
        granted = self.grants.get(str(permission), ())
        if "/" in granted:
            return None
        return granted

    def allows(self, permission: Permission | str, path: str | None = None) -> bool:
        granted = self.grants.get(str(permission), ())
        if "/" in granted:
            return True
        if path is None:
            return False
        return any(path.startswith(prefix) for prefix in granted)

    @classmethod
    def tenant_admin(cls, tenant_id: int, *, user_id: int | None = None, label: str = "") -> Principal:
        """A principal holding every tenant permission on the whole tenant (the installed plugins'
        permissions included)."""
        from core.access.roles import Role, role_permissions

        return cls(
            tenant_id=tenant_id,
            user_id=user_id,
            label=label or "tenant-admin",
            grants={permission: ("/",) for permission in role_permissions()[Role.TENANT_ADMIN]},
        )

    @classmethod
    def platform_operator(cls, *, user_id: int | None = None, label: str = "") -> Principal:
        return cls(
            tenant_id=None,
            user_id=user_id,
            label=label or "platform-operator",
            grants={p.value: ("/",) for p in Permission if p.value.startswith("PLATFORM_")},
            is_platform_operator=True,
        )
