"""An async Casbin adapter over the ``access_casbin_rule`` table, bound to ONE tenant.

pycasbin's async adapter interfaces (``AsyncAdapter``, ``AsyncFilteredAdapter``,
``AsyncBatchAdapter``) are implemented with tortoise queries of :class:`CasbinRule`, which is a
tenant-owned model: every read and write is scoped by the tenant the adapter is bound to, so an
enforcer built on it can only ever hold that tenant's policies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from casbin.persist.adapters.asyncio import AsyncAdapter, AsyncBatchAdapter, AsyncFilteredAdapter

from core.access.models import CasbinRule
from core.tenancy import tenant_scope

_COLUMNS = ("v0", "v1", "v2", "v3", "v4", "v5")
Rule = tuple[str, str, str, str, str]  # ptype, v0..v3 (g lines leave v3 empty)


@dataclass(frozen=True)
class TenantFilter:
    """The only filter this adapter accepts: one tenant."""

    tenant_id: int


def _values(rule: Sequence[str]) -> dict[str, str]:
    return {column: str(value) for column, value in zip(_COLUMNS, rule, strict=False)}


def _line(row: CasbinRule) -> list[str]:
    values = [getattr(row, c) for c in _COLUMNS]
    while values and values[-1] == "":
        values.pop()
    return values


class TenantCasbinAdapter(AsyncAdapter, AsyncFilteredAdapter, AsyncBatchAdapter):
    """Loads and stores the Casbin lines of the tenant ``tenant_id`` only."""

    def __init__(self, tenant_id: int):
        self.tenant_id = int(tenant_id)

    # -- loading ---------------------------------------------------------------------------
    def is_filtered(self) -> bool:  # called synchronously by casbin's CoreEnforcer
        return True

    async def load_policy(self, model) -> None:  # noqa: ANN001
        """Load this tenant's lines (never anyone else's)."""
        await self.load_filtered_policy(model, TenantFilter(self.tenant_id))

    async def load_filtered_policy(self, model, filter: TenantFilter) -> None:  # noqa: ANN001, A002
        if getattr(filter, "tenant_id", None) != self.tenant_id:
            raise ValueError("a tenant adapter loads only its own tenant's policies")
        with tenant_scope(self.tenant_id):
            rows = await CasbinRule.all().order_by("id")
        # stored lines are unique (the sync diffs): append directly instead of casbin's
        # add_policy, whose duplicate check makes loading quadratic
        for row in rows:
            model.model[row.ptype[0]][row.ptype].policy.append(_line(row))

    # -- writing ---------------------------------------------------------------------------
    async def save_policy(self, model) -> bool:  # noqa: ANN001
        """Replace this tenant's lines by the model's."""
        rules: list[tuple[str, list[str]]] = []
        for sec in ("p", "g"):
            for ptype, assertion in model.model.get(sec, {}).items():
                rules.extend((ptype, list(rule)) for rule in assertion.policy)
        with tenant_scope(self.tenant_id):
            await CasbinRule.all().delete()
            await CasbinRule.bulk_create([CasbinRule(ptype=p, **_values(r)) for p, r in rules])
        return True

    async def add_policy(self, sec: str, ptype: str, rule: Sequence[str]) -> bool:
        return await self.add_policies(sec, ptype, [rule])

    async def add_policies(self, sec: str, ptype: str, rules: Iterable[Sequence[str]]) -> bool:
        with tenant_scope(self.tenant_id):
            await CasbinRule.bulk_create([CasbinRule(ptype=ptype, **_values(r)) for r in rules])
        return True

    async def remove_policy(self, sec: str, ptype: str, rule: Sequence[str]) -> bool:
        return await self.remove_policies(sec, ptype, [rule])

    async def remove_policies(self, sec: str, ptype: str, rules: Iterable[Sequence[str]]) -> bool:
        removed = 0
        with tenant_scope(self.tenant_id):
            for rule in rules:
                removed += await CasbinRule.filter(ptype=ptype, **_values(rule)).delete()
        return removed > 0

    async def remove_filtered_policy(
        self, sec: str, ptype: str, field_index: int, *field_values: str
    ) -> bool:
        filters = {_COLUMNS[field_index + i]: value for i, value in enumerate(field_values) if value != ""}
        with tenant_scope(self.tenant_id):
            return await CasbinRule.filter(ptype=ptype, **filters).delete() > 0

    # -- helpers for the policy sync -----------------------------------------------------------
    async def stored_rules(self) -> dict[Rule, int]:
        """Every stored line as ``(ptype, v0, v1, v2, v3)`` -> row id."""
        with tenant_scope(self.tenant_id):
            rows = await CasbinRule.all().values_list("id", "ptype", "v0", "v1", "v2", "v3")
        return {(p, a, b, c, d): rule_id for rule_id, p, a, b, c, d in rows}

    async def insert(self, rules: Sequence[Rule]) -> None:
        if rules:
            with tenant_scope(self.tenant_id):
                await CasbinRule.bulk_create(
                    [CasbinRule(ptype=p, v0=a, v1=b, v2=c, v3=d) for p, a, b, c, d in rules]
                )

    async def delete_ids(self, ids: Sequence[int]) -> None:
        if ids:
            with tenant_scope(self.tenant_id):
                await CasbinRule.filter(id__in=list(ids)).delete()
