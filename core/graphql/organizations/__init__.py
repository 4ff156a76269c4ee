"""GraphQL for the organization tree."""
