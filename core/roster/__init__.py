"""The roster (花名册) as a spreadsheet: import from ``.xlsx`` / ``.csv`` and export to ``.xlsx``.

- :mod:`core.roster.columns`: the Chinese columns, shared by import and export;
- :mod:`core.roster.reader`: a file's bytes -> a table of cells, or a typed file error;
- :mod:`core.roster.importer`: validate every row, match members by ID number, apply through the
  member services (one savepoint per row), report row by row;
- :mod:`core.roster.workbook`: the ``.xlsx`` files written (the import report, the export);
- :mod:`core.roster.command`: ``zhibu import members`` / ``zhibu export members``.

See docs/roster.md.
"""
