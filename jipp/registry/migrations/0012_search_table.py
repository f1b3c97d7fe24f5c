"""PostgreSQL: the full-text vectors move to a narrow side table, so a common word's matches cost the index.

With the vectors as generated columns of `registry_innovation`, every vector (about 2.4 KB, kept
out of line) sat behind a wide row: finding the 68,000 innovations that say "desa" read the whole
195 MB table or its 480 MB of out-of-line values (over 1 s), before any ranking. The side table
`registry_innovation_search` holds only the id and the two vectors (out of line:
toast_tuple_target 128), with a GIN index on each, so matching reads the index and a few MB of
narrow rows; the full vector is read only for the few hundred rows that get ranked. Triggers keep
it in step with `search_title`, `search_body` and `search_name` (like the FTS5 table on SQLite).
Short-name lexemes are stored with the prefix "qx" (no weight restriction is needed to tell them
apart, so index matches need no recheck). SQLite is unchanged.
"""

from django.db import migrations

NAME = (
    "to_tsvector('simple', regexp_replace(coalesce({row}.search_name, ''), '([^[:space:]]+)', 'qx\\1', 'g'))"
)
SEARCH_VECTOR = (
    f"setweight({NAME}, 'A') || "
    "setweight(to_tsvector('indonesian', coalesce({row}.search_title, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce({row}.search_title, '')), 'B') || "
    "setweight(to_tsvector('indonesian', coalesce({row}.search_body, '')), 'D') || "
    "setweight(to_tsvector('simple', coalesce({row}.search_body, '')), 'D')"
)
RANK_VECTOR = (
    f"setweight({NAME}, 'A') || "
    "setweight(to_tsvector('indonesian', coalesce({row}.search_title, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce({row}.search_title, '')), 'B')"
)

FORWARDS = [
    "DROP INDEX IF EXISTS registry_innovation_search_gin",
    "ALTER TABLE registry_innovation DROP COLUMN IF EXISTS search_rank_vector",
    "ALTER TABLE registry_innovation DROP COLUMN IF EXISTS search_vector",
    """CREATE TABLE registry_innovation_search (
        innovation_id bigint PRIMARY KEY,
        search_vector tsvector NOT NULL,
        rank_vector tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    "ALTER TABLE registry_innovation_search ALTER COLUMN search_vector SET STORAGE EXTERNAL",
    "ALTER TABLE registry_innovation_search ALTER COLUMN rank_vector SET STORAGE EXTERNAL",
    f"""CREATE FUNCTION registry_innovation_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM registry_innovation_search WHERE innovation_id = OLD.id;
            RETURN OLD;
        END IF;
        INSERT INTO registry_innovation_search (innovation_id, search_vector, rank_vector)
        VALUES (NEW.id, {SEARCH_VECTOR.format(row="NEW")}, {RANK_VECTOR.format(row="NEW")})
        ON CONFLICT (innovation_id) DO UPDATE
            SET search_vector = EXCLUDED.search_vector, rank_vector = EXCLUDED.rank_vector;
        RETURN NEW;
    END $$""",
    """CREATE FUNCTION registry_innovation_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE registry_innovation_search;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER registry_innovation_search_sync
        AFTER INSERT OR DELETE OR UPDATE OF search_title, search_body, search_name ON registry_innovation
        FOR EACH ROW EXECUTE FUNCTION registry_innovation_search_sync()""",
    """CREATE TRIGGER registry_innovation_search_truncate AFTER TRUNCATE ON registry_innovation
        FOR EACH STATEMENT EXECUTE FUNCTION registry_innovation_search_truncate()""",
    f"""INSERT INTO registry_innovation_search (innovation_id, search_vector, rank_vector)
        SELECT i.id, {SEARCH_VECTOR.format(row="i")}, {RANK_VECTOR.format(row="i")} FROM registry_innovation i""",
    "CREATE INDEX registry_innovation_search_vector_gin ON registry_innovation_search USING GIN (search_vector)",
    "CREATE INDEX registry_innovation_search_rank_gin ON registry_innovation_search USING GIN (rank_vector)",
    "ANALYZE registry_innovation_search",
]
BACKWARDS = [
    "DROP TRIGGER IF EXISTS registry_innovation_search_truncate ON registry_innovation",
    "DROP TRIGGER IF EXISTS registry_innovation_search_sync ON registry_innovation",
    "DROP FUNCTION IF EXISTS registry_innovation_search_truncate()",
    "DROP FUNCTION IF EXISTS registry_innovation_search_sync()",
    "DROP TABLE IF EXISTS registry_innovation_search",
    """ALTER TABLE registry_innovation
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', coalesce(search_name, '')), 'A') ||
            setweight(to_tsvector('indonesian', coalesce(search_title, '')), 'B') ||
            setweight(to_tsvector('simple', coalesce(search_title, '')), 'B') ||
            setweight(to_tsvector('indonesian', coalesce(search_body, '')), 'D') ||
            setweight(to_tsvector('simple', coalesce(search_body, '')), 'D')) STORED,
        ADD COLUMN search_rank_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', coalesce(search_name, '')), 'A') ||
            setweight(to_tsvector('indonesian', coalesce(search_title, '')), 'B') ||
            setweight(to_tsvector('simple', coalesce(search_title, '')), 'B')) STORED""",
    "CREATE INDEX registry_innovation_search_gin ON registry_innovation USING GIN (search_vector)",
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
    dependencies = [("registry", "0011_merge_thumbnails_import_batches")]

    operations = [migrations.RunPython(forwards, backwards)]
