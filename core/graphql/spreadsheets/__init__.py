"""GraphQL of the spreadsheet imports (multipart uploads): importMembers, importOrganizations."""
