"""Administrative screening checks on proposal texts (*seleksi administrasi*).

Pure Python (NumPy/SciPy), no Django, no clock; every result is deterministic. Three checks:

1. ``check_section``: nonsense answers in one form section (too short, repeated
   characters, one word repeated, placeholder text).
2. ``similar_titles``: the same or nearly the same title on several proposals of an edition.
3. ``build_index`` + ``find_near_duplicates``: proposals whose text is copied, wholly or in
   part, from another proposal of the edition or from an earlier text (earlier proposals,
   registry descriptions), with the overlapping passages side by side.

How near-duplicates are found (see ``find_near_duplicates`` for the contract):

* Text -> *content tokens*: ``jipp.core.text`` tokens minus stopwords, not stemmed (copied
  text keeps its word forms, and stemming 50 million words would cost minutes). Dropping
  stopwords makes a shingle span more text and survive edits to function words.
* Content tokens -> *shingles*: every run of ``SHINGLE_SIZE`` consecutive content tokens,
  hashed to 64 bits (word hashes are BLAKE2b of the word, so hashes are the same in every
  process and every run).
* *Common shingles* (found in more than ``max_df`` documents of the corpus and the edition,
  e.g. "pelayanan publik masyarakat") are no evidence of copying. This is what keeps two
  unrelated proposals about health services apart.
* Candidates: a sparse document x uncommon-shingle matrix; one sparse product counts the
  uncommon shingles each (proposal, text) pair shares. Pairs sharing enough are verified.
* Verification: shingle positions the two texts share are chained along diagonals (same
  offset in both texts, allowing gaps for replaced words) and chains are merged into
  passages. Common shingles may extend a passage but a passage needs uncommon ones to
  count; short passages are dropped. The score is the share of either text covered by
  passages (the larger of the two).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
import scipy.sparse as sp

from jipp.core.text import STOPWORDS, TOKEN_RE, tokens, word_count

# ---------------------------------------------------------------------------------------
# 1. Nonsense answers
# ---------------------------------------------------------------------------------------

# Whole answers that mean "nothing written yet". Compared with the answer's tokens joined
# by single spaces, so case and punctuation do not matter.
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "lorem ipsum",
        "tes",
        "test",
        "testing",
        "coba",
        "xxx",
        "belum ada",
        "tidak ada",
        "isi di sini",
        "isi disini",
        "diisi",
        "akan diisi",
        "kosong",
        "n a",
        "na",
        "tbd",
        "todo",
        "asdf",
        "abc",
        "dummy",
        "contoh",
    }
)
_REPEATS = 5  # a character this many times in a row is a repeated character; digit runs are numbers
_ONLY_X = re.compile(r"x{3,}")


@dataclass(frozen=True)
class Flag:
    """One reason why a section looks like a nonsense answer.

    ``code`` is stable (for translation and filtering): ``too_short``,
    ``repeated_characters``, ``low_diversity`` or ``placeholder``. ``reason`` is a readable
    English sentence; ``evidence`` is the text or figure that triggered the flag.
    """

    code: str
    reason: str
    evidence: str


def check_section(text: str, *, min_words: int = 20) -> list[Flag]:
    """Return the nonsense flags of one form section's answer.

    Inputs: the answer text; ``min_words``, the fewest words a real answer has (counted as
    ``jipp.core.text.word_count`` does). Output: flags in the fixed order too_short,
    repeated_characters, low_diversity, placeholder; an empty list means the answer looks
    genuine. Each code appears at most once.

    * too_short: fewer than ``min_words`` words.
    * repeated_characters: a non-space, non-digit character 5+ times in a row ("aaaaa", ".....").
    * low_diversity: one word is at least half of the words (4+ words), or at least half of
      the 4-word sequences repeat an earlier one (30+ words: a paragraph pasted again and again).
    * placeholder: no letters or digits at all ("-", "..."), an answer that is a known
      placeholder ("tes", "belum ada", "isi di sini", "xxx"), or "lorem ipsum" anywhere.
    """
    flags: list[Flag] = []
    count = word_count(text)
    if count < min_words:
        flags.append(Flag("too_short", f"Fewer than {min_words} words.", f"{count} words"))
    repeated = _repeated_characters(text)
    if repeated:
        flags.append(Flag("repeated_characters", "The same character is repeated many times.", repeated[:40]))
    words = tokens(text)
    if len(words) >= 4:
        word, times = Counter(words).most_common(1)[0]
        grams = len(words) - 3
        repeats = grams - len(set(zip(words, words[1:], words[2:], words[3:], strict=False)))
        if times * 2 >= len(words):
            flags.append(
                Flag(
                    "low_diversity", "One word makes up half of the answer.", f"'{word}' {times} of {len(words)} words"
                )
            )
        elif len(words) >= 30 and repeats * 2 >= grams:
            flags.append(
                Flag(
                    "low_diversity",
                    "The answer repeats the same passage.",
                    f"{repeats} of {grams} four-word sequences are repeats",
                )
            )
    joined = " ".join(words)
    if not words and text.strip():
        flags.append(Flag("placeholder", "The answer has no words, only punctuation.", text.strip()[:40]))
    elif joined in PLACEHOLDERS or _ONLY_X.fullmatch(joined) or "lorem ipsum" in joined:
        flags.append(Flag("placeholder", "The answer is placeholder text.", joined[:40]))
    return flags


def _repeated_characters(text: str) -> str | None:
    """Return the first run of ``_REPEATS``+ equal characters that are not spaces or digits, or None."""
    # Vectorised: a regex with a back-reference costs ~70 ns per character, this ~2.
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    same = codes[1:] == codes[:-1]
    starts = np.ones(max(len(codes) - _REPEATS + 1, 0), dtype=bool)
    for offset in range(_REPEATS - 1):
        starts &= same[offset : offset + len(starts)]
    for start in np.flatnonzero(starts).tolist():
        if not (text[start].isspace() or text[start].isdigit()):
            end = start + _REPEATS
            while end < len(text) and text[end] == text[start]:
                end += 1
            return text[start:end]
    return None


# ---------------------------------------------------------------------------------------
# 2. Same or nearly the same title
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleMatch:
    """Two proposals of one edition with the same or nearly the same title.

    ``score`` is difflib's ratio of the normalised titles, in [0, 1]; ``same`` is True when
    the normalised titles are equal (then ``score`` is 1.0). ``first_key`` comes earlier
    than ``second_key`` in the input.
    """

    first_key: Hashable
    second_key: Hashable
    first_title: str
    second_title: str
    score: float
    same: bool


def normalise_title(title: str) -> str:
    """Return ``title`` as lower-case tokens joined by single spaces (punctuation dropped)."""
    return " ".join(tokens(title))


def similar_titles(titles: Sequence[tuple[Hashable, str]], threshold: float = 0.9) -> list[TitleMatch]:
    """Find pairs of proposals whose titles are equal or nearly equal.

    Inputs: ``(key, title)`` for every proposal of one edition; ``threshold`` in (0, 1].
    Output: every pair with difflib ratio of the normalised titles >= ``threshold``,
    ordered by the input position of the first, then of the second title. Scales to
    thousands of titles: character-trigram overlap (a sparse product) picks candidates,
    and only those are compared with difflib.
    """
    normalised = [normalise_title(title) for _, title in titles]
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, text in enumerate(normalised):
        for gram in {text[i : i + 3] for i in range(max(len(text) - 2, 1))}:
            rows.append(row)
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(normalised), max(len(vocabulary), 1))
    )
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    shared = sp.triu(matrix @ matrix.T, k=1).tocoo()
    # Titles with ratio >= t differ in at most (1 - t) of their characters; each differing
    # character breaks at most 3 trigrams, so trigram Dice >= 3t - 2 up to short-title
    # rounding. The 0.1 slack keeps every real candidate; difflib decides.
    dice = 2 * shared.data / np.maximum(sizes[shared.row] + sizes[shared.col], 1)
    close = dice >= 3 * threshold - 2.1
    matches = []
    for first, second in sorted(zip(shared.row[close].tolist(), shared.col[close].tolist(), strict=True)):
        a, b = normalised[first], normalised[second]
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        # real_quick_ratio and quick_ratio are cheap upper bounds of ratio.
        if a and (a == b or (matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold)):
            score = 1.0 if a == b else matcher.ratio()
            if score >= threshold:
                matches.append(
                    TitleMatch(titles[first][0], titles[second][0], titles[first][1], titles[second][1], score, a == b)
                )
    return matches


# ---------------------------------------------------------------------------------------
# 3. Near-duplicate texts
# ---------------------------------------------------------------------------------------

SHINGLE_SIZE = 3  # content tokens per shingle: ~5 words of running text
_MAX_REPEATS = 3  # a shingle more frequent than this within one text is a stock phrase there
_MULTIPLIERS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


class _WordHashes(dict):
    """Word -> 64-bit hash; stopwords -> 0 (dropped). Filled on first sight of a word."""

    def __missing__(self, word: str) -> int:
        value = (
            0
            if word in STOPWORDS
            else int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little") | 1
        )
        self[word] = value
        return value


_word_hashes = _WordHashes()


def _content_hashes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (word hashes of the content tokens, their token indices in ``tokens(text)``)."""
    words = tokens(text)
    hashes = np.fromiter(map(_word_hashes.__getitem__, words), dtype=np.uint64, count=len(words))
    positions = np.flatnonzero(hashes)
    return hashes[positions], positions


def _shingles(word_hashes: np.ndarray) -> np.ndarray:
    """Return the hash of every run of SHINGLE_SIZE consecutive words (empty if too few)."""
    n = len(word_hashes) - SHINGLE_SIZE + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    mixed = word_hashes[:n] * _MULTIPLIERS[0]
    for offset in range(1, SHINGLE_SIZE):
        mixed = (mixed ^ (mixed >> np.uint64(29))) + word_hashes[offset : offset + n] * _MULTIPLIERS[offset]
    return mixed


def _shingle_sets(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return (per-text counts of distinct shingles, all distinct shingles concatenated text by text)."""
    sets = [np.unique(_shingles(_content_hashes(text)[0])) for text in texts]
    lengths = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    return lengths, np.concatenate(sets) if sets else np.empty(0, dtype=np.uint64)


def _shingle_sets_parallel(texts: Sequence[str], workers: int) -> tuple[np.ndarray, np.ndarray]:
    if workers <= 1 or len(texts) < 100:
        return _shingle_sets(texts)
    # Tokenising is the bulk of the work and is per text: split it across processes.
    # Hashes do not depend on the process, so the result is the same for any ``workers``.
    size = -(-len(texts) // (workers * 4))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(_shingle_sets, chunks))
    return np.concatenate([part[0] for part in parts]), np.concatenate([part[1] for part in parts])


@dataclass(frozen=True)
class Passage:
    """One overlapping passage, for showing both texts side by side.

    Offsets are character positions in the original texts, ``[start, end)``;
    ``query_text == query.text[query_start:query_end]`` and likewise for the source.
    ``tokens`` is the number of content tokens (stopwords excluded) the passage spans in
    the query.
    """

    query_start: int
    query_end: int
    source_start: int
    source_end: int
    query_text: str
    source_text: str
    tokens: int


@dataclass(frozen=True)
class Match:
    """A query text that shares copied passages with a source text.

    ``query_coverage`` / ``source_coverage``: the share of each text's content tokens that
    lie inside the passages, in [0, 1]. ``score = max(query_coverage, source_coverage)``,
    so a short text copied whole into a long one scores high. ``passages`` are ordered by
    their position in the query.
    """

    query_key: Hashable
    source_key: Hashable
    score: float
    query_coverage: float
    source_coverage: float
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class Index:
    """Shingle index of a corpus of earlier texts; build it once with ``build_index``.

    Holds the texts (to cut passages out of them), the sorted distinct shingles of the
    corpus with their document frequencies, and a sparse document x shingle matrix of the
    shingles found in at most ``max_df`` documents.
    """

    keys: tuple[Hashable, ...]
    texts: tuple[str, ...]
    n_shingles: np.ndarray  # distinct shingles per text
    shingles: np.ndarray  # sorted distinct shingle hashes of the corpus (uint64)
    df: np.ndarray  # number of corpus texts holding each of ``shingles``
    matrix: sp.csr_matrix  # texts x len(shingles); 1 where a text holds a shingle with df <= max_df
    max_df: int


def build_index(docs: Iterable[tuple[Hashable, str]], *, max_df: int | None = None, workers: int = 1) -> Index:
    """Index a corpus of earlier texts (earlier proposals, registry descriptions).

    Inputs: ``(key, text)`` pairs with distinct keys; ``max_df``, the number of documents
    (corpus plus edition) above which a shingle is common and ignored, by default one per
    1,200 corpus texts but at least 5 (25 for 30,000 texts); ``workers``, the number of
    processes for tokenising (the result does not depend on it). Output: an ``Index``;
    cost is linear in the corpus size (about 18 s for 30,000 texts of 1,400 words with 2
    workers). The index keeps references to the texts.
    """
    keys, texts = _unzip(docs)
    lengths, flat = _shingle_sets_parallel(texts, workers)
    shingles, columns, df = np.unique(flat, return_inverse=True, return_counts=True)
    if max_df is None:
        max_df = max(5, len(texts) // 1200)
    matrix = _incidence(lengths, columns, df[columns] <= max_df, len(shingles))
    return Index(tuple(keys), tuple(texts), lengths, shingles, df.astype(np.int32), matrix, max_df)


def _unzip(docs: Iterable[tuple[Hashable, str]]) -> tuple[list[Hashable], list[str]]:
    pairs = list(docs)
    return [key for key, _ in pairs], [text for _, text in pairs]


def _incidence(lengths: np.ndarray, columns: np.ndarray, keep: np.ndarray, n_columns: int) -> sp.csr_matrix:
    """Build the rows x columns 0/1 matrix from per-row column runs, keeping only ``keep`` entries."""
    rows = np.repeat(np.arange(len(lengths)), lengths)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows[keep], minlength=len(lengths)))])
    return sp.csr_matrix(
        (np.ones(int(indptr[-1]), dtype=np.float32), columns[keep].astype(np.int32), indptr),
        shape=(len(lengths), n_columns),
    )


@dataclass
class _Doc:
    """Positional view of one text, computed only for texts in candidate pairs."""

    text: str
    shingles: np.ndarray  # shingle hash at each content-token position
    token_index: np.ndarray  # content-token position -> index in tokens(text)
    n_tokens: int


def _doc(text: str) -> _Doc:
    words, token_index = _content_hashes(text)
    return _Doc(text, _shingles(words), token_index, len(words))


def find_near_duplicates(
    index: Index,
    queries: Sequence[tuple[Hashable, str]],
    threshold: float = 0.05,
    *,
    min_passage_tokens: int = 8,
    min_rare: int = 2,
    min_copied_tokens: int = 40,
    gap: int = 8,
    workers: int = 1,
) -> list[Match]:
    """Find queries (the edition's proposals) that copy from the corpus or from each other.

    Inputs:

    * ``index``: the corpus, from ``build_index``;
    * ``queries``: ``(key, text)`` per proposal, the text being its sections joined;
    * ``threshold``: the least ``score`` reported, in (0, 1]; 0.05 catches one copied
      200-word section in a 2,500-word proposal;
    * ``min_passage_tokens``: passages spanning fewer content tokens (about 1.7 words each)
      are dropped as coincidence; 8 keeps single copied sentences, so reordered sentences
      still count;
    * ``min_rare``: uncommon shingles a passage must hold (common ones only extend it);
    * ``min_copied_tokens``: content tokens (about 70 words at 40) the passages must cover
      in the query, so that two stock sentences never flag a short registry text;
    * ``gap``: content tokens of difference (replaced words) bridged inside one passage;
    * ``workers``: processes for tokenising (the result does not depend on it).

    Output: one ``Match`` per pair with ``score >= threshold``: every query against every
    corpus text (``source_key`` a corpus key) and every pair of queries once (for queries
    i < j: ``query_key`` is query i, ``source_key`` query j). Ordered by query position,
    then score descending, then source position (corpus before queries). Deterministic:
    the same inputs give the same list, whatever ``workers``.

    Invariants: ``query_text`` and ``source_text`` of every passage are slices of the two
    texts holding the same shingles in the same order (apart from bridged gaps), spanning
    at least ``min_passage_tokens`` content tokens with ``min_rare`` uncommon shingles.
    Cost: about 5 s for 3,500 proposals of 2,500 words against a 30,000-text index.
    """
    keys, texts = _unzip(queries)
    n_corpus = len(index.keys)
    q_lengths, q_flat = _shingle_sets_parallel(texts, workers)
    # Place each query shingle in the corpus' columns, or in new columns after them.
    unique, inverse, q_df = np.unique(q_flat, return_inverse=True, return_counts=True)
    position = np.minimum(np.searchsorted(index.shingles, unique), max(len(index.shingles) - 1, 0))
    in_corpus = index.shingles[position] == unique if len(index.shingles) else np.zeros(len(unique), dtype=bool)
    df = q_df + np.where(in_corpus, index.df[position] if len(index.df) else 0, 0)
    new_hashes = unique[~in_corpus]
    column = np.where(in_corpus, position, len(index.shingles) + np.cumsum(~in_corpus) - 1)
    n_columns = len(index.shingles) + len(new_hashes)
    query_matrix = _incidence(q_lengths, column[inverse], (df <= index.max_df)[inverse], n_columns)
    corpus_matrix = sp.csr_matrix(
        (index.matrix.data, index.matrix.indices, index.matrix.indptr), shape=(n_corpus, n_columns)
    )

    # Candidates: pairs sharing enough uncommon shingles to possibly reach the threshold.
    # A passage of L tokens holds about L - 2 shingles and a light edit keeps about half of
    # them, so 0.3 x threshold x the shorter text's shingles is a safe lower bound.
    n_shingles = np.concatenate([index.n_shingles, q_lengths])
    pairs = []
    products = ((query_matrix @ corpus_matrix.T, 0), (sp.triu(query_matrix @ query_matrix.T, k=1), n_corpus))
    for product_matrix, offset in products:
        product = product_matrix.tocoo()
        rows, cols = product.row, product.col + offset
        needed = np.maximum(
            min_passage_tokens - SHINGLE_SIZE + 1,
            0.3 * threshold * np.minimum(n_shingles[n_corpus + rows], n_shingles[cols]),
        )
        chosen = product.data >= needed
        pairs.extend(zip(rows[chosen].tolist(), cols[chosen].tolist(), strict=True))
    pairs.sort()

    all_texts = index.texts + tuple(texts)
    docs: dict[int, _Doc] = {}
    matches = []
    for query, source in pairs:
        # Uncommon shingles the two texts share: the columns both matrix rows hold.
        q_cols = query_matrix.indices[query_matrix.indptr[query] : query_matrix.indptr[query + 1]]
        s_matrix, s_row = (corpus_matrix, source) if source < n_corpus else (query_matrix, source - n_corpus)
        s_cols = s_matrix.indices[s_matrix.indptr[s_row] : s_matrix.indptr[s_row + 1]]
        shared_cols = np.intersect1d(q_cols, s_cols)
        in_old = shared_cols < len(index.shingles)
        rare = np.concatenate(
            [index.shingles[shared_cols[in_old]], new_hashes[shared_cols[~in_old] - len(index.shingles)]]
        )
        q_doc = docs.get(n_corpus + query) or docs.setdefault(n_corpus + query, _doc(all_texts[n_corpus + query]))
        s_doc = docs.get(source) or docs.setdefault(source, _doc(all_texts[source]))
        spans = _align(q_doc.shingles, s_doc.shingles, rare, gap, min_passage_tokens, min_rare)
        if not spans:
            continue
        q_copied = _union_length([(qa, qb) for qa, qb, _, _ in spans])
        if q_copied < min_copied_tokens:
            continue
        q_cover = q_copied / max(q_doc.n_tokens, 1)
        s_cover = _union_length([(sa, sb) for _, _, sa, sb in spans]) / max(s_doc.n_tokens, 1)
        score = max(q_cover, s_cover)
        if score >= threshold:
            source_key = index.keys[source] if source < n_corpus else keys[source - n_corpus]
            matches.append(
                (
                    query,
                    -score,
                    source,
                    Match(keys[query], source_key, score, q_cover, s_cover, _passages(q_doc, s_doc, spans)),
                )
            )
    matches.sort(key=lambda item: item[:3])
    return [match for *_, match in matches]


def _align(
    q: np.ndarray, s: np.ndarray, rare: np.ndarray, gap: int, min_tokens: int, min_rare: int
) -> list[tuple[int, int, int, int]]:
    """Return passages as content-token ranges ``(q_start, q_end, s_start, s_end)``, ordered by q_start.

    Shingle positions (i in q, j in s) with the same hash are chained along diagonals
    ``j - i`` (words replaced in place keep the diagonal) with at most ``gap`` positions
    between links; chains that follow each other in both texts (words inserted or deleted)
    are merged. Common shingles may extend a passage but are no evidence: a passage is kept
    only if it spans ``min_tokens`` tokens and holds ``min_rare`` shingles from ``rare``.
    """
    # Shingles repeated within a text (stock phrases) would pair every copy with every copy.
    q_hashes, q_counts = np.unique(q, return_counts=True)
    s_hashes, s_counts = np.unique(s, return_counts=True)
    shared = np.intersect1d(q_hashes[q_counts <= _MAX_REPEATS], s_hashes[s_counts <= _MAX_REPEATS], assume_unique=True)
    q_pos = np.flatnonzero(np.isin(q, shared))
    if not len(q_pos):
        return []
    s_pos = np.flatnonzero(np.isin(s, shared))
    order = np.argsort(s[s_pos], kind="stable")
    s_sorted, s_pos = s[s_pos][order], s_pos[order]
    left = np.searchsorted(s_sorted, q[q_pos], "left")
    counts = np.searchsorted(s_sorted, q[q_pos], "right") - left
    i = np.repeat(q_pos, counts)
    j = s_pos[np.repeat(left - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())]
    is_rare = np.isin(q[i], rare)
    diagonal = j - i
    order = np.lexsort((i, diagonal))
    i, diagonal, is_rare = i[order], diagonal[order], is_rare[order]
    breaks = np.flatnonzero((np.diff(diagonal) != 0) | (np.diff(i) > gap)) + 1
    starts, ends = np.concatenate([[0], breaks]), np.concatenate([breaks, [len(i)]]) - 1
    rare_counts = np.add.reduceat(is_rare.astype(np.int64), starts)
    chains = sorted(
        zip(i[starts].tolist(), i[ends].tolist(), diagonal[starts].tolist(), rare_counts.tolist(), strict=True)
    )

    spans: list[list[int]] = []  # [q_start, q_end, s_start, s_end, rare shingles], ends exclusive
    for first, last, diag, n_rare in chains:
        q_start, q_end = first, last + SHINGLE_SIZE
        s_start, s_end = first + diag, last + diag + SHINGLE_SIZE
        for span in reversed(spans[-4:]):  # a chain continues one of the latest passages
            if -SHINGLE_SIZE <= q_start - span[1] <= gap and -SHINGLE_SIZE <= s_start - span[3] <= gap:
                span[1], span[2], span[3] = max(span[1], q_end), min(span[2], s_start), max(span[3], s_end)
                span[4] += n_rare
                break
        else:
            spans.append([q_start, q_end, s_start, s_end, n_rare])
    # A stretch of the query copied once but repeated in the source (or the reverse) also
    # matches off the main diagonal: keep, for each stretch of the query, the longest passage.
    kept: list[tuple[int, int, int, int]] = []
    for a, b, c, d, n_rare in sorted(spans, key=lambda span: (span[0] - span[1], span[0], span[2])):
        covered = _union_length([(max(a, ka), min(b, kb)) for ka, kb, _, _ in kept if ka < b and kb > a])
        if b - a >= min_tokens and n_rare >= min_rare and covered * 2 < b - a:
            kept.append((a, b, c, d))
    return sorted(kept)


def _union_length(intervals: list[tuple[int, int]]) -> int:
    """Return the number of positions covered by half-open ``intervals``."""
    total, reach = 0, -1
    for start, end in sorted(intervals):
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def _passages(q: _Doc, s: _Doc, spans: list[tuple[int, int, int, int]]) -> tuple[Passage, ...]:
    """Turn content-token ranges into character offsets and text in both documents."""
    q_chars = np.array([m.span() for m in TOKEN_RE.finditer(q.text)], dtype=np.int64)
    s_chars = np.array([m.span() for m in TOKEN_RE.finditer(s.text)], dtype=np.int64)
    passages = []
    for q_start, q_end, s_start, s_end in spans:
        qa, qb = int(q_chars[q.token_index[q_start], 0]), int(q_chars[q.token_index[q_end - 1], 1])
        sa, sb = int(s_chars[s.token_index[s_start], 0]), int(s_chars[s.token_index[s_end - 1], 1])
        passages.append(Passage(qa, qb, sa, sb, q.text[qa:qb], s.text[sa:sb], q_end - q_start))
    return tuple(passages)
