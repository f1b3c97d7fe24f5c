"""Issue #11: the findings of the independent audit, each with its instance, on the database path
(the pure-number findings 2, 3, 9, 10 and 11 are in tests/competition/domain/)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from jipp.competition.domain.numbers import stored
from jipp.competition.evaluation import selectors, services
from jipp.competition.evaluation.common import FrozenError, parse_score
from jipp.competition.evaluation.models import Assignment, Finalist, Member, Review, Winner
from jipp.competition.models import ProposalAttachment, RequiredAttachment
from tests.competition.evaluation.test_spine import score_all, score_panel


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def submit(assignment, level: str, **extra):
    criteria = services.rubric_of(assignment.proposal.group)
    return services.save_review(
        user=assignment.evaluator,
        assignment=assignment,
        scores={str(c.pk): level for c in criteria},
        comments={},
        submit=True,
        blind_declared=True,
        **extra,
    )


def row_of(edition, proposal):
    return next(r for r in selectors.ranking(edition) if r["id"] == proposal.pk)


# Finding 1 ---------------------------------------------------------------------------------------


def test_finding_1_proposal_with_one_of_three_reviews_is_not_ranked_nor_nominated(small_world, ministry):
    """Two of three reviews moved back to draft and the remaining one set to 95: it rose from last to first
    and was nominated."""
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    last = min(small_world["proposals"], key=lambda p: row_of(edition, p)["deciding"])
    reviews = list(Review.objects.filter(proposal=last).order_by("pk"))
    for review in reviews[:2]:
        services.reopen_review(user=ministry, review=review, reason="Dicek ulang")
    services.reopen_review(user=ministry, review=reviews[2], reason="Dicek ulang")
    submit(reviews[2].assignment, "10")
    row = row_of(edition, last)
    assert (row["rankable"], row["missing_reviews"], row["n"], row["position"]) == (False, 2, 1, None)
    assert selectors.ranking(edition)[-1]["id"] == last.pk  # listed at the end, as incomplete
    with pytest.raises(ValidationError) as caught:
        services.run_nomination(user=ministry, edition=edition)
    assert f"{last.title} ({last.pk}): 2 reviews missing" in caught.value.messages
    with pytest.raises(ValidationError, match="Record why"):
        services.run_nomination(user=ministry, edition=edition, only_complete=True)
    nomination = services.run_nomination(
        user=ministry, edition=edition, only_complete=True, note="Batas waktu pleno; dua evaluator sakit."
    )
    assert last.pk not in nomination.chosen
    assert nomination.parameters["excluded_incomplete"] == [last.pk]
    assert nomination.parameters["choice_by"] == ministry.username
    assert nomination.parameters["choice_note"] == "Batas waktu pleno; dua evaluator sakit."


def test_api_rankings_rows_carry_rankable_and_missing_reviews(client, small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    one = Assignment.objects.filter(proposal=small_world["proposals"][0]).first()
    submit(one, "9")
    client.force_login(ministry)
    data = client.get("/api/v1/kipp/rankings/2021/").json()
    assert data["reviews_required"] == 3
    rows = {r["id"]: r for r in data["results"]}
    assert len(rows) == 8
    assert (rows[one.proposal_id]["rankable"], rows[one.proposal_id]["missing_reviews"]) == (False, 2)
    assert rows[one.proposal_id]["raw_mean"] == "88.888889"
    assert {r["rankable"] for r in rows.values()} == {False}


# Finding 4 ---------------------------------------------------------------------------------------


def test_finding_4_finalist_without_panel_scores_blocks_the_decision(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    nomination = services.run_nomination(user=ministry, edition=edition)
    services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Pleno")
    panelist = score_panel(edition, ministry)
    unscored = Finalist.objects.filter(edition=edition).order_by("pk").first()
    unscored.panel_scores.all().delete()
    services.recompute_final(unscored)
    for f in Finalist.objects.filter(edition=edition):
        services.verify(user=ministry, finalist=f, passed=True, notes="ok")
    with pytest.raises(ValidationError) as caught:
        services.decide_winners(user=ministry, edition=edition)
    assert f"{unscored.proposal.title} ({unscored.proposal_id})" in caught.value.messages
    services.score_presentation(user=panelist.user, finalist=unscored, presentation="70", interview="70")
    winners = services.decide_winners(user=ministry, edition=edition)
    assert all(w.final_score == w.finalist.final_score for w in winners)
    unscored.refresh_from_db()
    # Points with points: the raw desk mean, never a standardised value.
    assert unscored.final_score == stored((70 * unscored.desk_points + 30 * 70) / Decimal(100))


# Finding 5 ---------------------------------------------------------------------------------------


def test_finding_5_conflict_declared_after_the_review_voids_it(client, small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    review = Review.objects.select_related("proposal", "evaluator").first()
    member = Member.objects.get(edition=edition, user=review.evaluator)
    assert row_of(edition, review.proposal)["rankable"] is True
    services.update_declarations(
        user=review.evaluator, member=member, conflict_agencies=[review.proposal.agency], conflict_regions=[]
    )
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED  # kept for the audit
    assert review.voided_at is not None
    assert review.void_reason == "Conflict of interest declared after the review (declared_agency)."
    row = row_of(edition, review.proposal)
    assert (row["rankable"], row["missing_reviews"], row["voided"]) == (False, 1, 1)
    # The secretariat asks for an extra review; the conflicted evaluator is never chosen.
    extra = services.add_extra_review(user=ministry, proposal=review.proposal)
    assert extra.evaluator_id != review.evaluator_id
    submit(extra, "7")
    assert row_of(edition, review.proposal)["rankable"] is True
    client.force_login(ministry)
    body = client.get(reverse("evaluation:explain", args=[2021, review.proposal_id])).content.decode()
    assert "Penilaian yang tidak dihitung (disimpan untuk audit)" in body
    assert review.void_reason in body  # the stored reason, recorded in the language of the declaration


def test_conflict_from_a_changed_agency_also_stops_the_review_counting(small_world):
    """No declaration at all: the evaluator moved to the proposal's agency (own-agency rule)."""
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    review = Review.objects.select_related("proposal", "evaluator").first()
    review.evaluator.agency = review.proposal.agency
    review.evaluator.save()
    assert row_of(edition, review.proposal)["missing_reviews"] == 1


# Finding 6 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["manual", "import", "auto"])
def test_finding_6_pair_that_became_a_conflict_is_removed_not_kept_beside_k_more(small_world, ministry, source):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    a = Assignment.objects.select_related("proposal", "evaluator").first()
    Assignment.objects.filter(pk=a.pk).update(source=source)
    member = Member.objects.get(edition=edition, user=a.evaluator)
    member.conflict_agencies.add(a.proposal.agency)
    run = services.run_assignment(edition=edition)
    assert not Assignment.objects.filter(proposal=a.proposal, evaluator=a.evaluator).exists()
    assert Assignment.objects.filter(proposal=a.proposal).count() == 3
    assert run.removed == [{"proposal": a.proposal_id, "evaluator": a.evaluator.username, "reason": "declared_agency"}]


def test_finding_6_imported_pair_that_existed_as_automatic_becomes_imported_and_survives(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    pairs = list(Assignment.objects.filter(edition=edition, proposal=small_world["proposals"][0]))
    text = "proposal_id,evaluator\n" + "".join(f"{a.proposal_id},{a.evaluator.username}\n" for a in pairs)
    services.import_assignments_csv(user=ministry, edition=edition, text=text)
    assert {a.source for a in Assignment.objects.filter(pk__in=[a.pk for a in pairs])} == {"import"}
    services.run_assignment(edition=edition)
    assert set(Assignment.objects.filter(proposal=small_world["proposals"][0]).values_list("pk", flat=True)) == {
        a.pk for a in pairs
    }


# Finding 7: the freeze over every write path ------------------------------------------------------


@pytest.fixture
def published(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    nomination = services.run_nomination(user=ministry, edition=edition)
    services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Pleno")
    services.publish_finalists(user=ministry, edition=edition, now=dt.datetime(2021, 6, 1, tzinfo=dt.UTC))
    panelist = score_panel(edition, ministry)
    for f in Finalist.objects.filter(edition=edition):
        services.verify(user=ministry, finalist=f, passed=True, notes="ok")
    services.decide_winners(user=ministry, edition=edition)
    services.record_decree(user=ministry, edition=edition, number="SK 9/2021", date=dt.date(2021, 9, 1))
    services.publish_results(user=ministry, edition=edition)
    return {"edition": edition, "panelist": panelist}


def _fingerprint(edition):
    return (
        sorted(Review.objects.filter(edition=edition).values_list("pk", "status", "total", "voided_at")),
        sorted(Assignment.objects.filter(edition=edition).values_list("pk", "evaluator_id", "source")),
        sorted(
            Finalist.objects.filter(edition=edition).values_list(
                "pk", "status", "desk_score", "final_score", "verification_passed"
            )
        ),
        sorted(Winner.objects.filter(edition=edition).values_list("pk", "rank", "final_score", "verification_code")),
        services.settings_for(edition).passing_grade,
    )


def test_finding_7_every_service_that_feeds_the_results_is_refused_after_publication(published, ministry):
    edition = published["edition"]
    before = _fingerprint(edition)
    review = Review.objects.select_related("assignment").first()
    assignment = Assignment.objects.select_related("proposal", "evaluator").first()
    finalist = Finalist.objects.first()
    other = Member.objects.filter(edition=edition, kind="evaluator").exclude(user=assignment.evaluator).first()
    member = Member.objects.get(edition=edition, user=assignment.evaluator)
    calls = {
        "start_assignment": lambda: services.start_assignment(user=ministry, edition=edition),
        "run_assignment": lambda: services.run_assignment(edition=edition),
        "reassign": lambda: services.reassign(
            user=ministry, assignment=assignment, evaluator=other.user, expected_version=assignment.version
        ),
        "add_extra_review": lambda: services.add_extra_review(user=ministry, proposal=assignment.proposal),
        "import_assignments_csv": lambda: services.import_assignments_csv(
            user=ministry, edition=edition, text="proposal_id,evaluator\n"
        ),
        "save_review": lambda: submit(review.assignment, "1"),
        "reopen_review": lambda: services.reopen_review(user=ministry, review=review, reason="x"),
        "update_declarations": lambda: services.update_declarations(
            user=ministry, member=member, conflict_agencies=[assignment.proposal.agency], conflict_regions=[]
        ),
        "run_nomination": lambda: services.run_nomination(user=ministry, edition=edition),
        "confirm_nomination": lambda: services.confirm_nomination(
            user=ministry, nomination=edition.nominations.first(), plenary_record="x"
        ),
        "publish_finalists": lambda: services.publish_finalists(user=ministry, edition=edition),
        "score_presentation": lambda: services.score_presentation(
            user=published["panelist"].user, finalist=finalist, presentation="1", interview="1"
        ),
        "verify": lambda: services.verify(user=ministry, finalist=finalist, passed=False, notes="x"),
        "decide_winners": lambda: services.decide_winners(user=ministry, edition=edition),
        "record_decree": lambda: services.record_decree(
            user=ministry, edition=edition, number="SK 10", date=dt.date(2021, 9, 2)
        ),
        "publish_results": lambda: services.publish_results(user=ministry, edition=edition),
        "update_settings": lambda: services.update_settings(
            user=ministry, edition=edition, data={"desk_weight": 10, "passing_grade": 10}
        ),
        "store_ranking": lambda: services.store_ranking(edition=edition),
    }
    refused = {}
    for name, call in calls.items():
        with pytest.raises(ValidationError) as caught:
            call()
        refused[name] = caught.value.messages[0]
    frozen = str(FrozenError().messages[0])
    already = "The results are already published. Open a revision to correct them."
    assert refused == {name: (already if name == "publish_results" else frozen) for name in calls}
    assert _fingerprint(edition) == before


def test_finding_7_model_guard_refuses_command_and_shell_writes(published):
    edition = published["edition"]
    review = Review.objects.first()
    review.total = Decimal(1)
    with pytest.raises(FrozenError):
        review.save()
    with pytest.raises(FrozenError), transaction.atomic():
        Winner.objects.filter(edition=edition).first().delete()
    assert Review.objects.get(pk=review.pk).total != Decimal(1)


def test_finding_7_admin_is_read_only_after_publication(published, admin_client):
    review = Review.objects.first()
    response = admin_client.post(
        reverse("admin:evaluation_review_change", args=[review.pk]), {"status": "draft", "total": "1"}
    )
    assert response.status_code == 403
    assert Review.objects.get(pk=review.pk).total != Decimal(1)


def test_finding_7_every_secretariat_url_posted_after_publication_changes_nothing(client, published, ministry):
    """Walk the evaluation's URLs: every POST is answered without a 500 and leaves the results as they are."""
    edition = published["edition"]
    before = _fingerprint(edition)
    client.force_login(ministry)
    review = Review.objects.first()
    assignment = Assignment.objects.first()
    finalist = Finalist.objects.first()
    posts = [
        (reverse("evaluation:overview", args=[2021]), {"passing_grade": "10", "desk_weight": "10"}),
        (reverse("evaluation:assignment_start", args=[2021]), {}),
        (reverse("evaluation:reassign", args=[2021, assignment.pk]), {"member": 1, "version": 1}),
        (reverse("evaluation:assignments_import", args=[2021]), {}),
        (reverse("evaluation:review_reopen", args=[2021, review.pk]), {"reason": "x"}),
        (reverse("evaluation:extra_review", args=[2021, assignment.proposal_id]), {}),
        (reverse("evaluation:nomination", args=[2021]), {"action": "run"}),
        (reverse("evaluation:scrutiny", args=[2021]), {"action": "publish"}),
        (reverse("evaluation:verification", args=[2021]), {"finalist": finalist.pk, f"f{finalist.pk}-passed": "0",
                                                            f"f{finalist.pk}-notes": "x"}),
        (reverse("evaluation:results", args=[2021]), {"action": "winners"}),
        (reverse("evaluation:results", args=[2021]), {"action": "publish"}),
    ]  # fmt: skip
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400), url
    client.force_login(published["panelist"].user)
    response = client.post(
        reverse("evaluation:panel_score", args=[finalist.pk]), {"presentation": "1", "interview": "1"}
    )
    assert response.status_code in (200, 302)
    client.force_login(review.evaluator)
    response = client.post(reverse("evaluation:review_autosave", args=[review.assignment_id]), {})
    assert "Hasil edisi ini sudah diumumkan dan dibekukan." in response.content.decode()
    assert _fingerprint(edition) == before


def test_finding_7_walking_every_evaluation_url_with_every_action_changes_nothing(client, published, ministry):
    """Every URL pattern of the evaluation, posted by the secretariat with each action its forms use: no 500,
    and the published results stay as they are (only opening a revision, which is recorded, is left out)."""
    from django.urls import URLPattern

    from jipp.competition.evaluation import urls

    edition = published["edition"]
    before = _fingerprint(edition)
    client.force_login(ministry)
    review = Review.objects.first()
    finalist = Finalist.objects.first()
    pks = {
        "reassign": Assignment.objects.first().pk,
        "review_reopen": review.pk,
        "explain": review.proposal_id,
        "extra_review": review.proposal_id,
        "review": review.assignment_id,
        "review_autosave": review.assignment_id,
        "review_attachment": review.assignment_id,
        "panel_score": finalist.pk,
        "objection_file": 1,
    }
    actions = ["run", "confirm", "publish", "resolve", "outcome", "winners", "decree", "invite", "add"]
    walked = 0
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {}
        for name in pattern.pattern.converters:
            kwargs[name] = {"year": 2021, "index": 0, "fmt": "pdf", "code": "AAAA-BBBB-CCCC"}.get(
                name, pks.get(pattern.name, 1)
            )
        url = reverse(f"evaluation:{pattern.name}", kwargs=kwargs)
        for action in actions:
            response = client.post(url, {"action": action, "reason": "x", "number": "SK 99", "date": "2021-09-09"})
            assert response.status_code in (200, 302, 400, 403, 404, 405), (url, action, response.status_code)
            walked += 1
    assert walked == len(urls.urlpatterns) * len(actions)
    assert _fingerprint(edition) == before


def test_finding_7_no_api_route_of_the_evaluation_writes(client, published, ministry):
    """Walk the API router's evaluation routes: every write method is refused."""
    from jipp.api.urls import router

    client.force_login(ministry)
    routes = [prefix for prefix, _viewset, _basename in router.registry if prefix.startswith("kipp/")]
    assert {"kipp/assignments", "kipp/reviews", "kipp/rankings", "kipp/results", "kipp/my-assignments"} <= set(routes)
    for prefix in routes:
        for url in (f"/api/v1/{prefix}/", f"/api/v1/{prefix}/1/"):
            for method in (client.post, client.put, client.patch, client.delete):
                assert method(url, {}).status_code in (403, 404, 405), (url, method)


def test_finding_7_objection_after_results_is_refused(published):
    edition = published["edition"]
    finalist = Finalist.objects.first()
    with pytest.raises(ValidationError, match="results are published"):
        services.file_objection(
            edition=edition, finalist=finalist, name="A", contact="a@example.id", grounds="x",
            now=dt.datetime(2021, 6, 2, tzinfo=dt.UTC),
        )  # fmt: skip


def test_finding_7_finalists_cannot_be_published_twice_so_scrutiny_is_not_reopened(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    nomination = services.run_nomination(user=ministry, edition=edition)
    services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Pleno")
    first = services.publish_finalists(user=ministry, edition=edition).scrutiny_closes_at
    with pytest.raises(ValidationError, match="not reopened"):
        services.publish_finalists(user=ministry, edition=edition)
    with pytest.raises(ValidationError, match="finalists are published"):
        services.run_nomination(user=ministry, edition=edition)
    assert services.settings_for(edition).scrutiny_closes_at == first


def test_superseded_certificate_answers_which_code_replaced_it(client, published, ministry):
    edition = published["edition"]
    old = Winner.objects.current().filter(edition=edition).order_by("rank").first()
    services.open_revision(user=ministry, edition=edition, reason="Salah ketik nilai panel")
    services.publish_results(user=ministry, edition=edition)
    old.refresh_from_db()
    new = Winner.objects.current().get(finalist=old.finalist)
    assert old.superseded_by == new.verification_code
    body = client.get(reverse("evaluation:verify"), {"code": old.verification_code}).content.decode()
    assert new.verification_code in body
    assert client.get(reverse("evaluation:certificate", args=[old.verification_code])).status_code == 404


# Finding 8: honest blindness ---------------------------------------------------------------------


def test_finding_8_nothing_the_evaluator_can_reach_names_the_proposer(client, small_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    a = Assignment.objects.select_related("proposal__agency__region", "proposal__unit", "proposal__province").first()
    proposal = a.proposal
    innovation = proposal.innovation
    innovation.innovators = "Dr. Bambang Wijaya, M.Si."
    innovation.save()
    proposal.video_url = "https://video.example.id/sidoarjo-pelayanan"
    proposal.save()
    answer = proposal.answers.first()
    answer.text = (
        f"{proposal.title}: inovasi {proposal.agency.name} ({proposal.unit.name}) di {proposal.province.name}, "
        "digagas Bambang Wijaya."
    )
    answer.save()
    requirement = RequiredAttachment.objects.filter(group=proposal.group).first()
    ProposalAttachment.objects.create(
        proposal=proposal, requirement=requirement, file=ContentFile(b"%PDF-1.4", name="x.pdf"),
        original_name=f"SK {proposal.agency.name}.pdf", content_type="application/pdf", size=8,
    )  # fmt: skip
    secrets = [
        proposal.title,
        proposal.agency.name,
        proposal.unit.name,
        proposal.province.name,
        "Bambang Wijaya",
        "video.example.id",
        f"SK {proposal.agency.name}",
        f"/registry/innovations/{innovation.pk}/",
    ]
    client.force_login(a.evaluator)
    page = client.get(reverse("evaluation:review", args=[a.pk])).content.decode()
    api = client.get(f"/api/v1/kipp/my-assignments/{a.pk}/").content.decode()
    listing = client.get(reverse("evaluation:my_reviews")).content.decode()
    attachment = client.get(reverse("evaluation:review_attachment", args=[a.pk, 0]))
    for text in (page, api, listing, attachment["Content-Disposition"]):
        for secret in secrets:
            assert secret not in text
    code = selectors.neutral_code(proposal)
    assert code in page
    assert code in api
    assert "jangan mencari pengusul, dan nilailah hanya apa yang tertulis di sini" in page


def test_blind_submission_needs_the_declaration(small_world):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    a = Assignment.objects.select_related("proposal__group").first()
    with pytest.raises(services.ReviewError) as caught:
        services.save_review(
            user=a.evaluator, assignment=a, scores={str(c.pk): "7" for c in services.rubric_of(a.proposal.group)},
            comments={}, submit=True,
        )  # fmt: skip
    assert list(caught.value.field_errors) == ["blind_declared"]
    assert Review.objects.get(assignment=a).status == "draft"


# Other findings of the same code (E) ---------------------------------------------------------------


@pytest.mark.parametrize(("typed", "parsed"), [("7,5", Decimal("7.5")), (" 8 ", Decimal(8)), ("", None)])
def test_decimal_comma_is_read(typed, parsed):
    assert parse_score(typed) == parsed


@pytest.mark.parametrize("typed", ["7,5,1", "1.000,5", "abc", "NaN", "inf"])
def test_unreadable_scores_are_refused(typed):
    from jipp.competition.evaluation.common import ScoreFormatError

    with pytest.raises(ScoreFormatError):
        parse_score(typed)


def test_score_with_decimal_comma_submits_and_every_page_renders(client, small_world, ministry):
    """ "7,5" was accepted, then the review page and the explain page failed (500)."""
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    a = Assignment.objects.select_related("proposal__group").first()
    criteria = services.rubric_of(a.proposal.group)
    data = {f"score_{c.pk}": "7,5" for c in criteria} | {"action": "submit", "blind_declared": "on"}
    client.force_login(a.evaluator)
    assert client.post(reverse("evaluation:review", args=[a.pk]), data).status_code == 302
    review = Review.objects.get(assignment=a)
    assert set(review.scores.values()) == {"7.5"}
    assert review.total == Decimal("72.222222")
    assert client.get(reverse("evaluation:review", args=[a.pk])).status_code == 200
    client.force_login(ministry)
    assert client.get(reverse("evaluation:explain", args=[2021, a.proposal_id])).status_code == 200
    other = Assignment.objects.exclude(evaluator=a.evaluator).first()
    client.force_login(other.evaluator)
    criteria = services.rubric_of(other.proposal.group)
    bad = {f"score_{c.pk}": "7,5,1" for c in criteria} | {"action": "submit", "blind_declared": "on"}
    response = client.post(reverse("evaluation:review", args=[other.pk]), bad)
    assert response.status_code == 400
    assert 'value="7,5,1"' in response.content.decode()


def test_my_assignments_api_with_a_non_number_is_404(client, small_world):
    client.force_login(small_world["members"][0].user)
    assert client.get("/api/v1/kipp/my-assignments/abc/").status_code == 404


def test_comments_required_when_the_edition_says_so(small_world):
    edition = small_world["edition"]
    small_world["rules"].require_comments = True
    small_world["rules"].save()
    services.run_assignment(edition=edition)
    a = Assignment.objects.select_related("proposal__group").first()
    criteria = services.rubric_of(a.proposal.group)
    with pytest.raises(services.ReviewError) as caught:
        submit(a, "7")
    assert sorted(caught.value.field_errors) == sorted(f"comment_{c.pk}" for c in criteria if c.weight > 0)
    review = services.save_review(
        user=a.evaluator, assignment=a, scores={str(c.pk): "7" for c in criteria},
        comments={str(c.pk): "Cukup baik." for c in criteria}, submit=True, blind_declared=True,
    )  # fmt: skip
    assert review.status == "submitted"


def test_rubric_form_shows_each_levels_descriptor_beside_the_score(client, small_world):
    services.run_assignment(edition=small_world["edition"])
    a = Assignment.objects.select_related("proposal__group").first()
    client.force_login(a.evaluator)
    body = client.get(reverse("evaluation:review", args=[a.pk])).content.decode()
    assert '<td class="text-nowrap">1–3</td><td>tidak jelas</td>' in body
    assert '<td class="text-nowrap">9–10</td><td>jelas, ringkas dan meyakinkan</td>' in body


def test_certificate_names_the_tier_as_the_decree_does_with_the_rank(published, client):
    edition = published["edition"]
    winner = Winner.objects.current().filter(edition=edition, rank=1).first()
    rules = services.settings_for(edition)
    assert services.award_title(winner, services.tier_size(rules, winner.tier)) == (
        "Top 2 Inovasi Pelayanan Publik KIPP 2021"  # top_umum is 2 in this small edition
    )
    rules.top_umum = 45
    assert services.award_title(winner, services.tier_size(rules, winner.tier)) == (
        "Top 45 Inovasi Pelayanan Publik KIPP 2021"
    )
    from jipp.competition.evaluation import pdf

    svg = pdf.qr_data_uri("https://hub.example.id/kipp/evaluation/verify/?code=AAAA")
    assert svg.startswith("data:image/svg+xml")


def test_certificate_html_has_rank_signature_and_qr(published):
    from django.template.loader import render_to_string

    edition = published["edition"]
    rules = services.settings_for(edition)
    rules.signatory_name = "Dr. Nama Pejabat"
    rules.signatory_title = "Deputi Bidang Pelayanan Publik"
    winner = Winner.objects.current().filter(edition=edition, rank=1).first()
    html = render_to_string(
        "evaluation/certificate_pdf.html",
        {"winner": winner, "proposal": winner.finalist.proposal, "rules": rules, "title": "Top 45 Inovasi",
         "size": 45, "verify_url": "https://x/verify", "qr": "data:image/svg+xml;x", "tier_en": "Top Innovation"},
    )  # fmt: skip
    assert "Peringkat 1 dari 45" in html
    assert "Dr. Nama Pejabat" in html
    assert "Deputi Bidang Pelayanan Publik" in html
    assert 'src="data:image/svg+xml;x"' in html


@pytest.mark.parametrize("transform", [str.lower, lambda c: c.replace("-", ""), lambda c: c.lower().replace("-", " ")])
def test_verification_accepts_any_case_with_or_without_dashes(client, published, transform):
    winner = Winner.objects.current().first()
    response = client.get(reverse("evaluation:verify"), {"code": transform(winner.verification_code)})
    assert response.status_code == 200
    assert winner.finalist.proposal.title in response.content.decode()


# Contract and policy ------------------------------------------------------------------------------


def test_public_ranking_api_after_results_lists_finalists_only_like_the_pages(client, published):
    edition = published["edition"]
    data = client.get("/api/v1/kipp/rankings/2021/").json()
    finalists = set(Finalist.objects.filter(edition=edition).values_list("proposal_id", flat=True))
    assert {r["id"] for r in data["results"]} == finalists
    assert all(r["rankable"] for r in data["results"])


def test_stored_numbers_agree_everywhere(client, published, ministry):
    """One place per number: ranking, finalist, winner, API and explain page show the same stored values."""
    edition = published["edition"]
    winner = Winner.objects.current().filter(edition=edition, rank=1).select_related("finalist").first()
    finalist = winner.finalist
    row = row_of(edition, finalist.proposal)
    assert finalist.desk_score == row["deciding"]
    assert finalist.desk_points == row["points"]
    assert winner.final_score == finalist.final_score
    client.force_login(ministry)
    api = {r["id"]: r for r in client.get("/api/v1/kipp/rankings/2021/").json()["results"]}
    assert Decimal(api[finalist.proposal_id]["deciding"]) == finalist.desk_score
    results = client.get("/api/v1/kipp/results/").json()["results"]
    assert Decimal(str(next(r for r in results if r["id"] == winner.pk)["final_score"])) == winner.final_score


@pytest.mark.parametrize(("language", "phrase"), [("id", "Cara setiap angka"), ("en", "How every number")])
def test_method_page_documents_the_edition_in_both_languages(client, published, language, phrase):
    response = client.get(reverse("evaluation:method", args=[2021]), HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 200
    assert phrase in body
    assert "E01" in body  # evaluators' means and spreads, anonymised
    assert {"id": "100 × Φ(rata-rata z)", "en": "100 × Φ(mean z)"}[language] in body


# Finding 10 on the database path ------------------------------------------------------------------


def test_finding_10_every_shown_breakdown_adds_up_to_its_shown_total(client, small_world, ministry):
    """Criterion rows shown to two decimals did not add up to the shown total in about half the demo reviews."""
    from jipp.competition.domain.numbers import shown

    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    levels = ["7", "6,5", "9", "3", "8", "10", "5"]
    for n, a in enumerate(Assignment.objects.select_related("proposal__group", "evaluator")):
        criteria = services.rubric_of(a.proposal.group)
        scores = {str(c.pk): levels[(n + i) % len(levels)] for i, c in enumerate(criteria)}
        services.save_review(
            user=a.evaluator, assignment=a, scores=scores, comments={}, submit=True, blind_declared=True
        )
    reviews = list(Review.objects.select_related("proposal__group"))
    assert len(reviews) == 24
    for review in reviews:
        rows = selectors.review_breakdown(review)
        assert sum(r["points"] for r in rows) == shown(review.total)
    client.force_login(ministry)
    proposal = reviews[0].proposal
    body = client.get(reverse("evaluation:explain", args=[2021, proposal.pk])).content.decode()
    for review in Review.objects.filter(proposal=proposal):
        assert f"<td>{shown(review.total)}</td>".replace(".", ",") in body
