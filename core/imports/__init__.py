"""Spreadsheet imports, one module per kind, each an :class:`core.spreadsheets.importing.Importer`:
:mod:`~core.imports.members` (the roster), :mod:`~core.imports.organizations` (the tree), with
:mod:`~core.imports.tree` (organizations by name path) shared. See docs/roster.md.
"""
