"""The standardization engine: rules with codes, the expected-activity calendar, scorers.

Public interface for other domains and plugins: :mod:`core.standards.api`.
"""
