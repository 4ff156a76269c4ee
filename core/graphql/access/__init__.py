"""GraphQL for identity and access: login, tokens, users, roles."""
