"""The ``zhibu`` command line.

Subcommands live in modules listed in :data:`COMMAND_MODULES`; each has ``register(subparsers)``
which adds its parser(s) with ``set_defaults(func=…)`` (an async function taking ``args``).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import sys
from collections.abc import Sequence

COMMAND_MODULES: tuple[str, ...] = (
    "core.commands.database",
    "core.commands.tenants",
    "core.commands.serve",
    "core.commands.plugins",
    "core.commands.reminders",
    "tenants.demo.command",
    "core.access.command",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhibu", description="支部 — 党支部标准化规范化建设平台")
    parser.add_argument("--db", dest="db_url", default=None, help="database URL (ZHIBU_DB_URL)")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result = args.func(args)
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
