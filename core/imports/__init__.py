"""Spreadsheet imports, one module per kind, each an :class:`core.spreadsheets.importing.Importer`:
:mod:`~core.imports.members` (the roster). See docs/roster.md.
"""
