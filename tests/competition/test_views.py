import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jipp.competition import services
from jipp.competition.models import Proposal, ScreeningFlag, UnsavedDraft
from tests.factories import PASSWORD, AdminLokalFactory, MinistryUserFactory, UppFactory
from tests.factories.competition import ProposalFactory, complete_proposal, forwarded_proposal, juklak_edition
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return juklak_edition(2026)


def _login(client, user):
    client.force_login(user)
    return client


def _edit_data(proposal, **overrides):
    data = {"version": proposal.version, "title": proposal.title, "video_url": "", "sdgs": ["3"]}
    for answer in proposal.answers.select_related("section"):
        data[f"section_{answer.section.key}"] = answer.text
    data.update(overrides)
    return data


# --- lists and scoping ----------------------------------------------------------------------


def test_proposal_list_upp_sees_only_its_unit(client, edition):
    mine = ProposalFactory(edition=edition, innovation=InnovationFactory(title="Gerai Sehat Kita"))
    ProposalFactory(edition=edition, innovation=InnovationFactory(title="Layanan Tetangga", unit=mine.unit))
    other = ProposalFactory(edition=edition, innovation=InnovationFactory(title="Punya Orang Lain"))
    upp = UppFactory(unit=mine.unit)
    response = _login(client, upp).get(reverse("competition:proposal_list"), {"edition": 2026})
    titles = [p.title for p, _gaps in response.context["rows"]]
    assert sorted(titles) == ["Gerai Sehat Kita", "Layanan Tetangga"]
    assert client.get(reverse("competition:proposal_detail", args=[other.pk])).status_code == 404


def test_proposal_list_admin_lokal_sees_its_agency_with_completeness(client, edition):
    complete = complete_proposal(ProposalFactory(edition=edition))
    ProposalFactory(edition=edition, innovation=InnovationFactory(unit=complete.unit))
    ProposalFactory(edition=edition)
    admin = AdminLokalFactory(agency=complete.agency)
    response = _login(client, admin).get(reverse("competition:proposal_list"), {"edition": 2026})
    rows = response.context["rows"]
    assert len(rows) == 2
    assert sorted(len(gaps) for _p, gaps in rows) == [0, 16]  # 7 sections, 6 files, video, category, SDG
    assert "Complete" in response.content.decode() or "Lengkap" in response.content.decode()
    assert response.context["quotas"][0][1:] == (0, 10)


@pytest.mark.parametrize("count", [1, 3])
def test_proposal_list_constant_queries(client, edition, django_assert_max_num_queries, count):
    first = complete_proposal(ProposalFactory(edition=edition))
    for _ in range(count - 1):
        complete_proposal(ProposalFactory(edition=edition, innovation=InnovationFactory(unit=first.unit)))
    admin = _login(client, AdminLokalFactory(agency=first.agency))
    with django_assert_max_num_queries(27):
        response = admin.get(reverse("competition:proposal_list"), {"edition": 2026})
    assert len(response.context["rows"]) == count


def test_edition_detail_public_shows_only_public_weight(client, edition):
    response = client.get(reverse("competition:edition_detail", args=[2026]))
    body = response.content.decode()
    assert "Ringkasan" in body and "5%" in body
    assert "25%" not in body  # the innovative idea's weight is not public


# --- writing and autosave -----------------------------------------------------------------------


def test_proposal_start_creates_draft_and_redirects_to_editor(client, edition):
    innovation = InnovationFactory()
    upp = UppFactory(unit=innovation.unit)
    response = _login(client, upp).post(
        reverse("competition:proposal_start") + "?edition=2026",
        {"innovation": innovation.pk, "group": edition.groups.get(kind="umum").pk},
    )
    proposal = Proposal.objects.get(innovation=innovation)
    assert response.url == reverse("competition:proposal_edit", args=[proposal.pk])
    page = client.get(response.url).content.decode()
    assert 'data-word-limit="600"' in page and "hx-post" in page


def test_edit_post_saves_text(client, edition):
    proposal = ProposalFactory(edition=edition)
    upp = UppFactory(unit=proposal.unit)
    data = _edit_data(proposal, section_ringkasan="Ringkasan baru kami.")
    response = _login(client, upp).post(reverse("competition:proposal_edit", args=[proposal.pk]), data)
    assert response.status_code == 302
    assert proposal.answers.get(section__key="ringkasan").text == "Ringkasan baru kami."


def test_edit_post_stale_keeps_my_text_and_shows_other_version(client, edition):
    proposal = ProposalFactory(edition=edition)
    upp, colleague = UppFactory(unit=proposal.unit), UppFactory(unit=proposal.unit, first_name="Budi")
    data = _edit_data(proposal, section_ringkasan="Teks saya yang panjang.")
    services.save_draft(user=colleague, proposal=proposal, expected_version=1, answers={"ringkasan": "Teks Budi."})
    response = _login(client, upp).post(reverse("competition:proposal_edit", args=[proposal.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Teks saya yang panjang." in body and "Teks Budi." in body
    assert response.context["form"]["version"].value() == "2"
    assert proposal.answers.get(section__key="ringkasan").text == "Teks Budi."


def test_autosave_saved_returns_time_and_new_version(client, edition):
    proposal = ProposalFactory(edition=edition)
    upp = UppFactory(unit=proposal.unit)
    response = _login(client, upp).post(
        reverse("competition:proposal_autosave", args=[proposal.pk]), _edit_data(proposal, section_ringkasan="Halo")
    )
    body = response.content.decode()
    assert 'id="id_version" value="2" hx-swap-oob="true"' in body
    assert "WIB" in body or "WIT" in body or "WITA" in body


def test_autosave_stale_refused_with_message(client, edition):
    proposal = ProposalFactory(edition=edition)
    upp = UppFactory(unit=proposal.unit)
    data = _edit_data(proposal, section_ringkasan="Milik saya")
    services.save_draft(user=UppFactory(unit=proposal.unit), proposal=proposal, expected_version=1, answers={})
    response = _login(client, upp).post(reverse("competition:proposal_autosave", args=[proposal.pk]), data)
    assert response.status_code == 200
    assert "version 2" in response.content.decode() or "versi 2" in response.content.decode()
    assert proposal.answers.get(section__key="ringkasan").text == ""


def _session_expires_after_editing(client, user, proposal):
    """The user opens the edit page (the browser is marked as this proposal's editor), then the session ends."""
    from django.contrib.sessions.models import Session

    _login(client, user).get(reverse("competition:proposal_edit", args=[proposal.pk]))
    Session.objects.all().delete()


def test_autosave_expired_session_keeps_text_and_restores_after_login(client, edition):
    proposal = ProposalFactory(edition=edition)
    upp = UppFactory(unit=proposal.unit)
    data = _edit_data(proposal, section_ringkasan="Teks yang tidak boleh hilang.")
    _session_expires_after_editing(client, upp, proposal)
    response = client.post(reverse("competition:proposal_autosave", args=[proposal.pk]), data)
    assert "accounts/login" in response.content.decode()
    assert UnsavedDraft.objects.get(proposal=proposal).data["section_ringkasan"] == "Teks yang tidak boleh hilang."
    # Log in through the login page, as the user would: the anonymous session (and its claim) carries over.
    client.post(reverse("accounts:login"), {"username": upp.username, "password": PASSWORD})
    page = client.get(reverse("competition:proposal_edit", args=[proposal.pk]))
    assert page.context["restored"] is not None
    assert page.context["form"]["section_ringkasan"].value() == "Teks yang tidak boleh hilang."
    # Saving discards the kept copy.
    client.post(reverse("competition:proposal_edit", args=[proposal.pk]),
                _edit_data(proposal, section_ringkasan="Teks yang tidak boleh hilang."))  # fmt: skip
    assert not UnsavedDraft.objects.exists()
    assert proposal.answers.get(section__key="ringkasan").text == "Teks yang tidak boleh hilang."


def test_edit_post_expired_session_redirects_to_login_and_keeps_text(client, edition):
    proposal = ProposalFactory(edition=edition)
    _session_expires_after_editing(client, UppFactory(unit=proposal.unit), proposal)
    response = client.post(reverse("competition:proposal_edit", args=[proposal.pk]),
                           _edit_data(proposal, section_ringkasan="Tetap ada"))  # fmt: skip
    assert response.status_code == 302 and "login" in response.url
    assert UnsavedDraft.objects.get(proposal=proposal).data["section_ringkasan"] == "Tetap ada"


def test_unsaved_draft_not_claimable_from_another_browser(client, edition):
    proposal = ProposalFactory(edition=edition)
    services.keep_unsaved_draft(proposal=proposal, data={"section_ringkasan": "rahasia"}, token="abc")
    upp = UppFactory(unit=proposal.unit)
    page = _login(client, upp).get(reverse("competition:proposal_edit", args=[proposal.pk]))
    assert page.context["restored"] is None and "rahasia" not in page.content.decode()


def test_attachment_upload_forged_file_refused_with_message(client, edition):
    from django.core.files.uploadedfile import SimpleUploadedFile

    proposal = ProposalFactory(edition=edition)
    upp = UppFactory(unit=proposal.unit)
    requirement = proposal.group.required_attachments.get(key="maklumat")
    response = _login(client, upp).post(
        reverse("competition:attachment_upload", args=[proposal.pk]),
        {"requirement": requirement.pk, "file": SimpleUploadedFile("m.pdf", b"<html></html>")},
        follow=True,
    )
    assert proposal.attachments.count() == 0
    assert "PDF" in response.content.decode()


# --- forwarding and the secretariat -------------------------------------------------------------


def test_forward_view_after_quota_shows_reason(client, edition):
    from jipp.competition.models import Quota

    done = forwarded_proposal(edition=edition)
    Quota.objects.create(group=done.group, agency=done.agency, max_proposals=1)
    waiting = complete_proposal(ProposalFactory(edition=edition, innovation=InnovationFactory(unit=done.unit)))
    services.submit_to_admin_lokal(user=UppFactory(unit=waiting.unit), proposal=waiting)
    admin = AdminLokalFactory(agency=done.agency)
    response = _login(client, admin).post(reverse("competition:proposal_forward", args=[waiting.pk]), follow=True)
    assert "1 of 1" in response.content.decode() or "1 dari 1" in response.content.decode()


def test_screening_page_ministry_only_and_shows_flags(client, edition):
    a = forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Pojok Baca Desa"))
    forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Pojok Baca Desa"))
    services.screen_edition(edition=edition, workers=1)
    assert _login(client, AdminLokalFactory(agency=a.agency)).get(
        reverse("competition:screening", args=[2026])).status_code == 403  # fmt: skip
    response = _login(client, MinistryUserFactory()).get(reverse("competition:screening", args=[2026]))
    assert response.context["summary"] == {"same_title": 2}
    detail = client.get(reverse("competition:proposal_detail", args=[a.pk])).content.decode()
    flag = ScreeningFlag.objects.get(proposal=a)
    assert reverse("competition:flag_detail", args=[flag.pk]) in detail
    evidence = client.get(reverse("competition:flag_detail", args=[flag.pk])).content.decode()
    assert evidence.count("Pojok Baca Desa") >= 2


def test_screening_start_runs_in_background_and_shows_progress(client, edition, django_capture_on_commit_callbacks):
    forwarded_proposal(edition=edition)
    ministry = _login(client, MinistryUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("competition:screening_start", args=[2026]))
    fragment = client.get(reverse("competition:screening_progress", args=[2026])).content.decode()
    assert "100%" in fragment
    assert ministry is client


def test_bulk_pass_view_passes_clean_ones(client, edition):
    proposal = forwarded_proposal(edition=edition)
    services.screen_edition(edition=edition, workers=1)
    _login(client, MinistryUserFactory()).post(
        reverse("competition:screening_bulk_pass", args=[2026]), {"proposal": [proposal.pk], "reason": "Lengkap."}
    )
    proposal.refresh_from_db()
    assert proposal.status == "passed_administration"
    upp = UppFactory(unit=proposal.unit)
    page = _login(client, upp).get(reverse("competition:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Lengkap." in page


def test_decide_view_fail_with_reason_shown_to_unit(client, edition):
    proposal = forwarded_proposal(edition=edition)
    _login(client, MinistryUserFactory()).post(
        reverse("competition:proposal_decide", args=[proposal.pk]), {"outcome": "fail", "reason": "Judul ganda."}
    )
    proposal.refresh_from_db()
    assert proposal.status == "failed_administration"
    from jipp.accounts.models import User

    operator = User.objects.get(unit=proposal.unit)  # the account that wrote and sent it
    notes = _login(client, operator).get(reverse("notifications:list"))
    assert "Judul ganda." in notes.content.decode()


def test_old_kipp_notifications_page_redirects_permanently_to_the_platform_list(client):
    response = client.get("/kipp/notifications/")
    assert response.status_code == 301
    assert response["Location"] == "/notifications/?area=kipp"


# --- exports ---------------------------------------------------------------------------------------


def test_export_csv_and_xlsx_list_status_and_flags(client, edition):
    proposal = forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Mal Pelayanan Desa"))
    forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Mal Pelayanan Desa"))
    services.screen_edition(edition=edition, workers=1)
    _login(client, MinistryUserFactory())
    response = client.get(reverse("competition:export", args=[2026, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3
    row = next(r for r in rows if r[0] == str(proposal.pk))
    assert (
        row[2] == "Mal Pelayanan Desa"
        and row[6] == "1"
        and row[7] in ("Same or nearly the same title", "Judul sama atau hampir sama")
    )
    workbook = load_workbook(io.BytesIO(client.get(reverse("competition:export", args=[2026, "xlsx"])).content))
    assert workbook.active.max_row == 3


def test_proposal_pdf_is_a_pdf_of_the_snapshot(client, edition):
    proposal = forwarded_proposal(edition=edition)
    response = _login(client, UppFactory(unit=proposal.unit)).get(
        reverse("competition:proposal_pdf", args=[proposal.pk])
    )
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


# --- API --------------------------------------------------------------------------------------------


def test_api_editions_public_hide_private_weights(client, edition):
    response = client.get("/api/v1/kipp/editions/2026/")
    umum = next(g for g in response.json()["groups"] if g["kind"] == "umum")
    weights = {s["key"]: s["weight"] for s in umum["sections"]}
    assert weights["ringkasan"] == "5.00" and weights["ide_inovatif"] is None


def test_api_my_proposals_scoped_and_bad_filter_400(client, edition):
    mine = ProposalFactory(edition=edition)
    ProposalFactory(edition=edition)
    _login(client, UppFactory(unit=mine.unit))
    data = client.get("/api/v1/kipp/my-proposals/").json()
    assert [p["id"] for p in data["results"]] == [mine.pk]
    assert client.get("/api/v1/kipp/my-proposals/", {"status": "bogus"}).status_code == 400


def test_api_screening_ministry_only(client, edition):
    proposal = forwarded_proposal(edition=edition)
    services.screen_edition(edition=edition, workers=1)
    assert _login(client, UppFactory(unit=proposal.unit)).get("/api/v1/kipp/screening/").status_code == 403
    data = _login(client, MinistryUserFactory()).get("/api/v1/kipp/screening/", {"edition": 2026}).json()
    assert data["count"] == 1 and data["results"][0]["flags"] == []


# --- editions and guides ------------------------------------------------------------------------


def test_edition_copy_view_creates_unpublished_copy(client, edition):
    response = _login(client, MinistryUserFactory()).post(
        reverse("competition:edition_copy", args=[2026]), {"year": 2027, "name": "KIPP 2027"}
    )
    assert response.url == reverse("competition:edition_detail", args=[2027])
    page = client.get(response.url).content.decode()
    assert "KIPP 2027" in page and "disalin dari 2026" in page


def test_edition_copy_view_refused_for_admin_lokal(client, edition):
    response = _login(client, AdminLokalFactory()).post(
        reverse("competition:edition_copy", args=[2026]), {"year": 2027}
    )
    assert response.status_code == 403
    from jipp.competition.models import Edition

    assert not Edition.objects.filter(year=2027).exists()


@pytest.mark.parametrize("slug", ["kipp-upp", "kipp-admin-lokal", "kipp-secretariat"])
@pytest.mark.parametrize(("language", "phrase"), [("id", "KIPP"), ("en", "KIPP")])
def test_guides_render_in_both_languages(client, slug, language, phrase):
    client.cookies["django_language"] = language
    response = client.get(reverse("core:guide_page", args=[slug]))
    assert response.status_code == 200
    assert phrase in response.content.decode()
    assert f'lang="{language}"' in response.content.decode()


def test_autosave_with_invalid_video_link_still_saves_the_text(client, edition):
    proposal = ProposalFactory(edition=edition)
    upp = UppFactory(unit=proposal.unit)
    data = _edit_data(proposal, section_ringkasan="Teks tetap disimpan.", video_url="bukan tautan")
    body = _login(client, upp).post(reverse("competition:proposal_autosave", args=[proposal.pk]), data).content
    assert b'value="2" hx-swap-oob="true"' in body
    proposal.refresh_from_db()
    assert proposal.answers.get(section__key="ringkasan").text == "Teks tetap disimpan."
    assert proposal.video_url == ""


@pytest.mark.parametrize("count", [1, 3])
def test_screening_page_constant_queries(client, edition, django_assert_max_num_queries, count):
    for n in range(count):
        forwarded_proposal(edition=edition, innovation=InnovationFactory(title=f"Inovasi Berbeda Nomor {n} " * (n + 1)))
    services.screen_edition(edition=edition, workers=1)
    _login(client, MinistryUserFactory())
    with django_assert_max_num_queries(14):
        response = client.get(reverse("competition:screening", args=[2026]))
    assert response.context["page"].paginator.count == count
