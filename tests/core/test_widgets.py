"""Type-ahead widgets and their search endpoints; date pickers in the person's zone."""

import datetime as dt
import json
import zoneinfo

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation

from jipp.accounts.forms import AccountCreateForm
from jipp.competition.evaluation.forms import AddMemberForm, DeclarationForm
from jipp.core.widgets import (
    DatePickerInput,
    DateTimePickerInput,
    LocalDateTimeField,
    TypeaheadSelect,
    TypeaheadSelectMultiple,
)
from jipp.regions.models import Agency, Region
from jipp.registry.forms import UnitChoiceForm
from jipp.replication.forms import FinderForm, RequestForm
from tests.factories import (
    AdminLokalFactory,
    AgencyFactory,
    MinistryUserFactory,
    ProvinceFactory,
    RegencyFactory,
    ServiceUnitFactory,
    UppFactory,
    UserFactory,
)
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200
    return [(row["label"], row["detail"]) for row in json.loads(response.content)["results"]]


# --- the widget ---------------------------------------------------------------------------------


def test_typeahead_select_is_a_plain_select_with_the_search_address():
    agencies = [AgencyFactory(name="Pemerintah Kota Surabaya"), AgencyFactory(name="Pemerintah Kota Malang")]

    class Form(forms.Form):
        agency = forms.ModelChoiceField(
            queryset=Agency.objects.order_by("name"),
            widget=TypeaheadSelect(url="/search/agencies/", params={"type": "city"}),
        )

    with translation.override("en"):
        html = str(Form(initial={"agency": agencies[0].pk})["agency"])
    assert html.startswith('<select name="agency"')
    assert 'data-typeahead="single"' in html
    assert 'data-typeahead-url="/search/agencies/?type=city"' in html
    assert 'data-typeahead-empty="No match"' in html
    # Without JavaScript every choice is there, the current one selected.
    assert f'<option value="{agencies[0].pk}" selected>Pemerintah Kota Surabaya</option>' in html
    assert f'<option value="{agencies[1].pk}">Pemerintah Kota Malang</option>' in html


def test_typeahead_select_multiple_marks_itself_multiple():
    widget = TypeaheadSelectMultiple(url="/x/")
    html = widget.render("agencies", [], attrs={"id": "id_agencies"})
    assert 'data-typeahead="multiple"' in html
    assert "multiple" in html.split(">")[0]


def test_forms_with_long_lists_use_the_typeahead():
    ministry = MinistryUserFactory()
    admin = AdminLokalFactory()
    account = AccountCreateForm(creator=ministry)
    assert isinstance(account.fields["agency"].widget, TypeaheadSelect)
    assert isinstance(account.fields["unit"].widget, TypeaheadSelect)
    scoped = AccountCreateForm(creator=admin)
    assert scoped.fields["unit"].widget.search_url() == f"{reverse('regions:search_units')}?agency={admin.agency_id}"
    assert isinstance(FinderForm().fields["region"].widget, TypeaheadSelect)
    assert isinstance(RequestForm(user=admin).fields["adopter_unit"].widget, TypeaheadSelect)
    assert isinstance(UnitChoiceForm(units=admin.agency.units.all()).fields["unit"].widget, TypeaheadSelect)
    assert isinstance(AddMemberForm().fields["account"].widget, TypeaheadSelect)
    assert isinstance(DeclarationForm().fields["conflict_agencies"].widget, TypeaheadSelectMultiple)


def test_account_form_posted_from_the_plain_select_still_works(client):
    """The server validates the posted id against the field's queryset, whatever the widget."""
    ministry = MinistryUserFactory()
    agency = AgencyFactory()
    client.force_login(ministry)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "lokal.baru", "full_name": "Rina Wulandari", "role": "admin_lokal", "agency": agency.pk},
    )
    assert response.status_code in (200, 302)
    from jipp.accounts.models import User

    assert User.objects.get(username="lokal.baru").agency == agency


# --- the endpoints ------------------------------------------------------------------------------


def test_agency_search_puts_names_starting_with_the_text_first(client):
    AgencyFactory(name="Pemerintah Kota Surabaya", region=RegencyFactory(name="Kota Surabaya"))
    AgencyFactory(name="Surabaya Smart City", region=RegencyFactory(name="Kota Surabaya Lama"))
    AgencyFactory(name="Pemerintah Kabupaten Sidoarjo")
    rows = results(client.get(reverse("regions:search_agencies"), {"q": "surabaya"}))
    assert rows == [("Surabaya Smart City", "Kota Surabaya Lama"), ("Pemerintah Kota Surabaya", "Kota Surabaya")]


def test_search_needs_two_characters(client):
    AgencyFactory(name="Pemerintah Kabupaten Sidoarjo")
    assert results(client.get(reverse("regions:search_agencies"), {"q": "s"})) == []
    assert results(client.get(reverse("regions:search_agencies"))) == []


def test_search_returns_at_most_twenty(client):
    for n in range(25):
        AgencyFactory(name=f"Dinas Contoh {n:02d}")
    assert len(results(client.get(reverse("regions:search_agencies"), {"q": "contoh"}))) == 20


def test_unit_search_stays_within_the_agency_when_asked(client):
    mine = ServiceUnitFactory(name="Dinas Kesehatan", agency=AgencyFactory(name="Pemkab Sidoarjo"))
    ServiceUnitFactory(name="Dinas Kesehatan", agency=AgencyFactory(name="Pemkab Gresik"))
    everywhere = results(client.get(reverse("regions:search_units"), {"q": "kesehatan"}))
    assert sorted(everywhere) == [("Dinas Kesehatan", "Pemkab Gresik"), ("Dinas Kesehatan", "Pemkab Sidoarjo")]
    scoped = results(client.get(reverse("regions:search_units"), {"q": "kesehatan", "agency": mine.agency_id}))
    assert scoped == [("Dinas Kesehatan", "Pemkab Sidoarjo")]


def test_region_search_by_name_or_code(client):
    jatim = ProvinceFactory(code="35", name="Jawa Timur")
    RegencyFactory(parent=jatim, code="35.15", name="Kabupaten Sidoarjo")
    with translation.override("en"):
        assert results(client.get(reverse("regions:search_regions"), {"q": "sidoarjo"})) == [
            ("Kabupaten Sidoarjo", "Kabupaten · Jawa Timur")
        ]
        by_code = results(client.get(reverse("regions:search_regions"), {"q": "35.1"}))
    assert [label for label, _ in by_code] == ["Kabupaten Sidoarjo"]
    provinces = results(client.get(reverse("regions:search_regions"), {"q": "jawa", "level": Region.Level.PROVINCE}))
    assert [label for label, _ in provinces] == ["Jawa Timur"]


def test_innovation_search_finds_published_ones_only(client):
    InnovationFactory(title="Akta Keliling Desa", award_tier="top99")
    InnovationFactory(title="Akta Online", award_tier="")
    InnovationFactory(title="Akta Rahasia", draft=True)
    labels = [label for label, _ in results(client.get(reverse("registry:search_innovations"), {"q": "akta"}))]
    assert labels == ["Akta Keliling Desa", "Akta Online"]
    awarded = results(client.get(reverse("registry:search_innovations"), {"q": "akta", "awarded": "1"}))
    assert [label for label, _ in awarded] == ["Akta Keliling Desa"]


def test_people_search_is_for_those_who_may_list_accounts(client):
    UserFactory(username="evaluator7", first_name="Budi", last_name="Santoso", role="evaluator")
    UserFactory(username="panelis2", first_name="Budi", last_name="Hartono", role="panelis")
    UserFactory(username="budi.upp", first_name="Budi", last_name="Upp", role="upp", unit=ServiceUnitFactory())
    url = reverse("accounts:search_people")
    assert client.get(url, {"q": "budi"}).status_code == 302  # anonymous: log in first
    client.force_login(UppFactory())
    assert client.get(url, {"q": "budi"}).status_code == 403
    client.force_login(MinistryUserFactory())
    with translation.override("en"):
        rows = results(client.get(url, {"q": "budi", "role": "evaluator,panelis"}))
    assert rows == [("Budi Hartono (panelis2)", "Panelis"), ("Budi Santoso (evaluator7)", "Evaluator")]


def test_admin_lokal_people_search_stays_within_its_agency(client):
    admin = AdminLokalFactory()
    UppFactory(username="upp.saya", first_name="Sari", unit=ServiceUnitFactory(agency=admin.agency))
    UppFactory(username="upp.lain", first_name="Sari")
    client.force_login(admin)
    rows = results(client.get(reverse("accounts:search_people"), {"q": "sari"}))
    assert [label.split("(")[1] for label, _ in rows] == ["upp.saya)"]


# --- dates --------------------------------------------------------------------------------------


def test_date_picker_is_an_iso_date_input_with_bounds():
    widget = DatePickerInput(min_date=dt.date(2026, 1, 5), max_date=dt.date(2026, 11, 30))
    html = widget.render("started_on", dt.date(2026, 3, 1))
    assert html == '<input type="date" name="started_on" value="2026-03-01" min="2026-01-05" max="2026-11-30">'


def test_datetime_picker_shows_the_time_in_the_persons_zone_and_names_it():
    moment = dt.datetime(2026, 3, 15, 16, 59, tzinfo=dt.UTC)

    class Form(forms.Form):
        deadline = LocalDateTimeField()

    with timezone.override(zoneinfo.ZoneInfo("Asia/Makassar")):
        html = str(Form(initial={"deadline": moment})["deadline"])
    assert 'type="datetime-local"' in html
    assert 'value="2026-03-16T00:59"' in html
    assert ">WITA</span>" in html


def test_datetime_typed_is_read_in_the_persons_zone():
    class Form(forms.Form):
        deadline = LocalDateTimeField()

    with timezone.override(zoneinfo.ZoneInfo("Asia/Jayapura")):
        form = Form({"deadline": "2026-03-15T23:59"})
        assert form.is_valid()
    assert form.cleaned_data["deadline"] == dt.datetime(2026, 3, 15, 14, 59, tzinfo=dt.UTC)
    assert isinstance(Form().fields["deadline"].widget, DateTimePickerInput)


def test_replication_stage_pickers_are_bounded_by_the_request_day_and_today():
    from jipp.replication.forms import StageForm

    form = StageForm(earliest=dt.date(2026, 1, 5), latest=dt.date(2026, 11, 30))
    attrs = form.fields["started_on"].widget.attrs
    assert (attrs["min"], attrs["max"]) == ("2026-01-05", "2026-11-30")
