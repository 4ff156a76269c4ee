"""GraphQL for party dues (党费)."""
