"""Cost of the plugin layer on hot paths: vocabulary, config defaults, rule collection (every call
through pluggy, per tenant through ``subset_hook_caller``).

Run: ``.venv/bin/python bench/plugin_hooks.py``. Prints microseconds per call; no database needed.
"""

from __future__ import annotations

import timeit

from core.plugins import collect, get_plugin_manager, plugin_config_defaults
from core.registry import vocabulary_for
from core.standards.rules import rules_for

ENABLED = ("rural", "enterprise", "newspaper", "foreign_affairs", "hello")


def main() -> None:
    get_plugin_manager()  # load once
    cases = {
        "vocabulary_for(5 plugins)": lambda: vocabulary_for(ENABLED),
        "vocabulary_for(no plugins)": lambda: vocabulary_for(()),
        "plugin_config_defaults(5 plugins)": lambda: plugin_config_defaults(ENABLED),
        'collect("zhibu_rules", 5 plugins)': lambda: collect("zhibu_rules", ENABLED),
        'collect("zhibu_member_fields", 1 plugin)': lambda: collect("zhibu_member_fields", ("rural",)),
        "rules_for(1 plugin)": lambda: rules_for(("rural",), vocabulary_for(("rural",))),
    }
    for name, fn in cases.items():
        number = 2000
        seconds = min(timeit.repeat(fn, number=number, repeat=5))
        print(f"{name:45s} {seconds / number * 1e6:8.1f} µs/call")


if __name__ == "__main__":
    main()
