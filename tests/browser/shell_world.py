"""A small world with one account of every role, for the shell's browser tests (homes, nav, a11y)."""

from pathlib import Path

from django.utils import timezone

from jipp.accounts.models import Role
from jipp.competition import services
from jipp.competition.evaluation.models import Assignment
from jipp.notifications.services import notify
from tests.factories import PASSWORD, AdminLokalFactory, MinistryUserFactory, UppFactory, UserFactory
from tests.factories.competition import ProposalFactory, complete_proposal, juklak_edition
from tests.factories.evaluation import EvaluatorUserFactory, PanelistUserFactory

AXE = Path(__file__).resolve().parents[2] / "jipp" / "core" / "static" / "vendor" / "axe" / "axe.min.js"
ROLES = ["kementerian", "lokal", "upp", "evaluator", "panelis", "hub", "mentor"]


def build_world() -> dict:
    edition = juklak_edition(2026)
    waiting = complete_proposal(ProposalFactory(edition=edition, title="Si Akrab Sidoarjo"))
    upp = UppFactory(username="upp", unit=waiting.unit, first_name="Dewi", last_name="Lestari")
    lokal = AdminLokalFactory(username="lokal", agency=waiting.agency, first_name="Agus", last_name="Pratama")
    services.submit_to_admin_lokal(user=upp, proposal=waiting, now=timezone.now())
    ProposalFactory(edition=edition, innovation__unit=waiting.unit, title="Draf Layanan Keliling")
    ministry = MinistryUserFactory(username="kementerian", first_name="Sekretariat", last_name="KIPP")
    evaluator = EvaluatorUserFactory(username="evaluator", first_name="Rina", last_name="Wulandari")
    Assignment.objects.create(edition=edition, proposal=waiting, evaluator=evaluator)
    PanelistUserFactory(username="panelis", first_name="Putu", last_name="Saputra")
    UserFactory(username="hub", role=Role.HUB_ADMIN, agency=waiting.agency, first_name="Budi", last_name="Santoso")
    UserFactory(username="mentor", role=Role.MENTOR, first_name="Ahmad", last_name="Hidayat", affiliation="Unair")
    notify([upp], "generic", None, url="/innovations/", message="Selamat datang di Hub JIPP")
    return {"edition": edition, "waiting": waiting, "upp": upp, "lokal": lokal, "ministry": ministry}


def log_in(page, username: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/home/")


def page_width(page) -> tuple[int, int]:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width, viewport


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run the vendored axe-core on the page; the serious and critical violations as short lines."""
    # Evaluated through the DevTools protocol: the site's Content-Security-Policy forbids injected scripts.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]
