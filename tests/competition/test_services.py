import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from jipp.competition import services
from jipp.competition.models import (
    Edition,
    Group,
    Proposal,
    ProposalEvent,
    Quota,
    ScreeningFlag,
    Stage,
)
from jipp.notifications.models import Notification
from jipp.registry.models import Award, Innovation
from tests.competition.conftest import DEADLINE
from tests.factories import AdminLokalFactory, MinistryUserFactory, UppFactory
from tests.factories.competition import (
    PDF,
    ProposalFactory,
    answer_text,
    complete_proposal,
    forwarded_proposal,
    juklak_edition,
)
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


def _people(proposal):
    return UppFactory(unit=proposal.unit), AdminLokalFactory(agency=proposal.agency)


# --- editions ---------------------------------------------------------------------------


def test_edition_2021_seeded_from_the_guide():
    edition = Edition.objects.get(year=2021)
    umum = edition.groups.get(kind="umum")
    assert [(s.key, s.max_words) for s in umum.sections.all()] == [
        ("ringkasan", 200), ("ide_inovatif", 600), ("signifikansi", 600), ("kontribusi_tpb", 200),
        ("adaptabilitas", 400), ("keberlanjutan", 600), ("kolaborasi", 200),
    ]  # fmt: skip
    assert [s.key for s in umum.sections.filter(weight_is_public=True)] == ["ringkasan"]
    assert umum.sections.get(key="ringkasan").weight == 5
    assert sum(s.weight for s in umum.sections.all()) == 100
    assert (umum.default_quota, umum.min_age_years) == (10, 2)
    replikasi = edition.groups.get(kind="replikasi")
    assert (replikasi.default_quota, replikasi.min_age_years) == (5, 1)
    assert "pernyataan_replikasi" in replikasi.required_attachments.values_list("key", flat=True)
    khusus = edition.groups.get(kind="khusus")
    assert khusus.invitation_only and khusus.min_age_years == 2
    assert [s.max_words for s in khusus.sections.all()] == [200, 200, 200, 300, 300]
    assert umum.rubric.count() == 7
    assert edition.stages.count() == 8
    assert edition.categories.count() == 10


def test_copy_edition_copies_configuration_and_moves_dates():
    source = Edition.objects.get(year=2021)
    copy = services.copy_edition(user=MinistryUserFactory(), source=source, year=2022)
    assert copy.copied_from == source and not copy.is_published
    assert copy.groups.count() == 3
    assert copy.groups.get(kind="umum").sections.count() == 7
    assert copy.groups.get(kind="umum").rubric.filter(section__group__edition=copy).count() == 7
    old = source.stages.get(kind="submission").ends_at
    assert copy.stages.get(kind="submission").ends_at == old.replace(year=2022)
    # The source is untouched.
    assert source.groups.get(kind="umum").sections.count() == 7


def test_copy_edition_existing_year_refused():
    with pytest.raises(ValidationError):
        services.copy_edition(user=MinistryUserFactory(), source=Edition.objects.get(year=2021), year=2021)


def test_copy_edition_by_upp_refused():
    with pytest.raises(PermissionDenied):
        services.copy_edition(user=UppFactory(), source=Edition.objects.get(year=2021), year=2030)


# --- writing ------------------------------------------------------------------------------


def test_start_proposal_from_own_innovation_creates_empty_answers():
    edition = juklak_edition(2026)
    innovation = InnovationFactory()
    upp = UppFactory(unit=innovation.unit)
    proposal = services.start_proposal(
        user=upp, edition=edition, group=edition.groups.get(kind="umum"), innovation=innovation
    )
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.answers.count() == 7
    assert proposal.agency == innovation.agency
    assert list(proposal.events.values_list("status", flat=True)) == ["draft"]


def test_start_proposal_other_units_innovation_refused():
    edition = juklak_edition(2026)
    with pytest.raises(PermissionDenied):
        services.start_proposal(
            user=UppFactory(), edition=edition, group=edition.groups.get(kind="umum"), innovation=InnovationFactory()
        )


def test_start_proposal_khusus_without_invitation_refused():
    edition = juklak_edition(2026)
    innovation = InnovationFactory()
    khusus = edition.groups.get(kind="khusus")
    with pytest.raises(ValidationError, match="invitation"):
        services.start_proposal(user=UppFactory(unit=innovation.unit), edition=edition, group=khusus,
                                innovation=innovation)  # fmt: skip
    khusus.invited_agencies.add(innovation.agency)
    assert services.start_proposal(user=UppFactory(unit=innovation.unit), edition=edition, group=khusus,
                                   innovation=innovation).group == khusus  # fmt: skip


def test_save_draft_stale_version_refused_and_nothing_saved():
    proposal = ProposalFactory()
    upp, _admin = _people(proposal)
    other = UppFactory(unit=proposal.unit)
    services.save_draft(user=other, proposal=proposal, expected_version=1, answers={"ringkasan": "Versi teman."})
    with pytest.raises(services.StaleProposalError) as caught:
        services.save_draft(user=upp, proposal=proposal, expected_version=1, answers={"ringkasan": "Versi saya."})
    assert caught.value.current.version == 2
    assert "version 2" in caught.value.messages[0]
    assert proposal.answers.get(section__key="ringkasan").text == "Versi teman."


def test_save_draft_over_word_limit_kept_but_forward_refused_naming_section():
    proposal = complete_proposal(ProposalFactory())
    upp, admin = _people(proposal)
    long_text = "kata " * 250
    services.save_draft(user=upp, proposal=proposal, expected_version=1, answers={"ringkasan": long_text})
    assert proposal.answers.get(section__key="ringkasan").word_count == 250
    with pytest.raises(ValidationError, match="Summary \\(250/200\\)"):
        services.submit_to_admin_lokal(user=upp, proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).status == "draft"


def test_submit_incomplete_refused():
    proposal = ProposalFactory()
    upp, _admin = _people(proposal)
    with pytest.raises(ValidationError, match="not complete"):
        services.submit_to_admin_lokal(user=upp, proposal=proposal)


def test_add_attachment_forged_pdf_refused():
    proposal = ProposalFactory()
    upp, _admin = _people(proposal)
    requirement = proposal.group.required_attachments.get(key="maklumat")
    forged = SimpleUploadedFile("maklumat.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError):
        services.add_attachment(user=upp, proposal=proposal, requirement=requirement, uploaded=forged)
    good = SimpleUploadedFile("maklumat.pdf", PDF)
    attachment = services.add_attachment(user=upp, proposal=proposal, requirement=requirement, uploaded=good)
    assert attachment.content_type == "application/pdf" and proposal.attachments.count() == 1


# --- forwarding: the path, quota, deadline, snapshot -------------------------------------------


def test_full_path_notifies_unit_and_agency_by_app_and_email(django_capture_on_commit_callbacks):
    proposal = complete_proposal(ProposalFactory())
    upp, admin = _people(proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_to_admin_lokal(user=upp, proposal=proposal)
    assert Notification.objects.filter(recipient=admin).count() == 1
    services.forward_proposal(user=admin, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "forwarded"
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(user=MinistryUserFactory(), proposal=proposal, outcome="fail", reason="Umur inovasi kurang.")
    proposal.refresh_from_db()
    assert proposal.status == "failed_administration"
    assert proposal.decision_reason == "Umur inovasi kurang."
    assert list(ProposalEvent.objects.filter(proposal=proposal).values_list("status", flat=True)) == [
        "with_admin_lokal", "forwarded", "failed_administration"]  # fmt: skip
    assert Notification.objects.filter(recipient=upp).first().text.endswith("Umur inovasi kurang.")
    assert any("Umur inovasi kurang." in m.body for m in mail.outbox)


def test_return_to_unit_needs_note_and_reopens_editing():
    proposal = complete_proposal(ProposalFactory())
    upp, admin = _people(proposal)
    services.submit_to_admin_lokal(user=upp, proposal=proposal)
    with pytest.raises(ValidationError):
        services.return_to_unit(user=admin, proposal=proposal, note=" ")
    services.return_to_unit(user=admin, proposal=proposal, note="Lengkapi data dukung.")
    proposal.refresh_from_db()
    assert proposal.status == "returned" and upp.has_perm("competition.change_proposal", proposal)


def test_forward_quota_full_refused_with_reason():
    edition = juklak_edition(2026)
    first = forwarded_proposal(edition=edition)
    Quota.objects.create(group=first.group, agency=first.agency, max_proposals=1)
    second = complete_proposal(ProposalFactory(edition=edition, innovation=InnovationFactory(unit=first.unit)))
    upp, admin = _people(second)
    services.submit_to_admin_lokal(user=upp, proposal=second)
    with pytest.raises(ValidationError, match="1 of 1"):
        services.forward_proposal(user=admin, proposal=second)
    assert Proposal.objects.get(pk=second.pk).status == "with_admin_lokal"


def test_forward_quota_default_ten_umum_the_eleventh_refused():
    edition = juklak_edition(2026)
    first = forwarded_proposal(edition=edition)
    for _ in range(9):
        forwarded_proposal(edition=edition, innovation=InnovationFactory(unit=first.unit))
    eleventh = complete_proposal(ProposalFactory(edition=edition, innovation=InnovationFactory(unit=first.unit)))
    upp, admin = _people(eleventh)
    services.submit_to_admin_lokal(user=upp, proposal=eleventh)
    with pytest.raises(ValidationError, match="10 of 10"):
        services.forward_proposal(user=admin, proposal=eleventh)


def _ready(edition, unit):
    proposal = complete_proposal(ProposalFactory(edition=edition, innovation=InnovationFactory(unit=unit)))
    upp, admin = _people(proposal)
    services.submit_to_admin_lokal(user=upp, proposal=proposal, now=DEADLINE - dt.timedelta(days=1))
    return proposal, admin


@pytest.mark.parametrize("unit_fixture", ["java_unit", "papua_unit"])
def test_forward_last_minute_before_deadline_accepted_at_deadline_refused(request, unit_fixture):
    """Instant mode: 23:58 WIB in Java and 01:58 WIT in Papua are both the last minute."""
    unit = request.getfixturevalue(unit_fixture)
    edition = juklak_edition(2026, deadline=DEADLINE)
    on_time, admin = _ready(edition, unit)
    services.forward_proposal(user=admin, proposal=on_time, now=DEADLINE - dt.timedelta(minutes=1))
    late, admin = _ready(edition, unit)
    with pytest.raises(ValidationError, match="deadline") as caught:
        services.forward_proposal(user=admin, proposal=late, now=DEADLINE)
    zone = "WIT" if unit_fixture == "papua_unit" else "WIB"
    expected = "16 Mar 2026, 01:59 WIT" if zone == "WIT" else "15 Mar 2026, 23:59 WIB"
    assert expected in caught.value.messages[0]


def test_forward_local_mode_papua_deadline_at_2359_wit():
    edition = juklak_edition(2026, deadline=DEADLINE)
    edition.deadline_mode = Edition.DeadlineMode.LOCAL
    edition.save()
    from tests.competition.conftest import agency_in
    from tests.factories import ServiceUnitFactory

    unit = ServiceUnitFactory(agency=agency_in("91"))
    wit_deadline = dt.datetime(2026, 3, 15, 14, 59, tzinfo=dt.UTC)  # 23:59 WIT
    on_time, admin = _ready(edition, unit)
    services.forward_proposal(user=admin, proposal=on_time, now=wit_deadline - dt.timedelta(minutes=1))
    late, admin = _ready(edition, unit)
    with pytest.raises(ValidationError, match="15 Mar 2026, 23:59 WIT"):
        services.forward_proposal(user=admin, proposal=late, now=wit_deadline)


def test_submit_to_admin_lokal_after_deadline_refused():
    proposal = complete_proposal(ProposalFactory(edition=juklak_edition(2026, deadline=DEADLINE)))
    upp, _admin = _people(proposal)
    with pytest.raises(ValidationError, match="deadline"):
        services.submit_to_admin_lokal(user=upp, proposal=proposal, now=DEADLINE + dt.timedelta(seconds=1))


def test_forward_freezes_snapshot_unchanged_by_later_registry_edits():
    proposal = forwarded_proposal()
    snapshot = proposal.snapshot.data
    assert snapshot["title"] == proposal.title
    assert [s["key"] for s in snapshot["sections"]][0] == "ringkasan"
    assert snapshot["sections"][0]["text"] == proposal.answers.get(section__key="ringkasan").text
    assert len(snapshot["attachments"]) == 6 and snapshot["video_url"]
    Innovation.objects.filter(pk=proposal.innovation_id).update(title="Judul Baru", summary="Berubah")
    proposal.group.sections.filter(key="ringkasan").update(title="Ringkasan (diubah)")
    proposal.refresh_from_db()
    assert proposal.snapshot.data == snapshot
    upp = UppFactory(unit=proposal.unit)
    with pytest.raises(PermissionDenied):
        services.save_draft(user=upp, proposal=proposal, expected_version=proposal.version, answers={})


def test_forward_by_other_agency_refused():
    proposal = complete_proposal(ProposalFactory())
    upp, _admin = _people(proposal)
    services.submit_to_admin_lokal(user=upp, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.forward_proposal(user=AdminLokalFactory(), proposal=proposal)


# --- screening --------------------------------------------------------------------------------


def _flags(proposal):
    return set(ScreeningFlag.objects.filter(proposal=proposal).values_list("kind", flat=True))


def _screen(edition):
    return services.screen_edition(edition=edition, workers=1)


def test_screening_clean_proposal_has_no_flags():
    proposal = forwarded_proposal()
    run = _screen(proposal.edition)
    assert run.status == "done" and run.proposals == 1
    assert _flags(proposal) == set()
    proposal.refresh_from_db()
    assert proposal.flag_count == 0 and proposal.screened_at is not None


def test_screening_too_young_at_boundary():
    edition = juklak_edition(2026, deadline=DEADLINE)
    now = DEADLINE - dt.timedelta(days=1)
    old_enough = forwarded_proposal(
        edition=edition, now=now, innovation=InnovationFactory(start_date=dt.date(2024, 3, 15))
    )
    young = forwarded_proposal(edition=edition, now=now, innovation=InnovationFactory(start_date=dt.date(2024, 3, 16)))
    _screen(edition)
    assert ScreeningFlag.Kind.TOO_YOUNG not in _flags(old_enough)
    assert ScreeningFlag.Kind.TOO_YOUNG in _flags(young)
    flag = ScreeningFlag.objects.get(proposal=young, kind="too_young")
    assert flag.evidence == {"start_date": "2024-03-16", "reference_date": "2026-03-15", "min_age_years": 2}


def test_screening_missing_items_over_limit_and_nonsense_flags():
    proposal = forwarded_proposal()
    data = proposal.snapshot.data
    data["sections"][1]["text"] = ""
    data["sections"][2]["text"] = "aaaaaaaaaa " * 5
    data["sections"][3]["text"] = "kata " * 300
    data["attachments"] = data["attachments"][1:]
    data["sdgs"] = []
    data["video_url"] = ""
    proposal.snapshot.data = data
    proposal.snapshot.save()
    _screen(proposal.edition)
    assert _flags(proposal) >= {"missing_section", "nonsense", "over_word_limit", "missing_attachment", "missing_sdg"}
    over = ScreeningFlag.objects.get(proposal=proposal, kind="over_word_limit")
    assert over.evidence["words"] == 300 and over.evidence["max_words"] == 200
    assert ScreeningFlag.objects.filter(proposal=proposal, kind="missing_attachment").count() == 2


def test_nonsense_flag_names_its_checks_in_the_readers_language_never_by_code(client):
    proposal = forwarded_proposal()
    data = proposal.snapshot.data
    data["sections"][0]["text"] = "kata " * 40
    proposal.snapshot.data = data
    proposal.snapshot.save()
    with translation.override("en"):
        _screen(proposal.edition)
    flag = ScreeningFlag.objects.get(proposal=proposal, kind="nonsense")
    title = data["sections"][0]["title"]
    with translation.override("id"):
        assert flag.text == f'Bagian "{title}" tampak asal-asalan (kata yang sama berulang-ulang).'
    with translation.override("en"):
        assert flag.text == f'Section "{title}" looks like a nonsense answer (the same words over and over).'
    client.force_login(MinistryUserFactory())
    page = client.get(reverse("competition:proposal_detail", args=[proposal.pk]), HTTP_ACCEPT_LANGUAGE="id")
    content = page.content.decode()
    assert "kata yang sama berulang-ulang" in content
    assert "low_diversity" not in content


def test_nonsense_flag_stored_with_codes_reads_with_labels():
    flag = ScreeningFlag(
        kind="nonsense",
        message='Bagian "Ringkasan" tampak asal-asalan (too_short, low_diversity).',
        evidence={"section": "ringkasan", "checks": [{"code": "too_short"}, {"code": "low_diversity"}]},
    )
    with translation.override("id"):
        assert flag.text == 'Bagian "Ringkasan" tampak asal-asalan (terlalu pendek, kata yang sama berulang-ulang).'


def test_screening_same_title_flags_both():
    edition = juklak_edition(2026)
    a = forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Sistem Antrean Online Puskesmas"))
    b = forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Sistem Antrean Online Puskesmas!"))
    _screen(edition)
    assert "same_title" in _flags(a) and "same_title" in _flags(b)
    assert ScreeningFlag.objects.get(proposal=a, kind="same_title").other_proposal == b


def _long_text(seed: int) -> str:
    from random import Random

    from jipp.core import textgen

    rng = Random(seed)
    story = textgen.make_innovation(rng, "Kabupaten Contoh")
    return textgen.paragraph(rng, ("problem", "solution", "result"), story, 180)


def test_screening_near_duplicate_within_edition_with_passages():
    edition = juklak_edition(2026)
    original = forwarded_proposal(edition=edition)
    copy = forwarded_proposal(edition=edition)
    unrelated = forwarded_proposal(edition=edition)
    for proposal, seed in ((original, 1), (copy, 1), (unrelated, 2)):
        data = proposal.snapshot.data
        for n, section in enumerate(data["sections"]):
            section["text"] = _long_text(seed * 100 + n) if proposal != unrelated else _long_text(seed * 1000 + n)
        proposal.snapshot.data = data
        proposal.snapshot.save()
    _screen(edition)
    flag = ScreeningFlag.objects.get(proposal=copy, kind="near_duplicate")
    assert flag.other_proposal == original and flag.score > 0.9
    assert flag.evidence["passages"][0]["query"] == flag.evidence["passages"][0]["source"]
    assert "near_duplicate" in _flags(original)
    assert "near_duplicate" not in _flags(unrelated)


def test_screening_near_duplicate_of_earlier_edition_proposal():
    earlier = forwarded_proposal(edition=juklak_edition(2025))
    text = [_long_text(7 + n) for n in range(7)]
    data = earlier.snapshot.data
    for section, body in zip(data["sections"], text, strict=True):
        section["text"] = body
    earlier.snapshot.data = data
    earlier.snapshot.save()
    current = forwarded_proposal(edition=juklak_edition(2026))
    data = current.snapshot.data
    for section, body in zip(data["sections"], text, strict=True):
        section["text"] = body.replace("masyarakat", "warga")
    current.snapshot.data = data
    current.snapshot.save()
    _screen(current.edition)
    flag = ScreeningFlag.objects.get(proposal=current, kind="near_duplicate")
    assert flag.evidence["source_kind"] == "proposal" and flag.evidence["source_id"] == earlier.pk
    assert "KIPP 2025" in flag.evidence["source_title"]


def test_screening_own_registry_text_is_not_a_copy_but_anothers_is():
    proposal = forwarded_proposal()
    text = _long_text(42)
    Innovation.objects.filter(pk=proposal.innovation_id).update(summary=text)
    other = InnovationFactory(summary=text)
    data = proposal.snapshot.data
    data["sections"][1]["text"] = text
    proposal.snapshot.data = data
    proposal.snapshot.save()
    _screen(proposal.edition)
    sources = list(ScreeningFlag.objects.filter(proposal=proposal, kind="near_duplicate")
                   .values_list("evidence__source_id", flat=True))  # fmt: skip
    assert sources == [other.pk]


def test_screening_umum_already_won_flags():
    edition = juklak_edition(2026)
    winner = forwarded_proposal(edition=edition, innovation=InnovationFactory(award_tier="top45"))
    twice = forwarded_proposal(edition=edition)
    for year in (2022, 2023):
        Award.objects.create(innovation=twice.innovation, year=year, tier="top99", title="Top 99")
    once = forwarded_proposal(edition=edition)
    Award.objects.create(innovation=once.innovation, year=2023, tier="top99", title="Top 99")
    _screen(edition)
    assert "already_won" in _flags(winner)
    assert "already_won" in _flags(twice)
    assert "already_won" not in _flags(once)


def test_screening_rerun_replaces_flags():
    edition = juklak_edition(2026)
    a = forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Gerai Sehat Desa"))
    forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Gerai Sehat Desa"))
    _screen(edition)
    _screen(edition)
    assert ScreeningFlag.objects.filter(proposal=a, kind="same_title").count() == 1


def test_bulk_pass_skips_flagged_and_unscreened():
    edition = juklak_edition(2026, deadline=DEADLINE)
    now = DEADLINE - dt.timedelta(days=1)
    clean = forwarded_proposal(edition=edition, now=now, innovation=InnovationFactory(title="Gerai Perizinan Keliling"))
    young = forwarded_proposal(
        edition=edition,
        now=now,
        innovation=InnovationFactory(title="Sekolah Lansia Ceria", start_date=dt.date(2026, 1, 1)),
    )
    _screen(edition)
    unscreened = forwarded_proposal(edition=edition, now=now)
    passed, skipped = services.bulk_pass(user=MinistryUserFactory(), proposals=[clean, young, unscreened],
                                         reason="Lengkap.")  # fmt: skip
    assert passed == 1 and skipped == [young, unscreened]
    clean.refresh_from_db()
    assert clean.status == "passed_administration" and clean.decision_reason == "Lengkap."


def test_decide_needs_reason_and_ministry():
    proposal = forwarded_proposal()
    with pytest.raises(ValidationError):
        services.decide(user=MinistryUserFactory(), proposal=proposal, outcome="pass", reason="")
    with pytest.raises(PermissionDenied):
        services.decide(user=AdminLokalFactory(agency=proposal.agency), proposal=proposal, outcome="pass", reason="x")


def test_start_screening_runs_task_and_records_progress():
    proposal = forwarded_proposal()
    run = services.start_screening(user=MinistryUserFactory(), edition=proposal.edition)
    run.refresh_from_db()
    # Tests run tasks immediately (on commit, which pytest-django's transaction does not fire): run it.
    from jipp.competition.tasks import screen_edition_task
    from jipp.core.models import TaskRun

    task_run = TaskRun.objects.get(name="competition.screen", scope=f"edition:{proposal.edition_id}")
    assert screen_edition_task.call(edition_id=proposal.edition_id, run_id=task_run.pk) == run.pk
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 100 and run.proposals == 1


def test_replikasi_needs_source_innovation():
    edition = juklak_edition(2026)
    proposal = ProposalFactory(edition=edition, group=edition.groups.get(kind=Group.Kind.REPLIKASI))
    complete_proposal(proposal)
    proposal.source_innovations.clear()
    upp, _admin = _people(proposal)
    with pytest.raises(ValidationError):
        services.submit_to_admin_lokal(user=upp, proposal=proposal)
    assert answer_text(50)  # the helper yields text


def test_stage_kinds_cover_every_stage_of_the_issue():
    assert Stage.Kind.values == [
        "submission", "administrative_selection", "desk_evaluation", "nomination", "public_scrutiny", "presentations",
        "field_verification", "decree",
    ]  # fmt: skip
