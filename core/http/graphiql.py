"""GraphiQL for development mode, with its assets served by zhibu itself: it opens offline.

``GET /graphql`` from a browser (development mode only) answers :func:`graphiql_page`; the page
loads React, GraphiQL and the explorer plugin from ``ASSETS_PREFIX`` (:func:`assets_app`, files in
``core/static/graphiql/``, fetched unchanged from their npm packages at install time by
``zhibu graphiql fetch`` — :mod:`core.http.graphiql_assets`; versions and licences in
``core/static/graphiql/README.md``). Each tag carries the file's subresource-integrity hash, and the
page's Content-Security-Policy allows nothing but this server, so a browser on an offline intranet
loads everything it needs and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

ASSETS_DIR = Path(__file__).resolve().parent.parent / "static" / "graphiql"
ASSETS_PREFIX = "/static/graphiql"
_TEMPLATE = Path(__file__).resolve().parent / "graphiql.html"
_PLACEHOLDER = re.compile(r"\{\{([A-Za-z0-9._-]+)\}\}")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def integrity(data: bytes) -> str:
    """The subresource-integrity value of ``data`` (sha384)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


@lru_cache(maxsize=1)
def _page() -> tuple[str, str]:
    """(html, content security policy): asset placeholders become ``prefix/name" integrity="…``."""
    template = _TEMPLATE.read_text(encoding="utf-8")

    def asset(match: re.Match[str]) -> str:
        name = match.group(1)
        data = (ASSETS_DIR / name).read_bytes()  # a missing asset fails loudly, at first use
        return f'{ASSETS_PREFIX}/{name}" integrity="{integrity(data)}'

    html = _PLACEHOLDER.sub(asset, template)
    scripts = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    policy = (
        "default-src 'none'; "
        f"script-src 'self' {scripts}; "
        "style-src 'self' 'unsafe-inline'; "  # GraphiQL sets style attributes
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return html, policy


def graphiql_page() -> HTMLResponse:
    from core.http.graphiql_assets import missing

    if missing():
        body = (
            "<!doctype html><meta charset=utf-8>"
            "<p>GraphiQL 的资源尚未安装：请运行 <code>zhibu graphiql fetch</code>。"
        )
        return HTMLResponse(body, status_code=503, headers={"Content-Security-Policy": "default-src 'none'"})
    html, policy = _page()
    return HTMLResponse(html, headers={"Content-Security-Policy": policy, "Cache-Control": "no-store"})


def assets_app() -> StaticFiles:
    """The fetched assets (mounted at :data:`ASSETS_PREFIX` in development mode)."""
    return StaticFiles(directory=ASSETS_DIR, check_dir=False)
