"""GraphQL for tenants (the caller's own, and platform onboarding)."""
