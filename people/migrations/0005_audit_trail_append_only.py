"""The audit trail is append-only in the database itself: triggers refuse any UPDATE or
DELETE of its rows, from the ORM or raw SQL alike."""

from django.db import migrations

TABLE = "people_auditentry"

SQLITE = [
    f"""CREATE TRIGGER people_auditentry_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    f"""CREATE TRIGGER people_auditentry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS people_auditentry_no_update",
    "DROP TRIGGER IF EXISTS people_auditentry_no_delete",
]
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION people_auditentry_guard() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the audit trail is append-only';
    END;
    $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER people_auditentry_guard BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION people_auditentry_guard()""",
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS people_auditentry_guard ON {TABLE}",
    "DROP FUNCTION IF EXISTS people_auditentry_guard()",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("people", "0004_audit_trail")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
