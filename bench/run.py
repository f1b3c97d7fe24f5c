"""Run every national-scale benchmark (bench/bench_*.py) and print one table.

Each module exposes `run() -> list[dict]` with keys benchmark, figure, value, target, ok.
Pass module names to run a subset: `python bench/run.py bench_screening`.
"""

import importlib
import platform
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def main(names: list[str]) -> int:
    modules = names or sorted(p.stem for p in HERE.glob("bench_*.py"))
    rows: list[dict] = []
    for name in modules:
        started = time.monotonic()
        print(f"running {name}...", file=sys.stderr, flush=True)
        rows.extend(importlib.import_module(name).run())
        print(f"  {name} took {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    print(
        f"Date: {date.today().isoformat()}; machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Python {platform.python_version()}"
    )
    print()
    print("| benchmark | figure | value | target | ok |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        ok = "yes" if row["ok"] else "NO"
        print(f"| {row['benchmark']} | {row['figure']} | {row['value']} | {row['target']} | {ok} |")
    return 0 if all(row["ok"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
