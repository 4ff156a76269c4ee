"""GraphQL for the roster as a spreadsheet: import (multipart upload)."""
