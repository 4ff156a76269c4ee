"""GraphQL for reminders."""
