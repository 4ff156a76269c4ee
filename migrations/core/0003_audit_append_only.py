"""The database itself refuses UPDATE and DELETE on audit records (append-only trail)."""

from tortoise import migrations
from tortoise.migrations import operations as ops

MESSAGE = "audit records are append-only"

SQLITE = [
    "CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    "CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION zhibu_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
    "CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_record "
    "FOR EACH ROW EXECUTE FUNCTION zhibu_audit_append_only()",
]
REVERSE = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_record_no_update", "DROP TRIGGER IF EXISTS audit_record_no_delete"],
    "postgres": [
        "DROP TRIGGER IF EXISTS audit_record_append_only ON audit_record",
        "DROP FUNCTION IF EXISTS zhibu_audit_append_only()",
    ],
}


def _dialect(schema_editor) -> str:
    return schema_editor.client.capabilities.dialect


async def forward(apps, schema_editor) -> None:
    statements = {"sqlite": SQLITE, "postgres": POSTGRES}.get(_dialect(schema_editor), [])
    for sql in statements:
        await schema_editor.client.execute_query(sql)


async def backward(apps, schema_editor) -> None:
    for sql in REVERSE.get(_dialect(schema_editor), []):
        await schema_editor.client.execute_query(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_leader_cancel_live_term")]

    initial = False

    operations = [ops.RunPython(forward, backward)]
