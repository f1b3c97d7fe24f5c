"""Every role signs in, lands on its home (/home/), sees its own items, and follows one to where it is done."""

import re

import pytest
from playwright.sync_api import expect

from jipp.competition.models import Proposal
from jipp.notifications.models import Notification
from tests.browser.conftest import SCREENSHOTS
from tests.browser.shell_world import ROLES, axe_violations, build_world, log_in, page_width

pytestmark = pytest.mark.django_db(transaction=True)

EXPECTED = {
    "kementerian": "Usulan dalam antrean seleksi administrasi",
    "lokal": "Usulan yang perlu diperiksa dan diteruskan ke Kementerian",
    "upp": "Draf usulan",
    "evaluator": "Penilaian yang perlu dikirim",
    "panelis": "Presentasi yang perlu dinilai",
    "hub": "Notifikasi belum dibaca",
    "mentor": "Notifikasi belum dibaca",
}


def test_every_role_home_fits_desktop_and_phone_and_passes_axe(browser, live_server):
    build_world()
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        for role in ROLES:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.base_url = live_server.url
            log_in(page, role)
            expect(page.get_by_role("link", name=re.compile(EXPECTED[role]))).to_be_visible()
            assert page_width(page) == (width, width), (role, width)
            page.screenshot(path=str(SCREENSHOTS / f"home-{role}-{width}.png"), full_page=True)
            if width == 1280:
                assert axe_violations(page) == [], role
            context.close()


def test_admin_lokal_follows_its_home_item_to_forward_the_proposal(page, shot):
    world = build_world()
    log_in(page, "lokal")
    item = page.get_by_role("link", name=re.compile("Usulan yang perlu diperiksa"))
    expect(item).to_contain_text("1")
    expect(item).to_contain_text("Sisa kuota: Umum 10/10")
    item.click()
    page.get_by_role("link", name="Si Akrab Sidoarjo").click()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Teruskan ke Kementerian").click()
    expect(page.get_by_text("Diteruskan ke Kementerian").first).to_be_visible()
    world["waiting"].refresh_from_db()
    assert world["waiting"].status == Proposal.Status.FORWARDED
    page.goto(f"{page.base_url}/home/")
    expect(page.get_by_role("link", name=re.compile("Usulan yang perlu diperiksa"))).to_contain_text("0")
    shot("home-lokal-after-forwarding")


def test_upp_opens_its_notification_from_the_bell(page):
    world = build_world()
    log_in(page, "upp")
    bell = page.get_by_role("link", name=re.compile("^Notifikasi"))
    expect(bell.first).to_contain_text("1")
    bell.first.click()
    page.get_by_role("link", name="Selamat datang di Hub JIPP").click()
    expect(page).to_have_url(re.compile(r"/innovations/$"))
    assert Notification.objects.get(recipient=world["upp"]).read_at is not None
