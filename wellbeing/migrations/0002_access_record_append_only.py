"""The access record is append-only in the database itself: triggers refuse any UPDATE, and
any DELETE of a record whose keeping time has not passed, from the ORM or raw SQL alike."""

from django.db import migrations

TABLE = "wellbeing_accessrecord"

SQLITE = [
    f"""CREATE TRIGGER wellbeing_accessrecord_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'access records are append-only'); END""",
    f"""CREATE TRIGGER wellbeing_accessrecord_no_delete BEFORE DELETE ON {TABLE}
    WHEN OLD.keep_until >= strftime('%Y-%m-%d %H:%M:%f', 'now')
    BEGIN SELECT RAISE(ABORT, 'access records are kept until their keeping time'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS wellbeing_accessrecord_no_update",
    "DROP TRIGGER IF EXISTS wellbeing_accessrecord_no_delete",
]
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION wellbeing_accessrecord_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'access records are append-only';
        END IF;
        IF OLD.keep_until >= now() THEN
            RAISE EXCEPTION 'access records are kept until their keeping time';
        END IF;
        RETURN OLD;
    END;
    $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER wellbeing_accessrecord_guard BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION wellbeing_accessrecord_guard()""",
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS wellbeing_accessrecord_guard ON {TABLE}",
    "DROP FUNCTION IF EXISTS wellbeing_accessrecord_guard()",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("wellbeing", "0001_checkins")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
