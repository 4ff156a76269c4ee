"""The plugin's fields under zhibu's contract checks (``core.testing.contract``): the access matrix
over every role and position, another tenant seeing and changing nothing, every mutation audited,
and every root field the plugin contributes listed here."""

from __future__ import annotations

from core.testing.contract import Op, Target, contract_tests


async def _greeting(world, position):  # noqa: ANN001, ANN202
    return Target({})


OPERATIONS = [
    Op("helloGreeting", "query", "{ helloGreeting { text } }", "TENANT_READ", "holder", _greeting),
]

globals().update(contract_tests(OPERATIONS, plugin="hello"))
