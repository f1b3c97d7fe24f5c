"""Accessibility and language on the main pages of each role: axe-core (vendored) finds no serious or
critical violation, the chrome of each page speaks only the reader's language, and the header works by
keyboard at desktop and phone widths."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.shell_world import axe_violations, build_world, log_in, page_width

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "kementerian": ["/home/", "/notifications/", "/audit/", "/kipp/proposals/", "/innovations/"],
    "lokal": ["/home/", "/kipp/proposals/", "/innovations/manage/", "/notifications/preferences/"],
    "upp": ["/home/", "/notifications/", "/kipp/proposals/", "/replication/find/"],
    "evaluator": ["/home/", "/kipp/evaluation/reviews/"],
    "hub": ["/home/", "/hubs/"],
}
# Words of the other language in the page's chrome (menus, headings, buttons, labels, table heads).
ENGLISH_WORDS = re.compile(
    r"\b(Home|Save|Log out|Search|Deadline|Previous|Next|Download|Unread|Notifications|Proposals|"
    r"update/create|low_diversity|Outstanding Achievement)\b"
)
INDONESIAN_WORDS = re.compile(
    r"\b(Beranda|Simpan|Keluar|Cari|Tenggat|Sebelumnya|Berikutnya|Unduh|Notifikasi|Usulan|Kembali|Semua)\b"
)
CHROME = "header, nav, h1, h2, h3, button, label, th, .home-item-label, .dropdown-item"


def _chrome_text(page) -> str:
    return "\n".join(page.locator(CHROME).all_inner_texts())


def test_main_pages_of_each_role_pass_axe_in_both_languages(browser, live_server):
    build_world()
    for role, paths in PAGES.items():
        for language, other in (("id", ENGLISH_WORDS), ("en", INDONESIAN_WORDS)):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=f"{language}-ID")
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.base_url = live_server.url
            log_in(page, role)
            if page.locator("html").get_attribute("lang") != language:
                page.get_by_role("button", name=re.compile("Menu akun|Account menu")).click()
                page.get_by_role("button", name=re.compile(f"^{language.upper()}")).click()
                expect(page.locator("html")).to_have_attribute("lang", language)
            for path in paths:
                page.goto(f"{live_server.url}{path}")
                assert page.locator("html").get_attribute("lang") == language
                assert axe_violations(page) == [], (role, path)
                leaks = other.findall(_chrome_text(page))
                assert leaks == [], (role, language, path, leaks)
            context.close()


def test_header_works_by_keyboard_at_desktop_width(page, live_server):
    build_world()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "kementerian")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    menu = page.get_by_role("button", name="KIPP", exact=True)
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.className")
    assert "dropdown-item" in focused
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    account = page.get_by_role("button", name=re.compile("Menu akun"))
    account.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def test_phone_menu_opens_by_keyboard_and_fits(page, live_server):
    build_world()
    log_in(page, "lokal")
    assert page_width(page) == (390, 390)
    toggler = page.get_by_role("button", name="Tampilkan menu")
    toggler.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Registri")).to_be_visible()
    page.get_by_role("button", name="Registri").click()
    expect(page.get_by_role("link", name="Inovasi saya")).to_be_visible()
    assert page_width(page) == (390, 390)
    for path in ("/kipp/proposals/", "/notifications/", "/innovations/"):
        page.goto(f"{live_server.url}{path}")
        assert page_width(page) == (390, 390), path
