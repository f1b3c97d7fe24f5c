"""The site's shell: grouped navigation, breadcrumbs, the person's home, styled error pages."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings
from django.urls import include, path, reverse

from jipp.core import views
from jipp.core.nav import nav_groups
from tests.factories import PASSWORD, AdminLokalFactory, MinistryUserFactory, ServiceUnitFactory, UppFactory
from tests.factories.competition import ProposalFactory, juklak_edition
from tests.factories.hubs import HubFactory

pytestmark = pytest.mark.django_db


def test_nav_groups_for_the_ministry_are_the_areas_in_order():
    keys = [group.key for group in nav_groups(MinistryUserFactory())]
    assert keys == ["registry", "kipp", "replication", "institutionalisation", "hubs", "dashboards", "admin"]


def test_nav_groups_for_the_public_hold_no_administration(rf):
    from django.contrib.auth.models import AnonymousUser

    keys = [group.key for group in nav_groups(AnonymousUser())]
    assert keys == ["registry", "kipp", "replication", "hubs", "dashboards"]


def test_header_shows_area_menus_and_the_user_menu(client):
    client.force_login(MinistryUserFactory(first_name="Sekar", last_name="Wangi"))
    body = client.get(reverse("core:my_home")).content.decode()
    assert body.count('class="nav-link dropdown-toggle') == 7
    assert "Administrasi" in body
    assert "Sekar Wangi" in body
    assert reverse("accounts:logout") in body
    assert reverse("notifications:list") in body


def test_breadcrumbs_on_a_page_below_a_menu_item(client):
    client.force_login(MinistryUserFactory())
    edition = juklak_edition(2026)
    body = client.get(reverse("competition:edition_detail", args=[edition.year])).content.decode()
    assert 'aria-label="Jejak halaman"' in body
    assert f'<a href="{reverse("competition:edition_list")}">Edisi</a>' in body


def test_no_breadcrumbs_on_a_top_page(client):
    body = client.get(reverse("registry:catalogue")).content.decode()
    assert 'aria-label="Jejak halaman"' not in body


def test_login_lands_on_my_home(client):
    user = UppFactory(username="upp.satu")
    response = client.post(reverse("accounts:login"), {"username": "upp.satu", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("core:my_home")
    assert user.pk


def test_login_keeps_next(client):
    UppFactory(username="upp.dua")
    response = client.post(
        reverse("accounts:login") + "?next=/kipp/", {"username": "upp.dua", "password": PASSWORD, "next": "/kipp/"}
    )
    assert response["Location"] == "/kipp/"


def test_my_home_needs_login(client):
    response = client.get(reverse("core:my_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_upp_home_lists_drafts_and_returned_with_the_deadline_in_its_zone(client):
    edition = juklak_edition(2026, deadline=dt.datetime(2026, 12, 31, 16, 59, tzinfo=dt.UTC))
    proposal = ProposalFactory(edition=edition)
    ProposalFactory(edition=edition, innovation__unit=proposal.unit, status="returned")
    upp = UppFactory(unit=proposal.unit)
    client.force_login(upp)
    body = client.get(reverse("core:my_home")).content.decode()
    assert f'href="{reverse("competition:proposal_list")}?status=returned"' in body
    assert f'href="{reverse("competition:proposal_list")}?status=draft"' in body
    assert "Usulan yang dikembalikan kepada Anda" in body
    assert "31 Des 2026, 23.59 WIB" in body


def test_admin_lokal_home_shows_forwarding_queue_quota_and_units_without_accounts(client):
    edition = juklak_edition(2026)
    proposal = ProposalFactory(edition=edition, status="with_admin_lokal")
    admin = AdminLokalFactory(agency=proposal.agency)
    ServiceUnitFactory(agency=proposal.agency)
    client.force_login(admin)
    response = client.get(reverse("core:my_home"))
    items = {str(item.label): item for section in response.context["sections"].values() for item in section}
    assert items["Usulan yang perlu diperiksa dan diteruskan ke Kementerian"].count == 1
    assert "Umum 10/10" in str(items["Usulan yang perlu diperiksa dan diteruskan ke Kementerian"].hint)
    assert items["Unit layanan tanpa akun"].count == 2


def test_ministry_home_shows_the_screening_queue(client):
    edition = juklak_edition(2026)
    ProposalFactory(edition=edition, status="forwarded")
    ProposalFactory(edition=edition, status="forwarded")
    client.force_login(MinistryUserFactory())
    response = client.get(reverse("core:my_home"))
    items = {str(item.label): item for section in response.context["sections"].values() for item in section}
    assert items["Usulan dalam antrean seleksi administrasi"].count == 2
    assert items["Usulan dalam antrean seleksi administrasi"].url == reverse("competition:screening", args=[2026])


def test_my_home_queries_are_bounded(client, django_assert_max_num_queries):
    edition = juklak_edition(2026)
    proposal = ProposalFactory(edition=edition)
    for _ in range(3):
        ProposalFactory(edition=edition, innovation__unit=proposal.unit)
    client.force_login(UppFactory(unit=proposal.unit))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("core:my_home")).status_code == 200


def test_403_page_is_styled_with_a_way_back(client):
    client.force_login(UppFactory())
    response = client.get(reverse("core:audit_log"))
    body = response.content.decode()
    assert response.status_code == 403
    assert 'class="error-page"' in body
    assert "Anda tidak dapat membuka halaman ini" in body
    assert f'href="{reverse("core:my_home")}"' in body


def test_404_page_is_styled(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    assert 'class="site-navbar' in response.content.decode() or "site-navbar" in response.content.decode()


def test_500_page_renders_without_a_request_context():
    response = views.server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan di sisi kami" in body
    assert "Hub JIPP" in body


def _boom(request):
    raise RuntimeError("boom")


def _forbidden(request):
    raise PermissionDenied("Tahap ini sudah ditutup.")


urlpatterns = [path("boom/", _boom), path("forbidden/", _forbidden), path("", include("config.urls"))]
handler500 = "jipp.core.views.server_error"
handler403 = "jipp.core.views.permission_denied"


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_500_handler_answers_a_crash(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Terjadi kesalahan di sisi kami" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_403_shows_the_reason_given(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "Tahap ini sudah ditutup." in response.content.decode()


def test_hub_admin_home_shows_its_hub_work_with_the_next_activity(client):
    from tests.factories.hubs import ActivityFactory, HubAdminFactory, HubFactory, SpokeFactory

    hub = HubFactory()
    SpokeFactory(hub=hub)
    ActivityFactory(hub=hub, starts_on=dt.date(2099, 5, 2), ends_on=dt.date(2099, 5, 3))
    ActivityFactory(hub=hub, starts_on=dt.date(2020, 5, 2), ends_on=dt.date(2020, 5, 3))
    client.force_login(HubAdminFactory(agency=hub.agency))
    items = [i for s in client.get(reverse("core:my_home")).context["sections"].values() for i in s]
    [work] = [i for i in items if i.url == reverse("hubs:work", args=[hub.pk])]
    assert work.count == 1
    assert str(work.hint) == "Kegiatan mendatang; 1 spoke dalam jaringan."
    assert work.deadline.date() == dt.date(2099, 5, 2)


def test_breadcrumbs_name_an_area_once_when_its_list_has_the_same_name(client):
    """In Indonesian the Hubs area and its list are both "Hub": the trail says it once."""
    hub = HubFactory()
    client.force_login(MinistryUserFactory())
    body = client.get(reverse("hubs:work", args=[hub.pk])).content.decode()
    trail = body.split('aria-label="Jejak halaman"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<li class="breadcrumb-item">(.*?)</li>', trail, flags=re.S) == [
        f'<a href="{reverse("core:my_home")}">Beranda</a>',
        f'<a href="{reverse("hubs:list")}">Hub</a>',
    ]
