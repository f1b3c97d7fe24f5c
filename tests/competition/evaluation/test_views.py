"""Pages: the evaluator's review (403s, blind mode, errors keep the text), the ranking, the public pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jipp.competition.evaluation import services
from jipp.competition.evaluation.models import Assignment, Finalist, Objection, Review, Winner
from tests.competition.evaluation.test_spine import score_all, score_panel


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def assigned(small_world):
    services.run_assignment(edition=small_world["edition"])
    a = Assignment.objects.select_related("proposal__agency", "proposal__unit", "proposal__group").first()
    return a


def test_review_page_blind_hides_agency_region_and_names(client, assigned):
    proposal = assigned.proposal
    answer = proposal.answers.first()
    answer.text = f"Inovasi dari {proposal.agency.name} oleh {proposal.unit.name} sangat bermanfaat."
    answer.save()
    response = login(client, assigned.evaluator).get(reverse("evaluation:review", args=[assigned.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "sangat bermanfaat" in body
    assert proposal.agency.name not in body
    assert proposal.unit.name not in body
    assert proposal.province.name not in body


def test_review_page_not_blind_shows_agency(client, assigned, small_world):
    small_world["rules"].blind_desk = False
    small_world["rules"].save()
    body = login(client, assigned.evaluator).get(reverse("evaluation:review", args=[assigned.pk])).content.decode()
    assert assigned.proposal.agency.name in body


def test_review_page_of_someone_else_is_403(client, assigned, small_world):
    other = next(m.user for m in small_world["members"] if m.user_id != assigned.evaluator_id)
    response = login(client, other).get(reverse("evaluation:review", args=[assigned.pk]))
    assert response.status_code == 403


def test_review_page_with_conflict_is_403(client, assigned):
    evaluator = assigned.evaluator
    evaluator.agency = assigned.proposal.agency
    evaluator.save()
    response = login(client, evaluator).get(reverse("evaluation:review", args=[assigned.pk]))
    assert response.status_code == 403


def test_review_page_conflict_follows_the_editions_rules_and_declarations_on_each_request(client, assigned):
    """The rule's conflict check reads the settings and the declarations afresh on every request (the
    settings loaded with the assignment are this request's): a rule switched off, or a declaration
    added, changes the answer of the very next request."""
    from jipp.competition.evaluation.models import Member

    url = reverse("evaluation:review", args=[assigned.pk])
    evaluator = assigned.evaluator
    evaluator.agency = assigned.proposal.agency
    evaluator.save()
    login(client, evaluator)
    assert client.get(url).status_code == 403
    rules = services.settings_for(assigned.edition)
    rules.conflict_own_agency = False
    rules.save()
    assert client.get(url).status_code == 200
    Member.objects.get(edition=assigned.edition, user=evaluator).conflict_agencies.add(assigned.proposal.agency)
    assert client.get(url).status_code == 403
    rules.conflict_declared = False
    rules.save()
    assert client.get(url).status_code == 200


def test_review_out_of_scale_rerenders_with_typed_text_and_field_named(client, assigned):
    criteria = services.rubric_of(assigned.proposal.group)
    data = {f"score_{c.pk}": "7" for c in criteria}
    data[f"score_{criteria[2].pk}"] = "42"
    data[f"comment_{criteria[0].pk}"] = "Komentar panjang yang tidak boleh hilang"
    data["action"] = "submit"
    response = login(client, assigned.evaluator).post(reverse("evaluation:review", args=[assigned.pk]), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Komentar panjang yang tidak boleh hilang" in body
    assert 'value="42"' in body
    # The criterion is named in its error (the message is in Indonesian on the page).
    assert f"{criteria[2]}: nilai harus berupa angka dari 1 sampai 10." in body
    review = Review.objects.get(assignment=assigned)
    assert review.status == "draft"
    assert review.comments[str(criteria[0].pk)] == "Komentar panjang yang tidak boleh hilang"


def test_review_submit_locks_and_shows_breakdown(client, assigned):
    criteria = services.rubric_of(assigned.proposal.group)
    data = {f"score_{c.pk}": "10" for c in criteria} | {"action": "submit", "blind_declared": "on"}
    c = login(client, assigned.evaluator)
    response = c.post(reverse("evaluation:review", args=[assigned.pk]), data, follow=True)
    body = response.content.decode()
    review = Review.objects.get(assignment=assigned)
    assert (review.status, review.total, review.blind_declared) == ("submitted", Decimal(100), True)
    assert "<td>100,00</td>" in body  # the total row of the breakdown, as shown in Indonesian
    assert "disabled" in body


def test_ranking_page_shows_every_method_without_n_plus_one(
    client, small_world, ministry, django_assert_max_num_queries
):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    login(client, ministry)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("evaluation:ranking", args=[edition.year]))
    body = response.content.decode()
    assert response.status_code == 200
    for label in ("Rata-rata", "Median"):
        assert label in body
    assert body.count('href="/kipp/evaluation/2021/ranking/') == 8 + 1  # 8 proposals and the nav link


def test_ranking_page_forbidden_to_evaluator(client, small_world):
    response = login(client, small_world["members"][0].user).get(reverse("evaluation:ranking", args=[2021]))
    assert response.status_code == 403


def test_explain_page_shows_formulae(client, small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    proposal = small_world["proposals"][0]
    body = login(client, ministry).get(reverse("evaluation:explain", args=[2021, proposal.pk])).content.decode()
    assert " / 3 = " in body
    assert "sqrt(" in body


@pytest.fixture
def published_finalists(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    nomination = services.run_nomination(user=ministry, edition=edition)
    services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Pleno")
    services.publish_finalists(user=ministry, edition=edition)
    return Finalist.objects.filter(edition=edition).select_related("proposal")


def _objection(finalist, **extra):
    return {"finalist": finalist.pk, "name": "Budi", "contact": "budi@example.id", "grounds": "Tidak berjalan.",
            "website": "", **extra}  # fmt: skip


def _answer(client, year):
    body = client.get(reverse("evaluation:public_finalists", args=[year])).content.decode()
    import re

    a, b = re.search(r"(\d+) \+ (\d+)", body).groups()
    return int(a) + int(b)


def test_public_objection_accepted_with_right_sum(client, published_finalists):
    f = published_finalists[0]
    answer = _answer(client, 2021)
    response = client.post(reverse("evaluation:public_finalists", args=[2021]), _objection(f, answer=answer))
    assert response.status_code == 302
    assert Objection.objects.filter(finalist=f, name="Budi").exists()


def test_public_objection_honeypot_and_wrong_sum_refused_keeping_text(client, published_finalists):
    f = published_finalists[0]
    answer = _answer(client, 2021)
    url = reverse("evaluation:public_finalists", args=[2021])
    response = client.post(url, _objection(f, answer=answer, website="http://spam"))
    assert response.status_code == 400
    response = client.post(url, _objection(f, answer=answer + 1))
    assert response.status_code == 400
    assert "Tidak berjalan." in response.content.decode()
    assert not Objection.objects.exists()


def test_public_objection_rate_limited(client, published_finalists):
    f = published_finalists[0]
    url = reverse("evaluation:public_finalists", args=[2021])
    for _ in range(services.OBJECTIONS_PER_HOUR):
        assert client.post(url, _objection(f, answer=_answer(client, 2021))).status_code == 302
    response = client.post(url, _objection(f, answer=_answer(client, 2021)))
    assert response.status_code == 400
    assert Objection.objects.count() == services.OBJECTIONS_PER_HOUR


def test_public_objection_closed_after_scrutiny(client, published_finalists, small_world):
    rules = services.settings_for(small_world["edition"])
    rules.scrutiny_closes_at = timezone.now() - dt.timedelta(minutes=1)
    rules.save()
    f = published_finalists[0]
    response = client.post(reverse("evaluation:public_finalists", args=[2021]), _objection(f, answer=0))
    assert response.status_code == 400
    assert not Objection.objects.exists()


@pytest.fixture
def published_results(published_finalists, small_world, ministry):
    score_panel(small_world["edition"], ministry)
    for f in published_finalists:
        services.verify(user=ministry, finalist=f, passed=True, notes="ok")
    services.decide_winners(user=ministry, edition=small_world["edition"])
    services.record_decree(user=ministry, edition=small_world["edition"], number="SK 7/2021", date=dt.date(2021, 9, 1))
    services.publish_results(user=ministry, edition=small_world["edition"])
    return Winner.objects.select_related("finalist__proposal").order_by("tier", "rank")


def test_verification_page_confirms_a_real_code_and_refuses_a_fake(client, published_results):
    winner = published_results[0]
    response = client.get(reverse("evaluation:verify"), {"code": winner.verification_code.lower()})
    body = response.content.decode()
    assert response.status_code == 200
    assert winner.finalist.proposal.title in body
    assert "SK 7/2021" in body
    response = client.get(reverse("evaluation:verify"), {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 404


def test_certificate_pdf_has_decree_and_code(client, published_results):
    winner = published_results[0]
    response = client.get(reverse("evaluation:certificate", args=[winner.verification_code]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_public_results_page_lists_winners(client, published_results):
    body = client.get(reverse("evaluation:public_results", args=[2021])).content.decode()
    for w in published_results:
        assert w.finalist.proposal.title in body


def test_results_hidden_before_publication(client, small_world):
    assert client.get(reverse("evaluation:public_results", args=[2021])).status_code == 404


def test_report_pdf_and_xlsx(client, published_results, ministry):
    login(client, ministry)
    pdf = client.get(reverse("evaluation:report", args=[2021, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("evaluation:report", args=[2021, "xlsx"]))
    assert xlsx.content[:2] == b"PK"


def test_secretariat_pages_render(client, published_results, ministry):
    login(client, ministry)
    for name in ("overview", "team", "assignments", "nomination", "scrutiny", "presentations", "verification",
                 "results"):  # fmt: skip
        response = client.get(reverse(f"evaluation:{name}", args=[2021]))
        assert response.status_code == 200, name


def test_assignment_csv_roundtrip(client, small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    login(client, ministry)
    text = client.get(reverse("evaluation:assignments_csv", args=[2021])).content.decode()
    assert text.splitlines()[0].startswith("proposal_id")
    assert len(text.splitlines()) == 8 * 3 + 1
    changed = services.import_assignments_csv(user=ministry, edition=edition, text=text)
    assert changed == 0


def test_public_index_links_published_editions(client, published_results):
    body = client.get(reverse("evaluation:public_index")).content.decode()
    assert reverse("evaluation:public_results", args=[2021]) in body
    assert reverse("evaluation:public_finalists", args=[2021]) in body


def test_blind_attachment_has_neutral_file_name(client, assigned):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jipp.competition.models import ProposalAttachment

    proposal = assigned.proposal
    requirement = proposal.group.required_attachments.filter(kind="file").first()
    ProposalAttachment.objects.create(
        proposal=proposal,
        requirement=requirement,
        file=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n"),
        original_name=f"SK {proposal.agency.name}.pdf",
        content_type="application/pdf",
        size=15,
    )
    login(client, assigned.evaluator)
    page = client.get(reverse("evaluation:review", args=[assigned.pk])).content.decode()
    assert proposal.agency.name not in page
    response = client.get(reverse("evaluation:review_attachment", args=[assigned.pk, 0]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert proposal.agency.name not in disposition
    assert f"{requirement.key}-1.pdf" in disposition


@pytest.mark.parametrize(
    "name", ["overview", "team", "assignments", "scrutiny", "presentations", "verification", "results", "ranking"]
)
def test_secretariat_pages_forbidden_to_evaluators_and_anonymous(client, small_world, name):
    url = reverse(f"evaluation:{name}", args=[2021])
    assert client.get(url).status_code == 302  # to the login page
    login(client, small_world["members"][0].user)
    assert client.get(url).status_code == 403


def test_evaluator_sees_only_own_assignments_in_my_reviews(client, assigned, small_world):
    body = login(client, assigned.evaluator).get(reverse("evaluation:my_reviews")).content.decode()
    mine = Assignment.objects.filter(evaluator=assigned.evaluator).count()
    import re

    assert len(re.findall(r'href="/kipp/evaluation/reviews/\d+/"', body)) == mine
    assert mine < Assignment.objects.count()


def test_panelist_declares_conflicts_and_available_days(client, small_world):
    from tests.factories.evaluation import PanelistMemberFactory

    member = PanelistMemberFactory(edition=small_world["edition"])
    agency = small_world["proposals"][0].agency
    login(client, member.user)
    url = reverse("evaluation:declarations", args=[2021])
    response = client.post(url, {"conflict_agencies": [agency.pk], "available_days": "2021-06-14, 2021-06-15"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.available_days == ["2021-06-14", "2021-06-15"]
    assert list(member.conflict_agencies.all()) == [agency]
    response = client.post(url, {"available_days": "14 Juni"})
    assert response.status_code == 200
    assert "14 Juni" in response.content.decode()


def test_public_objection_with_file_and_forged_file_refused(client, published_finalists):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jipp.core.files import PDF

    f = published_finalists[0]
    url = reverse("evaluation:public_finalists", args=[2021])
    forged = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(url, _objection(f, answer=_answer(client, 2021), file=forged))
    assert response.status_code == 400
    assert "Tidak berjalan." in response.content.decode()
    assert not Objection.objects.exists()
    pdf = SimpleUploadedFile(
        "bukti.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
    response = client.post(url, _objection(f, answer=_answer(client, 2021), file=pdf))
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.file.name.endswith(f".{PDF.extension}")
    assert "bukti" not in objection.file.name


def test_second_concurrent_reassignment_gets_conflict_message(client, assigned, small_world, ministry):
    from jipp.competition.evaluation.models import Member

    free = [
        m
        for m in Member.objects.filter(edition=small_world["edition"], kind="evaluator")
        if not Assignment.objects.filter(proposal=assigned.proposal, evaluator=m.user).exists()
    ]
    url = reverse("evaluation:reassign", args=[2021, assigned.pk])
    login(client, ministry)
    first = client.post(url, {"member": free[0].pk, "version": assigned.version}, follow=True)
    assert "Dipindahkan" in first.content.decode()
    second = client.post(url, {"member": free[1].pk, "version": assigned.version}, follow=True)
    assert "Orang lain telah mengubah penugasan ini" in second.content.decode()
    assert Assignment.objects.get(pk=assigned.pk).evaluator == free[0].user


def test_blind_review_hides_innovators_names(client, assigned):
    innovation = assigned.proposal.innovation
    innovation.innovators = "Dr. Bambang Wijaya, M.Si.\nRatna Kusumawati"
    innovation.contact_name = "Hendra Gunawan"
    innovation.save()
    answer = assigned.proposal.answers.first()
    answer.text = "Digagas Bambang Wijaya bersama Ratna Kusumawati; hubungi Hendra Gunawan untuk data."
    answer.save()
    body = login(client, assigned.evaluator).get(reverse("evaluation:review", args=[assigned.pk])).content.decode()
    assert "hubungi" in body
    for name in ("Bambang Wijaya", "Ratna Kusumawati", "Hendra Gunawan"):
        assert name not in body
    client.force_login(assigned.evaluator)
    api = client.get(f"/api/v1/kipp/my-assignments/{assigned.pk}/").content.decode()
    for name in ("Bambang Wijaya", "Ratna Kusumawati", "Hendra Gunawan"):
        assert name not in api


def test_infeasible_nomination_page_explains_the_rule(client, small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    rules = services.settings_for(edition)
    rules.min_3t = 6
    rules.save()
    login(client, ministry)
    response = client.post(reverse("evaluation:nomination", args=[2021]), {"action": "run"}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nominasi tidak dapat dilakukan" in body
    assert "at least 6 from 3T" in body


def test_review_autosave_keeps_draft_and_reports_bad_score(client, assigned):
    criteria = services.rubric_of(assigned.proposal.group)
    url = reverse("evaluation:review_autosave", args=[assigned.pk])
    login(client, assigned.evaluator)
    response = client.post(url, {f"score_{criteria[0].pk}": "8", f"comment_{criteria[0].pk}": "Bagus"})
    assert "text-success" in response.content.decode()
    review = Review.objects.get(assignment=assigned)
    assert review.scores == {str(criteria[0].pk): "8"} and review.status == "draft"
    response = client.post(url, {f"score_{criteria[0].pk}": "8", f"score_{criteria[1].pk}": "99"})
    assert "text-warning" in response.content.decode()
    assert str(criteria[1]) in response.content.decode()


def test_review_autosave_of_someone_else_is_403(client, assigned, small_world):
    other = next(m.user for m in small_world["members"] if m.user_id != assigned.evaluator_id)
    response = login(client, other).post(reverse("evaluation:review_autosave", args=[assigned.pk]), {})
    assert response.status_code == 403


def test_exports_do_not_carry_formulas(client, published_results, ministry):
    import io

    from openpyxl import load_workbook

    proposal = published_results[0].finalist.proposal
    proposal.title = '=HYPERLINK("http://x")'
    proposal.save()
    login(client, ministry)
    book = load_workbook(io.BytesIO(client.get(reverse("evaluation:report", args=[2021, "xlsx"])).content))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    text = client.get(reverse("evaluation:assignments_csv", args=[2021])).content.decode()
    assert "'=HYPERLINK" in text


def test_review_page_queries_do_not_grow_with_the_rubric_or_the_declared_conflicts(client, assigned):
    """The same number of queries with 2 or 6 criteria and 1 or 20 declared conflicts (agencies and
    regions, none of them the proposal's): each is read once, not per criterion or per declaration."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jipp.competition.evaluation.models import Member
    from jipp.competition.models import RubricCriterion
    from jipp.regions.models import Region
    from tests.factories import AgencyFactory

    proposal = assigned.proposal
    member = Member.objects.get(edition=assigned.edition, user=assigned.evaluator)
    own_regions = {proposal.province_id, proposal.agency.region_id}
    regions = list(Region.objects.exclude(pk__in=own_regions).order_by("pk")[:20])
    agencies = [AgencyFactory() for _ in range(20)]
    url = reverse("evaluation:review", args=[assigned.pk])
    login(client, assigned.evaluator).get(url)  # the session's first read

    def shape(criteria: int, declared: int) -> tuple[int, str]:
        RubricCriterion.objects.filter(group=proposal.group).delete()
        for n in range(criteria):
            RubricCriterion.objects.create(group=proposal.group, name=f"Kriteria {n}", weight=10, order=n)
        member.conflict_agencies.set(agencies[:declared])
        member.conflict_regions.set(regions[:declared])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    small, small_body = shape(2, 1)
    large, large_body = shape(6, 20)
    assert "Kriteria 1" in small_body
    assert "Kriteria 2" not in small_body
    assert "Kriteria 5" in large_body
    assert large == small, (small, large)
