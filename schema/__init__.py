"""The GraphQL schema: every core domain's and every installed plugin's fields, merged.

The SDL of core and the built-in plugins (:func:`builtin_sdl`, whatever third-party plugins are
installed) is committed at ``schema/schema.graphql``; ``tests/test_schema.py`` fails when it drifts
(regenerate with ``zhibu schema --write``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, SchemaExtension
from strawberry.tools import merge_types

from core.graphql.core.errors import TypedErrors, log_errors
from core.graphql.core.limits import RequestLimits, SchemaVisibility, hides_schema
from core.graphql.core.scalars import SCALAR_OVERRIDES
from core.tenancy import bind_tenant, unbind_tenant

SDL_PATH = Path(__file__).with_name("schema.graphql")


class DuplicateFieldError(RuntimeError):
    """Two contributions define the same root field (strawberry's merge would only warn)."""


class TenantBinding(SchemaExtension):
    """Binds the request's tenant (from the principal) for the whole operation."""

    def on_operation(self):  # noqa: ANN201
        context = self.execution_context.context
        principal = context.principal
        token = bind_tenant(principal.tenant_id) if principal.tenant_id is not None else None
        try:
            yield
        finally:
            if token is not None:
                unbind_tenant(token)
            if hasattr(context, "operation_name"):  # for the request log (known once parsed)
                context.operation_name = self.execution_context.operation_name


def _field_names(cls: type) -> set[str]:
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    return {f.python_name for f in definition.fields}


def merge_root(name: str, parts: list[tuple[str, type]]) -> type | None:
    """Merge root types, failing on a field name defined twice."""
    seen: dict[str, str] = {}
    for source, cls in parts:
        for field_name in _field_names(cls):
            if field_name in seen:
                raise DuplicateFieldError(
                    f"{name}.{field_name} is defined by both {seen[field_name]} and {source}"
                )
            seen[field_name] = source
    if not parts:
        return None
    return merge_types(name, tuple(cls for _, cls in parts))


def root_parts() -> tuple[list[tuple[str, type]], list[tuple[str, type]], list[type]]:
    """(queries, mutations, extra types) of the ``zhibu_graphql`` contributions: core's domains
    (``core.defaults.graphql``) first, then the installed plugins'."""
    from core.plugins import plugin_graphql_contributions

    queries: list[tuple[str, type]] = []
    mutations: list[tuple[str, type]] = []
    extra_types: list[type] = []
    for source, contribution in plugin_graphql_contributions():
        if contribution.get("query") is not None:
            queries.append((source, contribution["query"]))
        if contribution.get("mutation") is not None:
            mutations.append((source, contribution["mutation"]))
        extra_types.extend(contribution.get("types", ()))
    return queries, mutations, extra_types


class ZhibuSchema(strawberry.Schema):
    """The strawberry schema with zhibu's error logging and per-caller suggestions."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        log_errors(errors, getattr(execution_context, "context", None))

    def _get_execute_function(self) -> Callable[..., Any]:
        execute = super()._get_execute_function()

        def run(*args: Any, context_value: Any = None, **kwargs: Any) -> Any:
            _, hide_suggestions = hides_schema(context_value)
            return execute(*args, context_value=context_value, hide_suggestions=hide_suggestions, **kwargs)

        return run


def build_schema() -> strawberry.Schema:
    """A fresh schema object from the current code and plugins."""
    from core.graphql.tenants.domains import bind_tenant_domains

    bind_tenant_domains()  # the TenantDomain enum's values: this plugin manager's domains
    queries, mutations, extra_types = root_parts()
    query = merge_root("Query", queries)
    mutation = merge_root("Mutation", mutations)
    extensions: list[Any] = [
        TenantBinding,
        TypedErrors,
        RequestLimits,
        lambda: ParserCache(maxsize=256),
        SchemaVisibility,
    ]
    from core.graphql.core.execution import executor_class
    from core.graphql.core.nodes import fast_resolvers

    return fast_resolvers(
        ZhibuSchema(
            query=query,
            mutation=mutation,
            types=extra_types,
            extensions=extensions,
            scalar_overrides=SCALAR_OVERRIDES,
            execution_context_class=executor_class(),
        )
    )


@lru_cache(maxsize=1)
def get_schema() -> strawberry.Schema:
    """The process-wide schema (built once; contains no per-request or per-tenant state)."""
    return build_schema()


def print_sdl(schema: strawberry.Schema | None = None) -> str:
    return (schema or build_schema()).as_str().rstrip() + "\n"


def builtin_schema() -> strawberry.Schema:
    """The schema of core and the built-in plugins only, whatever else is installed: the one the
    committed SDL describes."""
    from core.plugins import build_builtin_plugin_manager, use_plugin_manager

    with use_plugin_manager(build_builtin_plugin_manager()):
        return build_schema()


def builtin_sdl() -> str:
    """SDL of :func:`builtin_schema` (what ``schema/schema.graphql`` holds)."""
    return print_sdl(builtin_schema())
