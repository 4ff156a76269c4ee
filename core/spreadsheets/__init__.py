"""Spreadsheets in and out: the one mechanism every import and export uses.

- :mod:`core.spreadsheets.reader`: a file's bytes -> a table of cells, or a typed file error;
- :mod:`core.spreadsheets.columns`: Chinese headers with their variants, checked as a set;
- :mod:`core.spreadsheets.importing`: the import engine (rows read, planned, applied through the
  domain services one savepoint each, dry runs, all-or-nothing or valid rows, the report);
- :mod:`core.spreadsheets.exporting`: the export engine (parameters, permission, audit);
- :mod:`core.spreadsheets.xlsx`: every ``.xlsx`` zhibu writes;
- :mod:`core.spreadsheets.http`: ``GET /export/<kind>.xlsx``;
- :mod:`core.spreadsheets.command`: ``zhibu import <kind>``, ``zhibu export <kind>``.

The kinds: :mod:`core.imports` (members, organizations) and :mod:`core.exports`. See docs/roster.md
and docs/exports.md.
"""
