""" "Similar innovations": TF-IDF cosine similarity over the stored Indonesian stems.

Each innovation's `search_title` and `search_body` already hold PySastrawi stems (see
jipp.registry.search), so the vectorizer only splits on spaces. The title counts twice. Terms in
fewer than 2 innovations or in more than half of them (5% in a registry of 2,000+) carry no
signal and are dropped. Every innovation (drafts too, for their editors) gets the ids of the 5 most similar *published*
innovations other than itself, stored in `Innovation.similar_ids`.

Cost at national scale (100,000 innovations, 2 cores): one sparse matrix (float32); the
neighbours are found in chunks of CHUNK rows (a sparse product with the corpus, then a partial
sort of each row's non-zero scores), so memory stays bounded and the time is linear in
the number of chunks. See `refresh_all`, run by `manage.py refresh_similar` and nightly.

One changed innovation (`refresh_one`, a background task) reuses the model fitted by the last
run in this process when it is recent (the idf barely moves with one record), and refits
otherwise.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction

from jipp.registry.models import Innovation

TOP_K = 5
CHUNK = 512
MODEL_MAX_AGE = 600  # seconds a fitted model is reused for single refreshes in one process
MIN_SCORE = 0.05  # below this two texts share nothing worth showing


@dataclass
class Model:
    vectorizer: object
    matrix: object  # csr_matrix (published innovations x terms), L2-normalised rows
    ids: np.ndarray  # innovation id of each matrix row
    fitted_at: float


_cache: dict[str, Model] = {}


def _document(title: str, body: str) -> str:
    return f"{title} {title} {body}"


def _vectorizer(n_docs: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=str.split,
        min_df=2 if n_docs >= 20 else 1,
        # In a big registry a term shared by more than 5% of innovations says little about
        # likeness, and dropping those terms keeps the neighbour search sparse (fast).
        max_df=1.0 if n_docs < 20 else 0.5 if n_docs < 2000 else 0.05,
        sublinear_tf=True,
        dtype=np.float32,
    )


def fit_model() -> Model | None:
    """Fit TF-IDF on all published innovations; None when there are none."""
    rows = list(
        Innovation.objects.filter(status=Innovation.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "search_title", "search_body")
    )
    if not rows:
        return None
    vectorizer = _vectorizer(len(rows))
    try:
        matrix = vectorizer.fit_transform(_document(t, b) for _pk, t, b in rows).tocsr()
    except ValueError:  # an empty vocabulary (every term pruned)
        return None
    model = Model(vectorizer, matrix, np.fromiter((pk for pk, _t, _b in rows), dtype=np.int64), time.monotonic())
    _cache["model"] = model
    return model


def _scored_block(corpus_t, queries, start: int, chunk: int):
    """Scores of rows start..start+chunk against the corpus, sparse, with negligible scores dropped."""
    block = (queries[start : start + chunk] @ corpus_t).tocsr()
    block.data[block.data < MIN_SCORE] = 0
    block.eliminate_zeros()
    return block


def nearest(model: Model, queries, query_ids: np.ndarray, *, k: int = TOP_K, chunk: int = CHUNK, workers: int = 2):
    """Yield (query id, [ids of the k most similar corpus rows]) for each query row, chunk by chunk.

    The product of a chunk with the corpus stays sparse (only rows sharing a term have a score),
    and each row's top k is a partial sort of its non-zero scores: no dense N-wide arrays, whose
    partial sort is slow with the many zero ties. Chunks are multiplied in `workers` threads
    (SciPy releases the GIL in sparse products), and yielded in order.
    """
    from concurrent.futures import ThreadPoolExecutor

    corpus_t = model.matrix.T.tocsr()
    n = model.matrix.shape[0]
    starts = range(0, queries.shape[0], chunk)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        blocks = pool.map(lambda s: _scored_block(corpus_t, queries, s, chunk), starts)
        for start, block in zip(starts, blocks, strict=True):
            ids = query_ids[start : start + chunk]
            # Never oneself: the position of the query's own id in the corpus, or -1.
            positions = np.searchsorted(model.ids, ids)
            inside = (positions < n) & (model.ids[np.minimum(positions, n - 1)] == ids)
            own = np.where(inside, positions, -1)
            for row, query_id in enumerate(ids):
                lo, hi = block.indptr[row], block.indptr[row + 1]
                scores, columns = block.data[lo:hi], block.indices[lo:hi]
                if own[row] >= 0:
                    keep = columns != own[row]
                    scores, columns = scores[keep], columns[keep]
                if len(scores) > k:
                    best = np.argpartition(-scores, k - 1)[:k]
                    scores, columns = scores[best], columns[best]
                order = np.lexsort((columns, -scores))  # by score, ties by corpus position
                yield int(query_id), [int(i) for i in model.ids[columns[order]]]


def _store(pairs: list[tuple[int, list[int]]]) -> None:
    """Write many `similar_ids` at once (one executemany; bulk_update's CASE is 20x slower here)."""
    table = Innovation._meta.db_table
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET similar_ids = %s{cast} WHERE id = %s",  # noqa: S608 (fixed names, bound values)  # nosec B608 # table name from the model; values bound
            [(json.dumps(similar), pk) for pk, similar in pairs],
        )


def refresh_all(*, progress: Callable[[int, int], None] | None = None, chunk: int = CHUNK) -> int:
    """Recompute `similar_ids` for every innovation; returns how many were updated."""
    model = fit_model()
    all_rows = list(Innovation.objects.order_by("pk").values_list("pk", "search_title", "search_body"))
    if not all_rows:
        return 0
    if model is None:
        Innovation.objects.exclude(similar_ids=[]).update(similar_ids=[])
        return len(all_rows)
    query_ids = np.fromiter((pk for pk, _t, _b in all_rows), dtype=np.int64)
    queries = model.vectorizer.transform(_document(t, b) for _pk, t, b in all_rows).tocsr()
    del all_rows
    batch: list[tuple[int, list[int]]] = []
    done = 0
    for pair in nearest(model, queries, query_ids, chunk=chunk):
        batch.append(pair)
        if len(batch) >= 5000:
            with transaction.atomic():
                _store(batch)
            done += len(batch)
            batch = []
            if progress:
                progress(done, len(query_ids))
    if batch:
        with transaction.atomic():
            _store(batch)
        done += len(batch)
        if progress:
            progress(done, len(query_ids))
    return done


def refresh_one(innovation_id: int) -> list[int]:
    """Recompute one innovation's `similar_ids` (after it changed); returns them."""
    row = Innovation.objects.filter(pk=innovation_id).values_list("pk", "search_title", "search_body", "status").first()
    if row is None:
        return []
    model = _cache.get("model")
    if model is None or time.monotonic() - model.fitted_at > MODEL_MAX_AGE:
        model = fit_model()
    if model is None:
        return []
    query = model.vectorizer.transform([_document(row[1], row[2])]).tocsr()
    # The cached corpus may predate this innovation's change or publication: drop its old row.
    matrix, ids = model.matrix, model.ids
    if innovation_id in ids:
        keep = ids != innovation_id
        matrix, ids = matrix[keep], ids[keep]
    if matrix.shape[0] == 0:
        similar: list[int] = []
    else:
        patched = Model(model.vectorizer, matrix, ids, model.fitted_at)
        similar = next(nearest(patched, query, np.array([innovation_id], dtype=np.int64)))[1]
    Innovation.objects.filter(pk=innovation_id).update(similar_ids=similar)
    return similar
