"""Catalog entries of the statistics domain."""

from __future__ import annotations

from tests.catalog import Op, Target


async def _scope(world, pos):  # noqa: ANN001, ANN202
    return Target({"scope": world.org_gid(pos.org), "from": "2025-01-01", "to": "2025-12-31"})


OPERATIONS = [
    Op(
        "statistics",
        "query",
        "query($scope: ID, $from: Date!, $to: Date!) { statistics(scopeId: $scope, from: $from, to: $to) "
        "{ from members { total } dues { bills } } }",
        "ORG_READ",
        "tree",
        _scope,
    ),
]
