"""Core's GraphQL domains (``zhibu_graphql``): one contribution per domain module, in this order."""

from __future__ import annotations

import importlib
from typing import Any

from core.hookspecs import hookimpl

#: Core GraphQL domains, each a module with optional ``Query`` and ``Mutation`` types (and
#: ``EXTRA_TYPES``). Their order is the order of the root fields in the SDL.
DOMAINS: tuple[str, ...] = (
    "core.graphql.tenants.schema",
    "core.graphql.organizations.schema",
    "core.graphql.standards.schema",
    "core.graphql.development.schema",
    "core.graphql.transfers.schema",
    "core.graphql.appraisal.schema",
    "core.graphql.dual_life.schema",
    "core.graphql.dues.schema",
    "core.graphql.reminders.schema",
    "core.graphql.members.schema",
    "core.graphql.spreadsheets.schema",
    "core.graphql.committees.schema",
    "core.graphql.activities.schema",
    "core.graphql.plugins.schema",
    "core.graphql.rectification.schema",
    "core.graphql.acceptance.schema",
    "core.graphql.access.schema",
    "core.graphql.audit.schema",
    "core.graphql.statistics.schema",
    "core.graphql.reports.schema",
    "core.graphql.coverage.schema",
)


@hookimpl
def zhibu_graphql() -> Any:
    """A contribution per core domain, named after its module (the ``source`` in clash errors)."""
    contributions = []
    for module_name in DOMAINS:
        module = importlib.import_module(module_name)
        contributions.append(
            {
                "source": module_name,
                "query": getattr(module, "Query", None),
                "mutation": getattr(module, "Mutation", None),
                "types": list(getattr(module, "EXTRA_TYPES", ())),
            }
        )
    return contributions
