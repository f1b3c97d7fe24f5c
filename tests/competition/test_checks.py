"""The pure rules: minimum age and deadlines across zones (no database)."""

import datetime as dt

from jipp.competition import checks
from jipp.core.timezones import WIB, WIT, WITA

DEADLINE = dt.datetime(2026, 3, 15, 16, 59, tzinfo=dt.UTC)  # 23:59 WIB


def test_is_old_enough_exactly_min_years_passes():
    assert checks.is_old_enough(dt.date(2024, 3, 15), dt.date(2026, 3, 15), 2)


def test_is_old_enough_one_day_short_fails():
    assert not checks.is_old_enough(dt.date(2024, 3, 16), dt.date(2026, 3, 15), 2)


def test_is_old_enough_leap_day_start_counts_from_28_february():
    assert checks.is_old_enough(dt.date(2024, 2, 29), dt.date(2025, 2, 28), 1)
    assert not checks.is_old_enough(dt.date(2024, 2, 29), dt.date(2025, 2, 27), 1)


def test_is_old_enough_unknown_start_fails():
    assert not checks.is_old_enough(None, dt.date(2026, 3, 15), 1)


def test_effective_deadline_instant_is_same_moment_everywhere():
    for zone in (WIB, WITA, WIT):
        assert checks.effective_deadline(DEADLINE, mode="instant", reference_zone=WIB, agency_zone=zone) == DEADLINE


def test_effective_deadline_local_moves_to_agency_clock():
    wit = checks.effective_deadline(DEADLINE, mode="local", reference_zone=WIB, agency_zone=WIT)
    wita = checks.effective_deadline(DEADLINE, mode="local", reference_zone=WIB, agency_zone=WITA)
    assert wit == dt.datetime(2026, 3, 15, 14, 59, tzinfo=dt.UTC)
    assert wita == dt.datetime(2026, 3, 15, 15, 59, tzinfo=dt.UTC)


def test_is_before_deadline_last_minute_open_deadline_minute_closed():
    assert checks.is_before_deadline(DEADLINE - dt.timedelta(minutes=1), DEADLINE)
    assert not checks.is_before_deadline(DEADLINE, DEADLINE)
    assert checks.is_before_deadline(DEADLINE, None)


def test_gaps_names_over_limit_section_and_missing_items():
    sections = [checks.SectionSpec("a", "Ringkasan", 5), checks.SectionSpec("b", "Ide", 10)]
    attachments = [
        checks.AttachmentSpec("video", "Video", "link", True),
        checks.AttachmentSpec("sk", "SK", "file", True),
    ]
    draft = checks.Draft(
        answers={"a": "satu dua tiga empat lima enam"},
        attachment_keys=set(),
        video_url="",
        sdg_count=0,
        category_count=1,
    )
    found = checks.gaps(draft, sections, attachments)
    assert [(g.code, g.subject) for g in found] == [
        ("over_word_limit", "Ringkasan"),
        ("missing_section", "Ide"),
        ("missing_video", "Video"),
        ("missing_attachment", "SK"),
        ("missing_sdg", ""),
    ]
    assert found[0].detail == "6/5"
