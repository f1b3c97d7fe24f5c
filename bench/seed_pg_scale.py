"""Grow a PostgreSQL registry seeded at 100,000 innovations to 1,000,000 (or --target), in SQL.

`seed_demo --scale national` writes innovations one batch at a time through Django and computes
their search text in Python: at 1,000,000 rows that takes hours on this machine. For the
catalogue's latency at 1,000,000 the rows' texts matter less than their number, so this copies the
seeded rows (and their awards and search vectors) again and again with new ids, in a few
`INSERT ... SELECT` statements, with the search trigger off and the GIN indexes rebuilt once at the
end. Every query then has about 10 times the matches it had at 100,000 (the same words in the same
proportions). Idempotent: does nothing when the database already has --target rows.

Usage (a database seeded by `seed_demo --scale national --only regions,accounts,registry`,
ideally a copy: `createdb -T jipp100k jipp1m`):

    python bench/seed_pg_scale.py postgres://postgres@127.0.0.1:5433/jipp1m --target 1000000

Bounded: every statement runs under a 30-minute statement timeout; prints each step's time.
"""

from __future__ import annotations

import argparse
import sys
import time

import psycopg

SKIP = {"id"}


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", [table]
    )
    return [row[0] for row in cursor.fetchall() if row[0] not in SKIP]


def _step(cursor, label: str, sql: str, params=None) -> None:
    started = time.perf_counter()
    cursor.execute(sql, params)
    print(f"  {label}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def grow(url: str, target: int) -> None:
    with psycopg.connect(url, autocommit=True) as connection, connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '30min'")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM registry_innovation")
        count, top = cursor.fetchone()
        if count >= target:
            print(f"  {count:,} innovations already (target {target:,})", file=sys.stderr)
            return
        if count == 0:
            raise SystemExit("seed the database first (seed_demo --scale national --only regions,accounts,registry)")
        offset = 10 ** len(str(top))  # copy k has ids id + k * offset (readable, never colliding)
        copies = -(-(target - count) // count)
        innovation_columns = ", ".join(_columns(cursor, "registry_innovation"))
        award_columns = [c for c in _columns(cursor, "registry_award") if c != "innovation_id"]
        with connection.transaction():
            _step(
                cursor,
                "search trigger off",
                "ALTER TABLE registry_innovation DISABLE TRIGGER registry_innovation_search_sync",
            )
            _step(
                cursor,
                "GIN indexes dropped",
                "DROP INDEX registry_innovation_search_vector_gin, registry_innovation_search_rank_gin",
            )
            for k in range(1, copies + 1):
                remaining = target - count - (k - 1) * count
                limit = min(count, remaining)
                _step(
                    cursor,
                    f"copy {k}/{copies}: {limit:,} innovations",
                    f"INSERT INTO registry_innovation (id, {innovation_columns}) SELECT id + %s, "  # noqa: S608 (column names)
                    f"{innovation_columns} FROM registry_innovation WHERE id <= %s ORDER BY id LIMIT %s",
                    [k * offset, top, limit],
                )
                _step(
                    cursor,
                    f"copy {k}/{copies}: search vectors",
                    "INSERT INTO registry_innovation_search (innovation_id, search_vector, rank_vector) "
                    "SELECT s.innovation_id + %s, s.search_vector, s.rank_vector FROM registry_innovation_search s "
                    "JOIN registry_innovation i ON i.id = s.innovation_id + %s WHERE s.innovation_id <= %s",
                    [k * offset, k * offset, top],
                )
                _step(
                    cursor,
                    f"copy {k}/{copies}: awards",
                    f"INSERT INTO registry_award (innovation_id, {', '.join(award_columns)}) "  # noqa: S608 (column names)
                    f"SELECT a.innovation_id + %s, {', '.join('a.' + c for c in award_columns)} FROM registry_award a "
                    "JOIN registry_innovation i ON i.id = a.innovation_id + %s WHERE a.innovation_id <= %s",
                    [k * offset, k * offset, top],
                )
            for table in ("registry_innovation", "registry_award"):
                _step(
                    cursor,
                    f"{table}: identity moved past the copies",
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))",  # noqa: S608, E501 (a constant table name)
                )
            for column in ("search_vector", "rank_vector"):
                index = (
                    "registry_innovation_search_vector_gin"
                    if column == "search_vector"
                    else "registry_innovation_search_rank_gin"
                )
                _step(cursor, f"GIN index ({column})",
                      f"CREATE INDEX {index} ON registry_innovation_search USING GIN ({column})")  # fmt: skip
        # After the commit: the copies' deferred foreign-key checks are pending until then.
        _step(
            cursor,
            "search trigger on",
            "ALTER TABLE registry_innovation ENABLE TRIGGER registry_innovation_search_sync",
        )
        for table in ("registry_innovation", "registry_innovation_search", "registry_award"):
            _step(cursor, f"VACUUM ANALYZE {table}", f"VACUUM ANALYZE {table}")
        cursor.execute("SELECT count(*) FROM registry_innovation")
        print(f"  {cursor.fetchone()[0]:,} innovations", file=sys.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--target", type=int, default=1_000_000)
    args = parser.parse_args()
    grow(args.url, args.target)
