import io

import pytest
from django.core.management import CommandError, call_command

from jipp.competition.models import ScreeningRun
from tests.factories.competition import forwarded_proposal

pytestmark = pytest.mark.django_db


def test_screen_edition_command_shows_progress_and_result():
    proposal = forwarded_proposal()
    out = io.StringIO()
    call_command("screen_edition", "2026", "--workers", "1", stdout=out)
    text = out.getvalue()
    assert "100%" in text and "[##############################]" in text
    assert "Screened 1 proposals" in text
    assert ScreeningRun.objects.get(edition=proposal.edition).status == "done"


def test_screen_edition_command_unknown_year_errors():
    with pytest.raises(CommandError):
        call_command("screen_edition", "1999")
