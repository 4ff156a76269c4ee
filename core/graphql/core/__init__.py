"""Shared GraphQL machinery: context, permissions, connections, loaders, errors, mutations."""
