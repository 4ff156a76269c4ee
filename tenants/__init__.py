"""Tenant onboarding material: the demo tenants and their seed data."""
