"""The executor of zhibu's schema: graphql-core's, with scalar fields read directly.

A page of ~4,000 objects has ~20,000 scalar fields (``id``, ``name``, ``phone`` …). graphql-core
executes each like any field: a ``Path``, a ``GraphQLResolveInfo``, argument coercion, the resolver
through strawberry's wrapper, an awaitable check, then ``complete_value`` (non-null, list, leaf …)
and the scalar's ``coerce_output_value``. For a field whose value is a plain read of the source
object (an attribute, a ``ModelNode`` id, a plain sync method taking ``self`` and maybe ``info`` —
:func:`core.graphql.core.nodes.fast_resolvers` lists them per type as *leaf plans*), the same value is
read and coerced in place here; a method taking ``info`` gets a :class:`LazyInfo`.

Anything out of the ordinary goes the full way, so answers and errors are graphql-core's own: a
getter that raises, ``None`` for a non-null field, a value the scalar refuses or an exception
object returned as a value — the field is then executed again by graphql-core (getters are plain
reads, so the second read gives the same). Fields with a permission, arguments or an async
resolver never have a plan. With a schema-level resolve middleware (none today) the plans are not
used at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLNonNull, GraphQLObjectType
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

#: one scalar field read directly: (getter, coerce_output_value(value), non-null?, info field): the
#: getter takes the source, and the field's ``Info`` too when the info field (the strawberry field)
#: is set
LeafPlan = tuple[Callable[..., Any], Callable[[Any], Any], bool, Any]


class LazyInfo:
    """What a plain method taking ``info`` gets from a leaf plan: strawberry's ``Info`` whose
    graphql-core ``GraphQLResolveInfo`` (path, nodes, schema …) is built on first use; ``context``
    — all most such methods read (the caller, for masking) — needs none. Mixed into the schema's
    info class (:func:`lazy_info_class`)."""

    _lazy: tuple[Any, ...]

    def __init__(self, field: Any, lazy: tuple[Any, ...]) -> None:
        self._field = field
        self._lazy = lazy

    @property
    def _raw_info(self) -> Any:  # type: ignore[override]
        raw = self.__dict__.get("_raw")
        if raw is None:
            from graphql.execution.executor import to_nodes

            executor, parent_type, field_details_list, path, response_name = self._lazy
            field_def = parent_type.fields[field_details_list[0].node.name.value]
            path = Path(path, response_name, parent_type.name)
            raw = executor.build_resolve_info(field_def, to_nodes(field_details_list), parent_type, path)
            self.__dict__["_raw"] = raw
        return raw

    @property
    def context(self) -> Any:
        return self._lazy[0].context_value


_LAZY_CLASSES: dict[type, type] = {}


def lazy_info_class(info_class: type) -> type:
    """``info_class`` with :class:`LazyInfo`'s lazy raw info."""
    lazy = _LAZY_CLASSES.get(info_class)
    if lazy is None:
        lazy = _LAZY_CLASSES[info_class] = type(f"Lazy{info_class.__name__}", (LazyInfo, info_class), {})
    return lazy


class ZhibuExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context with the leaf plans of :mod:`core.graphql.core.execution`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        plain = manager is None or not getattr(manager, "middlewares", None)
        self._leaf_plans: dict[str, dict[str, LeafPlan]] = (
            getattr(self.schema, "_zhibu_leaf_plans", {}) if plain else {}
        )
        self._info_class = getattr(self.schema, "_zhibu_lazy_info_class", None)
        #: per grouped field set (kept alive here, so its id stays its own): the parent type and the
        #: fields with their plans
        self._planned: dict[int, tuple[Any, list[tuple[str, Any, LeafPlan | None]], Any]] = {}
        #: per list item type: the object type its items complete as directly (False: no shortcut)
        self._object_items: dict[Any, Any] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        plans = self._leaf_plans.get(parent_type.name)
        if plans is None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        planned = self._planned.get(id(grouped_field_set))
        if planned is None or planned[0] is not parent_type:
            fields = [
                (response_name, details, plans.get(details[0].node.name.value))
                for response_name, details in grouped_field_set.items()
            ]
            planned = self._planned[id(grouped_field_set)] = (parent_type, fields, grouped_field_set)
        # graphql-core's execute_fields (3.3), with the leaf plans tried first
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list, plan in planned[1]:
                if plan is not None:
                    getter, coerce, non_null, info_field = plan
                    try:
                        if info_field is None:
                            value = getter(source_value)
                        else:
                            lazy = (self, parent_type, field_details_list, path, response_name)
                            value = getter(source_value, self._info_class(info_field, lazy))
                        if value is None:
                            coerced = Undefined if non_null else None
                        elif isinstance(value, Exception):
                            coerced = Undefined
                        else:
                            coerced = coerce(value)
                            if coerced is None:
                                coerced = Undefined
                    except Exception:  # noqa: BLE001 - graphql-core runs it again and reports it
                        coerced = Undefined
                    if coerced is not Undefined:
                        results[response_name] = coerced
                        continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._gather_fields(results, awaitable_fields)

    def complete_list_item_value(
        self,
        item: Any,
        complete_results: list[Any],
        item_type: Any,
        field_details_list: Any,
        info: Any,
        item_path: Path,
        position_context: Any,
    ) -> bool:
        """graphql-core's, with an object item executed directly: what ``complete_value`` does for a
        (non-null) object type — ``is_type_of``, the memoized sub-fields, ``execute_fields`` —
        without its chain of type tests. A null, an exception or a refused ``is_type_of`` goes the
        full way (which reports it); so does anything deferred."""
        target = self._object_items.get(item_type)
        if target is None:
            inner = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
            target = self._object_items[item_type] = inner if isinstance(inner, GraphQLObjectType) else False
        if target is False or position_context is not None or item is None or isinstance(item, Exception):
            return super().complete_list_item_value(
                item, complete_results, item_type, field_details_list, info, item_path, position_context
            )
        try:
            if target.is_type_of is not None and target.is_type_of(item, info) is not True:
                return super().complete_list_item_value(
                    item, complete_results, item_type, field_details_list, info, item_path, position_context
                )
            grouped_field_set, new_defer_usages, _ = self.collect_subfields(target, field_details_list)
            if new_defer_usages:
                return super().complete_list_item_value(
                    item, complete_results, item_type, field_details_list, info, item_path, position_context
                )
            completed = self.execute_fields(target, item, item_path, grouped_field_set, None)
            if self.is_awaitable(completed):
                complete_results.append(self._await_item(completed, item_type, field_details_list, item_path))
                return True
            complete_results.append(completed)
        except Exception as raw_error:  # noqa: BLE001 - as graphql-core: located, nulls up to a nullable parent
            self.handle_field_error(raw_error, item_type, field_details_list, item_path)
            complete_results.append(None)
        return False

    async def _await_item(
        self, completed: Any, item_type: Any, field_details_list: Any, item_path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:  # noqa: BLE001 - as graphql-core's complete_list_item_value
            self.handle_field_error(raw_error, item_type, field_details_list, item_path)
            return None

    async def _gather_fields(self, results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        from graphql.pyutils import gather_with_cancel

        if len(awaitable_fields) == 1:
            field = awaitable_fields[0]
            results[field] = await results[field]
        else:
            awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results


#: the graphql-core minor version whose ``execute_fields`` / ``complete_list_item_value`` the
#: executor follows; with another one the schema keeps strawberry's own executor (slower, same answers)
GRAPHQL_CORE_FOLLOWED = (3, 3)


def executor_class() -> type | None:
    """:class:`ZhibuExecutor` when the installed graphql-core is the one it follows, else None (the
    schema then uses strawberry's executor, and a warning says why)."""
    import logging

    from graphql import version_info

    if (version_info.major, version_info.minor) == GRAPHQL_CORE_FOLLOWED:
        return ZhibuExecutor
    logging.getLogger(__name__).warning(
        "graphql-core %s is not %s.%s: the schema runs on strawberry's executor (no leaf plans)",
        version_info,
        *GRAPHQL_CORE_FOLLOWED,
    )
    return None
