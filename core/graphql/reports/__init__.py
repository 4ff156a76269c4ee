"""GraphQL of the quarterly party-work report."""
