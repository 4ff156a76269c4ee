"""zhibu core: tenancy, the organization tree, members, committees, activities and the GraphQL API."""
