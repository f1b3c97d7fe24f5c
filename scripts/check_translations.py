"""Report Indonesian catalog entries that are untranslated or fuzzy, and template text left unmarked.

Used by `make messages` and tests/core/test_translations.py.
"""

import re
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


# Template text a person sees that is not inside {% translate %} / {% blocktranslate %}: it would
# show in one language whatever the reader chose. Brand names, acronyms and the policy's own
# Indonesian terms are the same in both languages.
KEEP_AS_IS = {
    "Hub",
    "JIPP",
    "KIPP",
    "API",
    "CSV",
    "XLSX",
    "PDF",
    "UPP",
    "SDG",
    "SDGs",
    "JSON",
    "URL",
    "WIB",
    "WITA",
    "WIT",
    "GeoJSON",
    "BPS",
    "Kemendagri",
    "OpenAPI",
    "Swagger",
    "ReDoc",
    "FRIPP",
    "Top",
    "Umum",
    "Khusus",
    "Replikasi",
    "SINOVIK",
    "JIPPNas",
    "PermenPANRB",
    "KepmenPANRB",
    "PANRB",
    "BUMN",
    "BUMD",
    "SOP",
    "QR",
    "nbsp",
    "times",
    "middot",
    "ndash",
    "mdash",
    "rarr",
    "larr",
    "hellip",
    "amp",
    "quot",
}
# Files that are one language on purpose: user guides (one file per language), bilingual PDFs,
# licence notices quoted verbatim, the policy's phase names, language names in their own language.
LANGUAGE_SPECIFIC = {
    "competition/evaluation/templates/evaluation/certificate_pdf.html",
    "core/templates/core/about_data.html",
    "core/templates/core/home.html",
    "dashboards/templates/dashboards/report_pdf.html",
    "dashboards/templates/dashboards/reports.html",
}
_STRIP = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}", re.S),
    re.compile(r"<script\b.*?</script>", re.S | re.I),
    re.compile(r"<style\b.*?</style>", re.S | re.I),
    re.compile(r"<svg\b.*?</svg>", re.S | re.I),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]
_VISIBLE_ATTRIBUTE = re.compile(r'\b(aria-label|placeholder|title|alt)="([^"{]*)"')
_WORD = re.compile(r"[A-Za-z]{3,}")


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w not in KEEP_AS_IS]


def unmarked_template_text() -> dict[str, list[str]]:
    """{template: [text]} for visible template text (and labels) not marked for translation."""
    found: dict[str, list[str]] = {}
    for path in sorted(ROOT.glob("jipp/**/templates/**/*.html")):
        relative = str(path.relative_to(ROOT / "jipp"))
        if "/templates/guide/" in f"/{relative}" or relative in LANGUAGE_SPECIFIC:
            continue
        text = path.read_text(encoding="utf-8")
        lines = [m.group(2).strip() for m in _VISIBLE_ATTRIBUTE.finditer(text) if _words(m.group(2))]
        for pattern in _STRIP:
            text = pattern.sub(" ", text)
        text = re.sub(r"<[^>]*>", "\n", text)
        lines += [line.strip() for line in text.splitlines() if _words(line)]
        if lines:
            found[relative] = lines
    return found


if __name__ == "__main__":
    for path, lines in unmarked_template_text().items():
        print(f"{path}: unmarked text {lines[:5]}")
    problems = missing_translations()
    for path, msgids in problems.items():
        print(f"{path}: {len(msgids)} untranslated or fuzzy")
        for msgid in msgids[:20]:
            print(f"  {msgid!r}")
    sys.exit(1 if problems else 0)
