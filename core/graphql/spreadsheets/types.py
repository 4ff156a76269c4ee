"""GraphQL types of the spreadsheet imports: one set of report types per kind, made by one factory
(:func:`report_types`), so every import reports the same way (``MemberImportReport``,
``OrganizationImportReport`` …).

No ``from __future__ import annotations`` here: the factory's classes are local, and strawberry
must see their annotations as objects.
"""

import base64
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from core.graphql.core.mutations import MutationPayload
from core.spreadsheets.importing import ImportMode, ImportReport, RowAction

ImportModeEnum = strawberry.enum(
    ImportMode,
    description="ALL_OR_NOTHING: written only when every row is valid; VALID_ROWS: the valid rows "
    "are written, the others reported.",
)
RowActionEnum = strawberry.enum(
    RowAction, description="What a row does (or would do, when nothing was written)."
)


@dataclass(frozen=True)
class ReportTypes:
    problem: Any
    row: Any
    report: Any


def report_types(prefix: str, *, id_field: str, node: str, what: str, subject: str) -> ReportTypes:
    """``<prefix>ImportProblem``, ``<prefix>ImportRow`` (with ``id_field``, a global ID of ``node``)
    and ``<prefix>ImportReport`` (``what``: "a roster import"; ``subject``: "member")."""

    @strawberry.type(
        name=f"{prefix}ImportProblem",
        description="A problem with one cell (or a whole row, when column is null).",
    )
    class ProblemType:
        row: int = strawberry.field(description="Row number in the sheet (the header is row 1).")
        column: str | None = strawberry.field(description="The column's header as the file writes it.")
        code: str
        message: str

        @classmethod
        def of(cls, problem: Any) -> "ProblemType":
            return cls(row=problem.row, column=problem.column, code=problem.code, message=problem.message)

    @strawberry.type(name=f"{prefix}ImportRow", description="The outcome of one row.")
    class RowType:
        row: int
        action: RowActionEnum
        name: str
        target: relay.GlobalID | None = strawberry.field(
            name=id_field, description=f"The {subject} the row is matched to (or created, when written)."
        )
        changed_columns: list[str] = strawberry.field(description="Columns an update changes.")
        problems: list[ProblemType]

        @classmethod
        def of(cls, outcome: Any) -> "RowType":
            return cls(
                row=outcome.row,
                action=outcome.action,
                name=outcome.name,
                target=relay.GlobalID(node, str(outcome.target_id)) if outcome.target_id else None,
                changed_columns=list(outcome.changed),
                problems=[ProblemType.of(p) for p in outcome.problems],
            )

    @strawberry.type(name=f"{prefix}ImportReport", description=f"Row-by-row result of {what}.")
    class ReportType:
        file_name: str
        format: str = strawberry.field(description="XLSX or CSV.")
        dry_run: bool
        mode: ImportModeEnum
        committed: bool = strawberry.field(description="Whether anything was written.")
        total_rows: int
        created: int
        updated: int
        unchanged: int
        invalid: int
        _report: strawberry.Private[ImportReport]

        @strawberry.field(description="Every data row (blank rows skipped).")
        def rows(self, only_problems: bool = False) -> list[RowType]:
            return [RowType.of(r) for r in self._report.rows if r.problems or not only_problems]

        @strawberry.field(description="Every problem, row by row.")
        def problems(self) -> list[ProblemType]:
            return [ProblemType.of(p) for p in self._report.problems]

        @strawberry.field(
            description="The uploaded rows as an .xlsx (base64) with 导入结果 and 错误说明 columns and the "
            "bad cells marked; fix it and import it again as it is."
        )
        async def report_xlsx(self) -> str:
            import asyncio

            from core.spreadsheets.importing import report_workbook

            data = await asyncio.to_thread(report_workbook, self._report)
            return base64.b64encode(data).decode()

        @classmethod
        def of(cls, report: ImportReport) -> "ReportType":
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

    return ReportTypes(ProblemType, RowType, ReportType)


@dataclass(frozen=True)
class ImportTypes:
    input: Any
    payload: Any
    report: Any


def import_types(plural: str, singular: str, *, file: str, what: str, subject: str) -> ImportTypes:
    """``Import<plural>Input``, ``Import<plural>Payload`` and the report types of one import kind."""
    report_type = report_types(singular, id_field=f"{singular[0].lower()}{singular[1:]}Id", node=singular,
                          what=what, subject=subject).report  # fmt: skip

    @strawberry.input(
        name=f"Import{plural}Input", description=f"{file} (.xlsx or .csv, Chinese headers) to import."
    )
    class Input:
        file: Upload = strawberry.field(
            description="The file, as a multipart upload (GraphQL multipart request)."
        )
        dry_run: bool = strawberry.field(
            default=False, description="Validate every row and report, writing nothing."
        )
        mode: ImportModeEnum = ImportMode.ALL_OR_NOTHING

    @strawberry.type(name=f"Import{plural}Payload")
    class Payload(MutationPayload):
        report: report_type | None = None

    return ImportTypes(Input, Payload, report_type)


MEMBERS = import_types("Members", "Member", file="A roster file", what="a roster import", subject="member")
ORGANIZATIONS = import_types("Organizations", "Organization", file="A file of the organization tree",
                             what="an organization tree import", subject="organization")  # fmt: skip
