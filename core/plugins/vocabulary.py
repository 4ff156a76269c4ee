"""Vocabulary contributions: organization kinds, nesting rules, activity kinds, member categories and
member fields, from core's plugins (``core.defaults.vocabulary``) and the enabled plugins."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.plugins.calls import collect_named
from core.plugins.manager import INTERNAL_PLUGINS


def _owned(spec: Any, name: str) -> Any:
    """``spec`` marked as contributed by plugin ``name`` (core's own specs keep ``plugin=None``)."""
    return spec if spec.plugin or name in INTERNAL_PLUGINS else replace(spec, plugin=name)


def plugin_vocabulary(vocabulary: Any, enabled_plugins: tuple[str, ...]) -> None:
    """Extend ``vocabulary`` (a ``core.registry.Vocabulary``) with core's and the enabled plugins'
    kinds, nesting rules, activity kinds, member categories and member fields."""
    for _name, specs in collect_named("zhibu_organization_kinds", enabled_plugins):
        for spec in specs:
            vocabulary.organization_kinds[spec.code] = spec
    for _name, pairs in collect_named("zhibu_nesting_rules", enabled_plugins):
        for parent_kind, child_kind in pairs:
            vocabulary.allow_nesting(parent_kind, child_kind)
    for name, specs in collect_named("zhibu_activity_kinds", enabled_plugins):
        for spec in specs:
            vocabulary.activity_kinds[spec.code] = _owned(spec, name)
    for name, specs in collect_named("zhibu_member_categories", enabled_plugins):
        for spec in specs:
            vocabulary.member_categories[spec.code] = _owned(spec, name)
    for name, specs in collect_named("zhibu_member_fields", enabled_plugins):
        for spec in specs:
            if spec.code in vocabulary.member_fields:
                raise RuntimeError(f"member field {spec.code!r} is declared twice (plugin {name})")
            vocabulary.member_fields[spec.code] = _owned(spec, name)
