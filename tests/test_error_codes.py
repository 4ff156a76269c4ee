"""Typed error codes: each code is defined once (a per-domain :class:`~core.errors.ErrorCode` enum
with its zh-CN template), raised by enum member everywhere in core and the built-in plugins, carries
one message wherever it is raised, and appears in the schema as an enum."""

from __future__ import annotations

import ast
from pathlib import Path

import core.error_codes
import plugins.enterprise.error_codes
import plugins.foreign_affairs.error_codes
import plugins.newspaper.error_codes
import plugins.rural.error_codes
from core.errors import ERROR_CODE_ENUMS, CommonErrorCode, DomainError, ErrorCode
from schema import builtin_sdl, get_schema
from tests.core_factories import CREATE_MEMBER, org
from tests.plugin_factories import plugin_client

ROOT = Path(__file__).resolve().parent.parent
BUILTIN_MODULES = (
    core.error_codes,
    plugins.enterprise.error_codes,
    plugins.foreign_affairs.error_codes,
    plugins.newspaper.error_codes,
    plugins.rural.error_codes,
)
#: what takes an error code as its first argument
RAISERS = {"DomainError", "unique_or", "ImportFileError", "InvalidToken"}


def builtin_enums() -> list[type[ErrorCode]]:
    """Core's and the built-in plugins' enums (not the probe's)."""
    found = [CommonErrorCode]
    for module in BUILTIN_MODULES:
        found += [
            v
            for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, ErrorCode) and v is not ErrorCode
        ]
    return found


def _sources() -> list[Path]:
    return sorted([*ROOT.glob("core/**/*.py"), *ROOT.glob("plugins/**/*.py")])


def _raise_calls():
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name in RAISERS:
                    yield path.relative_to(ROOT), node


def test_core_and_builtin_plugins_raise_enum_members_only():
    """No string code and no hand-written message at any raise site (an AST scan)."""
    bad = []
    for path, node in _raise_calls():
        if path == Path("core/errors.py"):
            continue  # the definition and its subclasses
        first = node.args[0] if node.args else None
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if first is None and name == "InvalidToken":
            continue  # its default code is an enum member
        if first is None or isinstance(first, ast.Constant | ast.JoinedStr) or len(node.args) > 1:
            bad.append(f"{path}:{node.lineno}")
    assert not bad, f"raise sites with a string code or an explicit message: {bad}"


#: the modules defining the codes: their string literals are the definitions
DEFINITIONS = {Path("core/errors.py"), *(Path(m.__file__).relative_to(ROOT) for m in BUILTIN_MODULES)}
#: where a request is refused before (or instead of) execution: the transport codes' sites
TRANSPORT_SOURCES = (
    "core/app.py",
    "core/http/*.py",
    "core/spreadsheets/http.py",
    "core/graphql/core/errors.py",
)


def _string_codes(tree: ast.AST, codes: set[str]) -> list[int]:
    """Lines with a string code: a literal equal to a known code, the value of a ``"code"`` key of a
    dict literal, or assigned to ``…["code"]``."""

    def literal(node: ast.AST | None) -> bool:
        return isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Constant) and isinstance(node.value, str)
        )

    def is_code_key(node: ast.AST | None) -> bool:
        return isinstance(node, ast.Constant) and node.value == "code"

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value in codes:
            lines.append(node.lineno)
        elif isinstance(node, ast.Dict):
            lines += [
                v.lineno for k, v in zip(node.keys, node.values, strict=True) if is_code_key(k) and literal(v)
            ]
        elif isinstance(node, ast.Assign) and literal(node.value):
            if any(isinstance(t, ast.Subscript) and is_code_key(t.slice) for t in node.targets):
                lines.append(node.lineno)
    return lines


def test_no_string_codes_in_core_and_builtin_plugins():
    """No code of any built-in enum written as a string anywhere in core and the built-in plugins
    (status maps, code sets, ``extensions``) outside the enum definitions; and no literal code at all
    where the transport layer answers a refused request (``REQUEST_TOO_LARGE``,
    ``GRAPHQL_PARSE_FAILED`` …: ``TransportErrorCode``)."""
    codes = {member.value for enum in builtin_enums() for member in enum}
    transport = {p for pattern in TRANSPORT_SOURCES for p in ROOT.glob(pattern)}
    assert len(transport) >= 6, transport  # the scan finds the transport sites
    bad = []
    for path in _sources():
        where = path.relative_to(ROOT)
        if where in DEFINITIONS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if path in transport:
            bad += [f"{where}:{line}" for line in _string_codes(tree, codes)]
        else:
            bad += [
                f"{where}:{n.lineno}"
                for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and n.value in codes
            ]
    assert not bad, f"string codes (use the enum member): {sorted(set(bad))}"


def test_refused_requests_take_enum_members():
    """``RequestRefused(status, code, **details)``: the code an enum member, the message its template."""
    seen = 0
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "RequestRefused":
                seen += 1
                code = node.args[1] if len(node.args) > 1 else None
                assert isinstance(code, ast.Attribute) and len(node.args) == 2, (
                    f"{path.relative_to(ROOT)}:{node.lineno}"
                )
    assert seen >= 4, seen


def test_raise_sites_pass_every_detail_their_template_uses():
    enums = {e.__name__: e for e in builtin_enums()}
    missing = []
    for path, node in _raise_calls():
        first = node.args[0] if node.args else None
        if not (isinstance(first, ast.Attribute) and isinstance(first.value, ast.Name)):
            continue
        enum = enums.get(first.value.id)
        if enum is None:
            continue
        passed = {k.arg for k in node.keywords}
        if None in passed:
            continue  # **details: checked at run time
        lacking = enum[first.attr].placeholders - passed
        if lacking:
            missing.append(f"{path}:{node.lineno} {first.attr} lacks {sorted(lacking)}")
    assert not missing, missing


def test_each_code_is_defined_once_with_a_template():
    seen: dict[str, str] = {}
    for enum in builtin_enums():
        assert ERROR_CODE_ENUMS[enum.__name__] is enum
        assert enum.__name__.endswith("ErrorCode")
        for member in enum:
            assert member.value == member.name, member
            assert member.template.strip(), member
            assert member.value not in seen, f"{member.value} in {enum.__name__} and {seen[member.value]}"
            seen[member.value] = enum.__name__
    assert len(seen) > 150


def test_message_comes_from_the_template():
    from core.error_codes import OrganizationErrorCode

    error = DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="id", name="第一党支部")
    assert (error.code, error.message, error.field) == ("ORG_DISSOLVED", "组织“第一党支部”已撤销", "id")
    assert error.error_code is OrganizationErrorCode.ORG_DISSOLVED
    try:
        DomainError(OrganizationErrorCode.ORG_DISSOLVED, "另写的消息")
    except TypeError:
        pass
    else:
        raise AssertionError("an enum code with an explicit message must be refused")


def test_string_codes_still_work_but_are_deprecated():
    import pytest

    with pytest.deprecated_call():
        error = DomainError("THIRD_PARTY_CODE", "第三方插件的消息")
    assert (error.code, error.message, error.error_code) == ("THIRD_PARTY_CODE", "第三方插件的消息", None)


def test_every_enum_is_in_the_committed_schema():
    sdl = builtin_sdl()
    for enum in builtin_enums():
        assert f"enum {enum.__name__} {{" in sdl, enum.__name__
        for member in enum:
            assert f"  {member.value}\n" in sdl, member


async def test_same_code_same_message_from_different_sites():
    """ORG_DISSOLVED raised by three services (update, dissolve, create member) reads the same."""
    _, admin = await plugin_client()
    committee = await org(admin, "PARTY_COMMITTEE", "机关党委")
    branch = await org(admin, "BRANCH", "第三党支部", committee)
    dissolve = """mutation($input: DissolveOrganizationInput!) {
      dissolveOrganization(input: $input) { errors { code message field codeEnum } } }"""
    update = """mutation($input: UpdateOrganizationInput!) {
      updateOrganization(input: $input) { errors { code message field codeEnum } } }"""
    await admin.mutate(dissolve, input={"id": branch["id"], "dissolvedOn": "2025-01-01"})
    errors = [
        (await admin.ok(dissolve, input={"id": branch["id"]}))["dissolveOrganization"]["errors"],
        (await admin.ok(update, input={"id": branch["id"], "name": "新名称"}))["updateOrganization"][
            "errors"
        ],
    ]
    created = await admin.ok(
        CREATE_MEMBER.replace("errors { code message field }", "errors { code message field codeEnum }"),
        input={"name": "李四", "branchId": branch["id"]},
    )
    errors.append(created["createMember"]["errors"])
    expected = {
        "code": "ORG_DISSOLVED",
        "message": "组织“第三党支部”已撤销",
        "codeEnum": "OrganizationErrorCode",
    }
    for (error,) in errors:
        assert {k: error[k] for k in expected} == expected


async def test_plugin_registers_its_own_error_enum():
    """The probe plugin defines ProbeErrorCode in its package and returns it from zhibu_graphql."""
    assert "enum ProbeErrorCode {" in get_schema().as_str()
    assert "ProbeErrorCode" not in builtin_sdl()
    _, client = await plugin_client("probe")
    payload = (
        await client.ok(
            """mutation { updatePluginConfig(input: {name: "probe", patch: {greeting: "再见"}}) {
              errors { code message field codeEnum } } }"""
        )
    )["updatePluginConfig"]
    assert payload["errors"] == [
        {
            "code": "PROBE_GREETING_FAREWELL",
            "message": "问候语“再见”是告别语，不能用作问候",
            "field": "probe.greeting",
            "codeEnum": "ProbeErrorCode",
        }
    ]
    config = (await client.ok("{ tenant { config } }"))["tenant"]["config"]
    assert config["probe"] == {"greeting": "你好"}  # refused: nothing changed


async def test_query_errors_name_their_enum_too():
    from core.principal import Principal
    from core.testing import GraphQLClient

    operator = GraphQLClient(Principal.platform_operator(label="运营人员"))
    result = await operator.execute("{ tenant { name } }")
    (error,) = result.errors
    assert error.extensions["code"] == "PERMISSION_DENIED"
    assert error.extensions["codeEnum"] == "CommonErrorCode"
    assert error.message == "平台运营人员不能访问单位数据"


#: the import sites that take a report row's code, and the position of the code among their arguments
ROW_CODE_SITES = {"problem": 2, "CellError": 1}


def test_import_rows_report_enum_members_only():
    """A report row's code at every import site (``Importer.problem``, ``CellError``, a
    ``fallback_keys`` dict) is an enum member, never a string literal (an AST scan of core/imports
    and core/spreadsheets)."""
    bad, seen = [], 0
    for path in sorted([*ROOT.glob("core/imports/*.py"), *ROOT.glob("core/spreadsheets/*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                position = ROW_CODE_SITES.get(name)
                if position is None:
                    continue
                seen += 1
                code = node.args[position] if len(node.args) > position else None
                code = next((k.value for k in node.keywords if k.arg == "code"), code)
                if isinstance(code, ast.Constant | ast.JoinedStr):
                    bad.append(f"{where}:{node.lineno}")
            elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(getattr(t, "id", None) == "fallback_keys" for t in targets):
                    seen += 1
                    bad += [f"{where}:{k.lineno}" for k in node.value.keys if isinstance(k, ast.Constant)]
    assert seen > 20, seen  # the scan finds the sites
    assert not bad, f"import sites with a string code: {bad}"


def test_import_row_codes_are_typed():
    """``problem`` and ``CellError`` take an enum member; the report shows its plain value."""
    import inspect

    from core.spreadsheets.importing import CellError, Importer

    assert inspect.signature(Importer.problem).parameters["code"].annotation == "ErrorCode"
    assert inspect.signature(CellError).parameters["code"].annotation == "ErrorCode"
    error = CellError("该格有误")
    assert error.code is CommonErrorCode.INVALID_INPUT and error.code == "INVALID_INPUT"
