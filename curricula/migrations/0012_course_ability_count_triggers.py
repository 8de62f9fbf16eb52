"""Keep CourseAbilityCount exact with statement-level triggers on the links table (PostgreSQL).

Slots, the current count and the triggers are made in one transaction with the links table
locked against writes, so no insert or delete falls between the count and the first trigger.
On other databases nothing is installed and the API counts the links as before.
"""

from django.db import migrations

SLOTS = 16

INSTALL = f"""
LOCK TABLE curricula_courseability IN SHARE MODE;
DELETE FROM curricula_courseabilitycount;
INSERT INTO curricula_courseabilitycount (slot, rows)
    SELECT s, CASE WHEN s = 0 THEN (SELECT count(*) FROM curricula_courseability) ELSE 0 END
    FROM generate_series(0, {SLOTS - 1}) AS s;

CREATE FUNCTION curricula_courseability_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE curricula_courseabilitycount SET rows = rows + (SELECT count(*) FROM new_rows)
        WHERE slot = mod(pg_backend_pid(), {SLOTS});
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE curricula_courseabilitycount SET rows = rows - (SELECT count(*) FROM old_rows)
        WHERE slot = mod(pg_backend_pid(), {SLOTS});
    ELSE
        UPDATE curricula_courseabilitycount SET rows = 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER curricula_courseability_count_insert AFTER INSERT ON curricula_courseability
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION curricula_courseability_count();
CREATE TRIGGER curricula_courseability_count_delete AFTER DELETE ON curricula_courseability
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION curricula_courseability_count();
CREATE TRIGGER curricula_courseability_count_truncate AFTER TRUNCATE ON curricula_courseability
    FOR EACH STATEMENT EXECUTE FUNCTION curricula_courseability_count();
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS curricula_courseability_count_insert ON curricula_courseability;
DROP TRIGGER IF EXISTS curricula_courseability_count_delete ON curricula_courseability;
DROP TRIGGER IF EXISTS curricula_courseability_count_truncate ON curricula_courseability;
DROP FUNCTION IF EXISTS curricula_courseability_count();
DELETE FROM curricula_courseabilitycount;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL)


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", '0011_course_ability_count'),
    ]

    operations = [migrations.RunPython(install, uninstall)]
