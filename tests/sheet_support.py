"""Helpers for the spreadsheet tests: the app over HTTP with real tokens, workbooks opened with
openpyxl, the command line in a subprocess, and a small tenant every export test starts from."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook

from core.testing.world import PASSWORD, make_user
from tests.core_factories import db_id, id_number, member, tree

ROOT = Path(__file__).resolve().parent.parent
LOGIN = """
mutation($input: LoginInput!) { login(input: $input) { errors { code } accessToken } }
"""


async def token_for(http, tenant, username) -> str:  # noqa: ANN001
    response = await http.post(
        "/graphql",
        json={
            "query": LOGIN,
            "variables": {"input": {"tenant": tenant.slug, "username": username, "password": PASSWORD}},
        },
    )
    payload = response.json()["data"]["login"]
    assert payload["errors"] == [], payload
    return payload["accessToken"]


class Caller:
    """GET an export as one signed-in user."""

    def __init__(self, http, token: str):  # noqa: ANN001
        self.http, self.headers = http, {"authorization": f"Bearer {token}"}

    async def get(self, what: str, /, **params: Any) -> httpx.Response:
        return await self.http.get(f"/export/{what}.xlsx", params=params, headers=self.headers)

    async def book(self, what: str, /, **params: Any):  # noqa: ANN201
        response = await self.get(what, **params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
        return open_book(response.content)

    async def refused(
        self, what: str, status: int, code: str, field: str | None = None, /, **params: Any
    ) -> None:
        response = await self.get(what, **params)
        assert response.status_code == status, response.text
        extensions = response.json()["errors"][0]["extensions"]
        assert extensions["code"] == code, extensions
        if field is not None:
            assert extensions["field"] == field, extensions


async def caller(http, tenant, username) -> Caller:  # noqa: ANN001
    return Caller(http, await token_for(http, tenant, username))


def open_book(content: bytes):  # noqa: ANN201
    return load_workbook(io.BytesIO(content))


def values(sheet) -> list[list[Any]]:  # noqa: ANN001
    return [[c.value for c in row] for row in sheet.iter_rows()]


def records(sheet) -> list[dict[str, Any]]:  # noqa: ANN001
    """The sheet's data rows by header."""
    header, *rows = values(sheet)
    return [dict(zip(header, row, strict=True)) for row in rows]


def cell(sheet, row: int, header: str):  # noqa: ANN001, ANN201
    """The cell of data row ``row`` (1 = the first under the header) in the column ``header``."""
    headers = [c.value for c in sheet[1]]
    return sheet.cell(row=row + 1, column=headers.index(header) + 1)


def assert_proper(sheet) -> None:  # noqa: ANN001
    """Frozen, filtered header row; no formula anywhere."""
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    for row in sheet.iter_rows():
        for c in row:
            assert c.data_type != "f", c.coordinate


def zhibu(*args: str) -> subprocess.CompletedProcess:
    """Run ``zhibu --db <test db> …`` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "core.cli", "--db", os.environ["ZHIBU_DB_URL"], *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def small_tenant(admin, tenant) -> dict[str, Any]:  # noqa: ANN001
    """机关党委 ⊃ 第一党支部 (with 第一党小组) and 第二党支部; 李红 in the first, 王强 in the second;
    accounts: admin, a secretary of the first branch, an inspector at the committee, 李红 as a plain
    member, and an account without any role."""
    t = await tree(admin)
    li = await member(
        admin,
        t["branch"],
        "李红",
        partyGroupId=t["group"]["id"],
        idNumber=id_number(),
        phone="13812345678",
        joinedOn="2010-07-01",
    )
    wang = await member(
        admin, t["other"], "王强", idNumber=id_number(), phone="13900001111", joinedOn="2012-07-01"
    )
    await make_user(tenant.id, "admin", role="TENANT_ADMIN")
    await make_user(tenant.id, "branch-secretary", role="ORG_SECRETARY", org_id=db_id(t["branch"]))
    await make_user(tenant.id, "inspector", role="ORG_INSPECTOR", org_id=db_id(t["committee"]))
    await make_user(tenant.id, "plain-member", member_id=db_id(li))
    await make_user(tenant.id, "nobody")
    return {**t, "li": li, "wang": wang}
