"""GraphQL for rectification (整改销号)."""
