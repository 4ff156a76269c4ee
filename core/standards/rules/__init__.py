"""The rule catalogue: core rules (domain §1–§5), calendar rules per activity kind, plugin rules.

:func:`rules_for` gives the rules in force for a tenant, all through the ``zhibu_rules`` hook but the
calendar rules: core's rules (:data:`CORE_RULE_CLASSES`, contributed by ``core.defaults.standards``),
one MISSING and one LATE rule per activity kind with a cycle in the tenant's vocabulary (core's and
plugins' kinds alike), then the enabled plugins' rules. A rule with the code of an earlier rule
replaces it.
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


def calendar_rules(vocabulary: Vocabulary) -> list[Rule]:
    """The calendar rules of the vocabulary's activity kinds."""
    return life.calendar_rules(list(vocabulary.activity_kinds.values()))


def core_rules(vocabulary: Vocabulary) -> list[Rule]:
    """Core's rules (through the hook) plus the calendar rules of the vocabulary's activity kinds."""
    from core.plugins import INTERNAL_PLUGINS, collect_named_from

    hooked = [rule for _, rules in collect_named_from("zhibu_rules", INTERNAL_PLUGINS) for rule in rules]
    return hooked + calendar_rules(vocabulary)


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
    from core.plugins import INTERNAL_PLUGINS, collect_named

    core: list[Rule] = []
    plugins: list[Rule] = []
    for name, rules in collect_named("zhibu_rules", tuple(enabled_plugins)):
        (core if name in INTERNAL_PLUGINS else plugins).extend(rules)
    return merge_rules(merge_rules(core, calendar_rules(vocabulary)), plugins)
