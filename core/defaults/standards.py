"""Core's standardization rules (domain §1–§5, ``zhibu_rules``) and the baseline scorer
(``zhibu_scorers``). The calendar rules follow from the tenant's activity kinds
(``core.standards.rules.rules_for``), core's and plugins' alike."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookimpl


@hookimpl
def zhibu_rules() -> Any:
    from core.standards.rules import CORE_RULE_CLASSES

    return [cls() for cls in CORE_RULE_CLASSES]


@hookimpl
def zhibu_scorers() -> Any:
    from core.standards.scoring import BaselineScorer

    return [BaselineScorer()]
