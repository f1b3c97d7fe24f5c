"""Public scrutiny (*uji publik*): publishing the finalists, objections from the public, their resolution
and the published outcome. The scrutiny is opened once; it cannot be reopened silently."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jipp.competition.evaluation.common import guard_frozen, settings_for
from jipp.competition.evaluation.models import EvaluationSettings, Finalist, Objection
from jipp.competition.evaluation.services._base import event, guard, require
from jipp.competition.models import Edition
from jipp.core.files import JPEG, PDF, PNG, generated_name, validate_upload

OBJECTIONS_PER_HOUR = 3


@transaction.atomic
def publish_finalists(*, user, edition: Edition, now: dt.datetime | None = None) -> EvaluationSettings:
    """Publish the finalists and open the public scrutiny for `scrutiny_days`. Done once: publishing again
    would reopen the scrutiny silently, so it is refused."""
    require(user, "evaluation.manage_results", edition)
    guard_frozen(edition)
    rules = settings_for(edition)
    if rules.finalists_published_at is not None:
        raise ValidationError(_("The finalists are already published; the public scrutiny is not reopened."))
    if not Finalist.objects.filter(edition=edition).exists():
        raise ValidationError(_("There are no confirmed finalists yet."))
    now = now or timezone.now()
    rules.finalists_published_at = now
    rules.scrutiny_closes_at = now + dt.timedelta(days=rules.scrutiny_days)
    rules.save()
    return rules


def client_key(ip: str, user_agent: str) -> str:
    return hashlib.sha256(f"{ip}|{user_agent}".encode()).hexdigest()


@transaction.atomic
def file_objection(
    *, edition: Edition, finalist: Finalist, name: str, contact: str, grounds: str, file=None, key: str = "",
    now: dt.datetime | None = None,
) -> Objection:  # fmt: skip
    """Anyone may object to a finalist while the public scrutiny is open (at most 3 an hour per client);
    never once the results are published."""
    now = now or timezone.now()
    rules = settings_for(edition)
    if rules.results_published_at is not None:
        raise ValidationError(_("The results are published: the public scrutiny is closed."))
    if (
        not rules.finalists_published_at
        or not rules.scrutiny_closes_at
        or not (rules.finalists_published_at <= now <= rules.scrutiny_closes_at)
    ):
        raise ValidationError(_("The public scrutiny is not open."))
    if finalist.edition_id != edition.pk:
        raise ValidationError({"finalist": _("Choose a finalist of this edition.")})
    if key and Objection.objects.filter(client_key=key, created_at__gte=now - dt.timedelta(hours=1)).count() >= (
        OBJECTIONS_PER_HOUR
    ):
        raise ValidationError(_("Too many objections from this device in the last hour. Please try again later."))
    objection = Objection(
        edition=edition, finalist=finalist, name=name.strip(), contact=contact.strip(), grounds=grounds.strip(),
        client_key=key,
    )  # fmt: skip
    if file:
        try:
            kind = validate_upload(file, allowed=(PDF, JPEG, PNG), max_mb=5)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        file.name = generated_name(kind)
        objection.file = file
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def resolve_objection(
    *, user, objection: Objection, status: str, resolution: str, disqualify: bool = False
) -> Objection:
    require(user, "evaluation.manage_results", objection.edition)
    guard_frozen(objection.edition)
    if status not in (Objection.Status.UPHELD, Objection.Status.DISMISSED):
        raise ValidationError({"status": _("Choose upheld or dismissed.")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("Record how the objection was resolved.")})
    guard(objection.edition, user=user, what=f"resolve objection {objection.pk}")
    objection.status = status
    objection.resolution = resolution.strip()
    objection.resolved_by = user
    objection.resolved_at = timezone.now()
    objection.save()
    if status == Objection.Status.UPHELD and disqualify:
        finalist = objection.finalist
        finalist.status = Finalist.Status.DISQUALIFIED
        finalist.save(update_fields=["status", "updated_at"])
        event(finalist.proposal, actor=user, note=gettext_lazy("Disqualified after an objection: %(r)s"), r=resolution)
    return objection


@transaction.atomic
def publish_scrutiny_outcome(*, user, edition: Edition, outcome: str) -> EvaluationSettings:
    require(user, "evaluation.manage_results", edition)
    guard_frozen(edition)
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write the outcome to publish.")})
    if Objection.objects.filter(edition=edition, status=Objection.Status.OPEN).exists():
        raise ValidationError(_("Resolve every objection before publishing the outcome."))
    rules = settings_for(edition)
    rules.scrutiny_outcome = outcome.strip()
    rules.scrutiny_outcome_published_at = timezone.now()
    rules.save()
    return rules
