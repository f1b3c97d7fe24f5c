"""An Admin Lokal creates a UPP account; the UPP logs in, must change its password; all in Indonesian, then English."""

import re

import pytest
from playwright.sync_api import expect

from jipp.accounts.models import User
from tests.factories import PASSWORD, AdminLokalFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_lokal_provisions_upp_who_changes_password(page, shot):
    admin = AdminLokalFactory(username="lokal.sidoarjo")
    unit = ServiceUnitFactory(agency=admin.agency, name="Dinas Kependudukan dan Pencatatan Sipil")
    base = page.base_url

    page.goto(f"{base}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_label("Nama pengguna").fill("lokal.sidoarjo")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    shot("01-login-id")
    page.get_by_role("button", name="Masuk").click()

    page.goto(f"{base}/accounts/users/new/")
    expect(page.get_by_role("heading", name="Akun baru")).to_be_visible()
    page.get_by_label("Nama pengguna").fill("upp.dukcapil")
    page.get_by_label("Nama lengkap").fill("Dewi Lestari")
    # The unit is a type-ahead (searched on the server): type, then choose by keyboard.
    unit_box = page.get_by_role("combobox", name="Unit penyelenggara pelayanan")
    unit_box.fill("Kependudukan")
    expect(page.get_by_role("option", name=re.compile("^Dinas Kependudukan dan Pencatatan Sipil"))).to_be_visible()
    unit_box.press("ArrowDown")
    unit_box.press("Enter")
    expect(unit_box).to_have_value(str(unit))
    shot("02-new-account-form")
    page.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_role("heading", name="Akun dibuat")).to_be_visible()
    temporary = page.locator("#temporary-password").inner_text().strip()
    shot("03-account-created")
    assert User.objects.get(username="upp.dukcapil").unit.agency == admin.agency

    page.get_by_role("button", name=re.compile("Menu akun")).click()
    page.get_by_role("button", name="Keluar").click()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nama pengguna").fill("upp.dukcapil")
    page.get_by_label("Kata sandi").fill(temporary)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/change/$"))
    expect(page.get_by_text("Ini login pertama Anda")).to_be_visible()
    shot("04-forced-password-change")
    page.get_by_label("Sandi lama").fill(temporary)
    page.get_by_label(re.compile(r"^Sandi baru")).fill("Layanan-Publik-2026")
    page.get_by_label("Konfirmasi sandi baru").fill("Layanan-Publik-2026")
    page.get_by_role("button", name="Ganti sandi").click()
    expect(page.get_by_text("Kata sandi Anda telah diganti.")).to_be_visible()
    assert not User.objects.get(username="upp.dukcapil").must_change_password

    # The language switch is in the account menu, always in the header.
    page.get_by_role("button", name=re.compile("Menu akun")).click()
    page.get_by_role("button", name=re.compile("^EN")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Public-service innovation network")).to_be_visible()
    shot("05-home-english")


def test_keyboard_user_reaches_main_content_first(page):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Lompat ke konten utama"
