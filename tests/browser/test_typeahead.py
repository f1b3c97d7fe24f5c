"""The type-ahead combobox by keyboard (ARIA combobox with a listbox), and the plain select without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from jipp.accounts.models import User
from tests.browser.helpers import login
from tests.factories import AgencyFactory, MinistryUserFactory, RegencyFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agencies():
    for n in range(30):
        AgencyFactory(name=f"Pemerintah Kabupaten Contoh {n:02d}")
    return [
        AgencyFactory(name="Pemerintah Kabupaten Sidoarjo", region=RegencyFactory(name="Kabupaten Sidoarjo")),
        AgencyFactory(name="Pemerintah Kota Surabaya", region=RegencyFactory(name="Kota Surabaya")),
        AgencyFactory(name="Pemerintah Kabupaten Sidrap", region=RegencyFactory(name="Kabupaten Sidenreng Rappang")),
    ]


def test_ministry_chooses_an_agency_by_keyboard(page, shot, agencies):
    MinistryUserFactory(username="kementerian")
    login(page, "kementerian")
    page.goto(f"{page.base_url}/accounts/users/new/")
    page.get_by_label("Nama pengguna").fill("lokal.sidoarjo")
    page.get_by_label("Nama lengkap").fill("Agus Pratama")
    page.get_by_label("Peran").select_option(label="Admin Lokal")

    box = page.get_by_role("combobox", name="Instansi")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.focus()
    page.keyboard.type("Sid", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    # The count is announced politely.
    expect(box.locator("xpath=..").get_by_role("status")).to_have_text(re.compile("^2 saran"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    expect(page.locator(f"#{active}")).to_have_attribute("aria-selected", "true")
    expect(page.locator(f"#{active}")).to_contain_text("Pemerintah Kabupaten Sidrap")
    page.keyboard.press("ArrowUp")  # back to the first: Sidoarjo
    shot("typeahead-01-suggestions")
    page.keyboard.press("Enter")  # chooses; does not submit the form
    expect(box).to_have_value("Pemerintah Kabupaten Sidoarjo")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page).to_have_url(re.compile(r"/accounts/users/new/$"))

    # Typing is only a search: leaving without choosing keeps the chosen agency.
    box.fill("Sura")
    expect(page.get_by_role("option", name=re.compile("^Pemerintah Kota Surabaya"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.get_by_label("Nama lengkap").focus()
    expect(box).to_have_value("Pemerintah Kabupaten Sidoarjo")
    shot("typeahead-02-chosen")

    page.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_role("heading", name="Akun dibuat")).to_be_visible()
    assert User.objects.get(username="lokal.sidoarjo").agency == agencies[0]


def test_without_javascript_the_agency_is_a_plain_select(browser, live_server, agencies):
    MinistryUserFactory(username="kementerian")
    context = browser.new_context(java_script_enabled=False, locale="id-ID", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "kementerian")
    page.goto(f"{page.base_url}/accounts/users/new/")
    page.get_by_label("Nama pengguna").fill("lokal.surabaya")
    page.get_by_label("Nama lengkap").fill("Rina Wulandari")
    page.get_by_label("Peran").select_option(label="Admin Lokal")
    page.get_by_label("Instansi").select_option(label="Pemerintah Kota Surabaya")
    page.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_role("heading", name="Akun dibuat")).to_be_visible()
    assert User.objects.get(username="lokal.surabaya").agency == agencies[1]
    context.close()
