"""双覆盖 (coverage of non-public enterprises and social organizations)."""
