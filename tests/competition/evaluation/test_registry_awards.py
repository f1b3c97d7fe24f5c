"""The results written back to the registry: each winner gets the year's configured tier of its kind."""

import datetime as dt

import pytest
from django.utils import translation

from jipp.competition.evaluation import services
from jipp.competition.evaluation.models import Finalist, Winner
from jipp.registry.models import Award, AwardTier, Innovation
from tests.competition.evaluation.test_spine import score_all, score_panel
from tests.factories.evaluation import EvalProposalFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run_to_results(edition, ministry):
    services.run_assignment(edition=edition)
    score_all(edition)
    nomination = services.run_nomination(user=ministry, edition=edition)
    services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Pleno")
    score_panel(edition, ministry)
    for f in Finalist.objects.filter(edition=edition):
        services.verify(user=ministry, finalist=f, passed=True, notes="ok")
    winners = services.decide_winners(user=ministry, edition=edition)
    services.record_decree(user=ministry, edition=edition, number="SK 7/2021", date=dt.date(2021, 9, 1))
    services.publish_results(user=ministry, edition=edition)
    return winners


def test_replikasi_winners_and_finalists_get_the_replikasi_tiers_of_the_year(small_world, ministry):
    """Regression: Replikasi winners were written as `top45` (the Umum winners' tier) without a category."""
    edition = small_world["edition"]
    replikasi = [EvalProposalFactory(group_kind="replikasi") for _ in range(3)]
    rules = small_world["rules"]
    rules.finalists_replikasi = 2
    rules.top_replikasi = 1
    rules.save()
    winners = run_to_results(edition, ministry)

    tiers = {t.code: t for t in AwardTier.objects.filter(year=2021)}
    replication_winner = next(w for w in winners if w.tier == Winner.Tier.REPLIKASI)
    award = Award.objects.get(innovation_id=replication_winner.finalist.proposal.innovation_id, year=2021)
    assert (award.tier, award.category, award.is_imported) == ("replikasi", "Replikasi", False)
    assert tiers[award.tier].kind == AwardTier.Kind.REPLICATION_WINNER
    assert award.title == "Top 1 Replikasi KIPP 2021"
    assert (award.decree_number, award.decree_date) == ("SK 7/2021", dt.date(2021, 9, 1))
    # The Replikasi finalist who did not win: the year's Replikasi finalist tier.
    other = Finalist.objects.filter(edition=edition, proposal__group__kind="replikasi").exclude(
        pk=replication_winner.finalist_id
    )
    assert [a.tier for a in Award.objects.filter(innovation_id__in=other.values("proposal__innovation_id"))] == [
        "replikasi-finalis"
    ]
    # Umum winners: the year's winner tier (Top 45 in 2021), category Umum; summaries from the records.
    umum = [w for w in winners if w.tier == Winner.Tier.TOP]
    assert len(umum) == 2
    assert {(a.tier, a.category) for a in Award.objects.filter(
        innovation_id__in=[w.finalist.proposal.innovation_id for w in umum])} == {("top45", "Umum")}  # fmt: skip
    summaries = set(
        Innovation.objects.filter(pk__in=[p.innovation_id for p in replikasi]).values_list("award_tier", flat=True)
    )
    assert summaries == {"top45", "top99", ""}  # winner, finalist, not a finalist


def test_an_edition_beyond_the_configured_years_copies_the_nearest_tier(db):
    from jipp.registry.awards import TierBook, tier_for

    AwardTier.objects.filter(year=2026, kind=AwardTier.Kind.REPLICATION_WINNER).delete()
    tier = tier_for(year=2026, kind=AwardTier.Kind.REPLICATION_WINNER, book=TierBook())
    assert (tier.year, tier.code, tier.category, tier.kind) == (2026, "replikasi", "Replikasi", "replication_winner")
    assert AwardTier.objects.filter(year=2026, code="replikasi").count() == 1


def test_award_history_pages_and_edition_results_pages_link_each_other(client, edition):
    """/awards/<year>/ links to the edition's results when it ran here; the results link back; imported
    years are listed among the KIPP results as past editions, marked imported (their page names the source)."""
    from django.urls import reverse
    from django.utils import timezone

    from jipp.registry.awards import record_award
    from tests.factories.registry import InnovationFactory

    innovation = InnovationFactory(status=Innovation.Status.PUBLISHED)
    record_award(innovation=innovation, year=2021, tier="top45")
    record_award(innovation=innovation, year=2015, tier="Top 25", is_imported=True,
                 source_url="https://example.go.id/kep-2015")  # fmt: skip
    results_2021 = reverse("evaluation:public_results", args=[2021])
    history_2021 = reverse("registry:award_year", args=[2021])
    history_2015 = reverse("registry:award_year", args=[2015])

    # Before the 2021 results are published nothing points at them.
    assert results_2021 not in client.get(reverse("registry:award_years")).content.decode()
    assert results_2021 not in client.get(history_2021).content.decode()

    rules = services.settings_for(edition)
    rules.finalists_published_at = rules.results_published_at = timezone.now()
    rules.results_decree_number = "SK 7/2021"
    rules.save()
    years = client.get(reverse("registry:award_years")).content.decode()
    assert years.count(results_2021) == 1  # only the year that ran on the platform
    assert client.get(history_2021).content.decode().count(results_2021) == 1
    page_2015 = client.get(history_2015).content.decode()
    assert "https://example.go.id/kep-2015" in page_2015
    assert reverse("evaluation:public_results", args=[2015]) not in page_2015

    results = client.get(results_2021).content.decode()
    assert history_2021 in results
    index = client.get(reverse("evaluation:public_index")).content.decode()
    assert history_2015 in index  # a past edition known from its imported list
    assert history_2021 not in index  # 2021 ran here: its results page is linked instead
    assert results_2021 in index
    assert "diimpor, dengan sumber" in index  # the badge (the UI's default language is Indonesian)


def test_without_any_configured_tier_the_default_of_the_kind_is_created(db):
    from jipp.registry.awards import TierBook, tier_for

    AwardTier.objects.filter(kind=AwardTier.Kind.REPLICATION_WINNER).delete()
    tier = tier_for(year=2030, kind=AwardTier.Kind.REPLICATION_WINNER, book=TierBook())
    assert (tier.year, tier.code, tier.category, tier.name_id) == (2030, "replikasi", "Replikasi", "Top 5 Replikasi")
