import datetime as dt

import pytest

from jipp.regions.models import Region
from jipp.replication import index, selectors
from jipp.replication.models import Replication
from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory
from tests.factories.registry import InnovationFactory
from tests.factories.replication import ReplicationFactory

pytestmark = pytest.mark.django_db

TEXT = "Layanan akta kelahiran keliling untuk warga desa terpencil tanpa antrian"


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.REPLICATION_INDEX_DIR = tmp_path
    index._cache.clear()
    return tmp_path


def unit_in(region):
    return ServiceUnitFactory(agency=AgencyFactory(region=region))


@pytest.fixture
def places():
    east = ProvinceFactory(code="35", name="Jawa Timur")
    papua = ProvinceFactory(code="94", name="Papua")
    adopter_region = RegencyFactory(parent=east, code="35.01", population=800_000, area_km2=1_400)
    near = RegencyFactory(parent=east, code="35.02", population=900_000, area_km2=1_500)
    far = RegencyFactory(parent=papua, code="94.01", population=60_000, area_km2=20_000)
    return adopter_region, near, far


def test_rank_candidates_prefers_proven_and_closer_and_explains(places):
    adopter_region, near, far = places
    proven = InnovationFactory(
        unit=unit_in(near),
        title="Akta Kelahiran Keliling",
        summary=TEXT,
        award_tier="top45",
        continuity="growing",
        replication_count=3,
    )
    plain = InnovationFactory(unit=unit_in(far), title="Akta Kelahiran Keliling Desa", summary=TEXT)
    ministry_unit = ServiceUnitFactory(agency=AgencyFactory(type="ministry", region=None))
    InnovationFactory(
        unit=ministry_unit,
        title="Pupuk organik petani",
        summary="Pupuk kompos untuk sawah",
        problem="",
        solution="",
        results="",
    )
    index.build_and_store()
    adopter = AgencyFactory(region=adopter_region)
    ranked = selectors.rank_candidates(problem="akta kelahiran untuk warga desa terpencil", adopter_agency=adopter)
    assert [c.innovation for c in ranked] == [proven, plain]
    signals = {r.signal for r in ranked[0].ranked.reasons}
    assert {
        "text_similarity",
        "matched_term",
        "kipp_tier",
        "continuity",
        "successful_replications",
        "same_province",
        "same_level",
    } <= signals
    assert ranked[0].ranked.score == pytest.approx(sum(c.points for c in ranked[0].ranked.components))


def test_rank_candidates_leaves_out_the_adopters_own_innovations(places):
    adopter_region, near, _far = places
    own_unit = unit_in(adopter_region)
    InnovationFactory(unit=own_unit, title="Akta Kelahiran Keliling", summary=TEXT)
    other = InnovationFactory(unit=unit_in(near), title="Akta Kelahiran Desa", summary=TEXT)
    index.build_and_store()
    ranked = selectors.rank_candidates(problem="akta kelahiran desa", adopter_agency=own_unit.agency)
    assert [c.innovation for c in ranked] == [other]


def test_rank_candidates_without_index_says_not_ready(places):
    with pytest.raises(selectors.IndexNotReady):
        selectors.rank_candidates(problem="akta", adopter_agency=None)


def test_regions_like_ranks_similar_regencies_and_skips_adopters(places):
    adopter_region, near, far = places
    innovation = InnovationFactory(unit=unit_in(near))
    selectors._regions_cache.cache_clear()
    like = selectors.regions_like(innovation, limit=3)
    assert [region for region, _ranked in like][:1] == [adopter_region]
    assert near not in [region for region, _ranked in like]
    ReplicationFactory(
        primary_source=innovation, adopter_unit=unit_in(adopter_region), status="accepted", is_successful=True
    )
    like = selectors.regions_like(innovation, limit=3)
    assert adopter_region not in [region for region, _ranked in like]
    assert far in [region for region, _ranked in like]


def test_successful_replications_of_lists_only_successful(places):
    _a, near, far = places
    innovation = InnovationFactory(unit=unit_in(near))
    done = ReplicationFactory(
        primary_source=innovation, status="accepted", is_successful=True, completed_on=dt.date(2025, 1, 1)
    )
    ReplicationFactory(primary_source=innovation, status="accepted")
    assert list(selectors.successful_replications_of(innovation)) == [done]
    panel = selectors.for_innovation(innovation)
    assert panel.adopters == [done] and panel.in_progress == 1


def test_network_data_draws_arcs_between_provinces(places):
    adopter_region, near, far = places
    source = InnovationFactory(unit=unit_in(far))
    rep = ReplicationFactory(
        primary_source=source, adopter_unit=unit_in(adopter_region), status="accepted", is_successful=True
    )
    Replication.objects.filter(pk=rep.pk).update(source_province=far.parent, adopter_province=adopter_region.parent)
    data = selectors.network_data()
    assert [(a["source"].code, a["adopter"].code, a["count"]) for a in data["arcs"]] == [("94", "35", 1)]
    assert data["arcs"][0]["d"].startswith("M")
    assert {n["agency"] for n in data["nodes"]} == {rep.source_agency, rep.adopter_agency}
    assert len(data["edges"]) == 1
    assert len(data["paths"]) == Region.objects.none().count() or len(data["paths"]) >= 30


def test_by_public_id_finds_the_replication():
    rep = ReplicationFactory()
    assert selectors.by_public_id(rep.public_id) == rep
    assert selectors.by_public_id("00000000-0000-0000-0000-000000000000") is None
