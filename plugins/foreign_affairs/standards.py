"""Rules and the scoring plugin of the foreign_affairs domain (standardization engine).

Hook implementations here are re-exported by the plugin package's ``__init__``; use distinct
function names with ``@hookimpl(specname=...)`` so they never shadow the package's own hooks.
"""

__all__: list[str] = []
