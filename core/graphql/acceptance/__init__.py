"""GraphQL for standardization acceptance (标准化验收)."""
