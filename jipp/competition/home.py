"""What KIPP puts on a person's home page (AppConfig.home_items): proposals at every desk."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.accounts.models import Role
from jipp.competition import selectors
from jipp.competition.models import Group, Proposal, Quota
from jipp.core.nav import HomeItem


def _tone(deadline, count) -> str:
    if not count:
        return "info"
    if deadline is not None and deadline - timezone.now() < timezone.timedelta(days=7):
        return "urgent"
    return "todo"


def home_items(user) -> list[HomeItem]:
    if not user.is_authenticated:
        return []
    edition = selectors.current_edition()
    if edition is None:
        return []
    section = _("KIPP %(year)d") % {"year": edition.year}
    proposals = reverse("competition:proposal_list")
    mine = Proposal.objects.filter(edition=edition)
    if user.role == Role.UPP and user.unit_id:
        counts = mine.filter(unit_id=user.unit_id).aggregate(
            drafts=Count("pk", filter=Q(status=Proposal.Status.DRAFT)),
            returned=Count("pk", filter=Q(status=Proposal.Status.RETURNED)),
        )
        deadline = selectors.deadline_for(edition, user.unit.agency) if user.unit else None
        return [
            HomeItem(
                _("Proposals returned to you"),
                f"{proposals}?status=returned",
                count=counts["returned"],
                hint=_("Your Admin Lokal asked for changes: read the note, correct and send again."),
                deadline=deadline,
                tone="urgent" if counts["returned"] else "info",
                order=10,
                section=section,
            ),
            HomeItem(
                _("Proposal drafts"),
                f"{proposals}?status=draft",
                count=counts["drafts"],
                hint=_("Send each to your Admin Lokal before the deadline."),
                deadline=deadline,
                tone=_tone(deadline, counts["drafts"]),
                order=11,
                section=section,
            ),
        ]
    if user.role == Role.ADMIN_LOKAL and user.agency_id:
        agency = user.agency
        deadline = selectors.deadline_for(edition, agency)
        waiting = mine.filter(agency_id=user.agency_id, status=Proposal.Status.WITH_ADMIN_LOKAL).count()
        used = dict(
            mine.filter(agency_id=user.agency_id, status__in=Proposal.SUBMITTED)
            .values_list("group_id")
            .annotate(n=Count("pk"))
        )
        overrides = dict(
            Quota.objects.filter(group__edition=edition, agency_id=user.agency_id).values_list(
                "group_id", "max_proposals"
            )
        )
        left = []
        for group in Group.objects.filter(edition=edition).order_by("pk"):
            quota = overrides.get(group.pk, group.default_quota)
            if quota is None:
                continue
            left.append(f"{group.get_kind_display()} {max(quota - used.get(group.pk, 0), 0)}/{quota}")
        hint = _("Quota left: %(left)s") % {"left": ", ".join(left)} if left else ""
        return [
            HomeItem(
                _("Proposals to check and forward to the Ministry"),
                f"{proposals}?status=with_admin_lokal",
                count=waiting,
                hint=hint,
                deadline=deadline,
                tone=_tone(deadline, waiting),
                order=10,
                section=section,
            )
        ]
    if user.is_ministry:
        forwarded = mine.filter(status=Proposal.Status.FORWARDED).count()
        return [
            HomeItem(
                _("Proposals in the screening queue"),
                reverse("competition:screening", args=[edition.year]),
                count=forwarded,
                hint=_("Forwarded by the Admin Lokal, waiting for administrative selection."),
                tone="todo" if forwarded else "info",
                order=10,
                section=section,
            )
        ]
    return []
