"""Browser tests: Playwright driving Debian's Chromium (never `playwright install`).

`make test` runs them when /usr/bin/chromium is installed; with REQUIRE_BROWSER=1 (as .ci/run
sets) a missing browser is a failure, never a silent skip. Screenshots go to
tests/browser/screenshots/ for a person to look at.
"""

import importlib
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Data migrations that seed reference rows. The live server needs committed data, so browser
# tests flush the database after each test, and these rows go with it: put them back first.
SEEDING_MIGRATIONS = [
    "jipp.registry.migrations.0003_categories_and_sdgs",
    "jipp.registry.migrations.0007_seed_award_tiers",
    "jipp.competition.migrations.0002_edition_2021",
    "jipp.competition.evaluation.migrations.0002_rubric_guidance_2021",
]


@pytest.fixture(autouse=True)
def _reference_rows(transactional_db):
    from django.apps import apps

    for name in SEEDING_MIGRATIONS:
        importlib.import_module(name).forwards(apps, None)  # each is idempotent


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run requires it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def shot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
