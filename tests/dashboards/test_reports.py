import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from jipp.dashboards.models import Report
from jipp.dashboards.services.reports import build_report, request_report
from tests.factories import AdminLokalFactory, MinistryUserFactory

pytestmark = pytest.mark.django_db


def pdf_pages(report: Report) -> list[str]:
    with report.pdf.open("rb") as handle:
        return [page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages]


def test_a_second_request_joins_the_report_in_the_making(world):
    first, joined_first = request_report(scope="national", year=2025, language="en")
    second, joined_second = request_report(scope="national", year=2025, language="en")
    other, _ = request_report(scope="national", year=2025, language="id")
    assert (joined_first, joined_second) == (False, True)
    assert second.pk == first.pk
    assert other.pk != first.pk
    assert Report.objects.count() == 2


def test_the_pdf_has_every_section_and_the_map(world):
    report, _ = request_report(scope="national", year=2025, language="en")
    report = build_report(report_id=report.pk)
    assert report.status == Report.Status.DONE
    assert report.progress == 100
    assert report.data_version is not None
    pages = pdf_pages(report)
    text = " ".join(" ".join(pages).split())
    assert " ".join(pages[0].split()).startswith("National report on public-service innovation 2025")
    for section in ("Summary", "The map", "Charts", "Tables", "Method notes"):
        assert section in text
    assert "Published innovations per province; hub provinces are marked." in text  # the map caption
    assert "Jawa Timur" in text  # the province table
    # The map is vector paths: the page that holds it draws far more than text.
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    map_page = next(p for p in reader.pages if "The map" in p.extract_text())
    assert len(map_page.get_contents().get_data()) > 20_000


def test_the_spreadsheet_has_one_sheet_per_table(world):
    report, _ = request_report(scope="national", year=2025, language="en")
    report = build_report(report_id=report.pk)
    with report.xlsx.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert book.sheetnames == ["Summary", "Provinces", "Kinds of agency", "Years"]
    provinces = {row[0]: row[2] for row in book["Provinces"].iter_rows(min_row=2, values_only=True)}
    assert provinces["35"] == 5


def test_ministry_requests_and_downloads_a_report(client, world, django_capture_on_commit_callbacks):
    client.force_login(MinistryUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboards:report_request"), {"year": "2025", "language": "en"})
    report = Report.objects.get()
    assert response.url == reverse("dashboards:report_detail", args=[report.public_id])
    assert report.status == Report.Status.DONE
    download = client.get(reverse("dashboards:report_download", args=[report.public_id, "pdf"]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_year_without_figures_is_refused(client, world):
    client.force_login(MinistryUserFactory())
    response = client.post(reverse("dashboards:report_request"), {"year": "1999", "language": "en"}, follow=True)
    assert Report.objects.count() == 0
    assert "There are no figures for 1999; choose another year." in response.content.decode()


def test_reports_are_the_ministrys(client, world):
    client.force_login(AdminLokalFactory(agency=world["sidoarjo"]))
    assert client.get(reverse("dashboards:reports")).status_code == 403
    assert client.post(reverse("dashboards:report_request"), {"year": "2025"}).status_code == 403


def test_the_report_in_indonesian(world):
    report, _ = request_report(scope="national", year=2025, language="id")
    report = build_report(report_id=report.pk)
    text = " ".join(" ".join(pdf_pages(report)).split())
    assert text.startswith("Laporan nasional inovasi pelayanan publik 2025")
    for section in ("Peta", "Grafik", "Tabel", "Catatan metode"):
        assert section in text
    with report.xlsx.open("rb") as handle:
        assert load_workbook(io.BytesIO(handle.read())).sheetnames[1] == "Provinsi"
