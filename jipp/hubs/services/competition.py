"""Provincial competitions on the KIPP engine: a hub's edition is a competition Edition organised by the
hub's agency, created, entered, screened, assigned and scored by jipp.competition's own services (no
copy of them here). Its best entries are carried into the national KIPP with one action that links the
entry to a national draft proposal of the same innovation, with its answers, instead of retyping them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jipp.competition import services as kipp
from jipp.competition.models import Edition, Proposal
from jipp.hubs.models import Hub


def national_source(year: int) -> Edition | None:
    """The national edition a provincial one copies: the year's, else the latest before it."""
    return Edition.objects.filter(year__lte=year).order_by("-year").first()


@transaction.atomic
def open_provincial_edition(*, user, hub: Hub, year: int, name: str = "", source: Edition | None = None) -> Edition:
    """Create the hub's provincial edition for `year` through `competition.services.copy_edition`, copying
    the groups, form, rubric and dates of `source` (by default the national edition); unpublished, so the
    hub adjusts dates, groups and rubric before opening it."""
    source = source or national_source(year)
    if source is None:
        raise ValidationError(_("There is no national edition to start from yet."))
    return kipp.copy_edition(
        user=user,
        source=source,
        year=year,
        name=name or _("%(hub)s competition %(year)s") % {"hub": hub.agency, "year": year},
        organiser=hub.agency,
    )


def provincial_editions(hub: Hub):
    return Edition.all_editions.filter(organiser=hub.agency_id).order_by("-year")


@transaction.atomic
def carry_to_national(*, user, entry: Proposal, national: Edition) -> Proposal:
    """Carry a provincial entry into the national edition: a national draft of the same innovation, in the
    group of the same kind, with the entry's answers, linked by `entry.carried_into`.

    The hub admin (or the Ministry) acts; the draft is opened in the name of the unit's operator who wrote
    the entry (competition.services.start_proposal and save_draft, so every KIPP rule applies: the edition
    must be open, the innovation not already entered). The unit then checks it and sends it on as usual.
    """
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("edition", "group").get(pk=entry.pk)
    organiser = locked.edition.organiser
    if organiser is None:
        raise ValidationError(_("Only entries of a provincial edition are carried into KIPP."))
    if not user.has_perm("competition.organise_edition", organiser):
        raise PermissionDenied(_("Only the organising hub carries its entries into KIPP."))
    if national.organiser_id is not None:
        raise ValidationError(_("Entries are carried into a national edition."))
    if locked.carried_into_id is not None:
        raise ValidationError(_("This entry was already carried into KIPP."))
    if not locked.is_submitted:
        raise ValidationError(_("Only entries sent on by their agency are carried into KIPP."))
    group = national.groups.filter(kind=locked.group.kind).first()
    if group is None:
        raise ValidationError(_("The national edition has no %(group)s group.") % {"group": locked.group.name})
    author = locked.created_by
    if author is None:
        raise ValidationError(_("The entry's author no longer has an account."))
    draft = kipp.start_proposal(user=author, edition=national, group=group, innovation=locked.innovation)
    answers = {a.section.key: a.text for a in locked.answers.select_related("section")}
    draft = kipp.save_draft(
        user=author,
        proposal=draft,
        expected_version=draft.version,
        answers=answers,
        title=locked.title,
        video_url=locked.video_url,
        categories=national.categories.filter(pk__in=locked.categories.values("pk")),
        sdgs=locked.sdgs.all(),
    )
    Proposal.objects.filter(pk=locked.pk).update(carried_into=draft)
    entry.carried_into = draft
    return draft
