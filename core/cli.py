"""The ``zhibu`` command line.

Subcommands live in modules listed in :data:`COMMAND_MODULES`; each has ``register(subparsers)``
which adds its parser(s) with ``set_defaults(func=…)`` (an async function taking ``args``).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
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
    "core.commands.worker",
    "core.commands.graphiql",
    "tenants.demo.command",
    "core.access.command",
    "core.spreadsheets.command",
)


DB_HELP = "database URL (default: ZHIBU_DB_URL)"


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    """Give every (nested) subcommand the global options too, so they work after it as well."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                sub.add_argument("--db", dest="db_url", default=argparse.SUPPRESS, help=DB_HELP)
                _add_global_options(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhibu", description="支部 — 党支部标准化规范化建设平台")
    parser.add_argument("--db", dest="db_url", default=None, help=DB_HELP)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    _add_global_options(parser)
    return parser


def iso_date(text: str) -> dt.date:
    """argparse type: a YYYY-MM-DD date (a usage error otherwise)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    from core.settings import SettingError, get_settings

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        get_settings()
    except SettingError as error:
        parser.error(str(error))
    result = args.func(args)
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
