import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_translations.py"


def test_every_indonesian_string_is_translated():
    spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.missing_translations() == {}


def _script():
    spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_visible_template_text_is_marked_for_translation():
    assert _script().unmarked_template_text() == {}


def test_the_template_scan_finds_unmarked_text(tmp_path, monkeypatch):
    module = _script()
    page = tmp_path / "jipp" / "demo" / "templates" / "demo" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '{% load i18n %}<h1>{% translate "Fine" %}</h1><p>Not marked here</p><nav aria-label="breadcrumb"></nav>'
    )
    monkeypatch.setattr(module, "ROOT", tmp_path)
    assert module.unmarked_template_text() == {"demo/templates/demo/page.html": ["breadcrumb", "Not marked here"]}


def test_no_english_left_in_indonesian_catalogues():
    """An msgstr equal to its English msgid is a leak, except names kept in both languages."""
    import polib

    kept = {"Admin Kementerian", "Admin Lokal", "WIB (UTC+7)", "WITA (UTC+8)", "WIT (UTC+9)", "Top (Umum)",
            "Top Replikasi", "KIPP %(year)d", "KIPP %(year)d: %(title)s"}  # fmt: skip
    root = SCRIPT.parents[1]
    leaks = []
    for po_path in root.glob("jipp/**/locale/id/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(po_path)):
            words = [w for w in entry.msgid.split() if w.isalpha() and len(w) > 2]
            if entry.msgstr == entry.msgid and len(words) >= 2 and entry.msgid not in kept:
                leaks.append(entry.msgid)
    assert leaks == []
