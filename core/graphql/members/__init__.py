"""GraphQL for members (the roster of branches)."""
