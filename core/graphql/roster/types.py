"""GraphQL types of the roster import."""

from __future__ import annotations

import base64

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from core.graphql.core.mutations import MutationPayload
from core.roster.importer import ImportMode, ImportReport, Problem, RowAction, RowOutcome

MemberImportMode = strawberry.enum(
    ImportMode,
    description="ALL_OR_NOTHING: written only when every row is valid; VALID_ROWS: the valid rows "
    "are written, the others reported.",
)
MemberImportAction = strawberry.enum(
    RowAction, description="What a row does (or would do, when nothing was written)."
)


@strawberry.input(description="A roster file (.xlsx or .csv, Chinese headers) to import.")
class ImportMembersInput:
    file: Upload = strawberry.field(
        description="The file, as a multipart upload (GraphQL multipart request)."
    )
    dry_run: bool = strawberry.field(
        default=False, description="Validate every row and report, writing nothing."
    )
    mode: MemberImportMode = ImportMode.ALL_OR_NOTHING


@strawberry.type(description="A problem with one cell (or a whole row, when column is null).")
class MemberImportProblem:
    row: int = strawberry.field(description="Row number in the sheet (the header is row 1).")
    column: str | None = strawberry.field(description="The column's header as the file writes it.")
    code: str
    message: str

    @classmethod
    def of(cls, problem: Problem) -> MemberImportProblem:
        return cls(row=problem.row, column=problem.column, code=problem.code, message=problem.message)


@strawberry.type(description="The outcome of one row.")
class MemberImportRow:
    row: int
    action: MemberImportAction
    name: str
    member_id: relay.GlobalID | None = strawberry.field(
        description="The member the row is matched to (or created, when written)."
    )
    changed_columns: list[str] = strawberry.field(description="Columns an update changes.")
    problems: list[MemberImportProblem]

    @classmethod
    def of(cls, outcome: RowOutcome) -> MemberImportRow:
        return cls(
            row=outcome.row,
            action=outcome.action,
            name=outcome.name,
            member_id=relay.GlobalID("Member", str(outcome.member_id)) if outcome.member_id else None,
            changed_columns=list(outcome.changed),
            problems=[MemberImportProblem.of(p) for p in outcome.problems],
        )


@strawberry.type(description="Row-by-row result of a roster import.")
class MemberImportReport:
    file_name: str
    format: str = strawberry.field(description="XLSX or CSV.")
    dry_run: bool
    mode: MemberImportMode
    committed: bool = strawberry.field(description="Whether anything was written.")
    total_rows: int
    created: int
    updated: int
    unchanged: int
    invalid: int
    _report: strawberry.Private[ImportReport]

    @strawberry.field(description="Every data row (blank rows skipped).")
    def rows(self, only_problems: bool = False) -> list[MemberImportRow]:
        return [MemberImportRow.of(r) for r in self._report.rows if r.problems or not only_problems]

    @strawberry.field(description="Every problem, row by row.")
    def problems(self) -> list[MemberImportProblem]:
        return [MemberImportProblem.of(p) for p in self._report.problems]

    @strawberry.field(
        description="The uploaded rows as an .xlsx (base64) with 导入结果 and 错误说明 columns and the bad "
        "cells marked; fix it and import it again as it is."
    )
    async def report_xlsx(self) -> str:
        import asyncio

        from core.roster.workbook import report_workbook

        data = await asyncio.to_thread(report_workbook, self._report)
        return base64.b64encode(data).decode()

    @classmethod
    def of(cls, report: ImportReport) -> MemberImportReport:
        return cls(
            file_name=report.filename,
            format=report.format,
            dry_run=report.dry_run,
            mode=report.mode,
            committed=report.committed,
            total_rows=len(report.rows),
            created=report.count(RowAction.CREATE),
            updated=report.count(RowAction.UPDATE),
            unchanged=report.count(RowAction.UNCHANGED),
            invalid=report.count(RowAction.INVALID),
            _report=report,
        )


@strawberry.type
class ImportMembersPayload(MutationPayload):
    report: MemberImportReport | None = None
