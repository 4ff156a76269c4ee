"""The plugin hook reference (docs/plugins.md) documents every hook with its exact signature."""

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
