"""Steps the browser tests share."""

from tests.factories import PASSWORD


def login(page, username):
    """Sign in as `username` (a fresh session) through the real sign-in form, in Indonesian."""
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
