"""PostgreSQL: add the stems under the `simple` configuration to the search vector, for prefix search.

The `indonesian` configuration stems PySastrawi's stems again ("sekolah" -> "seko"), so a typed
prefix ("sekol") matched nothing. SQLite is unchanged.
"""

from django.db import migrations

DROP = [
    "DROP INDEX IF EXISTS registry_innovation_search_gin",
    "ALTER TABLE registry_innovation DROP COLUMN IF EXISTS search_vector",
]
ADD_V2 = [
    """ALTER TABLE registry_innovation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('indonesian', coalesce(search_title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(search_title, '')), 'A') ||
        setweight(to_tsvector('indonesian', coalesce(search_body, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(search_body, '')), 'B')) STORED""",
    "CREATE INDEX registry_innovation_search_gin ON registry_innovation USING GIN (search_vector)",
]
ADD_V1 = [
    """ALTER TABLE registry_innovation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('indonesian', coalesce(search_title, '')), 'A') ||
        setweight(to_tsvector('indonesian', coalesce(search_body, '')), 'B')) STORED""",
    "CREATE INDEX registry_innovation_search_gin ON registry_innovation USING GIN (search_vector)",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _run(schema_editor, DROP + ADD_V2)


def backwards(apps, schema_editor):
    _run(schema_editor, DROP + ADD_V1)


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_updated_at_index")]

    operations = [migrations.RunPython(forwards, backwards)]
