"""The four demo tenants seeded by ``zhibu demo``."""
