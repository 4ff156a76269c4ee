"""GraphQL for relation transfers (组织关系接转)."""
