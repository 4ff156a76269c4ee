"""GraphQL contributions (``zhibu_graphql``): core's domains (``core.defaults.graphql``) first, then
every installed plugin's, by plugin name."""

from __future__ import annotations

from core.plugins.calls import collect_named
from core.plugins.manager import INTERNAL_PLUGINS


def plugin_graphql_contributions() -> list[tuple[str, dict]]:
    """``(source, {"query", "mutation", "types"})`` of core and every installed plugin.

    A hook may return one contribution or a list of them (core returns one per domain, each with a
    ``source``: its module). Core's come first in registration order, then the plugins' by name (so
    the schema's field order does not depend on the order entry points are discovered in)."""
    named = collect_named("zhibu_graphql", None)
    ordered = [item for item in named if item[0] in INTERNAL_PLUGINS] + sorted(
        (item for item in named if item[0] not in INTERNAL_PLUGINS), key=lambda item: item[0]
    )
    contributions = []
    for name, result in ordered:
        for contribution in result if isinstance(result, list | tuple) else [result]:
            label = name if name in INTERNAL_PLUGINS else f"plugin {name}"
            contributions.append((contribution.get("source", label), dict(contribution)))
    return contributions
