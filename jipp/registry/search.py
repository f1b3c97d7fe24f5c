"""Full-text search over the registry, on SQLite (FTS5) and PostgreSQL (GIN), with one relevance contract.

Both engines index the same stored text, computed here in Python, so that they find the same rows:

- `search_title`, `search_body`: PySastrawi stems of the title and of the texts, after folding
  accents and other letter forms to plain letters (`fold`: "Café" is stored and searched as
  "cafe"), so that Indonesian word forms match ("pelayanan kesehatan" finds "layanan sehat");
- `search_name`: the innovation's short names, unstemmed: the part of the title in brackets
  ("... (Si Cantik) ..." gives "si cantik sicantik") and the acronyms in it ("E-KTP" gives "ktp").

The ranking contract, the same on both engines:

1. rows whose short name holds every searched word come first (an acronym or short name search
   finds its innovation at the top, whatever the other rows' texts say);
2. then by relevance: title matches weigh 5x body matches (FTS5 bm25 with column weights;
   PostgreSQL ts_rank_cd with the same weights);
3. ties: newest id first.

- SQLite: an external-content FTS5 table `registry_innovation_fts` (search_title, search_body,
  search_name) kept in sync by triggers (migration 0006).
- PostgreSQL: a narrow side table `registry_innovation_search` (migration 0012, kept in step by
  triggers) with `search_vector` (short names weight A, title B, body D) and `rank_vector` (short
  names and title), each with a GIN index. Ranking every match of a common word with ts_rank over
  its whole vector is what made PostgreSQL slow (about 800 ms at 100,000 innovations), so the
  ranking is bounded: every match comes from the index alone; a cheap first order (short-name
  matches, then name-or-title matches, then the rest, newest first; all from the indexes) picks
  at most `RANK_CANDIDATES` rows; only those get ts_rank_cd over their whole vector; the remaining
  matches follow newest first. The matches are returned as one string per statement rather than
  one row per match: two statements per search (`_pg_matches`).

Capped search (both engines): a search matching more than `MATCH_CAP` innovations (a common word
such as "desa" at national scale) reads only the newest `MATCH_CAP` matches and every short-name
match, ranks those as above, and says so (`Matches.capped`): the catalogue shows "more than N" and
counts its facets over that set. A search under the cap is exact, as before.

User text never reaches the engine's query syntax: every term is quoted.
"""

import json
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import QuerySet

from jipp.core.text import MIN_PREFIX_LENGTH, STOPWORDS, TOKEN_RE, stem, stemmed_text, tokens

FTS_TABLE = "registry_innovation_fts"
PG_TABLE = "registry_innovation_search"
NAME_MARK = "qx"  # PostgreSQL: short-name lexemes are stored as "qx" + token (migration 0012)
# PostgreSQL: how many of the matches get the full ranking (the pages a person reads).
RANK_CANDIDATES = 400
# A search matching more than this many innovations reads only the newest MATCH_CAP matches (plus
# every short-name match) and says "more than N": at 1,000,000 innovations the common words of the
# data match a third to two thirds of the registry, and reading every match took 300 to 450 ms
# (bench/README.md). 10,000: the newest 10,000 of "desa" (683,000 matches) are read in about 65 ms
# on PostgreSQL, 50,000 took 330 ms. Tests lower it with the setting REGISTRY_SEARCH_CAP.
MATCH_CAP = 10_000
# PostgreSQL: the ordered scan for a capped search tests at most this many times the cap rows.
CAP_SCAN_FACTOR = 4
# PostgreSQL: testing a row's vector in key order costs more than a match found through the GIN
# index, so the key order is used when the rows it tests (cap x rows / matches) cost less than the
# matches: matches^2 >= DENSE_COST_RATIO x cap x rows. 5 from the bench: at 1,000,000 the words in
# 300,000 and more rows are faster in key order ("pelayanan kesehatan" 315 -> 178 ms with 20 -> 5);
# at 100,000 no word is ("pertanian", 30,600 matches: 300 ms in key order, 45 ms through GIN).
DENSE_COST_RATIO = 5
# A capped search takes its title-match candidates for the ranking among its newest TITLE_POOL matches.
TITLE_POOL = 2_000
# bm25 column weights (title, body, name) and the same weights for ts_rank_cd ({D, C, B, A}).
BM25_WEIGHTS = "5.0, 1.0, 10.0"
TS_WEIGHTS = "'{0.1, 0.1, 0.5, 1.0}'"

# Letters that Unicode does not decompose into a plain letter and a mark.
_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
     "ß": "ss", "ı": "i", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH"}
)  # fmt: skip
_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


def fold(text: str) -> str:
    """`text` with accents and compatibility forms folded to plain letters ("Café" -> "Cafe", "ﬁ" -> "fi")."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_text(title: str) -> str:
    """The short names in `title`, as stored in `search_name`: folded, lower-case, unstemmed tokens.

    The part in brackets gives its tokens and, when it has several, their concatenation ("(Si
    Cantik)" -> "si cantik sicantik", so "sicantik" finds it too); an all-capitals token of two or
    more letters anywhere in the title is an acronym ("Layanan E-KTP" -> "ktp").
    """
    folded = fold(title)
    names: list[str] = []
    for match in _BRACKETS.finditer(folded):
        inside = tokens(match.group(1) or match.group(2) or "")
        names += inside
        if len(inside) > 1:
            names.append("".join(inside))
    names += [t.lower() for t in TOKEN_RE.findall(folded) if len(t) >= 2 and t.isupper()]
    return " ".join(dict.fromkeys(names))


def search_columns(*, title: str, texts: list[str]) -> dict[str, str]:
    """The values to store on an innovation for search (see the module docstring)."""
    return {
        "search_title": stemmed_text(fold(title)),
        "search_body": stemmed_text(fold("\n".join(t for t in texts if t))),
        "search_name": name_text(title),
    }


def _terms(user_text: str) -> tuple[list[str], str | None]:
    """The whole words (not stopwords, de-duplicated) and the word being typed, folded and lower-cased."""
    text = fold(user_text)
    words = tokens(text)
    if not words:
        return [], None
    partial = None
    if TOKEN_RE.fullmatch(text[-1]) and len(words[-1]) >= MIN_PREFIX_LENGTH:
        partial = words.pop()
    return list(dict.fromkeys(w for w in words if w not in STOPWORDS)), partial


def _quote_fts(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def sqlite_queries(user_text: str) -> tuple[str, str]:
    """FTS5 expressions (all matches, short-name matches) for `user_text`; ("", "") when nothing is searchable.

    A whole word matches its stem in any column or itself in the short name; the word being typed
    is a prefix of its stem or of itself (see `jipp.core.text.fts_query`).
    """
    whole, partial = _terms(user_text)
    terms = [f"({_quote_fts(stem(w))} OR search_name : {_quote_fts(w)})" for w in whole]
    names = [_quote_fts(w) for w in whole]
    if partial is not None:
        prefixes = dict.fromkeys([stem(partial), partial])
        terms.append("(" + " OR ".join(_quote_fts(p) + "*" for p in prefixes) + ")")
        names.append(_quote_fts(partial) + "*")
    if not terms:
        return "", ""
    return " AND ".join(terms), "search_name : (" + " AND ".join(names) + ")"


def _prefixes(partial: str) -> str:
    options = dict.fromkeys([stem(partial), partial, NAME_MARK + partial])
    return "(" + " | ".join(f"'{p}':*" for p in options) + ")"


def ts_sql(user_text: str) -> tuple[str, list[str], str, list[str]] | None:
    """SQL for `user_text` on PostgreSQL: (match expression, its params, short-name expression, its params).

    A whole word is `(to_tsquery('indonesian', stem) || to_tsquery('simple', 'qx' + word))` (its
    stem, or the word itself among the short names); the word being typed is a prefix of its stem,
    of itself or of a short name, under `simple` (the `indonesian` configuration would stem the
    stored stems once more: "sekolah" -> "seko", and "sekol" would not match). Tokens are letters
    and digits only, so no tsquery syntax gets through; no weight restriction, so the GIN index
    answers without rechecking rows.
    """
    whole, partial = _terms(user_text)
    if not whole and partial is None:
        return None
    fragments, params = [], []
    for word in whole:
        fragments.append("(to_tsquery('indonesian', %s) || to_tsquery('simple', %s))")
        params += [f"'{stem(word)}'", f"'{NAME_MARK}{word}'"]
    if partial:
        fragments.append("to_tsquery('simple', %s)")
        params.append(_prefixes(partial))
    names = [f"'{NAME_MARK}{w}'" for w in whole] + ([f"'{NAME_MARK}{partial}':*"] if partial else [])
    return "(" + " && ".join(fragments) + ")", params, "to_tsquery('simple', %s)", [" & ".join(names)]


def _read_connection():
    """The connection reads of innovations go to (the read replica on public pages, when configured)."""
    from jipp.registry.models import Innovation

    return connections[router.db_for_read(Innovation) or "default"]


def _ids(text: str | None) -> np.ndarray:
    return np.fromstring(text, dtype=np.int64, sep=" ") if text else np.zeros(0, dtype=np.int64)


def _newest(ids: np.ndarray, n: int) -> np.ndarray:
    """The `n` highest of `ids`, highest first."""
    if len(ids) > n:
        ids = np.partition(ids, len(ids) - n)[len(ids) - n :]
    return -np.sort(-ids)


def match_cap() -> int:
    """The cap on the matches a catalogue search reads (the setting REGISTRY_SEARCH_CAP, else MATCH_CAP)."""
    return int(getattr(settings, "REGISTRY_SEARCH_CAP", MATCH_CAP))


@dataclass(frozen=True)
class Matches:
    """The matches of a search, best first when ranked.

    `capped`: the search matched more than the cap; `ids` holds only the newest `match_cap()`
    matches (highest ids) and every short-name match, so counts and facets over them are a lower
    bound ("more than N").
    """

    ids: np.ndarray
    capped: bool = False


def _pg_estimate(cursor, expression: str, params: list) -> float:
    """The planner's estimate of the matches (from the column statistics; no row is read)."""
    cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {PG_TABLE} WHERE search_vector @@ {expression}", params)  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _pg_newest(cursor, expression: str, params: list, cap: int, dense: bool) -> np.ndarray:
    """The newest `cap` + 1 matches (all of them when there are fewer), newest first.

    `dense` (the planner expects so many matches that testing rows in key order is cheaper, see
    DENSE_COST_RATIO): walk the side
    table's primary key backwards and test each row's vector, stopping at `cap` + 1 matches; for
    "desa" (683,000 matches at 1,000,000 innovations) 10,000 are found in about 65 ms. Bounded:
    at most CAP_SCAN_FACTOR x `cap` rows are tested; if they hold fewer matches, the sparse way
    follows. Otherwise (sparse) the GIN index finds every match and PostgreSQL keeps the newest
    `cap` + 1 (a top-N sort, only those ids leave the database): about 160 ms for 683,000
    matches, less for fewer, where reading every match as a string took 300 to 450 ms (the
    planner, left to choose, walks the key order for both and tests up to every row).
    """
    if dense:
        cursor.execute(
            f"SELECT string_agg(innovation_id::text, ' ') FROM (SELECT innovation_id FROM ("  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
            f"SELECT innovation_id, search_vector FROM {PG_TABLE} ORDER BY innovation_id DESC LIMIT %s) newest "
            f"WHERE search_vector @@ {expression} LIMIT %s) found",
            [CAP_SCAN_FACTOR * cap, *params, cap + 1],
        )
        ids = _ids(cursor.fetchone()[0])
        if len(ids) > cap:
            return ids
    # "innovation_id + 0": an order the primary key cannot give, so the GIN index is used (left to
    # choose, the planner walks the key order testing every row's vector: 270 ms and more).
    cursor.execute(
        f"SELECT string_agg(innovation_id::text, ' ') FROM (SELECT innovation_id FROM {PG_TABLE} "  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
        f"WHERE search_vector @@ {expression} ORDER BY innovation_id + 0 DESC LIMIT %s) found",
        [*params, cap + 1],
    )
    return _ids(cursor.fetchone()[0])


def _pg_newest_titles(cursor, expression: str, params: list, newest: np.ndarray) -> np.ndarray:
    """A capped search's title matches among its newest TITLE_POOL matches (`newest`, newest first).

    Bounded: TITLE_POOL rows looked up by key and their short vectors tested (about 10 ms at
    1,000,000 innovations), where the title matches in the whole capped set took 10 to 120 ms
    through the GIN index (every title match of "desa" read, then the newest kept) and up to
    700 ms when the planner walked the key range instead.
    """
    pool = newest[:TITLE_POOL].tolist()
    cursor.execute(
        f"SELECT string_agg(innovation_id::text, ' ') FROM {PG_TABLE} "  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
        f"WHERE innovation_id = ANY(%s) AND rank_vector @@ {expression}",
        [pool, *params],
    )
    return _ids(cursor.fetchone()[0])


def _keep_newest(matches: np.ndarray, named: np.ndarray, cap: int) -> np.ndarray:
    """The newest `cap` of `matches` and every short-name match, newest first."""
    return _newest(np.union1d(_newest(matches, cap), named), cap + len(named))


def _pg_rank(cursor, expression: str, params: list, matches, named, titled) -> np.ndarray:
    """`matches` best first: short-name matches, then RANK_CANDIDATES ranked with ts_rank_cd, then newest first."""
    # Cheap first order: short-name matches, then the newest title matches, then the newest.
    first = np.concatenate([-np.sort(-named), _newest(titled, RANK_CANDIDATES), _newest(matches, RANK_CANDIDATES)])
    _unique, where = np.unique(first, return_index=True)
    candidates = first[np.sort(where)][:RANK_CANDIDATES]
    cursor.execute(
        f"SELECT innovation_id, ts_rank_cd({TS_WEIGHTS}, search_vector, {expression}) FROM {PG_TABLE} "  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
        "WHERE innovation_id = ANY(%s)",
        [*params, candidates.tolist()],
    )
    named_set = set(named.tolist())
    scored = sorted(cursor.fetchall(), key=lambda row: (row[0] not in named_set, -row[1], -row[0]))
    best = np.fromiter((row[0] for row in scored), dtype=np.int64, count=len(scored))
    rest = -np.sort(-matches)  # newest (highest id) first
    return np.concatenate([best, rest[~np.isin(rest, best)]])


def _pg_matches(connection, user_text: str, ranked: bool, cap: int, within: np.ndarray | None) -> Matches | None:
    """PostgreSQL: the matches from the GIN index, capped, and the bounded ranking (see the module docstring).

    Fetching tens of thousands of rows through the cursor cost more than finding them (about 70 ms
    for the 68,000 matches of "desa" at 100,000 innovations), and on a busy machine every round trip
    waits for a time slice. So one statement answers one row: every match, the short-name matches
    and the title matches, each as one string NumPy parses (or an array); the candidates are picked
    here (sorting tens of thousands of ids is much cheaper in NumPy than in the database) and a
    second statement ranks only them. The other matches follow newest first.

    When the planner expects more than `cap` matches, only the newest `cap` + 1 are read
    (`_pg_newest`); more than `cap` found, the search is capped. Then only the short-name matches
    and the newest title matches among those are read besides, and the same ranking runs.
    Otherwise the exact path above runs, and is capped afterwards if it found more than `cap`. `within`: only these ids
    (the catalogue's filters), exact, never capped.
    """
    query = ts_sql(user_text)
    if query is None:
        return None
    expression, params, name, name_params = query
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # Matching reads the index and the narrow rows; a sequential scan would read every vector.
        # A lossy bitmap (work_mem too small for the matches' row ids) would recheck every vector.
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), set_config('work_mem', '64MB', true), "  # nosec B608 # a constant table name, no user input
            f"(SELECT reltuples FROM pg_class WHERE oid = '{PG_TABLE}'::regclass)"
        )
        rows = cursor.fetchone()[2]
        if within is not None:
            return _pg_within(cursor, expression, params, name, name_params, ranked, within)
        expected = _pg_estimate(cursor, expression, params)
        if expected > cap:
            dense = expected * CAP_SCAN_FACTOR >= rows and expected**2 >= DENSE_COST_RATIO * cap * rows
            newest = _pg_newest(cursor, expression, params, cap, dense=dense)
            newest = _newest(newest, len(newest))  # fewer than cap + 1: every match, the exact result
            capped = len(newest) > cap
            if not len(newest):
                return Matches(newest)
            named_sql = f"SELECT array_agg(innovation_id) FROM {PG_TABLE} WHERE rank_vector @@ {name}"  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
            cursor.execute(named_sql, name_params)
            named = np.asarray(cursor.fetchone()[0] or [], dtype=np.int64)
            matches = _keep_newest(newest, named, cap) if capped else newest
            if not ranked:
                return Matches(matches, capped=capped)
            titled = _pg_newest_titles(cursor, expression, params, newest[:cap])
            return Matches(_pg_rank(cursor, expression, params, matches, named, titled), capped=capped)
        every = f"SELECT string_agg(innovation_id::text, ' ') FROM {PG_TABLE} WHERE search_vector @@ {expression}"  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
        if ranked:
            sql = (
                f"SELECT ({every}), "  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
                f"(SELECT array_agg(innovation_id) FROM {PG_TABLE} WHERE rank_vector @@ {name}), "
                f"(SELECT string_agg(innovation_id::text, ' ') FROM {PG_TABLE} WHERE rank_vector @@ {expression})"
            )
            values = [*params, *name_params, *params]
        else:
            sql, values = f"SELECT ({every}), NULL, NULL", params
        cursor.execute(sql, values)
        every_text, named, titled_text = cursor.fetchone()
        matches = _ids(every_text)
        named = np.asarray(named or [], dtype=np.int64)
        capped = len(matches) > cap
        titled = _ids(titled_text)
        if capped:
            titled = titled[titled >= _newest(matches, cap).min()]
            matches = _keep_newest(matches, named, cap)
        if not ranked or not len(matches):
            return Matches(matches, capped=capped)
        return Matches(_pg_rank(cursor, expression, params, matches, named, titled), capped=capped)


def _pg_within(cursor, expression, params, name, name_params, ranked, within) -> Matches:
    """The matches among the ids `within` (at most the cap: a bounded number of vectors tested), exact."""
    among = f"FROM {PG_TABLE} WHERE innovation_id = ANY(%s) AND"  # nosec B608 # constant names only
    cursor.execute(
        f"SELECT (SELECT string_agg(innovation_id::text, ' ') {among} search_vector @@ {expression}), "  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
        f"(SELECT array_agg(innovation_id) {among} rank_vector @@ {name}), "
        f"(SELECT string_agg(innovation_id::text, ' ') {among} rank_vector @@ {expression})",
        [within.tolist(), *params, within.tolist(), *name_params, within.tolist(), *params],
    )
    every_text, named, titled_text = cursor.fetchone()
    matches = _ids(every_text)
    if not ranked or not len(matches):
        return Matches(matches)
    named = np.asarray(named or [], dtype=np.int64)
    return Matches(_pg_rank(cursor, expression, params, matches, named, _ids(titled_text)))


def _sqlite_matches(connection, user_text: str, ranked: bool, cap: int, within: np.ndarray | None) -> Matches | None:
    """SQLite: the newest `cap` + 1 matches first (FTS5 reads its doclists in rowid order and stops), then,
    if there were no more than `cap`, every match exactly as before; otherwise the newest `cap` and every
    short-name match, ranked with bm25 among themselves. `within`: only these ids, exact, never capped."""
    expression, names = sqlite_queries(user_text)
    if not expression:
        return None
    base = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
    named_sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
    sql, params, capped = base, [expression], False
    with connection.cursor() as cursor:
        if within is not None:
            sql += " AND rowid IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(within.tolist()))
        else:
            cursor.execute(base + " ORDER BY rowid DESC LIMIT %s", [expression, cap + 1])
            newest = [row[0] for row in cursor.fetchall()]
            capped = len(newest) > cap
            if capped:
                sql += f" AND (rowid >= %s OR rowid IN ({named_sql}))"
                params += [newest[cap - 1], names]
            elif not ranked:
                return Matches(np.asarray(newest, dtype=np.int64))
        if ranked:
            sql += f" ORDER BY rowid NOT IN ({named_sql}), bm25({FTS_TABLE}, {BM25_WEIGHTS}), rowid DESC"
            params.append(names)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return Matches(np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)), capped=capped)


def search_matches(user_text: str, *, ranked: bool = True, within: np.ndarray | None = None) -> Matches | None:
    """The innovations (any status) matching `user_text`, capped at `match_cap()`; None when nothing is searchable.

    Best first when `ranked` (see the ranking contract above), otherwise in no particular order
    (cheaper). A search matching more than the cap reads only the newest cap matches and every
    short-name match (`Matches.capped`). `within`: only among these ids (at most the cap), exact.
    """
    connection = _read_connection()
    search = _pg_matches if connection.vendor == "postgresql" else _sqlite_matches
    return search(connection, user_text, ranked, match_cap(), within)


def matching_ids(user_text: str, *, ranked: bool = True) -> np.ndarray | None:
    """The ids of `search_matches` (capped the same way); None when nothing is searchable."""
    matches = search_matches(user_text, ranked=ranked)
    return None if matches is None else matches.ids


def apply_search(qs: QuerySet, user_text: str, *, order_by_rank: bool) -> QuerySet | None:
    """Restrict `qs` (Innovation) to rows matching `user_text`; None when nothing searchable remains.

    For exports; the catalogue pages and the API use `matching_ids` with the facet index. Ordered by
    the ranking contract when `order_by_rank` (on PostgreSQL fully ranked, where `matching_ids`
    ranks only its first RANK_CANDIDATES; the first pages agree).
    """
    table = qs.model._meta.db_table
    if connections[qs.db].vendor == "postgresql":
        query = ts_sql(user_text)
        if query is None:
            return None
        expression, params, name, name_params = query
        # .extra: the side table and tsquery have no ORM expressions; values go in params.
        qs = qs.extra(  # noqa: S610  # nosec B610 # no ORM form for full-text SQL; the user's text goes in params only
            where=[f"{table}.id IN (SELECT innovation_id FROM {PG_TABLE} WHERE search_vector @@ {expression})"],  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
            params=params,
        )
        if not order_by_rank:
            return qs
        qs = qs.extra(  # noqa: S610  # nosec B610 # no ORM form for full-text SQL; the user's text goes in params only
            select={
                "named": f"{table}.id IN (SELECT innovation_id FROM {PG_TABLE} WHERE rank_vector @@ {name})",  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
                "rank": f"(SELECT ts_rank_cd({TS_WEIGHTS}, s.search_vector, {expression}) FROM {PG_TABLE} s "  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
                f"WHERE s.innovation_id = {table}.id)",
            },
            select_params=name_params + params,
        )
        return qs.extra(order_by=["-named", "-rank", "-id"])  # noqa: S610
    expression, names = sqlite_queries(user_text)
    if not expression:
        return None
    # .extra: an FTS5 MATCH needs raw SQL; the user's text goes in params only. A sub-select (not a
    # join) keeps SQLite's planner starting from the full-text index.
    qs = qs.extra(  # noqa: S610  # nosec B610 # no ORM form for full-text SQL; the user's text goes in params only
        where=[f"{table}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"],  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
        params=[expression],
    )
    if not order_by_rank:
        return qs
    qs = qs.extra(  # noqa: S610  # nosec B610 # no ORM form for full-text SQL; the user's text goes in params only
        select={
            "named": f"{table}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
            "rank": f"(SELECT bm25({FTS_TABLE}, {BM25_WEIGHTS}) FROM {FTS_TABLE} "  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {table}.id)",
        },
        select_params=[names, expression],
    )
    return qs.extra(order_by=["-named", "rank", "-id"])  # noqa: S610


def rebuild_index() -> None:
    """Rebuild the SQLite FTS index from the stored columns (PostgreSQL's columns are generated)."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('rebuild')")  # noqa: S608 (constant)  # nosec B608 # SQL built from constant names and fixed fragments; the user's text goes in params only
