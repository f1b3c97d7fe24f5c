"""Personal data: export as JSON and anonymisation where the rules allow (jipp/accounts/personal_data.py)."""

import json
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from jipp.accounts.personal_data import anonymise_person, export_person
from tests.factories import MinistryUserFactory, UppFactory
from tests.factories.evaluation import EvaluatorMemberFactory, edition_2021

pytestmark = pytest.mark.django_db


def test_export_holds_account_links_and_audit():
    from jipp.accounts.tokens import issue_token
    from jipp.registry.models import ImportBatch

    ministry = MinistryUserFactory()
    upp = UppFactory(first_name="Dewi", email="dewi@example.go.id", created_by=ministry)
    token, _key = issue_token(user=upp, name="laptop")
    batch = ImportBatch.objects.create(created_by=upp, filename="a.csv", token="a" * 32)
    data = export_person(upp)
    assert data["account"]["first_name"] == "Dewi"
    assert data["account"]["email"] == "dewi@example.go.id"
    assert data["account"]["unit"] == upp.unit.name
    assert data["memberships"]["accounts.ApiToken.user"] == [token.pk]
    assert data["authored"]["registry.ImportBatch.created_by"] == [batch.pk]
    assert [e["action"] for e in data["audit"] if not e["by_this_person"]][:1] == ["create"]
    json.dumps(data, default=str)  # JSON-ready


def test_anonymise_keeps_records_disables_login_and_audits_who(client):
    ministry = MinistryUserFactory()
    upp = UppFactory(first_name="Dewi", last_name="Lestari", email="dewi@example.go.id")
    upp.set_password("a-long-Password-9")
    upp.save()
    anonymise_person(user=upp, by=ministry)
    upp.refresh_from_db()
    assert (upp.username, upp.email, upp.is_active, upp.has_usable_password()) == (
        f"anonymised-{upp.pk}",
        "",
        False,
        False,
    )
    assert "Dewi" not in upp.get_full_name()
    assert upp.check_password("a-long-Password-9") is False
    entry = LogEntry.objects.filter(object_pk=str(upp.pk), content_type__model="user").order_by("-pk").first()
    assert entry.actor_id == ministry.pk


def test_anonymise_is_refused_for_an_evaluator_of_an_unfrozen_edition():
    member = EvaluatorMemberFactory(edition=edition_2021())
    with pytest.raises(Exception) as refused:
        anonymise_person(user=member.user, by=MinistryUserFactory())
    assert refused.value.messages == [
        "This person is an evaluator or panelist of an edition whose results are not final yet."
    ]
    member.user.refresh_from_db()
    assert member.user.is_active is True


def test_command_exports_json_and_anonymises_with_the_actor():
    ministry = MinistryUserFactory(username="kemen")
    upp = UppFactory(username="dewi")
    out = StringIO()
    call_command("personal_data", "export", "dewi", stdout=out)
    assert json.loads(out.getvalue())["account"]["username"] == "dewi"
    with pytest.raises(CommandError):
        call_command("personal_data", "anonymise", "dewi", stdout=StringIO())
    call_command("personal_data", "anonymise", "dewi", "--by", ministry.username, stdout=StringIO())
    upp.refresh_from_db()
    assert upp.username == f"anonymised-{upp.pk}"


def test_ministry_page_downloads_json_and_anonymises_others_are_refused(client):
    from django.urls import reverse

    upp = UppFactory(username="dewi")
    url = reverse("accounts:personal_data", args=[upp.pk])
    client.force_login(UppFactory(unit=upp.unit))
    assert client.get(url).status_code == 403
    client.force_login(MinistryUserFactory())
    download = client.get(url)
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(download.content)["account"]["username"] == "dewi"
    page = client.get(reverse("accounts:user_detail", args=[upp.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Anonymise this account" in page.content.decode()
    assert client.post(url).url == reverse("accounts:user_detail", args=[upp.pk])
    upp.refresh_from_db()
    assert upp.username == f"anonymised-{upp.pk}"
