"""An in-memory index of the published innovations' small columns, for fast catalogue searches.

Awards (several per innovation) are kept as rows of (innovation position, year, tier), so that
an award year and tier filter match one award holding both. The index reloads when awards change
because recording an award moves the innovation's `updated_at`.

The catalogue must answer a search with its total, 15 facet counts and one ordered page in a
few tens of milliseconds at 100,000 innovations. Counting in SQL costs one scan per facet; here
each process keeps the columns as NumPy arrays (about 15 MB at 100,000 rows), reloaded when the
table changes (see `_fingerprint`), and the database is asked only for the full-text matches and
the 20 rows of the page. Loading through the ORM took 2 s at 100,000 rows and 25 to 49 s at
1,000,000 (PostgreSQL, the busy test machine); on PostgreSQL each column is now read as one string
(`_read_rows_pg`: the first request after a change about 10 s at 1,000,000 under load), still once
per process after each change (no incremental update).
"""

import threading
from dataclasses import dataclass, field

import numpy as np
from django.db import DEFAULT_DB_ALIAS, connections, router

from jipp.regions.models import Region
from jipp.registry.models import Award, Category, Innovation, Sdg

COLUMNS = (
    "id", "published_at", "replication_count", "province_id", "region_id", "agency_id", "agency_type", "phase",
    "stage", "is_digital", "continuity", "award_tier", "year_started", "has_legal_basis", "category_mask", "sdg_mask",
)  # fmt: skip
CODED = ("province_id", "region_id", "agency_type", "phase", "stage", "continuity", "award_tier", "year_started")
TEXT_CODED = ("agency_type", "phase", "stage", "continuity", "award_tier")


@dataclass
class FacetIndex:
    fingerprint: tuple
    ids: np.ndarray  # sorted ascending
    newest: np.ndarray  # positions, newest first
    most_replicated: np.ndarray  # positions, most replicated first
    values: dict  # column -> array of distinct values (for coded columns)
    codes: dict  # column -> int array of codes into values
    arrays: dict  # column -> raw array (booleans, masks, counts, ids)
    # One row per award of a published innovation: pos (position of the innovation), year, tier (code
    # into `tiers`, the sorted distinct tier codes).
    awards: dict
    # Bit masks (category_mask, sdg_mask) as codes into their distinct values: a facet counts the
    # codes once (np.bincount) and then the bits of the few distinct masks, not every bit of every row.
    mask_codes: dict = field(default_factory=dict)  # column -> (distinct masks, int32 codes)
    # Reference rows for the facets' labels, read with the index (one query each per reload, not per
    # request): region id -> (code, name); categories and SDGs (their names follow the active language).
    regions: dict = field(default_factory=dict)
    categories: list = field(default_factory=list)
    sdgs: list = field(default_factory=list)

    def award_tier_code(self, code: str) -> int:
        matches = np.nonzero(self.awards["tiers"] == code)[0]
        return int(matches[0]) if len(matches) else -1

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        """Positions (in rank order) of those `ids` that are published."""
        wanted = np.asarray(ids, dtype=np.int64)
        pos = np.searchsorted(self.ids, wanted)
        pos = np.clip(pos, 0, len(self.ids) - 1)
        found = self.ids[pos] == wanted if len(self.ids) else np.zeros(len(wanted), dtype=bool)
        return pos[found]

    def code_of(self, column: str, value) -> int:
        """The code of `value` in `column`, or -1 (matches nothing) when no published row has it."""
        matches = np.nonzero(self.values[column] == value)[0]
        return int(matches[0]) if len(matches) else -1


_lock = threading.Lock()
_current: dict[str, FacetIndex] = {}


def _fingerprint() -> tuple:
    """What changes whenever the published rows or their awards do (on the connection that reads them).

    SQLite: COUNT(*) and MAX(updated_at), two queries each answered from an index (SQLite cannot do
    both in one; well under a millisecond at 100,000 rows), and the number of awards (recording or
    changing an award moves its innovation's updated_at; deleting one does not). PostgreSQL:
    COUNT(*) reads a whole index (tens of milliseconds at 100,000 rows, ten times that at 1,000,000), so one query reads
    MAX(updated_at) and MAX(id) (one step down a B-tree each: edits and inserts) and the deletions
    counter kept by triggers (registry migration 0015). The connection is the one that reads
    innovations (a read replica on public pages, when configured).
    """
    connection = connections[router.db_for_read(Innovation) or "default"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT (SELECT MAX(updated_at) FROM registry_innovation), (SELECT MAX(id) FROM registry_innovation), "
                "(SELECT deletions FROM registry_catalogue_deletions WHERE id = 1)"
            )
            state = tuple(str(value) for value in cursor.fetchone())
        else:
            cursor.execute("SELECT COUNT(*) FROM registry_innovation")
            (count,) = cursor.fetchone()
            cursor.execute("SELECT MAX(updated_at) FROM registry_innovation")
            (latest,) = cursor.fetchone()
            cursor.execute("SELECT COUNT(*) FROM registry_award")  # a deleted award moves no innovation
            (awards,) = cursor.fetchone()
            state = (count, str(latest), awards)
    return (connection.alias, connection.settings_dict["NAME"], *state)


def _read_rows(using: str) -> tuple[np.ndarray, np.ndarray, dict, dict, dict]:
    """The published rows' columns through the ORM: (ids, published stamps, values, codes, arrays)."""
    rows = list(
        Innovation.objects.using(using).filter(status=Innovation.Status.PUBLISHED).order_by("id").values_list(*COLUMNS)
    )
    columns = {name: [row[i] for row in rows] for i, name in enumerate(COLUMNS)}
    n = len(rows)
    ids = np.fromiter(columns["id"], dtype=np.int64, count=n)
    stamps = (p.timestamp() if p else 0.0 for p in columns["published_at"])
    published = np.fromiter(stamps, dtype=np.float64, count=n)
    values, codes = {}, {}
    for name in CODED:
        missing = "" if name in TEXT_CODED else -1
        raw = np.array([missing if v is None else v for v in columns[name]])
        if n:
            values[name], inverse = np.unique(raw, return_inverse=True)
            codes[name] = inverse.astype(np.int32)
        else:
            values[name], codes[name] = raw, np.zeros(0, dtype=np.int32)
    arrays = {
        "agency_id": np.fromiter(columns["agency_id"], dtype=np.int64, count=n),
        "is_digital": np.fromiter(columns["is_digital"], dtype=bool, count=n),
        "has_legal_basis": np.fromiter(columns["has_legal_basis"], dtype=bool, count=n),
        "category_mask": np.fromiter(columns["category_mask"], dtype=np.int64, count=n),
        "sdg_mask": np.fromiter(columns["sdg_mask"], dtype=np.int64, count=n),
        "replication_count": np.fromiter(columns["replication_count"], dtype=np.int64, count=n),
    }
    return ids, published, values, codes, arrays


def _read_rows_pg(connection) -> tuple[np.ndarray, np.ndarray, dict, dict, dict] | None:
    """The same arrays as `_read_rows`, read on PostgreSQL as one string of numbers per column.

    Through the ORM, 1,000,000 rows took 25 to 49 s (a Python tuple and 16 converted values per
    row, then NumPy arrays built from Python objects). Here each column comes back as one string
    NumPy parses, and the text columns as codes into their distinct values (computed first and
    sorted as NumPy sorts them), so the loader never touches a row in Python. None when no row is
    published (the ORM path handles the empty index).
    """
    published_rows = f"FROM {Innovation._meta.db_table} WHERE status = %s"
    status = Innovation.Status.PUBLISHED
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"array_agg(DISTINCT coalesce({c}, ''))" for c in TEXT_CODED) + f" {published_rows}",  # nosec B608 # constant column and table names
            [status],
        )
        distinct = cursor.fetchone()
        if distinct[0] is None:
            return None
        values = {name: np.unique(np.array(found)) for name, found in zip(TEXT_CODED, distinct, strict=True)}
        numeric = {
            "id": "id", "published_at": "coalesce(extract(epoch FROM published_at), 0)",
            "replication_count": "replication_count", "province_id": "coalesce(province_id, -1)",
            "region_id": "coalesce(region_id, -1)", "agency_id": "agency_id",
            "year_started": "coalesce(year_started, -1)",
            "is_digital": "is_digital::int", "has_legal_basis": "has_legal_basis::int",
            "category_mask": "category_mask", "sdg_mask": "sdg_mask",
            **{c: f"array_position(%s::text[], coalesce({c}, '')) - 1" for c in TEXT_CODED},
        }  # fmt: skip
        names = list(numeric)
        # One sort of the rows by id (a sorted sub-select), not one per aggregate; the order is
        # checked below and restored if the aggregates did not keep it.
        aggregates = ", ".join(f"string_agg(c{i}, ' ')" for i in range(len(names)))
        selected = ", ".join(f"({numeric[c]})::text AS c{i}" for i, c in enumerate(names))
        sql = f"SELECT {aggregates} FROM (SELECT {selected} {published_rows} ORDER BY id) ordered"  # noqa: S608  # nosec B608 # constant column and table names; values are params
        cursor.execute(sql, [values[c].tolist() for c in TEXT_CODED] + [status])
        texts = dict(zip(names, cursor.fetchone(), strict=True))
    column = {c: np.fromstring(texts[c], dtype=np.int64, sep=" ") for c in names if c != "published_at"}
    column["published_at"] = np.fromstring(texts["published_at"], dtype=np.float64, sep=" ")
    if len(column["id"]) > 1 and not np.all(column["id"][1:] > column["id"][:-1]):
        order = np.argsort(column["id"], kind="stable")
        column = {c: a[order] for c, a in column.items()}
    published = column["published_at"]
    codes = {}
    for name in CODED:
        if name in TEXT_CODED:
            codes[name] = column[name].astype(np.int32)
        else:
            values[name], inverse = np.unique(column[name], return_inverse=True)
            codes[name] = inverse.astype(np.int32)
    arrays = {
        "agency_id": column["agency_id"],
        "is_digital": column["is_digital"].astype(bool),
        "has_legal_basis": column["has_legal_basis"].astype(bool),
        "category_mask": column["category_mask"],
        "sdg_mask": column["sdg_mask"],
        "replication_count": column["replication_count"],
    }
    return column["id"], published, values, codes, arrays


def _load(fingerprint: tuple) -> FacetIndex:
    connection = connections[fingerprint[0]]
    read = _read_rows_pg(connection) if connection.vendor == "postgresql" else None
    ids, published, values, codes, arrays = read if read is not None else _read_rows(fingerprint[0])
    replications = arrays["replication_count"]
    # Newest first: published_at descending, then id descending (the SQL order of the catalogue).
    newest = np.lexsort((-ids, -published))
    most_replicated = np.lexsort((-ids, -published, -replications))
    mask_codes = {}
    for name in ("category_mask", "sdg_mask"):
        distinct, inverse = np.unique(arrays[name], return_inverse=True)
        mask_codes[name] = (distinct, inverse.astype(np.int32))
    region_ids = {int(v) for name in ("province_id", "region_id") for v in values[name] if v >= 0}
    regions = {
        pk: (code, name)
        for pk, code, name in Region.objects.using(fingerprint[0])
        .filter(pk__in=region_ids)
        .values_list("pk", "code", "name")
    }
    using = fingerprint[0]
    return FacetIndex(
        fingerprint, ids, newest, most_replicated, values, codes, arrays, _load_awards(ids),
        mask_codes=mask_codes, regions=regions,
        categories=list(Category.objects.using(using).all()), sdgs=list(Sdg.objects.using(using).all()),
    )  # fmt: skip


def _load_awards(ids: np.ndarray) -> dict:
    rows = list(
        Award.objects.filter(innovation__status=Innovation.Status.PUBLISHED).values_list(
            "innovation_id", "year", "tier"
        )
    )
    innovation_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    years = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    if rows:
        tiers, tier_codes = np.unique(np.array([r[2] for r in rows]), return_inverse=True)
    else:
        tiers, tier_codes = np.array([], dtype=str), np.zeros(0, dtype=np.int64)
    return {"pos": np.searchsorted(ids, innovation_ids), "year": years, "tier": tier_codes, "tiers": tiers}


def current_index() -> FacetIndex:
    """The index for the current database contents (reloaded when they changed).

    Safe with several processes: each process keeps its own copy, and every request first reads
    the table's fingerprint from the database, so a write through any app server is seen by all.
    One copy per database alias (the primary and a read replica may differ for a moment).
    """
    fingerprint = _fingerprint()
    index = _current.get(fingerprint[0])
    if index is not None and index.fingerprint == fingerprint:
        return index
    with _lock:
        index = _current.get(fingerprint[0])
        if index is None or index.fingerprint != fingerprint:
            index = _current[fingerprint[0]] = _load(fingerprint)
        return index


def replica_version() -> tuple | None:
    """The catalogue's version as the read replica sees it, when this request reads from one; else None.

    The public cache's generation (core.public_cache) changes when a write commits on the primary; a
    replica may show it a moment later, so a page rendered from the replica in between is stamped with
    the replica's own state too and is rebuilt once the replica has the write.
    """
    if (router.db_for_read(Innovation) or DEFAULT_DB_ALIAS) == DEFAULT_DB_ALIAS:
        return None
    return _fingerprint()
