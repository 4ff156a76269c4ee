"""Committee term lengths (任期): the one place the default term of ``startCommitteeTerm`` and the
``COMMITTEE_TERM_LENGTH`` rule both read.

The numbers are tenant config, section ``committee``:

- ``term_years_by_sector``: the organization's sector (领域) first — village and community
  organizations serve 5 years (Party rules: 村、社区党组织每届任期5年);
- ``term_years_by_kind``: then its kind — grassroots committees (党的基层委员会, ``PARTY_COMMITTEE``)
  serve 5 years;
- ``term_years``: everything else — branches and general branches serve 3 years (the seed).

Plugins extend the two maps with a ``ConfigSchema(section="committee", defaults={...})`` (e.g. a
kind of their own with its own term); tenants change the numbers with ``updateTenantConfig``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def term_years(config: Mapping[str, Any], kind: str, sector: str | None) -> int:
    """Years of a committee term of an organization of ``kind`` in ``sector`` under ``config``
    (the tenant's effective config)."""
    committee = config["committee"]
    by_sector = committee.get("term_years_by_sector") or {}
    if sector and sector in by_sector:
        return int(by_sector[sector])
    by_kind = committee.get("term_years_by_kind") or {}
    if kind in by_kind:
        return int(by_kind[kind])
    return int(committee["term_years"])


def term_config_key(config: Mapping[str, Any], kind: str, sector: str | None) -> str:
    """The config key that decided ``term_years`` (shown in findings)."""
    committee = config["committee"]
    if sector and sector in (committee.get("term_years_by_sector") or {}):
        return f"committee.term_years_by_sector.{sector}"
    if kind in (committee.get("term_years_by_kind") or {}):
        return f"committee.term_years_by_kind.{kind}"
    return "committee.term_years"
