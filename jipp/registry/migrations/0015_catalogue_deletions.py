"""PostgreSQL: a counter of deletions from the registry, so the catalogue's freshness check is cheap.

Each catalogue request checks that its in-memory facet index (facet_index.py) still matches the
table. That check was `COUNT(*)` and `MAX(updated_at)`: on PostgreSQL the count reads a whole
index (about 10 ms at 100,000 innovations, ten times that at 1,000,000; 40 ms under load). Now
it is `MAX(updated_at)` and `MAX(id)` (each one step down a B-tree index) plus this counter, which a
statement-level trigger bumps after any DELETE or TRUNCATE of innovations or awards (the only
changes the two maxima do not show). Deletions are rare, so the one-row counter is not contended.
SQLite is unchanged (its COUNT(*) costs well under a millisecond at 100,000).
"""

from django.db import migrations

FORWARDS = [
    """CREATE TABLE registry_catalogue_deletions (
        id smallint PRIMARY KEY CHECK (id = 1),
        deletions bigint NOT NULL
    )""",
    "INSERT INTO registry_catalogue_deletions (id, deletions) VALUES (1, 0)",
    """CREATE FUNCTION registry_catalogue_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE registry_catalogue_deletions SET deletions = deletions + 1 WHERE id = 1;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER registry_innovation_deleted AFTER DELETE OR TRUNCATE ON registry_innovation
        FOR EACH STATEMENT EXECUTE FUNCTION registry_catalogue_deleted()""",
    """CREATE TRIGGER registry_award_deleted AFTER DELETE OR TRUNCATE ON registry_award
        FOR EACH STATEMENT EXECUTE FUNCTION registry_catalogue_deleted()""",
]
BACKWARDS = [
    "DROP TRIGGER IF EXISTS registry_award_deleted ON registry_award",
    "DROP TRIGGER IF EXISTS registry_innovation_deleted ON registry_innovation",
    "DROP FUNCTION IF EXISTS registry_catalogue_deleted()",
    "DROP TABLE IF EXISTS registry_catalogue_deletions",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("registry", "0014_merge_review_tiers")]

    operations = [migrations.RunPython(forwards, backwards)]
