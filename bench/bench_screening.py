"""Benchmark: administrative screening of a national KIPP edition.

Generates a synthetic edition deterministically (seeded): 3,500 new proposals of about
2,500 words and a corpus of 30,000 earlier texts (9,000 earlier proposals of about 2,500
words, 21,000 registry descriptions of 300-1,500 words), all about public services so
they share the domain's vocabulary. It plants copies among the new proposals: verbatim
copies of last year's proposals, light edits (15 % of words replaced, sentences
reordered), copies of another unit's proposal of this year with the region and agency
renamed, and partial copies (one or two of seven sections). Then it runs the whole
screening (index the corpus, near-duplicates, titles, nonsense answers) and reports time,
recall on planted copies and false flags among untouched proposals.

Run: ``.venv/bin/python bench/bench_screening.py`` (no Django needed).
"""

from __future__ import annotations

import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jipp.competition.domain.similarity import build_index, check_section, find_near_duplicates, similar_titles  # noqa: E402
from jipp.core.textgen import SECTIONS, TOPICS, Innovation, make_innovation, proposal_sections, registry_description  # noqa: E402

SEED = 2025
N_PROPOSALS = 3_500
N_EARLIER_PROPOSALS = 9_000
N_REGISTRY = 21_000
N_PLANTED_PER_KIND = 60
TIME_TARGET_S = 60.0

_REGION_NAMES = (
    "Sleman",
    "Bantul",
    "Kulon Progo",
    "Banyuwangi",
    "Sidoarjo",
    "Gresik",
    "Lamongan",
    "Bojonegoro",
    "Tuban",
    "Malang",
    "Kediri",
    "Blitar",
    "Jember",
    "Lumajang",
    "Pasuruan",
    "Probolinggo",
    "Sumedang",
    "Garut",
    "Bandung",
    "Bogor",
    "Bekasi",
    "Karawang",
    "Subang",
    "Purwakarta",
    "Cirebon",
    "Kuningan",
    "Majalengka",
    "Indramayu",
    "Banyumas",
    "Cilacap",
    "Kebumen",
    "Purworejo",
    "Wonosobo",
    "Magelang",
    "Boyolali",
    "Klaten",
    "Sragen",
    "Grobogan",
    "Kudus",
    "Jepara",
    "Pati",
    "Rembang",
    "Blora",
    "Demak",
    "Kendal",
    "Batang",
    "Pekalongan",
    "Tegal",
    "Brebes",
    "Gowa",
    "Maros",
    "Bone",
    "Wajo",
    "Sinjai",
    "Bulukumba",
    "Bantaeng",
    "Luwu Utara",
    "Pinrang",
    "Enrekang",
    "Agam",
    "Tanah Datar",
    "Pesisir Selatan",
    "Deli Serdang",
    "Serdang Bedagai",
    "Langkat",
    "Asahan",
    "Siak",
    "Kampar",
    "Bengkalis",
    "Musi Banyuasin",
    "Ogan Ilir",
    "Lahat",
    "Lampung Selatan",
    "Pringsewu",
    "Badung",
    "Gianyar",
    "Tabanan",
    "Buleleng",
    "Lombok Timur",
    "Sumbawa",
    "Kupang",
    "Sikka",
    "Ende",
    "Kubu Raya",
    "Sanggau",
    "Kotawaringin Barat",
    "Banjar",
    "Tabalong",
    "Kutai Kartanegara",
    "Berau",
    "Minahasa",
    "Bolaang",
    "Gorontalo",
    "Banggai",
    "Konawe",
    "Buton",
    "Halmahera Utara",
    "Maluku Tengah",
    "Jayapura",
    "Merauke",
    "Sorong",
)
REGIONS = tuple(f"Kabupaten {name}" for name in _REGION_NAMES) + tuple(
    f"Kota {name}"
    for name in (
        "Surabaya",
        "Makassar",
        "Semarang",
        "Yogyakarta",
        "Padang",
        "Medan",
        "Palembang",
        "Pontianak",
        "Balikpapan",
        "Manado",
        "Denpasar",
        "Mataram",
        "Ambon",
        "Bitung",
        "Banda Aceh",
        "Pekanbaru",
        "Jambi",
        "Bengkulu",
        "Cimahi",
        "Depok",
        "Tangerang",
    )
)

# Words an editor swaps in when disguising a copy.
_SUBSTITUTES = (
    "warga",
    "penduduk",
    "petugas",
    "aparatur",
    "program",
    "kegiatan",
    "layanan",
    "sistem",
    "cepat",
    "mudah",
    "murah",
    "tepat",
    "efektif",
    "efisien",
    "meningkat",
    "bertambah",
    "berkurang",
    "menurun",
    "wilayah",
    "daerah",
    "kawasan",
    "kecamatan",
    "kelurahan",
    "pemerintah",
    "instansi",
    "lembaga",
    "mitra",
    "sasaran",
    "manfaat",
    "hasil",
    "capaian",
    "target",
    "tujuan",
    "strategi",
    "langkah",
)


def proposal_text(sections: dict[str, str]) -> str:
    """Join a proposal's sections the way the screening receives them."""
    return "\n\n".join(sections.values())


def _light_edit(rng: random.Random, sections: dict[str, str], share: float) -> dict[str, str]:
    edited = {}
    for key, text in sections.items():
        sentences = text.split(". ")
        rng.shuffle(sentences)
        words = ". ".join(sentences).split(" ")
        for i in rng.sample(range(len(words)), int(len(words) * share)):
            words[i] = rng.choice(_SUBSTITUTES)
        edited[key] = " ".join(words)
    return edited


def _renamed(sections: dict[str, str], source: Innovation, region: str, agency: str) -> dict[str, str]:
    return {key: text.replace(source.agency, agency).replace(source.region, region) for key, text in sections.items()}


def generate_edition(seed: int = SEED, scale: float = 1.0) -> dict:
    """Generate the corpus and the edition with planted copies.

    Output: ``{"corpus": [(key, text)], "proposals": [(key, title, {section: text})],
    "planted": {proposal key: (kind, source key)}}``, identical for the same seed and scale.
    """
    rng = random.Random(seed)
    corpus: list[tuple[str, str]] = []
    earlier: list[tuple[str, dict[str, str]]] = []
    for i in range(int(N_EARLIER_PROPOSALS * scale)):
        innovation = make_innovation(rng, rng.choice(REGIONS))
        sections = proposal_sections(rng, innovation)
        earlier.append((f"kipp-{2022 + i % 3}-{i}", sections))
        corpus.append((earlier[-1][0], proposal_text(sections)))
    for i in range(int(N_REGISTRY * scale)):
        innovation = make_innovation(rng, rng.choice(REGIONS))
        corpus.append((f"registry-{i}", registry_description(rng, innovation, rng.randint(300, 1_500))))

    n_planted = max(int(N_PLANTED_PER_KIND * scale), 2)
    n_proposals = int(N_PROPOSALS * scale)
    proposals: list[tuple[str, str, dict[str, str]]] = []
    innovations: list[Innovation] = []
    for i in range(n_proposals - 4 * n_planted):
        innovations.append(make_innovation(rng, rng.choice(REGIONS), topic=rng.choice(TOPICS)))
        proposals.append((f"p-{i}", innovations[-1].title, proposal_sections(rng, innovations[-1])))
    n_untouched = len(proposals)
    planted: dict[str, tuple[str, str]] = {}
    sources = rng.sample(range(len(earlier)), 3 * n_planted)
    peers = rng.sample(range(n_untouched), 2 * n_planted)
    for n in range(4 * n_planted):
        kind = ("verbatim", "light_edit", "renamed", "partial")[n % 4]
        key = f"p-{len(proposals)}"
        innovation = make_innovation(rng, rng.choice(REGIONS))
        if kind == "verbatim":
            source_key, sections = earlier[sources.pop()]
        elif kind == "light_edit":
            source_key, source_sections = earlier[sources.pop()]
            sections = _light_edit(rng, source_sections, share=rng.uniform(0.10, 0.20))
        elif kind == "renamed":
            peer = peers.pop()
            source_key = proposals[peer][0]
            sections = _renamed(proposals[peer][2], innovations[peer], innovation.region, innovation.agency)
        else:
            if rng.random() < 0.5:
                source_key, source_sections = earlier[sources.pop()]
            else:
                peer = peers.pop()
                source_key, source_sections = proposals[peer][0], proposals[peer][2]
            sections = proposal_sections(rng, innovation)
            for section in rng.sample([key for key, _, _ in SECTIONS], rng.choice((1, 2))):
                sections[section] = source_sections[section]
        planted[key] = (kind, source_key)
        proposals.append((key, innovation.title, sections))
    return {"corpus": corpus, "proposals": proposals, "planted": planted}


def _cpu_seconds() -> float:
    # This process and its finished worker processes: wall time alone misleads on a busy machine.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def screen(corpus: list[tuple[str, str]], proposals: list[tuple[str, str, dict[str, str]]], workers: int) -> dict:
    """Run the whole administrative screening of one edition and time each part."""
    timings = {}
    cpu_start = _cpu_seconds()
    start = time.perf_counter()
    index = build_index(corpus, workers=workers)
    timings["index"] = time.perf_counter() - start
    mark = time.perf_counter()
    matches = find_near_duplicates(
        index, [(key, proposal_text(sections)) for key, _, sections in proposals], workers=workers
    )
    timings["near_duplicates"] = time.perf_counter() - mark
    mark = time.perf_counter()
    titles = similar_titles([(key, title) for key, title, _ in proposals])
    limits = {key: limit for key, _, limit in SECTIONS}
    nonsense = {
        key: flags
        for key, _, sections in proposals
        for section, text in sections.items()
        if (flags := check_section(text, min_words=limits[section] // 10))
    }
    timings["titles_and_nonsense"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - start
    timings["cpu"] = _cpu_seconds() - cpu_start
    return {"timings": timings, "matches": matches, "titles": titles, "nonsense": nonsense}


def run(scale: float = 1.0, workers: int | None = None) -> list[dict]:
    """Generate, screen and return the result rows {benchmark, figure, value, target, ok}."""
    workers = workers or min(os.cpu_count() or 1, 2)
    started = time.perf_counter()
    edition = generate_edition(scale=scale)
    generated_s = time.perf_counter() - started
    load = os.getloadavg()[0]
    result = screen(edition["corpus"], edition["proposals"], workers)
    planted = edition["planted"]

    found = {frozenset((m.query_key, m.source_key)) for m in result["matches"]}
    hits: dict[str, list[bool]] = {}
    for key, (kind, source) in planted.items():
        hits.setdefault(kind, []).append(frozenset((key, source)) in found)
    all_hits = [hit for kind_hits in hits.values() for hit in kind_hits]
    recall = sum(all_hits) / len(all_hits)
    sources = {source for _, source in planted.values()}
    untouched = [key for key, _, _ in edition["proposals"] if key not in planted and key not in sources]
    flagged = {key for m in result["matches"] for key in (m.query_key, m.source_key)}
    false_rate = sum(key in flagged for key in untouched) / len(untouched)
    nonsense_false = sum(key in result["nonsense"] for key in untouched) / len(untouched)
    title_pairs = len(result["titles"])

    t = result["timings"]
    name = "screening"
    size = (
        f"{len(edition['proposals'])} proposals vs each other and {len(edition['corpus'])} earlier texts, "
        f"{workers} workers"
    )
    rows = [
        {
            "benchmark": name,
            "figure": f"total time ({size})",
            "value": f"{t['total']:.1f} s",
            "target": f"< {TIME_TARGET_S:.0f} s",
            "ok": t["total"] < TIME_TARGET_S,
        },
        {
            "benchmark": name,
            "figure": f"  CPU time, all processes (load average before the run: {load:.1f} on {os.cpu_count()} cores)",
            "value": f"{t['cpu']:.1f} s",
            "target": "",
            "ok": True,
        },
        {"benchmark": name, "figure": "  index the corpus", "value": f"{t['index']:.1f} s", "target": "", "ok": True},
        {
            "benchmark": name,
            "figure": "  near-duplicates",
            "value": f"{t['near_duplicates']:.1f} s",
            "target": "",
            "ok": True,
        },
        {
            "benchmark": name,
            "figure": "  titles and nonsense answers",
            "value": f"{t['titles_and_nonsense']:.1f} s",
            "target": "",
            "ok": True,
        },
        {
            "benchmark": name,
            "figure": f"recall on {len(all_hits)} planted copies",
            "value": f"{recall:.3f}",
            "target": ">= 0.95",
            "ok": recall >= 0.95,
        },
    ]
    for kind, kind_hits in hits.items():
        rows.append(
            {
                "benchmark": name,
                "figure": f"  recall, {kind} ({len(kind_hits)})",
                "value": f"{sum(kind_hits) / len(kind_hits):.3f}",
                "target": "",
                "ok": True,
            }
        )
    rows += [
        {
            "benchmark": name,
            "figure": f"false near-duplicate flags among {len(untouched)} untouched proposals",
            "value": f"{false_rate:.2%}",
            "target": "<= 1%",
            "ok": false_rate <= 0.01,
        },
        {
            "benchmark": name,
            "figure": "nonsense flags on untouched proposals",
            "value": f"{nonsense_false:.2%}",
            "target": "0%",
            "ok": nonsense_false == 0,
        },
        {
            "benchmark": name,
            "figure": "title pairs flagged (>= 0.9, random titles)",
            "value": str(title_pairs),
            "target": "",
            "ok": True,
        },
        {
            "benchmark": name,
            "figure": "data generation (not timed above)",
            "value": f"{generated_s:.1f} s",
            "target": "",
            "ok": True,
        },
    ]
    return rows


if __name__ == "__main__":
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    print("| benchmark | figure | value | target | ok |")
    print("|---|---|---|---|---|")
    for row in run(scale):
        ok = "yes" if row["ok"] else "NO"
        print(f"| {row['benchmark']} | {row['figure']} | {row['value']} | {row['target']} | {ok} |")
