"""Every setting is declared once, read somewhere and documented in docs/settings.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.settings import SPECS, SettingError, get_settings, settings_table

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    path
    for folder in ("core", "plugins", "tenants", "schema", "tests", "examples", "bench", "migrations")
    for path in (ROOT / folder).rglob("*.py")
    if ".venv" not in path.parts
] + [ROOT / "Makefile", ROOT / ".ci" / "run"]
VARIABLE = re.compile(r"\bZHIBU_[A-Z0-9_]+\b")


def test_every_variable_the_code_uses_is_declared():
    declared = {spec.env for spec in SPECS}
    used = {name: path for path in SOURCES for name in VARIABLE.findall(path.read_text(encoding="utf-8"))}
    undeclared = {name: str(path.relative_to(ROOT)) for name, path in used.items() if name not in declared}
    assert not undeclared, f"declare these in core/settings.py SPECS: {undeclared}"


def test_every_declared_setting_is_read():
    code = {path: path.read_text(encoding="utf-8") for path in SOURCES if path.suffix == ".py"}
    settings_module = (ROOT / "core" / "settings.py").read_text(encoding="utf-8")
    unread = []
    for spec in SPECS:
        attribute = re.compile(rf"\.{spec.attribute}\b")
        if not any(attribute.search(text) for path, text in code.items() if path.name != "settings.py"):
            if f'values["{spec.attribute}"]' not in settings_module:
                unread.append(spec.env)
    assert not unread, f"declared but never read: {unread}"


def test_the_settings_table_is_documented_verbatim():
    docs = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert settings_table() in docs, "docs/settings.md is stale: paste settings_table() into it"


def test_bad_values_name_their_variable():
    with pytest.raises(SettingError, match="ZHIBU_MAX_PAGE_SIZE must be between 1 and 1000"):
        get_settings({"ZHIBU_MAX_PAGE_SIZE": "0"})
    with pytest.raises(SettingError, match="ZHIBU_LOG_FORMAT must be one of text, json"):
        get_settings({"ZHIBU_LOG_FORMAT": "xml"})
    settings = get_settings({"ZHIBU_DEBUG": "0"})
    assert any("ZHIBU_SECRET_KEY is not set" in problem for problem in settings.production_problems())
    assert get_settings({"ZHIBU_SECRET_KEY": "k" * 40}).production_problems() == []


def test_the_previous_key_verifies_only_inside_its_window():
    import datetime as dt

    settings = get_settings(
        {
            "ZHIBU_SECRET_KEY": "n" * 40,
            "ZHIBU_PREVIOUS_SECRET_KEY": "o" * 40,
            "ZHIBU_PREVIOUS_SECRET_KEY_UNTIL": "2027-01-01T00:00:00+08:00",
        }
    )
    inside = dt.datetime(2026, 12, 31, tzinfo=dt.UTC)
    after = dt.datetime(2027, 1, 2, tzinfo=dt.UTC)
    assert settings.signing_keys(inside) == ["n" * 40, "o" * 40]
    assert settings.signing_keys(after) == ["n" * 40]
