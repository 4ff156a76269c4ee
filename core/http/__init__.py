"""HTTP plumbing around the GraphQL app: body limits, request ids and the request log."""
