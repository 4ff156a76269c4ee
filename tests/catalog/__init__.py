"""The operation catalog: every core and built-in GraphQL root field, how to call it, what it needs.

Each module ``tests/catalog/<domain>.py`` exports ``OPERATIONS: list[Op]``; this package collects
all of them (:func:`catalog`). Three suites walk the catalog:

- ``tests/test_access_matrix.py``: every operation x every role x position (own organization,
  subtree, sibling, ancestor) -> expected allow/deny, derived from the role table;
- ``tests/test_isolation.py``: every operation replayed with another tenant's token and this tenant's
  IDs -> no data, no change (database compared before/after);
- ``tests/test_audit_meta.py``: every mutation in the schema has an entry, and running it leaves an
  audit record. ``test_every_root_field_has_an_entry`` fails for a root field without an entry.

The entry types and the checks are zhibu's test kit (:mod:`core.testing.contract`), which plugins use
for their own fields. See ``tests/catalog/README.md`` for how to add entries.
"""

from __future__ import annotations

import importlib
import pkgutil

from core.testing.contract import Op, Outcome, Position, Target, run  # noqa: F401 (the catalog's vocabulary)


def catalog() -> dict[str, Op]:
    """Every entry of every ``tests/catalog/<domain>.py`` module, by root field name."""
    entries: dict[str, Op] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for op in getattr(module, "OPERATIONS", ()):
            if op.field in entries:
                raise RuntimeError(f"two catalog entries for {op.field}")
            entries[op.field] = op
    return entries
