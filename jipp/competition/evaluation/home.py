"""What KIPP evaluation puts on a person's home page (AppConfig.home_items)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.accounts.models import Role
from jipp.competition import selectors
from jipp.competition.evaluation.models import Assignment, Objection, PanelScore, Review, Slot, Winner
from jipp.competition.models import Stage
from jipp.core.nav import HomeItem


def home_items(user) -> list[HomeItem]:
    if not user.is_authenticated:
        return []
    edition = selectors.current_edition()
    if edition is None:
        return []
    section = _("KIPP %(year)d") % {"year": edition.year}
    desk = selectors.stage(edition, Stage.Kind.DESK_EVALUATION)
    items: list[HomeItem] = []
    if user.role == Role.EVALUATOR:
        submitted = Review.objects.filter(
            edition=edition,
            evaluator=user,
            proposal_id=OuterRef("proposal_id"),
            status=Review.Status.SUBMITTED,
        )
        counts = Assignment.objects.filter(edition=edition, evaluator=user).aggregate(
            total=Count("pk"), open=Count("pk", filter=~Q(Exists(submitted)))
        )
        deadline = desk.ends_at if desk else None
        urgent = deadline is not None and deadline - timezone.now() < timezone.timedelta(days=7)
        items.append(
            HomeItem(
                _("Reviews to submit"),
                reverse("evaluation:my_reviews"),
                count=counts["open"],
                hint=_("%(done)d of %(total)d submitted.")
                % {"done": counts["total"] - counts["open"], "total": counts["total"]},
                deadline=deadline,
                tone="urgent" if counts["open"] and urgent else ("todo" if counts["open"] else "info"),
                order=30,
                section=section,
            )
        )
    if user.role == Role.PANELIS:
        scored = PanelScore.objects.filter(finalist_id=OuterRef("finalist_id"), panelist=user)
        slots = Slot.objects.filter(edition=edition, panelists=user)
        open_slots = slots.exclude(Exists(scored))
        upcoming = open_slots.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
        items.append(
            HomeItem(
                _("Presentations to score"),
                reverse("evaluation:panel"),
                count=open_slots.count(),
                hint=_("Score each finalist's presentation and interview after the session."),
                deadline=upcoming.starts_at if upcoming else None,
                tone="todo" if upcoming else "info",
                order=31,
                section=section,
            )
        )
    if user.is_ministry:
        reviews = Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED).count()
        assigned = Assignment.objects.filter(edition=edition).count()
        objections = Objection.objects.filter(edition=edition, status=Objection.Status.OPEN).count()
        winners = Winner.objects.current().filter(edition=edition).count()
        items += [
            HomeItem(
                _("Review progress"),
                reverse("evaluation:assignments", args=[edition.year]),
                count=assigned - reviews,
                hint=_("%(done)d of %(total)d assigned reviews submitted.") % {"done": reviews, "total": assigned},
                deadline=desk.ends_at if desk else None,
                tone="todo" if assigned - reviews else "info",
                order=30,
                section=section,
            ),
            HomeItem(
                _("Open objections from the public"),
                reverse("evaluation:scrutiny", args=[edition.year]),
                count=objections,
                tone="urgent" if objections else "info",
                order=31,
                section=section,
            ),
            HomeItem(
                _("Winners and certificates"),
                reverse("evaluation:results", args=[edition.year]),
                count=winners,
                tone="info",
                order=33,
                section=section,
            ),
        ]
    return items
