"""The hub's work: yearly plans with targets per spoke and in total, and activities (mentors' sessions too)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from jipp.accounts.models import Role, User
from jipp.hubs.models import Activity, Hub, Measure, Spoke, WorkPlan, WorkPlanTarget
from jipp.notifications.services import notify
from jipp.registry.bounds import validate_year


class OutsidePlanYear(ValidationError):
    """The activity's dates fall outside its plan's year: the user must confirm."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _("This activity is dated outside the plan's year (%(year)s). Confirm to record it anyway.")
            % {"year": year},
            code="outside_plan_year",
        )


@transaction.atomic
def create_plan(*, hub: Hub, year: int, notes: str = "") -> WorkPlan:
    validate_year(year)  # the declared bound, not the column's (which differs between SQLite and PostgreSQL)
    if WorkPlan.objects.filter(hub=hub, year=year).exists():
        raise ValidationError(_("This hub already has a work plan for %(year)s.") % {"year": year})
    plan = WorkPlan(hub=hub, year=year, notes=notes.strip())
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def set_targets(*, plan: WorkPlan, targets: dict[tuple[int | None, str], int]) -> list[WorkPlanTarget]:
    """Replace the plan's targets: {(spoke id or None for the total, measure): target}; zero or empty drops one.

    Spokes must be spokes of the plan's hub; measures must be known. All or nothing.
    """
    WorkPlan.objects.select_for_update().filter(pk=plan.pk).first()
    spoke_ids = set(Spoke.objects.filter(hub=plan.hub_id).values_list("pk", flat=True))
    rows = []
    for (spoke_id, measure), value in targets.items():
        if measure not in Measure.values:
            raise ValidationError(_("Unknown measure."))
        if spoke_id is not None and spoke_id not in spoke_ids:
            raise ValidationError(_("A target names a spoke of another hub."))
        if value is None or value == 0:
            continue
        if value < 0:
            raise ValidationError(_("Targets are zero or more."))
        rows.append(WorkPlanTarget(plan=plan, spoke_id=spoke_id, measure=measure, target=value))
    WorkPlanTarget.objects.filter(plan=plan).delete()
    return WorkPlanTarget.objects.bulk_create(rows)


@transaction.atomic
def record_activity(
    *,
    hub: Hub,
    recorded_by,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date,
    spokes: Iterable[Spoke] = (),
    mentors: Iterable = (),
    attendance: int = 0,
    outputs: str = "",
    follow_ups: str = "",
    is_public: bool = False,
    document=None,
    plan: WorkPlan | None = None,
    confirm_outside_year: bool = False,
    activity: Activity | None = None,
) -> Activity:
    """Record (or, with `activity`, edit) an activity of `hub`.

    Spokes must be active spokes of the hub and mentors the hub's mentors. Without `plan`, the hub's plan
    for the start year is linked if there is one. An activity dated outside its plan's year raises
    OutsidePlanYear unless `confirm_outside_year`. A mentor recording a session is listed as its mentor.
    """
    spokes = list(spokes)
    mentors = list(mentors)
    if any(s.hub_id != hub.pk or not s.is_active for s in spokes):
        raise ValidationError(_("Choose spokes of this hub."))
    mentor_ids = set(hub.mentors.values_list("pk", flat=True))
    if any(m.pk not in mentor_ids for m in mentors):
        raise ValidationError(_("Choose mentors of this hub."))
    if getattr(recorded_by, "pk", None) in mentor_ids and recorded_by not in mentors:
        mentors.append(recorded_by)
    if plan is not None and plan.hub_id != hub.pk:
        raise ValidationError(_("This work plan belongs to another hub."))
    if plan is None:
        plan = WorkPlan.objects.filter(hub=hub, year=starts_on.year).first()
    if plan is not None and not confirm_outside_year and (starts_on.year != plan.year or ends_on.year != plan.year):
        raise OutsidePlanYear(plan.year)
    target = activity or Activity(hub=hub, recorded_by=recorded_by)
    for name, value in {
        "plan": plan,
        "kind": kind,
        "title": title.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "attendance": attendance or 0,
        "outputs": outputs.strip(),
        "follow_ups": follow_ups.strip(),
        "is_public": is_public,
    }.items():
        setattr(target, name, value)
    if document:
        target.document = document
    target.full_clean()
    target.save()
    target.spokes.set(spokes)
    target.mentors.set(mentors)
    if activity is None:
        _announce(target, actor=recorded_by, mentors=mentors)
    return target


def _announce(activity: Activity, *, actor, mentors: list) -> None:
    """Tell the hub's admins and the activity's mentors of a new activity (in-app, e-mail as each prefers)."""
    hub = activity.hub
    admins = User.objects.filter(is_active=True, role=Role.HUB_ADMIN).filter(
        Q(agency_id=hub.agency_id) | Q(pk__in=hub.admins.values("pk"))
    )
    notify(
        [*admins, *mentors],
        "hubs.activity",
        activity,
        actor=actor if getattr(actor, "pk", None) else None,
        url=reverse("hubs:activities", args=[hub.pk]),
        hub=str(hub),
        activity=activity.title,
        date=activity.starts_on,
    )
