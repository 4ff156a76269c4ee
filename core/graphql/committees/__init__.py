"""GraphQL for committees (terms and seats)."""
