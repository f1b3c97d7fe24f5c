"""Pure rules of the submission stage: minimum age, deadlines across time zones, completeness.

No Django, no clock: callers pass "now" and plain data, so the boundaries are easy to test.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from jipp.core.text import word_count

INSTANT = "instant"
LOCAL = "local"


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` moved by `years` calendar years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def is_old_enough(start: dt.date | None, reference: dt.date, min_years: int) -> bool:
    """True when an innovation started on `start` is at least `min_years` old on `reference`.

    Exactly `min_years` to the day counts as old enough. An unknown start date is not old enough.
    """
    if start is None:
        return False
    return add_years(start, min_years) <= reference


def effective_deadline(ends_at: dt.datetime, *, mode: str, reference_zone: str, agency_zone: str) -> dt.datetime:
    """The instant a deadline falls for an agency in `agency_zone` (an aware datetime in UTC).

    * ``instant``: one moment for the whole country: `ends_at` itself (23:59 WIB is 01:59 WIT).
    * ``local``: the guide's clock time applies in every zone: 23:59 on the reference date in WIB
      becomes 23:59 on that date in WIT (two hours earlier in UTC) or WITA.
    """
    if mode != LOCAL:
        return ends_at.astimezone(dt.UTC)
    wall = ends_at.astimezone(zoneinfo.ZoneInfo(reference_zone)).replace(tzinfo=None)
    return wall.replace(tzinfo=zoneinfo.ZoneInfo(agency_zone)).astimezone(dt.UTC)


def is_before_deadline(now: dt.datetime, deadline: dt.datetime | None) -> bool:
    """True while `now` is strictly before `deadline` (both aware; compared in UTC). No deadline: open."""
    return deadline is None or now.astimezone(dt.UTC) < deadline.astimezone(dt.UTC)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    max_words: int


@dataclass(frozen=True)
class AttachmentSpec:
    key: str
    title: str
    kind: str  # "file" or "link"
    required: bool


@dataclass(frozen=True)
class Gap:
    """One thing still missing or wrong before a proposal can be sent on.

    ``code``: missing_section, over_word_limit, missing_attachment, missing_video, missing_sdg,
    missing_category, missing_source_innovation. ``subject`` names the section or attachment.
    """

    code: str
    subject: str
    detail: str = ""


@dataclass
class Draft:
    """What a proposal holds, as plain data."""

    answers: dict[str, str]
    attachment_keys: set[str]
    video_url: str
    sdg_count: int
    category_count: int
    source_count: int = 0
    needs_sources: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def gaps(draft: Draft, sections: list[SectionSpec], attachments: list[AttachmentSpec]) -> list[Gap]:
    """Return what keeps `draft` from being complete, in form order (empty list: complete).

    A section over its word limit is a gap (it is kept as a draft but cannot be sent on).
    """
    found: list[Gap] = []
    for section in sections:
        text = draft.answers.get(section.key, "")
        words = draft.counts.get(section.key, word_count(text))
        if not text.strip():
            found.append(Gap("missing_section", section.title))
        elif words > section.max_words:
            found.append(Gap("over_word_limit", section.title, f"{words}/{section.max_words}"))
    for attachment in attachments:
        if not attachment.required:
            continue
        if attachment.kind == "link":
            if not draft.video_url.strip():
                found.append(Gap("missing_video", attachment.title))
        elif attachment.key not in draft.attachment_keys:
            found.append(Gap("missing_attachment", attachment.title))
    if draft.category_count == 0:
        found.append(Gap("missing_category", ""))
    if draft.sdg_count == 0:
        found.append(Gap("missing_sdg", ""))
    if draft.needs_sources and draft.source_count == 0:
        found.append(Gap("missing_source_innovation", ""))
    return found
