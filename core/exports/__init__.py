"""The ``.xlsx`` exports, one module per kind, each defining ``KIND``
(a :class:`core.spreadsheets.exporting.ExportKind`); the mechanism that runs them — parameters,
permission, audit, the HTTP route and the command — is :mod:`core.spreadsheets`. See docs/exports.md.

- :mod:`~core.exports.members`: the roster (花名册), ``MEMBER_READ``;
- :mod:`~core.exports.activities`: 三会一课 and other activities with attendance, ``ACTIVITY_READ``;
- :mod:`~core.exports.dues`: the dues register (党费收缴登记簿), ``DUES_READ``;
- :mod:`~core.exports.scores`: one score run's branch ranking (支部赛马), ``STANDARDS_READ``;
- :mod:`~core.exports.rectification`: 问题清单、任务清单、责任清单, ``RECTIFICATION_READ``;
- :mod:`~core.exports.reports`: quarterly party-work reports (党建工作季度报表), ``ORG_READ``.
"""
