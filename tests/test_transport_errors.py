"""The request's own refusals over HTTP (the real app): each ``TransportErrorCode`` (and
``INVALID_INPUT`` for a malformed request) with its status, its one message and its extensions."""

from __future__ import annotations

import json
import logging

from core.error_codes import TransportErrorCode
from core.errors import CommonErrorCode
from tests.support import make_tenant
from tests.test_production import admin_token, post, production_client


def only_error(body: dict) -> dict:
    assert body["data"] is None, body
    (error,) = body["errors"]
    return error


async def test_request_too_large_for_a_body_names_its_byte_limit(monkeypatch):
    monkeypatch.setenv("ZHIBU_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("ZHIBU_MAX_UPLOAD_BYTES", "4096")
    expected = {"code": "REQUEST_TOO_LARGE", "limit": 2048, "unit": "BYTES"}
    async with production_client() as client:
        status, body = await post(client, "{ tenant { " + "name " * 1000 + "} }")  # Content-Length
        assert status == 413
        error = only_error(body)
        assert error == {"message": "请求体过长（上限 2048 字节）", "extensions": expected}

        async def chunks():  # streamed, no Content-Length: refused as it passes the limit
            for _ in range(10):
                yield b" " * 1000

        response = await client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        assert only_error(response.json()) == error

        # a multipart upload has its own limit
        operations = {"query": "mutation($f: Upload!) { x(f: $f) }", "variables": {"f": None}}
        response = await client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.f"]})},
            files={"0": ("花名册.xlsx", b"x" * 5000, "application/octet-stream")},
        )
        assert response.status_code == 413
        assert only_error(response.json()) == {
            "message": "请求体过长（上限 4096 字节）",
            "extensions": {"code": "REQUEST_TOO_LARGE", "limit": 4096, "unit": "BYTES"},
        }


async def test_request_too_large_for_a_document_names_its_character_limit(monkeypatch):
    monkeypatch.setenv("ZHIBU_MAX_DOCUMENT_CHARS", "1000")
    async with production_client() as client:
        status, body = await post(client, '{ tenant(x: "' + "x" * 1000 + '") { name } }')
        assert status == 413
        assert only_error(body) == {
            "message": "GraphQL 文档过长（上限 1000 个字符）",
            "extensions": {"code": "REQUEST_TOO_LARGE", "limit": 1000, "unit": "CHARACTERS"},
        }
        # the same code, the same template: only the details differ
        assert only_error(body)["message"] == TransportErrorCode.REQUEST_TOO_LARGE.message(
            what="GraphQL 文档", limit=1000, unit_label="个字符"
        )


async def test_parse_failures_read_the_same_before_and_in_the_parser():
    async with production_client() as client:
        status, body = await post(client, "{")  # graphql's parser
        assert status == 200
        error = only_error(body)
        assert error["message"] == "GraphQL 文档无法解析：Syntax Error: Expected Name, found <EOF>."
        assert error["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}
        # refused by the scan before the parser (HTTP 400), the same code and template
        status, body = await post(client, "{ " + "a { " * 100 + "b" + " }" * 100 + " }")
        assert status == 400
        assert only_error(body) == {
            "message": "GraphQL 文档无法解析：文档嵌套超过 64 层",
            "extensions": {"code": "GRAPHQL_PARSE_FAILED"},
        }
        status, body = await post(client, "{ tenant { " + "name " * 5000 + "} }")
        assert status == 400
        assert only_error(body) == {
            "message": "GraphQL 文档无法解析：Document contains more than 4000 tokens. Parsing aborted.",
            "extensions": {"code": "GRAPHQL_PARSE_FAILED"},
        }


async def test_validation_failures_carry_graphqls_reason():
    async with production_client() as client:
        status, body = await post(client, "{ nope }")
        assert status == 200
        error = only_error(body)
        assert error["message"] == "GraphQL 文档未通过校验：Cannot query field 'nope' on type 'Query'."
        assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
        _, body = await post(client, "{ __schema { queryType { name } } }")  # anonymous: no introspection
        assert body["data"] is None and body["errors"]  # one error per field asked for
        for error in body["errors"]:
            assert error["message"].startswith(
                "GraphQL 文档未通过校验：GraphQL introspection has been disabled"
            )
            assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_internal_errors_are_masked_with_the_request_id(monkeypatch, caplog):
    from core.graphql.tenants.types import Tenant

    tenant = await make_tenant()
    async with production_client() as client:
        token = await admin_token(client, tenant)

        def broken(*args, **kwargs):  # noqa: ANN002, ANN003
            raise RuntimeError("secret detail of a bug")

        monkeypatch.setattr(Tenant, "from_row", broken)
        with caplog.at_level(logging.ERROR, logger="zhibu.graphql"):
            status, body = await post(
                client, "{ tenant { name } }", token=token, headers={"x-request-id": "r-7"}
            )
    assert status == 200
    error = only_error(body)
    assert error["message"] == "服务器内部错误" == TransportErrorCode.INTERNAL_SERVER_ERROR.message()
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "r-7"}
    assert "secret detail" not in json.dumps(body, ensure_ascii=False)
    assert any("secret detail" in r.getMessage() for r in caplog.records)  # logged, not shown


async def test_malformed_requests_get_invalid_input_with_the_reason():
    async with production_client() as client:
        response = await client.post("/graphql", content=b"query=x", headers={"content-type": "text/plain"})
        assert response.status_code == 400
        assert only_error(response.json()) == {
            "message": "Unsupported content type",
            "extensions": {"code": "INVALID_INPUT"},
        }
        response = await client.post("/auth/platform/login", json=["not", "an", "object"])
        assert response.status_code == 400
        assert only_error(response.json()) == {
            "message": "请求体应为 JSON 对象",
            "extensions": {"code": "INVALID_INPUT"},
        }
        assert CommonErrorCode.INVALID_INPUT.message(reason="请求体应为 JSON 对象") == "请求体应为 JSON 对象"
