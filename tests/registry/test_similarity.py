import io

import pytest
from django.core.management import call_command

from jipp.registry import similarity
from jipp.registry.models import Innovation
from jipp.registry.selectors import similar_innovations
from jipp.registry.tasks import refresh_similar_task, schedule_similar_refresh
from tests.factories import ServiceUnitFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db

HEALTH = "Pelayanan kesehatan ibu hamil di puskesmas dengan bidan desa dan posyandu balita."
SCHOOL = "Pendidikan anak sekolah dasar dengan guru kelas dan perpustakaan keliling membaca buku."
ROADS = "Perbaikan jalan desa rusak dengan laporan warga melalui aplikasi pengaduan jalan berlubang."


@pytest.fixture(autouse=True)
def fresh_model():
    similarity._cache.clear()
    yield
    similarity._cache.clear()


@pytest.fixture
def corpus():
    unit = ServiceUnitFactory()

    def make(title, text, **kwargs):
        return InnovationFactory(unit=unit, title=title, summary=text, problem="", solution="", results="", **kwargs)

    return {
        "health": [make(f"Posyandu Sehat {n}", HEALTH) for n in range(3)],
        "school": [make(f"Sekolah Membaca {n}", SCHOOL) for n in range(3)],
        "roads": [make(f"Jalan Mulus {n}", ROADS) for n in range(2)],
        "draft": make("Draf Posyandu Ibu", HEALTH, draft=True),
    }


def test_refresh_all_finds_the_same_topic_first(corpus):
    assert similarity.refresh_all() == 9
    first = Innovation.objects.get(pk=corpus["health"][0].pk)
    health_ids = {i.pk for i in corpus["health"]}
    assert set(first.similar_ids[:2]) == health_ids - {first.pk}
    assert first.pk not in first.similar_ids
    assert corpus["draft"].pk not in first.similar_ids  # only published innovations are suggested
    assert len(first.similar_ids) <= 5
    road = Innovation.objects.get(pk=corpus["roads"][0].pk)
    assert road.similar_ids[0] == corpus["roads"][1].pk


def test_drafts_get_suggestions_too(corpus):
    similarity.refresh_all()
    draft = Innovation.objects.get(pk=corpus["draft"].pk)
    assert set(draft.similar_ids[:3]) == {i.pk for i in corpus["health"]}


def test_similar_innovations_selector_reads_the_stored_ids(corpus):
    similarity.refresh_all()
    first = Innovation.objects.get(pk=corpus["school"][0].pk)
    titles = [i.title for i in similar_innovations(first, limit=2)]
    assert sorted(titles) == ["Sekolah Membaca 1", "Sekolah Membaca 2"]


def test_refresh_one_after_a_change(corpus):
    similarity.refresh_all()
    changed = corpus["roads"][0]
    from jipp.registry.search import search_columns

    columns = search_columns(title="Sekolah Baca", texts=[SCHOOL])
    Innovation.objects.filter(pk=changed.pk).update(**columns)
    similar = refresh_similar_task.enqueue(changed.pk).return_value
    assert set(similar[:3]) == {i.pk for i in corpus["school"]}
    assert Innovation.objects.get(pk=changed.pk).similar_ids == similar


def test_schedule_runs_after_commit(corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        schedule_similar_refresh(corpus["health"][0].pk)
    assert len(callbacks) == 1
    assert Innovation.objects.get(pk=corpus["health"][0].pk).similar_ids


def test_nothing_published_clears_the_lists():
    InnovationFactory(draft=True, similar_ids=[1, 2])
    similarity.refresh_all()
    assert Innovation.objects.get().similar_ids == []


def test_chunked_search_equals_one_block(corpus):
    model = similarity.fit_model()
    import numpy as np

    rows = list(Innovation.objects.order_by("pk").values_list("pk", "search_title", "search_body"))
    queries = model.vectorizer.transform(similarity._document(t, b) for _p, t, b in rows).tocsr()
    ids = np.array([pk for pk, _t, _b in rows])
    assert dict(similarity.nearest(model, queries, ids, chunk=2)) == dict(
        similarity.nearest(model, queries, ids, chunk=100)
    )


def test_refresh_similar_command(corpus):
    out = io.StringIO()
    call_command("refresh_similar", no_progress=True, stdout=out)
    assert "Similar innovations refreshed for 9 innovations" in out.getvalue()
    assert Innovation.objects.get(pk=corpus["health"][1].pk).similar_ids
