"""Mutation fields of the spreadsheet imports: every one runs through :func:`import_mutation`."""

from __future__ import annotations

from typing import Any

import strawberry

from core.error_codes import ImportErrorCode
from core.errors import DomainError
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.errors import UserError
from core.graphql.core.mutations import mutation, run_mutation
from core.graphql.spreadsheets.types import MEMBERS, ORGANIZATIONS
from core.permissions import Permission
from core.spreadsheets import importing
from core.spreadsheets.reader import ImportFileError


async def read_upload_value(value: Any) -> tuple[bytes, str]:
    """(bytes, file name) of an ``Upload`` value: a multipart file (starlette ``UploadFile``) or,
    in-process, anything with an async ``read()``."""
    read = getattr(value, "read", None)
    if read is None:
        raise ImportFileError(ImportErrorCode.IMPORT_FILE_MISSING)
    data = await read()
    if isinstance(data, str):
        data = data.encode()
    return bytes(data), str(getattr(value, "filename", "") or "")


async def import_mutation(info: Info, input: Any, importer_class: Any, types: Any) -> Any:
    """Read the upload (a bad file changes nothing: it is read before the transaction opens), then
    run the import in the mutation's transaction, under its guard and audit trail."""
    try:
        data, filename = await read_upload_value(input.file)
        table = await importing.read_upload(data, filename)
        importer = importer_class(table)
    except DomainError as error:
        return types.payload(errors=[UserError.from_domain(error)])

    async def action() -> dict:
        report = await importing.run_import(
            importer, table, filename, dry_run=input.dry_run, mode=importing.ImportMode(input.mode)
        )
        return {"report": types.report.of(report)}

    return await run_mutation(info, types.payload, action)


@strawberry.type
class Mutation:
    @mutation(
        atomic=False,
        permission=Permission.MEMBER_MANAGE,
        description="Import a roster (.xlsx or .csv with Chinese headers): members matched by ID number "
        "are updated, new ones created; every row is reported. dryRun writes nothing.",
    )
    async def import_members(self, info: Info, input: MEMBERS.input) -> MEMBERS.payload:
        from core.imports.members import MemberImporter

        return await import_mutation(info, input, MemberImporter, MEMBERS)

    @mutation(
        atomic=False,
        permission=Permission.ORG_MANAGE,
        description="Import the organization tree (.xlsx or .csv with Chinese headers): organizations "
        "matched by name path are updated, new ones created (parents may be created by earlier rows); "
        "every row is reported. dryRun writes nothing.",
    )
    async def import_organizations(self, info: Info, input: ORGANIZATIONS.input) -> ORGANIZATIONS.payload:
        from core.imports.organizations import OrganizationImporter

        return await import_mutation(info, input, OrganizationImporter, ORGANIZATIONS)


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(ImportErrorCode),)
