"""What a request may cost, and what it may learn about the schema, decided before anything runs.

- :class:`RequestLimits`: the token limit, applied while parsing, so a huge document stops early;
- :class:`SchemaVisibility`: validation with a bounded cache — depth, alias and directive limits
  as validation rules, and introspection and field
  suggestions depend on the caller — in production an anonymous caller gets neither, a signed-in
  one gets introspection only with ``ZHIBU_ALLOW_INTROSPECTION``; development mode (``zhibu demo``,
  tests) shows everything. Execution-time suggestions (e.g. enum values) follow the same choice
  (:class:`schema.ZhibuSchema`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DirectiveNode,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    ValidationContext,
    specified_rules,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from core.settings import get_settings

#: Validation stops after this many errors (a hostile document cannot make thousands of them).
MAX_VALIDATION_ERRORS = 20


def directive_limit_rule(limit: int) -> type[ASTValidationRule]:
    """A validation rule refusing documents with more than ``limit`` directives."""

    class MaxDirectivesRule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.count = 0

        def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
            self.count += 1
            if self.count == limit + 1:
                self.report_error(GraphQLError(f"文档中的指令不能超过{limit}个", node))

    return MaxDirectivesRule


def hides_schema(context: Any) -> tuple[bool, bool]:
    """(no introspection, no suggestions) for the request's caller."""
    if getattr(context, "development", True):
        return False, False
    principal = context.principal
    signed_in = principal.tenant_id is not None or principal.is_platform_operator
    if not signed_in:
        return True, True
    return not get_settings().allow_introspection, True


@lru_cache(maxsize=8)
def _rules(
    max_depth: int, max_aliases: int, max_directives: int, no_introspection: bool
) -> tuple[type[ASTValidationRule], ...]:
    from strawberry.extensions.max_aliases import create_validator as alias_validator
    from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

    rules = [
        *specified_rules,
        MaybeNullValidationRule,
        OneOfInputValidationRule,
        depth_validator(max_depth, None, None),
        alias_validator(max_aliases),
        directive_limit_rule(max_directives),
    ]
    if no_introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


@lru_cache(maxsize=512)
def _validate(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> list[GraphQLError]:
    return validate(
        schema, document, rules, max_errors=MAX_VALIDATION_ERRORS, hide_suggestions=hide_suggestions
    )


class SchemaVisibility(SchemaExtension):
    """Validates the document (cached per schema, document and policy) under the caller's policy."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        no_introspection, hide_suggestions = hides_schema(context.context)
        settings = get_settings()
        rules = _rules(settings.max_depth, settings.max_aliases, settings.max_directives, no_introspection)
        context.pre_execution_errors = _validate(
            context.schema._schema, context.graphql_document, rules, hide_suggestions
        )
        yield


class RequestLimits(SchemaExtension):
    """The token limit for the parser (aliases and depth are limited by their own rules)."""

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = get_settings().max_tokens
        yield


# --- before the parser: a C-speed scan of the raw document ------------------------------------

_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"')
_COMMENT = re.compile(r"#[^\n\r]*")
_STRUCTURE = re.compile(r"[{}\[\]():]")
_PUNCTUATORS = "{}[]():=@!$&|"
#: how deep braces, brackets and parentheses may nest at all (the depth rule checks fields)
MAX_NESTING = 64


def prescan(query: str) -> str | None:
    """Why ``query`` is refused before graphql-core reads it (``None``: let it parse).

    graphql-core's lexer and parser are Python: a document of tens of thousands of tokens costs
    tens of milliseconds of the event loop before its token limit stops it. This scan uses C-speed
    string operations only (a lower bound of the token count from whitespace-separated chunks and
    punctuators), then walks at most ``ZHIBU_MAX_TOKENS`` structural marks for nesting and aliases,
    so a hostile document costs well under a millisecond. It refuses only what the parser or the
    validation rules would refuse anyway."""
    settings = get_settings()
    bare = _COMMENT.sub(" ", _STRING.sub('""', query))
    at_least = max(len(bare.split()), sum(bare.count(mark) for mark in _PUNCTUATORS))
    if at_least > settings.max_tokens:
        return f"Document contains more than {settings.max_tokens} tokens. Parsing aborted."
    if bare.count("@") > settings.max_directives:
        return f"文档中的指令不能超过{settings.max_directives}个"
    depth = parens = aliases = 0
    for mark in _STRUCTURE.findall(bare):
        if mark in "{[(":
            depth += 1
            parens += mark == "("
            if depth > MAX_NESTING:
                return f"文档嵌套超过 {MAX_NESTING} 层"
        elif mark == ":":
            aliases += parens == 0
        else:
            depth -= 1
            parens -= mark == ")"
    if aliases > settings.max_aliases:
        return f"文档中的别名不能超过{settings.max_aliases}个"
    return None
