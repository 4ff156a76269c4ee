"""Party dues (党费): profiles, monthly bills, payments, the branch register and upward handovers.

The tortoise app label is ``dues`` (models in :mod:`core.dues.models`, migrations in
``migrations/dues``). Rates come from the tenant config section ``dues`` (:mod:`core.dues.rates`).
"""
