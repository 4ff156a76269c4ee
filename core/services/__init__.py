"""Domain services: the rules and writes behind the GraphQL mutations and the CLI.

Services raise :class:`core.errors.DomainError` for expected failures, call
:func:`core.guard.require` with the path of every organization they change, and report changes to
the audit trail (:mod:`core.audit`). Transactions are opened by the caller (one per mutation).
"""
