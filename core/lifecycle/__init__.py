"""Member lifecycle: the 25-step development pipeline (发展党员) and relation transfers (组织关系接转).

Tortoise app label ``lifecycle``; models in :mod:`core.lifecycle.models`, rules in
:mod:`core.lifecycle.development` and :mod:`core.lifecycle.transfers`.
"""
