"""The rule catalogue: core rules (domain §1–§5), calendar rules per activity kind, plugin rules.

:func:`rules_for` gives the rules in force for a tenant: the core rules, one MISSING and one LATE
rule per activity kind with a cycle in the tenant's vocabulary (plugin kinds included), then the
enabled plugins' ``zhibu_rules()``. A plugin rule with the code of an earlier rule replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.registry import Vocabulary
from core.standards.api import Rule
from core.standards.rules import assessment, committee, life, members, organization, support

CORE_RULE_CLASSES: tuple[type[Rule], ...] = (
    *organization.RULES,
    *committee.RULES,
    *life.RULES,
    *members.RULES,
    *support.RULES,
    *assessment.RULES,
)


def core_rules(vocabulary: Vocabulary) -> list[Rule]:
    """Core rules plus the calendar rules of the vocabulary's activity kinds."""
    return [cls() for cls in CORE_RULE_CLASSES] + life.calendar_rules(
        list(vocabulary.activity_kinds.values())
    )


def merge_rules(base: Iterable[Rule], extra: Iterable[Rule]) -> list[Rule]:
    """``base`` with ``extra`` appended; an extra rule with an existing code replaces that rule."""
    merged: dict[str, Rule] = {}
    for rule in base:
        merged[rule.code] = rule
    for rule in extra:
        if not isinstance(rule, Rule) or not rule.code:
            raise TypeError(f"zhibu_rules must return core.standards.api.Rule objects, got {rule!r}")
        merged[rule.code] = rule
    return list(merged.values())


def rules_for(enabled_plugins: Iterable[str], vocabulary: Vocabulary) -> list[Rule]:
    """The rules in force for a tenant with ``enabled_plugins``."""
    from core.plugins import collect

    return merge_rules(core_rules(vocabulary), collect("zhibu_rules", tuple(enabled_plugins)))
