"""GraphQL of the standardization engine (rules, calendar, scoring)."""
