import pytest

from jipp.registry.models import Category, Innovation, Sdg
from jipp.registry.selectors import CatalogueQuery, catalogue_queryset, search_catalogue
from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db


def _titles(query: CatalogueQuery) -> list[str]:
    return [i.title for i in catalogue_queryset(query)]


def test_search_matches_indonesian_word_forms(make_innovation):
    make_innovation("Layanan Sehat Keliling", summary="Dokter datang ke desa.")
    make_innovation("Akta Kelahiran Keliling", summary="Pencatatan sipil.")
    assert _titles(CatalogueQuery(q="pelayanan kesehatan")) == ["Layanan Sehat Keliling"]


def test_search_needs_every_word(make_innovation):
    make_innovation("Pelayanan Kesehatan Ibu", summary="Posyandu untuk ibu hamil.")
    make_innovation("Pelayanan Perizinan Cepat", summary="Izin usaha dalam sehari.")
    assert _titles(CatalogueQuery(q="pelayanan izin")) == ["Pelayanan Perizinan Cepat"]


def test_search_matches_a_prefix_being_typed(make_innovation):
    make_innovation("Puskesmas Ramah Anak")
    assert _titles(CatalogueQuery(q="puskes")) == ["Puskesmas Ramah Anak"]


def test_search_prefix_of_a_word_whose_stem_is_short(make_innovation):
    # PostgreSQL's `indonesian` configuration stems "sekolah" further ("seko"); the prefix must still match.
    make_innovation("Sekolah Ramah Anak")
    make_innovation("Sekretariat Desa Digital")
    assert _titles(CatalogueQuery(q="sekol")) == ["Sekolah Ramah Anak"]
    assert _titles(CatalogueQuery(q="ramah sekol")) == ["Sekolah Ramah Anak"]
    assert [i.title for i in search_catalogue(CatalogueQuery(q="sekol")).queryset] == ["Sekolah Ramah Anak"]


def test_search_ranks_title_matches_first(make_innovation):
    make_innovation("Sistem Antrean Daring", summary="Layanan kesehatan di puskesmas.")
    make_innovation("Kesehatan Jiwa Masyarakat", summary="Konseling gratis.")
    assert _titles(CatalogueQuery(q="kesehatan", sort="relevance"))[0] == "Kesehatan Jiwa Masyarakat"


@pytest.mark.parametrize("text", ['"', "AND OR NOT", "(((", "kesehatan*^:", 'NEAR("a" "b")', "-x +y", "title:abc", "'"])
def test_search_syntax_characters_are_plain_text(make_innovation, text):
    make_innovation("Kesehatan Ibu")
    result = search_catalogue(CatalogueQuery(q=text))
    titles = [i.title for i in result.queryset]  # no database error
    assert titles in ([], ["Kesehatan Ibu"])
    assert result.total == len(titles)
    queryset = catalogue_queryset(CatalogueQuery(q=text))
    found = [] if queryset is None else [i.title for i in queryset]
    assert found == titles  # the export path agrees with the catalogue


def test_search_without_letters_is_not_searchable(make_innovation):
    make_innovation("Kesehatan Ibu")
    assert catalogue_queryset(CatalogueQuery(q="?!*")) is None


def test_drafts_and_withdrawn_are_not_in_the_catalogue(make_innovation):
    make_innovation("Kesehatan Terbit")
    make_innovation("Kesehatan Draf", status=Innovation.Status.DRAFT)
    make_innovation("Kesehatan Ditarik", status=Innovation.Status.WITHDRAWN)
    assert _titles(CatalogueQuery(q="kesehatan")) == ["Kesehatan Terbit"]


def test_edited_text_is_searchable_at_once(make_innovation):
    from jipp.registry.services import update_innovation
    from tests.factories import MinistryUserFactory

    innovation = make_innovation("Judul Lama")
    update_innovation(
        user=MinistryUserFactory(),
        innovation=innovation,
        data={"title": "Perpustakaan Keliling"},
        expected_version=innovation.version,
    )
    assert _titles(CatalogueQuery(q="perpustakaan")) == ["Perpustakaan Keliling"]
    assert _titles(CatalogueQuery(q="judul lama")) == []


def test_facet_counts_equal_filtered_result_counts(make_innovation):
    jatim, jateng = ProvinceFactory(code="35", name="Jawa Timur"), ProvinceFactory(code="33", name="Jawa Tengah")
    sidoarjo = RegencyFactory(code="35.15", parent=jatim, name="Kabupaten Sidoarjo")
    semarang = RegencyFactory(code="33.22", parent=jateng, name="Kabupaten Semarang")
    health = Category.objects.get(code="health")
    sdg3 = Sdg.objects.get(number=3)
    unit_a = ServiceUnitFactory(agency=AgencyFactory(region=sidoarjo))
    unit_b = ServiceUnitFactory(agency=AgencyFactory(region=semarang))
    make_innovation("Kesehatan A", unit=unit_a, categories=[health], sdgs=[sdg3], is_digital=True, stage="trial")
    make_innovation("Kesehatan B", unit=unit_a, stage="in_operation")
    make_innovation("Kesehatan C", unit=unit_b, categories=[health], is_digital=True, stage="trial")
    make_innovation("Pendidikan D", unit=unit_b)
    result = search_catalogue(CatalogueQuery(q="kesehatan"))
    facets = result.facets
    assert result.total == 3
    for facet, param in [("province", "province"), ("category", "category"), ("stage", "stage"), ("digital", "digital"),
                         ("sdg", "sdg")]:  # fmt: skip
        for value in facets[facet]:
            kwargs = {param: value.value}
            if param == "digital":
                kwargs = {"digital": value.value == "yes"}
            if param == "sdg":
                kwargs = {"sdg": int(value.value)}
            assert catalogue_queryset(CatalogueQuery(q="kesehatan", **kwargs)).count() == value.count, (facet, value)
    assert {v.value: v.count for v in facets["province"]} == {"35": 2, "33": 1}
    assert {v.value: v.count for v in facets["category"]} == {"health": 2}
    assert {v.value: v.count for v in facets["sdg"]} == {"3": 1}
    filtered = search_catalogue(CatalogueQuery(q="kesehatan", province="35"))
    assert {v.value: v.count for v in filtered.facets["regency"]} == {"35.15": 2}


def test_sort_by_most_replicated(make_innovation):
    from jipp.registry.services import set_replication_count

    a = make_innovation("Inovasi A")
    b = make_innovation("Inovasi B")
    set_replication_count(innovation_id=a.pk, count=1)
    set_replication_count(innovation_id=b.pk, count=4)
    assert _titles(CatalogueQuery(sort="replicated")) == ["Inovasi B", "Inovasi A"]
    assert _titles(CatalogueQuery(replicated=False)) == []


# Real names: accents folded, short names and acronyms first; one relevance contract on both engines.


def _relevance(q: str) -> list[str]:
    return [i.title for i in search_catalogue(CatalogueQuery(q=q, sort="relevance")).queryset]


def test_fold_plain_letters():
    from jipp.registry.search import fold

    assert fold("Café Łódź Ærø straße ﬁnal İzmir") == "Cafe Lodz AEro strasse final Izmir"


def test_name_text_takes_brackets_and_acronyms():
    from jipp.registry.search import name_text

    assert name_text("Gerakan Layanan Ibu (Si Cantik) Kota Malang") == "si cantik sicantik"
    assert name_text("Layanan E-KTP Keliling") == "ktp"
    assert name_text("Sistem [SIKIA] Café") == "sikia"
    assert name_text("Layanan Biasa") == ""


@pytest.mark.parametrize("q", ["cafe", "café", "CAFÉ", "caf"])
def test_search_folds_accents_both_ways(make_innovation, q):
    make_innovation("Café Literasi Desa", summary="Pojok baca di balai désa.")
    make_innovation("Perpustakaan Keliling")
    assert _relevance(q) == ["Café Literasi Desa"]
    assert _titles(CatalogueQuery(q=q)) == ["Café Literasi Desa"]


def test_search_finds_accented_body_text_by_plain_letters(make_innovation):
    make_innovation("Pojok Baca", summary="Kerja sama dengan Universität Gadjah Mada dan Société Générale.")
    assert _relevance("universitat societe") == ["Pojok Baca"]


def test_search_short_name_in_brackets_ranks_first(make_innovation):
    # Many rows say "cantik" in their title and text; the one whose short name it is comes first.
    make_innovation("Desa Cantik Bersih Cantik Asri", summary="Cantik, cantik, cantik: desa wisata yang cantik.")
    make_innovation("Layanan Ibu Hamil Terpadu (Si Cantik) Kota Malang", summary="Pemeriksaan kehamilan.")
    make_innovation("Taman Cantik Kota", summary="Taman kota yang cantik.")
    assert _relevance("si cantik")[0] == "Layanan Ibu Hamil Terpadu (Si Cantik) Kota Malang"
    assert _relevance("sicantik") == ["Layanan Ibu Hamil Terpadu (Si Cantik) Kota Malang"]
    assert _relevance("si canti")[0] == "Layanan Ibu Hamil Terpadu (Si Cantik) Kota Malang"


def test_search_acronym_ranks_first(make_innovation):
    make_innovation("Layanan KTP Elektronik Keliling", summary="Perekaman KTP di desa.")
    make_innovation("Antrean Dukcapil", summary="Ktp, ktp, ktp: antrean pencetakan ktp dan kk.")
    assert _relevance("ktp") == ["Layanan KTP Elektronik Keliling", "Antrean Dukcapil"]


# The relevance contract: on the same rows, these queries give these top results on SQLite and on
# PostgreSQL (the suite runs on both in CI).
CONTRACT_ROWS = [
    ("Sistem Informasi Kesehatan Ibu dan Anak (SIKIA)", "Pencatatan kehamilan dan imunisasi."),
    ("Layanan Kesehatan Keliling", "Dokter datang ke desa terpencil."),
    ("Perpustakaan Desa Digital", "Peminjaman buku daring; layanan kesehatan mental remaja."),
    ("Antrean Puskesmas Daring", "Pendaftaran pasien puskesmas lewat ponsel."),
    ("Café Baca Remaja (Cabaret)", "Pojok literasi untuk remaja di kecamatan."),
    ("Sekolah Ramah Anak", "Pendidikan inklusif di sekolah dasar."),
    ("Pelayanan Akta Kelahiran Terpadu (PAKET)", "Akta kelahiran terbit di rumah sakit."),
]
CONTRACT = [
    ("sikia", ["Sistem Informasi Kesehatan Ibu dan Anak (SIKIA)"]),
    (
        "kesehatan",
        ["Layanan Kesehatan Keliling", "Sistem Informasi Kesehatan Ibu dan Anak (SIKIA)", "Perpustakaan Desa Digital"],
    ),  # fmt: skip
    ("pelayanan kesehatan", ["Layanan Kesehatan Keliling", "Perpustakaan Desa Digital"]),
    ("puskes", ["Antrean Puskesmas Daring"]),
    ("cafe", ["Café Baca Remaja (Cabaret)"]),
    ("cabaret", ["Café Baca Remaja (Cabaret)"]),
    ("remaja", ["Café Baca Remaja (Cabaret)", "Perpustakaan Desa Digital"]),
    ("paket", ["Pelayanan Akta Kelahiran Terpadu (PAKET)"]),
    ("akta kelahiran", ["Pelayanan Akta Kelahiran Terpadu (PAKET)"]),
    ("sekol", ["Sekolah Ramah Anak"]),
    ("desa", ["Perpustakaan Desa Digital", "Layanan Kesehatan Keliling"]),
]


@pytest.mark.parametrize(("q", "expected"), CONTRACT, ids=[q for q, _ in CONTRACT])
def test_relevance_contract_same_on_both_engines(make_innovation, q, expected):
    for title, summary in CONTRACT_ROWS:
        make_innovation(title, summary=summary)
    assert _relevance(q) == expected
    assert _titles(CatalogueQuery(q=q, sort="relevance")) == expected  # exports: the same order


# The facet index's freshness check (on PostgreSQL the maxima of updated_at and id plus a deletions
# counter, registry migration 0015): a deletion that leaves both maxima as they were is seen at once.


def test_catalogue_sees_a_deleted_innovation_at_once(make_innovation):
    older = make_innovation("Kesehatan Lama")
    make_innovation("Kesehatan Baru")
    assert search_catalogue(CatalogueQuery(q="kesehatan")).total == 2
    Innovation.objects.filter(pk=older.pk).delete()
    assert [i.title for i in search_catalogue(CatalogueQuery(q="kesehatan")).queryset] == ["Kesehatan Baru"]


def test_catalogue_sees_a_deleted_award_at_once(make_innovation):
    from jipp.registry.models import Award

    first = make_innovation("Kesehatan Juara")
    award = Award.objects.create(innovation=first, year=2024, tier="top99", title="Top 99")
    make_innovation("Kesehatan Lain")
    assert [(v.value, v.count) for v in search_catalogue(CatalogueQuery()).facets["award_year"]] == [("2024", 1)]
    award.delete()
    assert search_catalogue(CatalogueQuery()).facets["award_year"] == []


# Capped search: a word matching more than the cap (search.match_cap(), lowered here with the
# setting REGISTRY_SEARCH_CAP) reads only the newest cap matches plus every short-name match.


def _analyze(on_postgresql_too: bool) -> None:
    """On PostgreSQL, fresh statistics make the planner expect many matches: the ordered capped scan runs."""
    from django.db import connection

    if on_postgresql_too and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_innovation_search")


def _desa_rows(make_innovation, n=8, **data):
    return [make_innovation(f"Layanan Desa Nomor {i}", summary="Pelayanan warga desa.", **data) for i in range(n)]


@pytest.mark.parametrize(
    ("analyzed", "cost_ratio"),
    [(False, 5), (True, 1), (True, 20)],
    ids=["exact-then-capped", "ordered-scan", "gin-newest"],
)
def test_capped_search_reads_the_newest_matches(make_innovation, settings, monkeypatch, analyzed, cost_ratio):
    # PostgreSQL: without statistics the planner expects few matches (the exact path, capped after);
    # with them, 8 matches in 9 rows are dense (the key scanned backwards) when the cost ratio says
    # so, else the GIN index and a top-N sort. SQLite has one way.
    from jipp.registry import search

    monkeypatch.setattr(search, "DENSE_COST_RATIO", cost_ratio)
    settings.REGISTRY_SEARCH_CAP = 5
    rows = _desa_rows(make_innovation)
    make_innovation("Sekolah Ramah Anak", summary="Pendidikan inklusif.")
    _analyze(analyzed)
    q = "desa " if analyzed else "desa"  # a whole word: the planner's estimate of a prefix is poor on 9 rows
    result = search_catalogue(CatalogueQuery(q=q))
    newest = [r.title for r in sorted(rows, key=lambda r: -r.pk)[:5]]
    assert result.capped is True
    assert result.total == 5
    assert [i.title for i in result.queryset] == newest  # equal relevance: newest first
    assert sum(v.count for v in result.facets["province"]) == 5  # facets over the capped set
    newest_sort = search_catalogue(CatalogueQuery(q=q, sort="newest"))
    assert (newest_sort.capped, newest_sort.total) == (True, 5)


def test_search_with_fewer_matches_than_the_statistics_expect_is_exact(make_innovation, settings):
    settings.REGISTRY_SEARCH_CAP = 5
    rows = _desa_rows(make_innovation)
    _analyze(True)  # PostgreSQL: the statistics say 8 matches
    Innovation.objects.filter(pk__in=[r.pk for r in rows[:4]]).delete()
    result = search_catalogue(CatalogueQuery(q="desa "))
    assert (result.capped, result.total) == (False, 4)
    assert sorted(i.pk for i in result.queryset) == sorted(r.pk for r in rows[4:])


def test_capped_search_keeps_an_older_short_name_match_first(make_innovation, settings):
    settings.REGISTRY_SEARCH_CAP = 5
    named = make_innovation("Pendataan Warga (DESA) Terpadu", summary="Data warga.")
    _desa_rows(make_innovation)
    result = search_catalogue(CatalogueQuery(q="desa"))
    assert result.capped is True
    assert result.total == 6  # the newest 5 and the short-name match
    assert result.queryset[0].pk == named.pk


def test_search_under_the_cap_is_exact(make_innovation, settings):
    settings.REGISTRY_SEARCH_CAP = 8
    _desa_rows(make_innovation)
    result = search_catalogue(CatalogueQuery(q="desa"))
    assert (result.capped, result.total) == (False, 8)
    assert sum(v.count for v in result.facets["province"]) == 8


def test_capped_search_with_a_narrow_filter_is_exact(make_innovation, settings):
    settings.REGISTRY_SEARCH_CAP = 5
    province = ProvinceFactory(code="91", name="Papua")  # not among the factories' default provinces
    unit = ServiceUnitFactory(agency=AgencyFactory(region=RegencyFactory(parent=province, code="91.01")))
    old = _desa_rows(make_innovation, 3, unit=unit)  # older than the newest 5 matches
    _desa_rows(make_innovation, 8)
    result = search_catalogue(CatalogueQuery(q="desa", province=province.code))
    assert result.capped is False
    assert sorted(i.pk for i in result.queryset) == sorted(r.pk for r in old)


def test_capped_search_in_the_page_and_the_api(make_innovation, settings, client):
    settings.REGISTRY_SEARCH_CAP = 5
    _desa_rows(make_innovation)
    page = client.get("/innovations/", {"q": "desa"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "More than 5 innovations" in page.content.decode()
    assert "Counts from the newest 5 matches." in page.content.decode()
    page_id = client.get("/innovations/", {"q": "desa"}, HTTP_ACCEPT_LANGUAGE="id")
    assert "Lebih dari 5 inovasi" in page_id.content.decode()
    listed = client.get("/api/v1/innovations/", {"q": "desa"}).json()
    assert (listed["count"], listed["count_capped"]) == (5, True)
    facets = client.get("/api/v1/innovations/facets/", {"q": "desa"}).json()
    assert (facets["total"], facets["capped"]) == (5, True)
    exact = client.get("/api/v1/innovations/", {"q": "nomor 3"}).json()
    assert (exact["count"], exact["count_capped"]) == (1, False)


def test_facet_index_loader_reads_what_the_orm_reads(make_innovation):
    """On PostgreSQL the index is read as one string per column (`_read_rows_pg`); it must hold the ORM's values."""
    from jipp.registry import facet_index
    from jipp.registry.models import Award

    first = make_innovation("Kesehatan Satu", categories=[], sdgs=[])
    make_innovation("Kesehatan Dua", continuity="", summary="Desa.")
    make_innovation("Draf", status=Innovation.Status.DRAFT)
    Award.objects.create(innovation=first, year=2024, tier="top99", title="Top 99")
    Innovation.objects.filter(pk=first.pk).update(replication_count=3, is_digital=True, year_started=None)
    from django.db import connection

    if connection.vendor == "postgresql":
        assert facet_index._read_rows_pg(connection) is not None  # the string-per-column reader ran
    index = facet_index._load(facet_index._fingerprint())
    ids, published, values, codes, arrays = facet_index._read_rows("default")
    assert index.ids.tolist() == ids.tolist()
    assert index.newest.tolist() == facet_index.np.lexsort((-ids, -published)).tolist()
    for name in facet_index.CODED:
        assert index.values[name].tolist() == values[name].tolist(), name
        assert index.codes[name].tolist() == codes[name].tolist(), name
    for name, array in arrays.items():
        assert index.arrays[name].tolist() == array.tolist(), name
