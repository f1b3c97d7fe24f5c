"""Full-text search: FTS5 with sync triggers on SQLite; a generated tsvector with GIN on PostgreSQL.

The SQL is frozen here (not imported from jipp.registry.search) so the migration never changes.
"""

from django.db import migrations

SQLITE_SETUP = [
    "CREATE VIRTUAL TABLE registry_innovation_fts USING fts5( search_title, search_body, content='registry_innovation', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    'CREATE TRIGGER registry_innovation_fts_ai AFTER INSERT ON registry_innovation BEGIN INSERT INTO registry_innovation_fts(rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body); END',
    "CREATE TRIGGER registry_innovation_fts_ad AFTER DELETE ON registry_innovation BEGIN INSERT INTO registry_innovation_fts(registry_innovation_fts, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body); END",
    "CREATE TRIGGER registry_innovation_fts_au AFTER UPDATE OF search_title, search_body ON registry_innovation BEGIN INSERT INTO registry_innovation_fts(registry_innovation_fts, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body); INSERT INTO registry_innovation_fts(rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body); END",
]
SQLITE_TEARDOWN = [
    'DROP TRIGGER IF EXISTS registry_innovation_fts_au',
    'DROP TRIGGER IF EXISTS registry_innovation_fts_ad',
    'DROP TRIGGER IF EXISTS registry_innovation_fts_ai',
    'DROP TABLE IF EXISTS registry_innovation_fts',
]
POSTGRES_SETUP = [
    "ALTER TABLE registry_innovation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ( setweight(to_tsvector('indonesian', coalesce(search_title, '')), 'A') || setweight(to_tsvector('indonesian', coalesce(search_body, '')), 'B')) STORED",
    'CREATE INDEX registry_innovation_search_gin ON registry_innovation USING GIN (search_vector)',
]
POSTGRES_TEARDOWN = [
    'DROP INDEX IF EXISTS registry_innovation_search_gin',
    'ALTER TABLE registry_innovation DROP COLUMN IF EXISTS search_vector',
]


def _run(schema_editor, by_vendor):
    for sql in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_SETUP, "postgresql": POSTGRES_SETUP})


def backwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_TEARDOWN, "postgresql": POSTGRES_TEARDOWN})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_innovation_registry")]

    operations = [migrations.RunPython(forwards, backwards)]
