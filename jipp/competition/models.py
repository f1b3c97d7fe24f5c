"""KIPP (Kompetisi Inovasi Pelayanan Publik), part 1: editions as configuration, proposals and the
administrative selection (*seleksi administrasi*).

An edition's rules are data, not code: groups, form sections with their word limits and weights,
required attachments, rubric criteria, quotas and stage dates all hang off `Edition`, so a year's
guide (*juklak*) is entered (or copied from last year) rather than programmed. Part 2 (evaluation,
nomination, public scrutiny, presentations, winners) builds on `Proposal` and its statuses.

Times: every stage date is stored as an aware instant (UTC in the database). How a deadline applies
to agencies in other zones is `Edition.deadline_mode`: one instant for the whole country, or the same
wall-clock time in each agency's own zone (WIB/WITA/WIT).
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jipp.core.models import TimeStampedModel
from jipp.core.timezones import WIB
from jipp.regions.models import Agency, Region, ServiceUnit
from jipp.registry.models import Category, Innovation, Sdg


def _bilingual(obj, field: str) -> str:
    english = getattr(obj, f"{field}_en", "")
    if english and (get_language() or "id").startswith("en"):
        return english
    return getattr(obj, field)


class NationalEditionManager(models.Manager):
    """KIPP itself: the national editions, one per year. Provincial editions run by hubs on the same engine
    are reached through `Edition.all_editions` (and through their proposals)."""

    def get_queryset(self):
        return super().get_queryset().filter(organiser__isnull=True)


class Edition(TimeStampedModel):
    """One year's competition, configured from that year's guide (*juklak*).

    A national edition (KIPP) has no organiser; a provincial edition is organised by a hub's agency on
    the same engine (same services, rubric, assignment and scoring), one per organiser and year.
    """

    class Level(models.TextChoices):
        NATIONAL = "national", _("National (KIPP)")
        PROVINCIAL = "provincial", _("Provincial (run by a hub)")

    class DeadlineMode(models.TextChoices):
        INSTANT = "instant", _("One moment for the whole country")
        LOCAL = "local", _("The same clock time in each agency's own zone")

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    decree_number = models.CharField(_("legal basis (decree number)"), max_length=200, blank=True)
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True, related_name="+")
    deadline_mode = models.CharField(
        _("deadline applies as"), max_length=10, choices=DeadlineMode.choices, default=DeadlineMode.INSTANT
    )
    reference_timezone = models.CharField(
        _("reference time zone"),
        max_length=40,
        default=WIB,
        help_text=_("The zone the guide's dates are written in; in 'local' mode its clock times apply in every zone."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.NATIONAL)
    organiser = models.ForeignKey(
        Agency,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_editions",
        help_text=_("Empty for KIPP; the hub's agency for a provincial edition."),
    )

    objects = NationalEditionManager()
    all_editions = models.Manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        base_manager_name = "all_editions"
        constraints = [
            models.UniqueConstraint(
                "year",
                condition=models.Q(organiser__isnull=True),
                name="one_national_edition_per_year",
                violation_error_message=_("An edition for this year already exists."),
            ),
            models.UniqueConstraint("year", "organiser", name="one_edition_per_organiser_year"),
            models.CheckConstraint(
                condition=models.Q(level="national", organiser__isnull=True)
                | models.Q(level="provincial", organiser__isnull=False),
                name="edition_level_matches_organiser",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """The dates of one stage of an edition (aware instants; see `Edition.deadline_mode`)."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission")
        ADMINISTRATIVE_SELECTION = "administrative_selection", _("Administrative selection")
        DESK_EVALUATION = "desk_evaluation", _("Desk evaluation")
        NOMINATION = "nomination", _("Nomination")
        PUBLIC_SCRUTINY = "public_scrutiny", _("Public scrutiny")
        PRESENTATIONS = "presentations", _("Presentations and interviews")
        FIELD_VERIFICATION = "field_verification", _("Field verification")
        DECREE = "decree", _("Decree")

    ORDER = list(Kind.values)

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=30, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["edition", "starts_at"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint("edition", "kind", name="one_stage_of_each_kind"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="stage_ends_after_start",
                violation_error_message=_("A stage cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition.year} {self.get_kind_display()}"


class Group(models.Model):
    """A competition group of an edition: *Umum*, *Replikasi* or *Khusus* (by invitation)."""

    class Kind(models.TextChoices):
        UMUM = "umum", _("Umum (general)")
        REPLIKASI = "replikasi", _("Replikasi (replication)")
        KHUSUS = "khusus", _("Khusus (special)")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("group"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    min_age_years = models.PositiveSmallIntegerField(
        _("minimum age of the innovation (years)"),
        default=2,
        help_text=_("Counted from the innovation's start date to the submission deadline."),
    )
    invitation_only = models.BooleanField(_("by invitation only"), default=False)
    default_quota = models.PositiveSmallIntegerField(
        _("proposals per agency"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    invited_agencies = models.ManyToManyField(Agency, verbose_name=_("invited agencies"), blank=True, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["edition", "order"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [models.UniqueConstraint("edition", "kind", name="one_group_of_each_kind")]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """One question of a group's proposal form, with its word limit and weight (in percent)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    max_words = models.PositiveIntegerField(_("maximum words"))
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2, default=0)
    weight_is_public = models.BooleanField(_("weight is public"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["group", "order"]
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        constraints = [models.UniqueConstraint("group", "key", name="unique_section_key_per_group")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return _bilingual(self, "title")


class RequiredAttachment(models.Model):
    """An attachment a group's proposals must (or may) carry: a file, or a link (the video)."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="required_attachments")
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.FILE)
    is_required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["group", "order"]
        verbose_name = _("required attachment")
        verbose_name_plural = _("required attachments")
        constraints = [models.UniqueConstraint("group", "key", name="unique_attachment_key_per_group")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return _bilingual(self, "title")


class RubricCriterion(models.Model):
    """One criterion of the rubric the evaluators will use for a group (scored in part 2)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="rubric")
    section = models.ForeignKey(
        Section, verbose_name=_("form section"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("criterion"), max_length=200)
    name_en = models.CharField(_("criterion (English)"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    guidance = models.TextField(_("guidance"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["group", "order"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="rubric_scale_not_empty",
                violation_error_message=_("The highest score must be above the lowest."),
            )
        ]

    def __str__(self) -> str:
        return _bilingual(self, "name")


class Quota(models.Model):
    """An agency's own limit for a group, overriding the group's default (e.g. more for a pilot)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="quotas")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+")
    max_proposals = models.PositiveSmallIntegerField(_("proposals"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [models.UniqueConstraint("group", "agency", name="one_quota_per_agency_and_group")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.max_proposals}"


class Proposal(TimeStampedModel):
    """An innovation entered into one edition and group by its service unit.

    The section answers live in `ProposalAnswer`; once forwarded, `snapshot` freezes exactly what was
    submitted. `version` increases at every save (optimistic locking for two people on one draft).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RETURNED = "returned", _("Returned to the unit")
        WITH_ADMIN_LOKAL = "with_admin_lokal", _("With the Admin Lokal")
        FORWARDED = "forwarded", _("Forwarded to the Ministry")
        PASSED_ADMINISTRATION = "passed_administration", _("Passed administrative selection")
        FAILED_ADMINISTRATION = "failed_administration", _("Failed administrative selection")
        # Later stages (part 2).
        IN_EVALUATION = "in_evaluation", _("In desk evaluation")
        NOMINATED = "nominated", _("Nominated")
        FINALIST = "finalist", _("Finalist")
        WINNER = "winner", _("Winner")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    SUBMITTED = (
        Status.FORWARDED,
        Status.PASSED_ADMINISTRATION,
        Status.FAILED_ADMINISTRATION,
        Status.IN_EVALUATION,
        Status.NOMINATED,
        Status.FINALIST,
        Status.WINNER,
        Status.NOT_SELECTED,
    )

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="proposals")
    group = models.ForeignKey(Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="proposals")
    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.PROTECT, related_name="proposals"
    )
    # Copies of the innovation's owner, for scoping and filtering without joins.
    unit = models.ForeignKey(ServiceUnit, verbose_name=_("service unit"), on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(
        Region, verbose_name=_("province"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=250)
    video_url = models.URLField(_("video link"), blank=True)
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True, related_name="+")
    sdgs = models.ManyToManyField(Sdg, verbose_name=_("Sustainable Development Goals"), blank=True, related_name="+")
    source_innovations = models.ManyToManyField(
        Innovation,
        verbose_name=_("Top 99 innovations replicated"),
        blank=True,
        related_name="replicated_in_proposals",
        help_text=_("Replikasi group: the earlier Top 99 innovation(s) this one adapts."),
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    return_note = models.TextField(_("note from the Admin Lokal"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sent to the Admin Lokal"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    flag_count = models.PositiveSmallIntegerField(_("flags"), default=0)
    carried_into = models.ForeignKey(
        "self",
        verbose_name=_("carried into KIPP as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_from",
        help_text=_("For an entry of a provincial edition: the national proposal it was carried into."),
    )
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                "edition",
                "innovation",
                name="one_proposal_per_innovation_and_edition",
                violation_error_message=_("This innovation already has a proposal in this edition."),
            )
        ]
        indexes = [
            models.Index(fields=["edition", "status"], name="proposal_edition_status"),
            models.Index(fields=["edition", "agency", "group"], name="proposal_edition_agency"),
            models.Index(fields=["unit", "edition"], name="proposal_unit_edition"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_submitted(self) -> bool:
        return self.status in self.SUBMITTED


class ProposalAnswer(models.Model):
    """The answer to one form section."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("answer"), blank=True)
    word_count = models.PositiveIntegerField(_("words"), default=0)

    class Meta:
        ordering = ["section__order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint("proposal", "section", name="one_answer_per_section")]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.section_id}"


class ProposalAttachment(TimeStampedModel):
    """A file attached to a proposal for one of the group's required attachments (content-checked)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    requirement = models.ForeignKey(
        RequiredAttachment, verbose_name=_("attachment"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="proposals/%Y/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requirement__order", "pk"]
        verbose_name = _("proposal attachment")
        verbose_name_plural = _("proposal attachments")

    def __str__(self) -> str:
        return self.original_name


class ProposalSnapshot(models.Model):
    """Exactly what was forwarded, frozen: later edits to the registry or the edition never change it."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="snapshot")
    data = models.JSONField(_("submitted content"))
    taken_at = models.DateTimeField(_("taken"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("submitted snapshot")
        verbose_name_plural = _("submitted snapshots")

    def __str__(self) -> str:
        return f"{self.proposal_id} @ {self.taken_at:%Y-%m-%d %H:%M}"


class UnsavedDraft(TimeStampedModel):
    """Text posted when the session had expired, kept until its author logs in again and restores it.

    `claim_token` is a random value stored in the posting browser's session, so only that browser
    (once logged in with access to the proposal) can claim the text.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="unsaved_drafts")
    claim_token = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    data = models.JSONField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("unsaved draft")
        verbose_name_plural = _("unsaved drafts")


class ScreeningRun(TimeStampedModel):
    """One run of the automatic checks over a whole edition (a background task), with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="screening_runs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(_("phase"), max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    proposals = models.PositiveIntegerField(_("proposals checked"), default=0)
    corpus = models.PositiveIntegerField(_("earlier texts compared"), default=0)
    flags = models.PositiveIntegerField(_("flags raised"), default=0)
    seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")


class ScreeningFlag(models.Model):
    """One automatic finding on a forwarded proposal, with its evidence. Flags inform; people decide."""

    class Kind(models.TextChoices):
        TOO_YOUNG = "too_young", _("Innovation younger than the minimum age")
        MISSING_SECTION = "missing_section", _("Missing section")
        MISSING_ATTACHMENT = "missing_attachment", _("Missing attachment")
        MISSING_SDG = "missing_sdg", _("No SDG")
        OVER_WORD_LIMIT = "over_word_limit", _("Section over its word limit")
        NONSENSE = "nonsense", _("Nonsense answer")
        SAME_TITLE = "same_title", _("Same or nearly the same title")
        NEAR_DUPLICATE = "near_duplicate", _("Near-duplicate text")
        ALREADY_WON = "already_won", _("Already won (not eligible for Umum)")
        NOT_INVITED = "not_invited", _("Agency not invited to this group")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="flags")
    run = models.ForeignKey(ScreeningRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("check"), max_length=20, choices=Kind.choices)
    message = models.CharField(_("finding"), max_length=400)
    score = models.FloatField(_("similarity"), null=True, blank=True)
    other_proposal = models.ForeignKey(
        Proposal, verbose_name=_("other proposal"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)

    class Meta:
        ordering = ["proposal", "kind", "-score", "pk"]
        verbose_name = _("screening flag")
        verbose_name_plural = _("screening flags")
        indexes = [models.Index(fields=["kind"], name="flag_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message}"

    @property
    def text(self) -> str:
        """The finding in the reader's language: a nonsense flag names its checks by their labels
        (never their codes, such as "low_diversity"); other flags read as stored."""
        checks = [c.get("code") for c in (self.evidence or {}).get("checks", []) if isinstance(c, dict)]
        if self.kind != self.Kind.NONSENSE or not checks:
            return self.message
        why = ", ".join(str(NONSENSE_CHECKS.get(code, code)) for code in checks)
        title = (self.evidence or {}).get("section_title")
        if title:
            return _('Section "%(s)s" looks like a nonsense answer (%(why)s).') % {"s": title, "why": why}
        # Flags stored before the section's title was kept: put the labels in place of the codes.
        return _CODES_IN_PARENTHESES.sub(f"({why}).", self.message)


# The nonsense checks of jipp.competition.domain.similarity.check_section, by code, as people read them.
NONSENSE_CHECKS = {
    "too_short": _("too short"),
    "repeated_characters": _("one character repeated many times"),
    "low_diversity": _("the same words over and over"),
    "placeholder": _("placeholder text"),
}
_CODES_IN_PARENTHESES = re.compile(r"\((?:[a-z_]+(?:, )?)+\)\.?$")


class ScreeningDecision(models.Model):
    """The secretariat's pass or fail, with its reason (the latest one is the proposal's status)."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=4, choices=Outcome.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("screening decision")
        verbose_name_plural = _("screening decisions")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.reason[:60]}"


class ProposalEvent(models.Model):
    """One step of a proposal's path, for its timeline."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=30, choices=Proposal.Status.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")

    def __str__(self) -> str:
        return f"{self.get_status_display()} @ {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app message to one user (also sent by email when the user has an address)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kipp_notifications")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    message = models.CharField(_("message"), max_length=400)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.message
