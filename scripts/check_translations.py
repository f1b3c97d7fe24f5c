"""Report Indonesian catalog entries that are untranslated or fuzzy (used by `make messages`)."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def missing_translations() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for po_path in sorted(ROOT.glob("jipp/**/locale/id/LC_MESSAGES/django.po")):
        catalog = polib.pofile(str(po_path))
        missing = [e.msgid for e in catalog.untranslated_entries()] + [e.msgid for e in catalog.fuzzy_entries()]
        if missing:
            found[str(po_path.relative_to(ROOT))] = missing
    return found


if __name__ == "__main__":
    problems = missing_translations()
    for path, msgids in problems.items():
        print(f"{path}: {len(msgids)} untranslated or fuzzy")
        for msgid in msgids[:20]:
            print(f"  {msgid!r}")
    sys.exit(1 if problems else 0)
