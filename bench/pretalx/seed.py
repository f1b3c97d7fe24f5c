"""Seed a throwaway Pretalx installation for bench/bench_pretalx.py (run with Pretalx's own Python).

Usage: python seed.py PROPOSALS REVIEWERS CRITERIA SCALE_MIN SCALE_MAX  (the PRETALX_* environment set).
One event in its review phase, PROPOSALS submissions (one speaker each), REVIEWERS reviewers in one
review team, 3 assigned reviewers per submission and a submitted review from each (one left open, as
on our side), CRITERIA score categories scored SCALE_MIN..SCALE_MAX, one organiser who may change
submissions (sees every review, the dashboard's median and mean). Everything through Pretalx's models,
in bulk (`bulk_create`), in one transaction. Prints one line of JSON: the URLs and session cookies.
"""

import datetime as dt
import json
import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretalx.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.timezone import now  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402
from pretalx.event.models import Event, Organiser, Team  # noqa: E402
from pretalx.person.models import SpeakerProfile, User  # noqa: E402
from pretalx.submission.models import (  # noqa: E402
    Review,
    ReviewScore,
    ReviewScoreCategory,
    Submission,
)

BATCH = 2000


RANKING_PAGE_SIZE = 50  # bench_pretalx.PAGE_SIZE: rows on a page of their review dashboard, as on ours


def _has(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _locales() -> dict:
    """The event's languages: one string before 2026.1, two lists since."""
    return {"locale_array": "en"} if _has(Event, "locale_array") else {"locales": ["en"], "content_locales": ["en"]}


def _profile_fields(user) -> dict:
    """Since 2026.1 a speaker's profile carries its own code and name."""
    return {"code": user.code, "name": user.name} if _has(SpeakerProfile, "code") else {}


def _initialise(event) -> None:
    """Its CfP, review phases and score categories: a model method before 2026.1, a domain function since."""
    if hasattr(event, "build_initial_data"):
        event.build_initial_data()
    else:
        from pretalx.event.domain.event import initialise_event

        initialise_event(event)


def seed(n_proposals: int, n_reviewers: int, n_criteria: int, lo: int, hi: int) -> dict:  # noqa: PLR0914
    started = time.perf_counter()
    rng = random.Random(15)
    password = make_password("bench-only-password")
    today = now()
    with scopes_disabled(), transaction.atomic():
        organiser = Organiser.objects.create(name="Bench", slug="benchorg")
        event = Event.objects.create(
            name="KIPP bench",
            slug="kipp",
            organiser=organiser,
            is_public=True,
            date_from=(today + dt.timedelta(days=120)).date(),
            date_to=(today + dt.timedelta(days=122)).date(),
            email="kipp@example.org",
            locale="en",
            **_locales(),
        )
        _initialise(event)
        event.cfp.deadline = today - dt.timedelta(days=10)
        event.cfp.save()
        phase = event.review_phases.order_by(
            "position" if _has(event.review_phases.model, "position") else "start"
        ).first()
        phase.start = today - dt.timedelta(days=10)
        phase.is_active = True
        phase.save()
        event.review_phases.exclude(pk=phase.pk).update(is_active=False)
        # The rubric: as many categories, on the same scale, as ours.
        event.score_categories.all().delete()
        scores_by_category = []
        for c in range(n_criteria):
            category = ReviewScoreCategory.objects.create(event=event, name=f"Criterion {c + 1}", required=True)
            scores_by_category.append(
                ReviewScore.objects.bulk_create(
                    [ReviewScore(category=category, value=v, label=str(v)) for v in range(lo, hi + 1)]
                )
            )
        submission_type = event.cfp.default_type

        admin = User.objects.create_user(email="orga@example.org", password="bench-only-password", name="Orga")
        orga_team = Team.objects.create(
            organiser=organiser, name="Organisers", can_change_submissions=True, can_change_event_settings=True
        )
        orga_team.members.add(admin)
        orga_team.limit_events.add(event)
        if hasattr(admin, "get_event_preferences"):  # 2026.x: the table's page size is a stored preference
            admin.get_event_preferences(event).set("tables.ReviewTable.page_size", RANKING_PAGE_SIZE, commit=True)

        speakers = User.objects.bulk_create(
            [
                User(email=f"speaker{i:05d}@example.org", name=f"Speaker {i:05d}", code=f"S{i:05d}", password=password)
                for i in range(n_proposals)
            ],
            batch_size=BATCH,
        )
        profiles = SpeakerProfile.objects.bulk_create(
            [
                SpeakerProfile(user=u, event=event, biography="Unit layanan publik.", **_profile_fields(u))
                for u in speakers
            ],
            batch_size=BATCH,
        )
        submissions = Submission.objects.bulk_create(
            [
                Submission(
                    event=event,
                    code=f"P{i:05d}",
                    title=f"Inovasi layanan publik nomor {i}",
                    submission_type=submission_type,
                    state="submitted",
                    abstract="Ringkasan inovasi.",
                    description="Deskripsi inovasi.",
                    content_locale="en",
                )
                for i in range(n_proposals)
            ],
            batch_size=BATCH,
        )
        role = Submission.speakers.through  # 2026.x: speakers are profiles (SpeakerRole); before, users
        speaker_of = {"speaker": profiles} if _has(role, "speaker") else {"user": speakers}
        ((field, people),) = speaker_of.items()
        role.objects.bulk_create(
            [role(submission=s, **{field: p}) for s, p in zip(submissions, people, strict=True)], batch_size=BATCH
        )
        reviewers = User.objects.bulk_create(
            [
                User(
                    email=f"reviewer{j:03d}@example.org", name=f"Reviewer {j:03d}", code=f"R{j:05d}", password=password
                )
                for j in range(n_reviewers)
            ]
        )
        review_team = Team.objects.create(organiser=organiser, name="Reviewers", is_reviewer=True)
        review_team.members.add(*reviewers)
        review_team.limit_events.add(event)

        third = n_reviewers // 3
        pairs = [(s, reviewers[(i + k * third) % n_reviewers]) for i, s in enumerate(submissions) for k in range(3)]
        Submission.assigned_reviewers.through.objects.bulk_create(
            [Submission.assigned_reviewers.through(submission=s, user=u) for s, u in pairs], batch_size=BATCH
        )
        open_submission, open_reviewer = pairs[0]  # the reviewer's page measured: a review still to write
        quality = {s.pk: rng.gauss(6.5, 1.2) for s in submissions}
        reviews, chosen = [], []
        for s, u in pairs[1:]:
            picks = [
                category[max(0, min(len(category) - 1, round(rng.gauss(quality[s.pk], 1.0)) - lo))]
                for category in scores_by_category
            ]
            reviews.append(Review(submission=s, user=u, text="Catatan penilai.", score=sum(p.value for p in picks)))
            chosen.append(picks)
        reviews = Review.objects.bulk_create(reviews, batch_size=BATCH)
        Review.scores.through.objects.bulk_create(
            [
                Review.scores.through(review_id=r.pk, reviewscore_id=p.pk)
                for r, picks in zip(reviews, chosen, strict=True)
                for p in picks
            ],
            batch_size=BATCH * 5,
        )
    seed_s = time.perf_counter() - started

    cookies = {}
    for name, user in (("reviewer", open_reviewer), ("organiser", admin)):
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies[django.conf.settings.SESSION_COOKIE_NAME].value
    return {
        "version": django.get_version(),
        "pretalx": __import__("pretalx").__version__,
        "seed_s": round(seed_s, 1),
        "proposals": len(submissions),
        "reviewers": len(reviewers),
        "reviews": len(reviews),
        "review_url": f"/orga/event/{event.slug}/submissions/{open_submission.code}/reviews/",
        "ranking_url": f"/orga/event/{event.slug}/reviews/",
        "cookie_name": django.conf.settings.SESSION_COOKIE_NAME,
        "cookies": cookies,
    }


if __name__ == "__main__":
    print(json.dumps(seed(*(int(a) for a in sys.argv[1:6]))))
