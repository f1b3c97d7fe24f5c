"""Every page each role reaches from its navigation, and the main detail pages (innovation, proposal,
replication, hub, dashboards), fits a 390 px phone without horizontal scrolling, and its message texts
(alerts, table cells, help texts, findings), not only its menus and headings, speak the reader's
language only."""

import re

import pytest
from django.utils import timezone

from jipp.competition.models import ScreeningFlag
from tests.browser.conftest import SCREENSHOTS
from tests.browser.shell_world import ROLES, build_world, log_in, page_width
from tests.factories.hubs import HubFactory
from tests.factories.registry import InnovationFactory
from tests.factories.replication import ReplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Words of the other language, as they would leak into message texts too.
ENGLISH_WORDS = re.compile(
    r"\b(Home|Save|Log out|Search|Deadline|Previous|Next|Download|Unread|Notifications|Proposals|"
    r"update/create|low_diversity|too_short|repeated_characters|placeholder|Outstanding Achievement|"
    r"Waiting for|Approved|Rejected|Forwarded|Returned|Requested|Declined|In progress|No findings|"
    r"Not screened|Please|There are no|No results|None yet|"
    # English function words: a whole untranslated sentence (the data here is all Indonesian).
    r"the|and|with|your|this|that|for|of|to|is|are|was|were|not|has|have|from|by)\b"
)
INDONESIAN_WORDS = re.compile(
    r"\b(Beranda|Simpan|Keluar|Cari|Tenggat|Sebelumnya|Berikutnya|Unduh|Notifikasi|Usulan|Kembali|Semua|"
    r"Menunggu|Disetujui|Ditolak|Diteruskan|Dikembalikan|Belum ada|Tidak ada|Silakan|Sedang berjalan)\b"
)
# Menus, headings, buttons and labels, and now the texts of messages: alerts, table cells, help
# texts, empty states, list items, badges and the home page's hints.
TEXTS = (
    "header, nav, h1, h2, h3, button, label, th, .home-item-label, .dropdown-item, "
    ".alert, td, .form-text, .helptext, .empty-state, .list-group-item, .badge, .home-item-hint, dd, dt"
)


def _texts(page) -> str:
    return "\n".join(page.locator(TEXTS).all_inner_texts())


def _world() -> dict:
    world = build_world()
    upp, waiting = world["upp"], world["waiting"]
    # Long names, as real ones are: a phone must wrap them, not scroll sideways.
    source = InnovationFactory(
        title="Gerakan Pelayanan Administrasi Kependudukan Terpadu Berbasis Masyarakat Desa (GERBANG-DUKCAPIL-DESA)",
        unit__name="Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kepulauan Siau Tagulandang Biaro",
    )
    world["innovation"] = source
    world["replication"] = ReplicationFactory(
        primary_source=source, adopter_unit=upp.unit, requested_by=upp, problem="Antrean panjang"
    )
    hub = HubFactory()
    from jipp.accounts.models import User

    hub.admins.add(User.objects.get(username="hub"))
    hub.mentors.add(User.objects.get(username="mentor"))
    world["hub"] = hub
    # A finding stored with its checks' codes, as older screening runs wrote it.
    ScreeningFlag.objects.create(
        proposal=waiting,
        kind="nonsense",
        message='Bagian "Ringkasan" tampak asal-asalan (low_diversity).',
        evidence={"section": "ringkasan", "checks": [{"code": "low_diversity"}]},
    )
    waiting.screened_at = timezone.now()
    waiting.save(update_fields=["screened_at"])
    return world


def _details(world) -> dict[str, list[str]]:
    innovation = f"/innovations/{world['innovation'].pk}/"
    proposal = f"/kipp/proposals/{world['waiting'].pk}/"
    replication = f"/replication/{world['replication'].public_id}/"
    hub = f"/hubs/{world['hub'].pk}/"
    return {
        "kementerian": [innovation, proposal, replication, hub],
        "lokal": [innovation, proposal, replication],
        "upp": [innovation, proposal, replication],
        "evaluator": [innovation],
        "panelis": [innovation],
        "hub": [innovation, hub],
        "mentor": [innovation, hub],
    }


def _nav_paths(page) -> list[str]:
    """Every page the header links to (area menus, the account menu), without logout and files."""
    hrefs = page.eval_on_selector_all("header a[href]", "els => els.map(e => e.getAttribute('href'))")
    paths = []
    for href in hrefs:
        path = href.split("#")[0]
        if not path.startswith("/") or path.startswith("/static/") or path in paths:
            continue
        if any(path.endswith(ending) for ending in (".csv", ".xlsx", ".pdf", "/logout/")):
            continue
        paths.append(path)
    return paths


def test_every_page_of_each_role_fits_a_phone_and_its_messages_speak_one_language(browser, live_server):
    world = _world()
    details = _details(world)
    too_wide, leaks, walked, findings = [], [], 0, {}
    SCREENSHOTS.mkdir(exist_ok=True)
    for role in ROLES:
        for language, other in (("id", ENGLISH_WORDS), ("en", INDONESIAN_WORDS)):
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale=f"{language}-ID")
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.base_url = live_server.url
            log_in(page, role)
            paths = _nav_paths(page) + details[role]
            for path in dict.fromkeys(paths):
                page.goto(f"{live_server.url}{path}")
                if page.locator("html").get_attribute("lang") != language:
                    leaks.append((role, language, path, "page not in the reader's language"))
                    continue
                walked += 1
                width = page_width(page)
                name = re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "root"
                if width != (390, 390):
                    too_wide.append((role, path, width[0]))
                    page.screenshot(path=str(SCREENSHOTS / f"too-wide-{role}-{name}.png"), full_page=True)
                elif language == "id" and role == "kementerian" and path in details[role]:
                    page.screenshot(path=str(SCREENSHOTS / f"phone-detail-{name[:40]}.png"), full_page=True)
                texts = _texts(page)
                if role == "kementerian" and path == f"/kipp/proposals/{world['waiting'].pk}/":
                    findings[language] = texts
                found = sorted(set(other.findall(texts)))
                if found:
                    leaks.append((role, language, path, found))
            context.close()
    assert walked > 300
    # The screening finding is among the texts read, with its check's label, never its code.
    assert "kata yang sama berulang-ulang" in findings["id"]
    assert "the same words over and over" in findings["en"]
    assert too_wide == []
    assert leaks == []
