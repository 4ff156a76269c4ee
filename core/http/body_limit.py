"""Refuse oversized request bodies with 413 before anything parses them.

JSON bodies may be at most ``ZHIBU_MAX_BODY_BYTES``, multipart bodies (file uploads)
``ZHIBU_MAX_UPLOAD_BYTES``. A declared ``Content-Length`` above the limit is refused without reading;
a streamed body is counted as it arrives and refused as soon as it passes the limit. The refusal is
``REQUEST_TOO_LARGE`` with the limit (``limit``, ``unit``: ``BYTES``) in its extensions.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.http.errors import too_large
from core.settings import get_settings


class BodySizeLimit:
    """ASGI middleware: 413 for request bodies over the configured limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        settings = get_settings()
        multipart = headers.get(b"content-type", b"").lower().startswith(b"multipart/")
        limit = settings.max_upload_bytes if multipart else settings.max_body_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await too_large(limit, "BYTES").response()(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await too_large(limit, "BYTES").response()(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
