"""Full-text search over the registry, on SQLite (FTS5) and PostgreSQL (`indonesian` configuration, GIN).

Both index the same stemmed text (`Innovation.search_title` / `search_body`, filled with
PySastrawi stems by `jipp.core.text.stemmed_text`), so that Indonesian word forms match
on either database ("pelayanan kesehatan" finds "layanan sehat").

- SQLite: an external-content FTS5 table `registry_innovation_fts` over those two columns, kept
  in sync by triggers (created in migration 0002), ranked with bm25 (title weighs 5x).
- PostgreSQL: a stored generated `search_vector` column, `to_tsvector('indonesian', ...)` with
  weights A (title) and B (body), and a GIN index; ranked with ts_rank.

User text never reaches the engine's query syntax: `fts_query` / `ts_query` quote every term.
"""

from django.db import connection
from django.db.models import QuerySet

from jipp.core.text import MIN_PREFIX_LENGTH, STOPWORDS, TOKEN_RE, fts_query, stem, stemmed_text, tokens

FTS_TABLE = "registry_innovation_fts"


def search_columns(*, title: str, texts: list[str]) -> dict[str, str]:
    """The stemmed values to store on an innovation for search."""
    return {"search_title": stemmed_text(title), "search_body": stemmed_text("\n".join(t for t in texts if t))}


def ts_query(user_text: str) -> str:
    """A safe PostgreSQL to_tsquery expression over stems (all terms; the last one as a prefix)."""
    words = tokens(user_text)
    if not words:
        return ""
    partial = None
    if TOKEN_RE.fullmatch(user_text[-1]) and len(words[-1]) >= MIN_PREFIX_LENGTH:
        partial = words.pop()
    terms = [f"'{stem(w)}'" for w in words if w not in STOPWORDS]
    if partial:
        terms.append(f"('{stem(partial)}':* | '{partial}':*)")
    return " & ".join(terms)


def matching_ids(user_text: str, *, ranked: bool = True) -> list[int] | None:
    """Ids of all innovations (any status) matching `user_text`; None when nothing is searchable.

    Best first when `ranked` (otherwise in no particular order, which is cheaper). One full-text
    query, driven by the index (no join), so its cost is that of the raw search.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            expression = ts_query(user_text)
            if not expression:
                return None
            sql = "SELECT id FROM registry_innovation WHERE search_vector @@ to_tsquery('indonesian', %s)"
            params = [expression]
            if ranked:
                sql += " ORDER BY ts_rank(search_vector, to_tsquery('indonesian', %s)) DESC, id DESC"
                params.append(expression)
            cursor.execute(sql, params)
        else:
            expression = fts_query(user_text)
            if not expression:
                return None
            sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
            if ranked:
                sql += f" ORDER BY bm25({FTS_TABLE}, 5.0, 1.0), rowid DESC"
            cursor.execute(sql, [expression])
        return [row[0] for row in cursor.fetchall()]


def apply_search(qs: QuerySet, user_text: str, *, order_by_rank: bool) -> QuerySet | None:
    """Restrict `qs` (Innovation) to rows matching `user_text`; None when nothing searchable remains.

    For exports and the API's querysets; the catalogue pages use `matching_ids` with the facet index.
    """
    table = qs.model._meta.db_table
    if connection.vendor == "postgresql":
        expression = ts_query(user_text)
        if not expression:
            return None
        # .extra: Django has no expression for a generated tsvector column; values go in params.
        qs = qs.extra(  # noqa: S610
            where=[f"{table}.search_vector @@ to_tsquery('indonesian', %s)"],
            params=[expression],
            select={"rank": f"ts_rank({table}.search_vector, to_tsquery('indonesian', %s))"},
            select_params=[expression],
        )
        return qs.extra(order_by=["-rank", "-id"]) if order_by_rank else qs  # noqa: S610
    expression = fts_query(user_text)
    if not expression:
        return None
    # .extra: an FTS5 MATCH needs raw SQL; the user's text goes in params only. A sub-select (not a
    # join) keeps SQLite's planner starting from the full-text index.
    qs = qs.extra(  # noqa: S610
        where=[f"{table}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"],
        params=[expression],
    )
    if not order_by_rank:
        return qs
    qs = qs.extra(  # noqa: S610
        select={
            "rank": f"(SELECT bm25({FTS_TABLE}, 5.0, 1.0) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {table}.id)"
        },
        select_params=[expression],
    )
    return qs.extra(order_by=["rank", "-id"])  # noqa: S610


def rebuild_index() -> None:
    """Rebuild the SQLite FTS index from the stored columns (PostgreSQL's column is generated)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('rebuild')")  # noqa: S608 (constant)


# Constant DDL (no user input). noqa S608 below: ruff sees f-strings with SQL words.
SQLITE_SETUP = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        search_title, search_body, content='registry_innovation', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER registry_innovation_fts_ai AFTER INSERT ON registry_innovation BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_title, search_body)
        VALUES (new.id, new.search_title, new.search_body); END""",
    f"""CREATE TRIGGER registry_innovation_fts_ad AFTER DELETE ON registry_innovation BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_title, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_body); END""",
    f"""CREATE TRIGGER registry_innovation_fts_au AFTER UPDATE OF search_title, search_body
        ON registry_innovation BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_title, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_body);
        INSERT INTO {FTS_TABLE}(rowid, search_title, search_body)
        VALUES (new.id, new.search_title, new.search_body); END""",
]
SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS registry_innovation_fts_au",
    "DROP TRIGGER IF EXISTS registry_innovation_fts_ad",
    "DROP TRIGGER IF EXISTS registry_innovation_fts_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRES_SETUP = [
    """ALTER TABLE registry_innovation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('indonesian', coalesce(search_title, '')), 'A') ||
        setweight(to_tsvector('indonesian', coalesce(search_body, '')), 'B')) STORED""",
    "CREATE INDEX registry_innovation_search_gin ON registry_innovation USING GIN (search_vector)",
]
POSTGRES_TEARDOWN = [
    "DROP INDEX IF EXISTS registry_innovation_search_gin",
    "ALTER TABLE registry_innovation DROP COLUMN IF EXISTS search_vector",
]
