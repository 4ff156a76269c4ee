"""GraphQL for the audit trail (tenant administrators)."""
