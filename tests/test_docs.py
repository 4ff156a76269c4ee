"""The plugin hook reference (docs/plugins.md) documents every hook with its exact signature, and the
error-code reference (docs/errors.md) every error code with its domain and message."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from core import hookspecs

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"
HEADING = re.compile(r"^### `(zhibu_\w+)\(([^)]*)\)`\s*$", re.MULTILINE)


def documented() -> dict[str, str]:
    return {name: args for name, args in HEADING.findall(DOC.read_text(encoding="utf-8"))}


def test_every_documented_hook_exists():
    unknown = set(documented()) - set(hookspecs.HOOK_NAMES)
    assert not unknown, f"docs/plugins.md documents hooks that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("hook", hookspecs.HOOK_NAMES)
def test_hook_is_documented_with_its_exact_signature(hook: str):
    docs = documented()
    assert hook in docs, f"{hook} is not documented in docs/plugins.md"
    params = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
    assert docs[hook] == params, f"docs say {hook}({docs[hook]}), the spec is {hook}({params})"


def test_hooks_are_documented_in_spec_order():
    order = [name for name in documented() if name in hookspecs.HOOK_NAMES]
    assert order == list(hookspecs.HOOK_NAMES)


def test_every_hookspec_has_a_docstring():
    missing = [name for name in hookspecs.HOOK_NAMES if not inspect.getdoc(getattr(hookspecs, name))]
    assert not missing


# --- docs/standards.md: rule code → number (config key) → test -------------------------------------

STANDARDS_DOC = DOC.with_name("standards.md")
TRACE_ROW = re.compile(r"^\| `([A-Z0-9_]+)` \| (\w+) \| (.*?) \| (.*?) \|$", re.MULTILINE)
BUILT_IN = ("rural", "enterprise", "newspaper", "foreign_affairs")


def trace_rows() -> dict[tuple[str, str], tuple[str, str]]:
    text = STANDARDS_DOC.read_text(encoding="utf-8")
    section = text.split("## Traceability", 1)[1].split("\n## ", 1)[0]
    return {(code, origin): (numbers, tests) for code, origin, numbers, tests in TRACE_ROW.findall(section)}


def test_every_rule_code_is_in_the_traceability_table():
    missing = set(_rules()) - set(trace_rows())
    assert not missing, f"docs/standards.md traceability table lacks {sorted(missing)}"


def test_traceability_table_names_existing_config_keys_and_tests():
    from core.plugins import plugin_config_defaults
    from core.tenant_config import CORE_DEFAULTS, deep_merge
    from tests.test_rules import SCENARIOS

    rules = {key: set(rule.config_keys) for key, rule in _rules().items()}
    defaults = deep_merge(CORE_DEFAULTS, plugin_config_defaults(BUILT_IN))
    root = DOC.parent.parent
    for (code, origin), (numbers, tests) in trace_rows().items():
        keys = set(re.findall(r"`([a-z_]+(?:\.[a-z_]+)+)`", numbers))
        for key in keys:
            value = defaults
            for part in key.split("."):
                assert isinstance(value, dict) and part in value, f"{code}: no config key {key}"
                value = value[part]
        declared = rules.get((code, origin))
        assert declared is None or keys == declared, (
            f"{code}: the table says {keys}, the rule reads {declared}"
        )
        refs = re.findall(r"`(tests/[\w/]+\.py)::(\w+)(?:\[(\w+)\])?`", tests)
        assert refs, f"{code} names no test"
        for path, name, param in refs:
            source = (root / path).read_text(encoding="utf-8")
            assert re.search(rf"^(async )?def {name}\(", source, re.MULTILINE), (
                f"{code}: no test {path}::{name}"
            )
            if name == "test_rule_fires_and_clears":
                assert param in SCENARIOS, f"{code}: test_rule_fires_and_clears has no scenario {param}"


def _rules():  # noqa: ANN202
    """(code, "core" or the plugin) → rule, for core and each built-in plugin's tenants."""
    from core.registry import vocabulary_for
    from core.standards.rules import rules_for

    out = {}
    for plugins in [(), *((p,) for p in BUILT_IN)]:
        for rule in rules_for(plugins, vocabulary_for(plugins)):
            out.setdefault((rule.code, rule.plugin or "core"), rule)
    return out


ERRORS_DOC = DOC.with_name("errors.md")
ERROR_SECTION = re.compile(r"^## (\w+ErrorCode)\s*$", re.MULTILINE)
ERROR_ROW = re.compile(r"^\| `([A-Z0-9_]+)` \| (.*) \|\s*$", re.MULTILINE)


def documented_error_codes() -> dict[str, tuple[str, str]]:
    """``{code: (enum name, message)}`` as docs/errors.md lists them (a code listed twice fails)."""
    text = ERRORS_DOC.read_text(encoding="utf-8")
    found: dict[str, tuple[str, str]] = {}
    sections = ERROR_SECTION.split(text)[1:]
    for enum_name, body in zip(sections[::2], sections[1::2], strict=True):
        for code, message in ERROR_ROW.findall(body):
            assert code not in found, f"docs/errors.md lists {code} twice"
            found[code] = (enum_name, message)
    return found


def test_every_error_code_is_documented_and_nothing_else():
    from tests.test_error_codes import builtin_enums

    actual = {m.value: (enum.__name__, m.template) for enum in builtin_enums() for m in enum}
    docs = documented_error_codes()
    missing = sorted(set(actual) - set(docs))
    stale = sorted(set(docs) - set(actual))
    assert not missing, f"codes missing from docs/errors.md: {missing}"
    assert not stale, f"docs/errors.md lists codes that no longer exist: {stale}"
    wrong = {code: (docs[code], actual[code]) for code in actual if docs[code] != actual[code]}
    assert not wrong, f"docs/errors.md has the wrong domain or message (docs, code): {wrong}"
