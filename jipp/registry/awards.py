"""Awards as records: the edition's tiers (configuration), recording an award, and the innovation's summary.

`Innovation.award_tier` stays a summary of the best award (outstanding > top45 > top99), because the
competition's screening reads it; it is recomputed from the award records whenever they change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.regions.domain.resolver import fold
from jipp.registry.models import Award, AwardTier, Innovation

SUMMARY_ORDER = {"": 0, "top99": 1, "top45": 2, "outstanding": 3}


def tier_key(text: str) -> str:
    """'Top 45' -> 'top45', 'Top 5 Outstanding Achievement' -> 'top5outstandingachievement'."""
    return re.sub(r"[^a-z0-9]", "", fold(str(text or "")))


class TierBook:
    """Every configured tier, found by year and any common spelling (code, Indonesian or English name)."""

    def __init__(self, tiers: Iterable[AwardTier] | None = None):
        self.tiers: list[AwardTier] = []
        self.by_key: dict[tuple[str, int, str], AwardTier] = {}
        self.by_code: dict[tuple[str, int, str], AwardTier] = {}
        for tier in AwardTier.objects.all() if tiers is None else tiers:
            self.add(tier)

    def add(self, tier: AwardTier) -> None:
        """Know one more tier (a tier created after the book was read)."""
        self.tiers.append(tier)
        self.by_code[(tier.competition, tier.year, tier.code)] = tier
        spellings = [tier.code, tier.name_id, tier.name_en]
        spellings += {
            AwardTier.Kind.OUTSTANDING: ["outstandingachievement"],
            AwardTier.Kind.FINALIST: ["top99", "finalis"],
            AwardTier.Kind.COMMENDED: ["terpuji"],
            AwardTier.Kind.REPLICATION_WINNER: ["top5replikasi"],
        }.get(tier.kind, [])
        for spelling in spellings:
            self.by_key.setdefault((tier.competition, tier.year, tier_key(spelling)), tier)

    def find(self, *, year: int, text: str, competition: str = "KIPP") -> AwardTier | None:
        return self.by_key.get((competition, year, tier_key(text)))

    def get(self, *, year: int, code: str, competition: str = "KIPP") -> AwardTier | None:
        return self.by_code.get((competition, year, code))

    def names_of_year(self, year: int, competition: str = "KIPP") -> list[str]:
        return [t.name for t in self.tiers if t.year == year and t.competition == competition]

    def codes(self) -> list[str]:
        return sorted({t.code for t in self.tiers})

    def label(self, code: str) -> str:
        """A label for a tier code across years ('top45' -> 'Top 45')."""
        for tier in self.tiers:
            if tier.code == code:
                return tier.name
        return code


def summary_of(awards: Iterable[tuple[int, str, str]], book: TierBook) -> str:
    """The best summary ('outstanding', 'top45', 'top99' or '') of (year, tier code, competition) triples."""
    best = ""
    for year, code, competition in awards:
        tier = book.get(year=year, code=code, competition=competition)
        value = AwardTier.SUMMARY.get(tier.kind, "") if tier else (code if code in SUMMARY_ORDER else "")
        if SUMMARY_ORDER[value] > SUMMARY_ORDER[best]:
            best = value
    return best


def refresh_award_summary(*, innovation_ids: Iterable[int], book: TierBook | None = None) -> None:
    """Recompute `Innovation.award_tier` from the award records (and move `updated_at` for the facet index).

    A few queries per 900 innovations whatever their number (an import may add awards to thousands):
    one read of their awards, then one update per summary value.
    """
    book = book or TierBook()
    ids = sorted(set(innovation_ids))
    now = timezone.now()
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows: dict[int, list] = {i: [] for i in chunk}
        for innovation_id, year, tier, competition in Award.objects.filter(innovation_id__in=chunk).values_list(
            "innovation_id", "year", "tier", "competition"
        ):
            rows[innovation_id].append((year, tier, competition))
        by_value: dict[str, list[int]] = {}
        for innovation_id, awards in rows.items():
            by_value.setdefault(summary_of(awards, book), []).append(innovation_id)
        for value, pks in by_value.items():
            Innovation.objects.filter(pk__in=pks).update(award_tier=value, updated_at=now)


# The tier of each kind when none is configured in any year (as seeded for KIPP since 2021).
DEFAULT_TIERS = {
    AwardTier.Kind.WINNER: {"code": "top45", "name_id": "Top 45", "name_en": "Top 45", "rank": 2, "size": 45,
                            "kind": AwardTier.Kind.WINNER, "category": "Umum"},
    AwardTier.Kind.OUTSTANDING: {"code": "outstanding", "name_id": "Top 5 Outstanding Achievement",
                                 "name_en": "Top 5 Outstanding Achievement", "rank": 1, "size": 5,
                                 "kind": AwardTier.Kind.OUTSTANDING, "category": "Khusus"},
    AwardTier.Kind.FINALIST: {"code": "top99", "name_id": "Top 99 (finalis)", "name_en": "Top 99 (finalists)",
                              "rank": 5, "size": 99, "kind": AwardTier.Kind.FINALIST, "category": "Umum"},
    AwardTier.Kind.REPLICATION_WINNER: {"code": "replikasi", "name_id": "Top 5 Replikasi",
                                        "name_en": "Top 5 Replication", "rank": 3, "size": 5,
                                        "kind": AwardTier.Kind.REPLICATION_WINNER, "category": "Replikasi"},
    AwardTier.Kind.REPLICATION_FINALIST: {"code": "replikasi-finalis", "name_id": "Finalis Replikasi",
                                          "name_en": "Replication finalists", "rank": 6, "size": None,
                                          "kind": AwardTier.Kind.REPLICATION_FINALIST, "category": "Replikasi"},
}  # fmt: skip


def tier_for(*, year: int, kind: str, competition: str = "KIPP", book: TierBook | None = None) -> AwardTier:
    """The year's configured tier of `kind` (the highest ranked if several).

    A year that has no tier of that kind yet (an edition beyond the seeded configuration) gets a copy of
    the nearest year's tier of that kind, latest earlier year first (or, when no year has one, the
    default of DEFAULT_TIERS), which the Ministry can then edit in the admin. Publishing results never
    fails for want of configuration.
    """
    book = book or TierBook()
    of_kind = [t for t in book.tiers if t.competition == competition and t.kind == kind]
    this_year = sorted((t for t in of_kind if t.year == year), key=lambda t: t.rank)
    if this_year:
        return this_year[0]
    if of_kind:
        model = min(of_kind, key=lambda t: (t.year > year, abs(t.year - year), t.rank))
        code = model.code
        defaults = {"name_id": model.name_id, "name_en": model.name_en, "rank": model.rank, "size": model.size,
                    "kind": model.kind, "category": model.category}  # fmt: skip
    elif kind in DEFAULT_TIERS:
        code, defaults = DEFAULT_TIERS[kind]["code"], {k: v for k, v in DEFAULT_TIERS[kind].items() if k != "code"}
    else:
        raise ValidationError(_("No award tier of this kind is configured: add one in the administration."))
    tier, _created = AwardTier.objects.get_or_create(competition=competition, year=year, code=code, defaults=defaults)
    book.add(tier)
    return tier


def write_competition_award(
    *,
    innovation_id: int,
    year: int,
    kind: str,
    title: str,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    competition: str = "KIPP",
    book: TierBook | None = None,
) -> Award:
    """An award the competition decided on this platform, with the tier and category of the year's configuration.

    `kind` is an `AwardTier.Kind` (a Replikasi winner is `replication_winner`, never a Top 45 winner).
    The innovation's summary is not refreshed here: call `refresh_award_summary` once for all of them.
    """
    tier = tier_for(year=year, kind=kind, competition=competition, book=book)
    return Award.objects.create(
        innovation_id=innovation_id, competition=competition, year=year, tier=tier.code, category=tier.category,
        title=title[:200], decree_number=decree_number[:120], decree_date=decree_date, is_imported=False,
    )  # fmt: skip


def award_title(tier: AwardTier) -> str:
    return f"{tier.name_id} {tier.competition} {tier.year}"


@transaction.atomic
def record_award(
    *,
    innovation: Innovation,
    year: int,
    tier: str,
    competition: str = "KIPP",
    category: str = "",
    decree_number: str = "",
    decree_date: dt.date | None = None,
    source_url: str = "",
    is_imported: bool = False,
    book: TierBook | None = None,
) -> Award:
    """Add an award of a configured tier (code or spelling) to `innovation`; ValidationError names the field.

    The same award (competition, year, tier) on the same innovation is not added twice: the existing
    record is returned, with empty decree fields filled in.
    """
    book = book or TierBook()
    found = book.get(year=year, code=tier, competition=competition) or book.find(
        year=year, text=tier, competition=competition
    )
    if found is None:
        names = ", ".join(book.names_of_year(year, competition)) or _("none configured")
        raise ValidationError(
            {"tier": _("“%(tier)s” is not a tier of %(competition)s %(year)s (tiers: %(names)s).")
             % {"tier": str(tier)[:60], "competition": competition, "year": year, "names": names}}
        )  # fmt: skip
    existing = Award.objects.filter(innovation=innovation, competition=competition, year=year, tier=found.code).first()
    if existing is not None:
        changed = False
        for name, value in (("decree_number", decree_number), ("decree_date", decree_date),
                            ("source_url", source_url)):  # fmt: skip
            if value and not getattr(existing, name):
                setattr(existing, name, value)
                changed = True
        if changed:
            existing.full_clean()
            existing.save()
        return existing
    award = Award(
        innovation=innovation,
        competition=competition,
        year=year,
        tier=found.code,
        category=category or found.category,
        title=award_title(found),
        decree_number=decree_number,
        decree_date=decree_date,
        source_url=source_url,
        is_imported=is_imported,
    )
    award.full_clean()
    award.save()
    refresh_award_summary(innovation_ids=[innovation.pk], book=book)
    return award


@transaction.atomic
def reassign_unit(*, user, innovation: Innovation, unit) -> Innovation:
    """Move an innovation from its agency's "unit not specified" (or any unit) to another unit of the same agency.

    The agency's Admin Lokal or the Ministry; the unit must belong to the innovation's agency.
    """
    if not user.has_perm("registry.publish_innovation", innovation):
        raise PermissionDenied(_("Only the agency's Admin Lokal or the Ministry can move an innovation to a unit."))
    if unit.agency_id != innovation.agency_id:
        raise ValidationError({"unit": _("Choose a unit of the innovation's own agency.")})
    updated = Innovation.objects.filter(pk=innovation.pk, agency_id=unit.agency_id).update(
        unit=unit, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError({"unit": _("Choose a unit of the innovation's own agency.")})
    innovation.unit = unit
    return innovation
