"""GraphQL for plugins: what is installed, per-tenant enablement, scoring choice and plugin config."""
