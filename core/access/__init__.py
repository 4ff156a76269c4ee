"""Identity and access: users, platform operators, API tokens, roles on the organization tree,
Casbin policies (tortoise app label ``access``)."""
