"""Mutation fields of the roster import."""

from __future__ import annotations

from typing import Any

import strawberry

from core.errors import DomainError
from core.graphql.core.context import Info
from core.graphql.core.errors import UserError
from core.graphql.core.mutations import mutation, run_mutation
from core.graphql.roster.types import ImportMembersInput, ImportMembersPayload, MemberImportReport
from core.permissions import Permission
from core.roster import importer
from core.roster.reader import ImportFileError


async def read_upload_value(value: Any) -> tuple[bytes, str]:
    """(bytes, file name) of an ``Upload`` value: a multipart file (starlette ``UploadFile``) or,
    in-process, anything with an async ``read()``."""
    read = getattr(value, "read", None)
    if read is None:
        raise ImportFileError(
            "IMPORT_FILE_MISSING", "请以 multipart 方式上传文件（GraphQL multipart request）"
        )
    data = await read()
    if isinstance(data, str):
        data = data.encode()
    return bytes(data), str(getattr(value, "filename", "") or "")


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.MEMBER_MANAGE,
        description="Import a roster (.xlsx or .csv with Chinese headers): members matched by ID number "
        "are updated, new ones created; every row is reported. dryRun writes nothing.",
    )
    async def import_members(self, info: Info, input: ImportMembersInput) -> ImportMembersPayload:
        try:  # the file is read before the transaction opens (a bad file changes nothing)
            data, filename = await read_upload_value(input.file)
            table = await importer.read_upload(data, filename)
            importer.map_headers(table.headers)
        except DomainError as error:
            return ImportMembersPayload(errors=[UserError.from_domain(error)])

        async def action() -> dict:
            report = await importer.import_table(
                table, filename, dry_run=input.dry_run, mode=importer.ImportMode(input.mode)
            )
            return {"report": MemberImportReport.of(report)}

        return await run_mutation(info, ImportMembersPayload, action)
