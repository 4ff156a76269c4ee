"""Core's own plugins (``core.plugins.manager.INTERNAL_PLUGINS``, like datasette's
``DEFAULT_PLUGINS``): core contributes its tortoise apps, GraphQL domains, vocabulary, config
defaults, rules and baseline scorer through the same hooks as any plugin, registered first and
active for every tenant. Each extension point thus has one path — the hook — and a plugin can
contribute anything core does."""
