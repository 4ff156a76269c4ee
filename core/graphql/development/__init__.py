"""GraphQL for the development pipeline (发展党员)."""
