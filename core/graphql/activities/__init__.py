"""GraphQL for organizational life (activities and attendance)."""
