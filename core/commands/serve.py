"""``zhibu serve``: run the API with uvicorn."""

from __future__ import annotations

import argparse


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from core.app import create_app

    app = create_app(db_url=args.db_url, debug=args.dev)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="serve the GraphQL API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--dev", action="store_true", help="development mode (GraphiQL)")
    p.set_defaults(func=serve)
