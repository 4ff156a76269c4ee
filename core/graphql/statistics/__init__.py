"""Statistics over a subtree for a period (统计)."""
