"""The core suite's helpers: zhibu's public test kit (:mod:`core.testing`), which plugin authors use too."""

from core.testing import (  # noqa: F401
    GraphQLClient,
    GraphQLError,
    count_statements,
    db_id,
    gid,
    make_tenant,
    slow_database,
    unique_slug,
)
