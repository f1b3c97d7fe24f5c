import pytest

from jipp.competition.evaluation import services
from jipp.competition.evaluation.models import Assignment
from tests.competition.evaluation.test_spine import score_all
from tests.competition.evaluation.test_views import published_finalists, published_results  # noqa: F401 (fixtures)


@pytest.fixture
def assigned(small_world):
    services.run_assignment(edition=small_world["edition"])
    return Assignment.objects.select_related("proposal__agency", "proposal__unit", "evaluator").first()


def test_api_blind_assignment_has_no_agency_region_or_names(client, assigned):
    proposal = assigned.proposal
    answer = proposal.answers.first()
    answer.text = f"Dikelola oleh {proposal.unit.name} di {proposal.province.name}."
    answer.save()
    client.force_login(assigned.evaluator)
    response = client.get(f"/api/v1/kipp/my-assignments/{assigned.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert response.json()["blind"] is True
    assert proposal.agency.name not in body
    assert proposal.unit.name not in body
    assert proposal.province.name not in body


def test_api_assignment_of_someone_else_or_in_conflict_is_403(client, assigned, small_world):
    other = next(m.user for m in small_world["members"] if m.user_id != assigned.evaluator_id)
    client.force_login(other)
    assert client.get(f"/api/v1/kipp/my-assignments/{assigned.pk}/").status_code == 403
    evaluator = assigned.evaluator
    evaluator.agency = assigned.proposal.agency
    evaluator.save()
    client.force_login(evaluator)
    assert client.get(f"/api/v1/kipp/my-assignments/{assigned.pk}/").status_code == 403


def test_api_assignments_and_reviews_secretariat_only(client, assigned, ministry):
    client.force_login(assigned.evaluator)
    assert client.get("/api/v1/kipp/assignments/").status_code == 403
    client.force_login(ministry)
    data = client.get("/api/v1/kipp/assignments/", {"edition": 2021}).json()
    assert data["count"] == 24
    assert client.get("/api/v1/kipp/assignments/", {"source": "nonsense"}).status_code == 400
    assert client.get("/api/v1/kipp/reviews/").status_code == 200


def test_api_ranking_private_until_published(client, small_world, ministry):
    services.run_assignment(edition=small_world["edition"])
    score_all(small_world["edition"])
    assert client.get("/api/v1/kipp/rankings/2021/").status_code in (401, 403)
    client.force_login(ministry)
    data = client.get("/api/v1/kipp/rankings/2021/").json()
    assert data["count"] == 8
    assert set(data["results"][0]["scores"]) == {"mean", "median", "trimmed_mean", "zscore_mean"}


def test_api_results_public_after_publication(client, published_results):  # noqa: F811
    data = client.get("/api/v1/kipp/results/", {"edition": 2021}).json()
    assert data["count"] == 2
    assert data["results"][0]["decree_number"] == "SK 7/2021"


def test_schema_lists_evaluation_paths(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/kipp/rankings/" in schema
    assert "/api/v1/kipp/my-assignments/" in schema
