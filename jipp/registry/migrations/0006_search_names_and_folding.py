"""Search: accents folded, short names and acronyms in their own column, a bounded ranking on PostgreSQL.

- `search_name` (short names in brackets and acronyms, unstemmed) is added and filled; the stems
  of rows with non-ASCII text are recomputed with accents folded ("Café" -> "cafe").
- SQLite: the FTS5 table gets the third column (the triggers are recreated with it).
- PostgreSQL: `search_vector` gets the name (weight A; title B; body D), and a small
  `search_rank_vector` (name and title) gives the ranked query its cheap first order.

The SQL and the helper functions are frozen here (not imported from jipp.registry.search) so the
migration never changes.
"""

import re
import unicodedata

from django.db import migrations, models

from jipp.core.text import TOKEN_RE, stemmed_text, tokens

TEXT_FIELDS = ("summary", "problem", "solution", "results", "beneficiaries")
_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
     "ß": "ss", "ı": "i", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH"}
)  # fmt: skip
_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


def _fold(text):
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _name_text(title):
    folded = _fold(title)
    names = []
    for match in _BRACKETS.finditer(folded):
        inside = tokens(match.group(1) or match.group(2) or "")
        names += inside
        if len(inside) > 1:
            names.append("".join(inside))
    names += [t.lower() for t in TOKEN_RE.findall(folded) if len(t) >= 2 and t.isupper()]
    return " ".join(dict.fromkeys(names))


FTS_COLUMNS = "search_title, search_body, search_name"
SQLITE_FTS = [
    "DROP TRIGGER IF EXISTS registry_innovation_fts_au",
    "DROP TRIGGER IF EXISTS registry_innovation_fts_ad",
    "DROP TRIGGER IF EXISTS registry_innovation_fts_ai",
    "DROP TABLE IF EXISTS registry_innovation_fts",
    f"CREATE VIRTUAL TABLE registry_innovation_fts USING fts5({FTS_COLUMNS}, content='registry_innovation', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER registry_innovation_fts_ai AFTER INSERT ON registry_innovation BEGIN INSERT INTO "
    f"registry_innovation_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.search_title, new.search_body, "
    "new.search_name); END",
    f"CREATE TRIGGER registry_innovation_fts_ad AFTER DELETE ON registry_innovation BEGIN INSERT INTO "
    f"registry_innovation_fts(registry_innovation_fts, rowid, {FTS_COLUMNS}) VALUES ('delete', old.id, "
    "old.search_title, old.search_body, old.search_name); END",
    f"CREATE TRIGGER registry_innovation_fts_au AFTER UPDATE OF {FTS_COLUMNS} ON registry_innovation BEGIN "
    f"INSERT INTO registry_innovation_fts(registry_innovation_fts, rowid, {FTS_COLUMNS}) VALUES ('delete', "
    "old.id, old.search_title, old.search_body, old.search_name); INSERT INTO "
    f"registry_innovation_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.search_title, new.search_body, "
    "new.search_name); END",
    "INSERT INTO registry_innovation_fts(registry_innovation_fts) VALUES('rebuild')",
]
SQLITE_FTS_V1 = [
    "DROP TRIGGER IF EXISTS registry_innovation_fts_au",
    "DROP TRIGGER IF EXISTS registry_innovation_fts_ad",
    "DROP TRIGGER IF EXISTS registry_innovation_fts_ai",
    "DROP TABLE IF EXISTS registry_innovation_fts",
    "CREATE VIRTUAL TABLE registry_innovation_fts USING fts5( search_title, search_body, content='registry_innovation', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",  # noqa: E501
    "CREATE TRIGGER registry_innovation_fts_ai AFTER INSERT ON registry_innovation BEGIN INSERT INTO registry_innovation_fts(rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body); END",  # noqa: E501
    "CREATE TRIGGER registry_innovation_fts_ad AFTER DELETE ON registry_innovation BEGIN INSERT INTO registry_innovation_fts(registry_innovation_fts, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body); END",  # noqa: E501
    "CREATE TRIGGER registry_innovation_fts_au AFTER UPDATE OF search_title, search_body ON registry_innovation BEGIN INSERT INTO registry_innovation_fts(registry_innovation_fts, rowid, search_title, search_body) VALUES ('delete', old.id, old.search_title, old.search_body); INSERT INTO registry_innovation_fts(rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body); END",  # noqa: E501
    "INSERT INTO registry_innovation_fts(registry_innovation_fts) VALUES('rebuild')",
]
POSTGRES = [
    "DROP INDEX IF EXISTS registry_innovation_search_gin",
    "ALTER TABLE registry_innovation DROP COLUMN IF EXISTS search_vector",
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
POSTGRES_V2 = [
    "DROP INDEX IF EXISTS registry_innovation_search_gin",
    "ALTER TABLE registry_innovation DROP COLUMN IF EXISTS search_rank_vector",
    "ALTER TABLE registry_innovation DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE registry_innovation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('indonesian', coalesce(search_title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(search_title, '')), 'A') ||
        setweight(to_tsvector('indonesian', coalesce(search_body, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(search_body, '')), 'B')) STORED""",
    "CREATE INDEX registry_innovation_search_gin ON registry_innovation USING GIN (search_vector)",
]


def drop_old_vector(apps, schema_editor):
    # PostgreSQL: without the old generated column, the fill below does not recompute it per row.
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES[:2]:
            schema_editor.execute(sql)


def fill(apps, schema_editor):
    Innovation = apps.get_model("registry", "Innovation")
    db = schema_editor.connection.alias
    names, texts_too = [], []
    rows = Innovation.objects.using(db).order_by("pk").values_list("pk", "title", *TEXT_FIELDS)
    for pk, title, *texts in rows.iterator(chunk_size=2000):
        name = _name_text(title)
        if not title.isascii() or not all(t.isascii() for t in texts if t):
            body = stemmed_text(_fold("\n".join(t for t in texts if t)))
            texts_too.append(Innovation(pk=pk, search_name=name, search_title=stemmed_text(_fold(title)), search_body=body))
        elif name:
            names.append(Innovation(pk=pk, search_name=name))
        if len(names) + len(texts_too) >= 2000:
            _save(Innovation, db, names, texts_too)
            names, texts_too = [], []
    _save(Innovation, db, names, texts_too)


def _save(Innovation, db, names, texts_too):
    Innovation.objects.using(db).bulk_update(names, ["search_name"], batch_size=500)
    Innovation.objects.using(db).bulk_update(texts_too, ["search_name", "search_title", "search_body"], batch_size=500)


def indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_FTS, "postgresql": POSTGRES}.get(vendor, []):
        schema_editor.execute(sql)


def indexes_back(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_FTS_V1, "postgresql": POSTGRES_V2}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    atomic = False  # the backfill commits in batches; each step below is idempotent

    dependencies = [("registry", "0005_search_vector_with_prefixes")]

    operations = [
        migrations.AddField(
            model_name="innovation", name="search_name", field=models.TextField(blank=True, default="", editable=False)
        ),
        migrations.RunPython(drop_old_vector, migrations.RunPython.noop),
        migrations.RunPython(fill, migrations.RunPython.noop),
        # Then the index (SQLite rebuilds its FTS table from the filled columns).
        migrations.RunPython(indexes, indexes_back),
    ]
