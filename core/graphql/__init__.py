"""The GraphQL API, one package per domain (saleor-style): types, queries, mutations, loaders."""
