"""Benchmark: the whole administrative screening of a national KIPP edition through Django and the database.

Unlike bench_screening.py (pure, synthetic texts in memory), this runs `screen_edition` as the
secretariat does: it reads the 2026 edition's forwarded proposals (their frozen snapshots) from the
database, the 2025 edition's proposals and the published registry texts as the corpus, runs every check
and writes the flags. Data: the competition demo at national scale (3,500 proposals in 2026, about 5 %
planted copies with small edits of a 2026 or 2025 proposal; 3,000 proposals in 2025) on top of the
registry's national demo (100,000 innovations).

The database is a separate SQLite file, /tmp/jipp-screening.sqlite3 (env BENCH_SCREENING_SQLITE). If it
does not exist it is made from /tmp/jipp-national.sqlite3 (the registry benchmark's seeded file; seeded
from scratch when missing, ~8 minutes) with `seed_demo --scale national --only competition` on top. It
is kept and reused. Runs Django in a child process, so it never shares settings with other benchmarks.

By default the corpus is the issue's 30,000 earlier texts: the 2025 proposals plus the most recently
published registry texts (BENCH_SCREENING_FULL_REGISTRY=1 compares with the whole registry instead).

Figures: total time of `screen_edition` (target < 60 s on this 2-core machine), recall of the
near-duplicate check on the planted copies (a flag on the copy naming its source; target >= 0.95) and
the share of untouched proposals with a near-duplicate flag (target <= 1 %).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
SQLITE = os.environ.get("BENCH_SCREENING_SQLITE", "/tmp/jipp-screening.sqlite3")  # noqa: S108
NATIONAL = os.environ.get("BENCH_REGISTRY_SQLITE", "/tmp/jipp-national.sqlite3")  # noqa: S108
TIME_TARGET_S = 60.0

CHILD = r"""
import json, time
import django
django.setup()
from django.db.models import Q
from jipp.competition.models import Edition, ProposalSnapshot, ScreeningFlag
from jipp.competition.services import screen_edition

edition = Edition.objects.get(year=2026)
# The issue's size: 30,000 earlier texts = last year's proposals + the most recent registry texts
# (BENCH_SCREENING_FULL_REGISTRY=1: the whole registry, 100,000 texts, instead).
import os
earlier = ProposalSnapshot.objects.filter(proposal__edition__year__lt=2026).count()
limit = None if os.environ.get("BENCH_SCREENING_FULL_REGISTRY") == "1" else max(30_000 - earlier, 0)
started = time.perf_counter()
marks = []
run = screen_edition(edition=edition, workers=2, registry_limit=limit,
                     progress=lambda percent, phase: marks.append((percent, time.perf_counter() - started)))
total = time.perf_counter() - started
planted = {}
for pk, data in ProposalSnapshot.objects.filter(proposal__edition=edition).values_list("proposal_id", "data"):
    if "demo_copy_of" in data:
        planted[pk] = data["demo_copy_of"]
sources = set(planted.values())
found = 0
for copy, source in planted.items():
    flags = ScreeningFlag.objects.filter(proposal_id=copy, kind="near_duplicate")
    named = Q(other_proposal_id=source) | Q(evidence__source_kind="proposal", evidence__source_id=source)
    if flags.filter(named).exists():
        found += 1
submitted = list(ProposalSnapshot.objects.filter(proposal__edition=edition).values_list("proposal_id", flat=True))
untouched = [pk for pk in submitted if pk not in planted and pk not in sources]
flagged = set(ScreeningFlag.objects.filter(proposal__edition=edition, kind="near_duplicate")
              .values_list("proposal_id", flat=True))
false = sum(pk in flagged for pk in untouched)
print(json.dumps({"marks": marks, "total": total, "proposals": run.proposals, "corpus": run.corpus, "flags": run.flags,
                  "planted": len(planted), "found": found, "untouched": len(untouched), "false": false}))
"""


def _env() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "SQLITE_PATH": SQLITE}
    env.pop("DATABASE_URL", None)
    return env


def _manage(*args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, env=_env(), cwd=ROOT)


def prepare() -> None:
    """Make the seeded database once (copying the registry's national file when there is one)."""
    if Path(SQLITE).exists():
        _manage("migrate", "--verbosity", "0")
        return
    if Path(NATIONAL).exists():
        # The backup API copies a consistent state even while another process uses the file.
        with sqlite3.connect(NATIONAL) as source, sqlite3.connect(SQLITE) as target:
            source.backup(target)
        _manage("migrate", "--verbosity", "0")
    else:
        _manage("migrate", "--verbosity", "0")
        _manage("load_regions")
        _manage("seed_demo", "--scale", "national", "--only", "core,regions,accounts,registry")
    _manage("seed_demo", "--scale", "national", "--only", "competition")


def run() -> list[dict]:
    prepare()
    out = subprocess.run([PYTHON, "-c", CHILD], check=True, env=_env(), cwd=ROOT, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    recall = result["found"] / max(result["planted"], 1)
    false_rate = result["false"] / max(result["untouched"], 1)
    name = "screening (database)"
    marks = dict(result["marks"])
    phases = [
        ("read proposals, structural checks, titles", 1, 15),
        ("read 2025 proposals and registry texts", 15, 25),
        ("index the corpus", 25, 55),
        ("near-duplicates", 55, 85),
        ("write the flags", 85, 100),
    ]
    size = (
        f"{result['proposals']} proposals vs each other and {result['corpus']:,} earlier proposals and registry texts"
    )
    return [
        {"benchmark": name, "figure": f"screen_edition total ({size})", "value": f"{result['total']:.1f} s",
         "target": f"< {TIME_TARGET_S:.0f} s", "ok": result["total"] < TIME_TARGET_S},
        *[{"benchmark": name, "figure": f"  {label}", "value": f"{marks.get(b, 0) - marks.get(a, 0):.1f} s",
           "target": "", "ok": True} for label, a, b in phases if a in marks and b in marks],
        {"benchmark": name, "figure": f"recall on {result['planted']} planted copies", "value": f"{recall:.3f}",
         "target": ">= 0.95", "ok": recall >= 0.95},
        {"benchmark": name, "figure": f"false near-duplicate flags among {result['untouched']} untouched proposals",
         "value": f"{false_rate:.2%}", "target": "<= 1%", "ok": false_rate <= 0.01},
        {"benchmark": name, "figure": "flags written (all checks)", "value": str(result["flags"]), "target": "",
         "ok": True},
    ]  # fmt: skip


if __name__ == "__main__":
    for row in run():
        print(row)
