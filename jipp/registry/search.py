"""Full-text search over the registry, on SQLite (FTS5) and PostgreSQL (`indonesian` configuration, GIN).

Both index the same stemmed text (`Innovation.search_title` / `search_body`, filled with
PySastrawi stems by `jipp.core.text.stemmed_text`), so that Indonesian word forms match
on either database ("pelayanan kesehatan" finds "layanan sehat").

- SQLite: an external-content FTS5 table `registry_innovation_fts` over those two columns, kept
  in sync by triggers (migration 0002), ranked with bm25 (title weighs 5x).
- PostgreSQL: a stored generated `search_vector` column (migration 0005) holding the stems under
  the `indonesian` configuration and, for prefixes, under `simple`, with weights A (title) and
  B (body) and a GIN index; ranked with ts_rank.

User text never reaches the engine's query syntax: `fts_query` / `ts_query` quote every term.
"""

from django.db import connection
from django.db.models import QuerySet

from jipp.core.text import MIN_PREFIX_LENGTH, STOPWORDS, TOKEN_RE, fts_query, stem, stemmed_text, tokens

FTS_TABLE = "registry_innovation_fts"


def search_columns(*, title: str, texts: list[str]) -> dict[str, str]:
    """The stemmed values to store on an innovation for search."""
    return {"search_title": stemmed_text(title), "search_body": stemmed_text("\n".join(t for t in texts if t))}


def ts_query(user_text: str) -> tuple[str, str] | None:
    """Safe PostgreSQL tsquery texts for `user_text`: (whole words, word being typed), or None.

    Whole words are PySastrawi stems, matched with the `indonesian` configuration; the last word
    (when still being typed) is a prefix matched with `simple`, because `indonesian` would stem the
    stored stems once more ("sekolah" -> "seko") and a typed prefix ("sekol") would no longer be a
    prefix of them. Tokens are letters and digits only, so no tsquery syntax gets through.
    """
    words = tokens(user_text)
    if not words:
        return None
    partial = None
    if TOKEN_RE.fullmatch(user_text[-1]) and len(words[-1]) >= MIN_PREFIX_LENGTH:
        partial = words.pop()
    whole = " & ".join(dict.fromkeys(f"'{stem(w)}'" for w in words if w not in STOPWORDS))
    prefix = " | ".join(f"'{p}':*" for p in dict.fromkeys([stem(partial), partial])) if partial else ""
    if not whole and not prefix:
        return None
    return whole, prefix


def ts_sql(user_text: str) -> tuple[str, list[str]] | None:
    """The tsquery SQL expression and its parameters for `user_text` (see ts_query)."""
    parts = ts_query(user_text)
    if parts is None:
        return None
    whole, prefix = parts
    fragments, params = [], []
    if whole:
        fragments.append("to_tsquery('indonesian', %s)")
        params.append(whole)
    if prefix:
        fragments.append("to_tsquery('simple', %s)")
        params.append(prefix)
    return "(" + " && ".join(fragments) + ")", params


def matching_ids(user_text: str, *, ranked: bool = True) -> list[int] | None:
    """Ids of all innovations (any status) matching `user_text`; None when nothing is searchable.

    Best first when `ranked` (otherwise in no particular order, which is cheaper). One full-text
    query, driven by the index (no join), so its cost is that of the raw search.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = ts_sql(user_text)
            if query is None:
                return None
            expression, params = query
            sql = f"SELECT id FROM registry_innovation WHERE search_vector @@ {expression}"
            if ranked:
                sql += f" ORDER BY ts_rank(search_vector, {expression}) DESC, id DESC"
                params = params * 2
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
        query = ts_sql(user_text)
        if query is None:
            return None
        expression, params = query
        # .extra: Django has no expression for a generated tsvector column; values go in params.
        qs = qs.extra(  # noqa: S610
            where=[f"{table}.search_vector @@ {expression}"],
            params=params,
            select={"rank": f"ts_rank({table}.search_vector, {expression})"},
            select_params=params,
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
