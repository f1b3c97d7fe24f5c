"""Hubs: selection rounds, cohorts designated by decree, hubs and their spokes, and the hub's work.

A hub is a province government (kind `province`) or a ministry/agency (kind `kl`) that carries the
regencies, cities or units under it (its spokes) through creation, development and
institutionalisation. The Ministry chooses hubs in selection rounds and designates them as a cohort
by decree (KepmenPANRB 94/2020 for the eight pilots, 359/2021 for the next four).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jipp.core.models import TimeStampedModel


class HubKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    KL = "kl", _("Ministry or agency (K/L)")


class Cohort(TimeStampedModel):
    """The hubs designated in one year by one decree."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    decree_number = models.CharField(_("decree number"), max_length=120, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_document = models.FileField(_("decree document"), upload_to="hubs/decrees/", blank=True)
    is_real = models.BooleanField(
        _("real record"), default=False, help_text=_("A real decree; unticked for demo data.")
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name or str(self.year)


class Hub(TimeStampedModel):
    """A designated hub: a province government or a K/L that coaches its spokes."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        GRADUATED = "graduated", _("Graduated")

    Kind = HubKind

    agency = models.ForeignKey(
        "regions.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="hubs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=HubKind.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hubs",
        help_text=_("The province of a province hub; empty for a K/L hub."),
    )
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="hubs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Empty for historical hubs whose decree date is not recorded.
    status_since = models.DateField(_("status since"), null=True, blank=True)
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    mentor_university = models.CharField(_("mentor university"), max_length=200, blank=True)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("hub admins"), blank=True, related_name="administered_hubs"
    )
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentors"), blank=True, related_name="mentored_hubs"
    )
    is_real = models.BooleanField(_("real record"), default=False)

    class Meta:
        ordering = ["cohort__year", "agency__name"]
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        constraints = [
            models.UniqueConstraint("agency", name="one_hub_per_agency"),
            models.CheckConstraint(
                condition=models.Q(kind="kl") | models.Q(region__isnull=False),
                name="province_hub_has_region",
                violation_error_message=_("A province hub needs its province."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.agency)


class Spoke(TimeStampedModel):
    """What a hub carries, from the day it joined to the day it left (history is kept).

    A province hub's spokes are agencies (its regency and city governments); a K/L hub's spokes are its
    own service units or field offices (`unit` set, `agency` then the unit's agency, i.e. the hub's).
    One active hub of each kind per spoke: per agency for agency spokes, per unit for unit spokes.
    """

    hub = models.ForeignKey(Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="spokes")
    agency = models.ForeignKey(
        "regions.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="spoke_memberships"
    )
    unit = models.ForeignKey(
        "regions.ServiceUnit",
        verbose_name=_("unit or field office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spoke_memberships",
        help_text=_("For a K/L hub: the unit or field office carried; empty when the spoke is an agency."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=HubKind.choices,
        help_text=_("Copied from the hub so the database can keep one active hub of each kind per spoke."),
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["agency__name", "unit__name"]
        verbose_name = _("spoke")
        verbose_name_plural = _("spokes")
        constraints = [
            models.UniqueConstraint(
                "agency",
                "kind",
                condition=models.Q(left_on__isnull=True, unit__isnull=True),
                name="one_active_hub_of_a_kind_per_spoke",
                violation_error_message=_("This agency is already a spoke of another active hub of this kind."),
            ),
            models.UniqueConstraint(
                "unit",
                "kind",
                condition=models.Q(left_on__isnull=True, unit__isnull=False),
                name="one_active_hub_of_a_kind_per_unit_spoke",
                violation_error_message=_("This unit is already a spoke of another active hub of this kind."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The unit's name for a unit spoke (a K/L's field office), else the agency's."""
        return self.unit.display_name if self.unit_id else str(self.agency)

    @property
    def is_unit(self) -> bool:
        return self.unit_id is not None

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Measure(models.TextChoices):
    INNOVATIONS_CREATED = "innovations_created", _("Innovations created")
    KIPP_PROPOSALS = "kipp_proposals", _("Proposals sent to KIPP")
    REPLICATIONS_IN = "replications_in", _("Replications into the region")
    LEGAL_BASES = "legal_bases", _("Legal bases issued")
    CONTINUITY_ANSWERS = "continuity_answers", _("Continuity answers")


class WorkPlan(TimeStampedModel):
    hub = models.ForeignKey(Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["hub", "-year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        constraints = [models.UniqueConstraint("hub", "year", name="one_plan_per_hub_year")]

    def __str__(self) -> str:
        return f"{self.hub} {self.year}"


class WorkPlanTarget(models.Model):
    """One target of a plan: for one spoke, or for the whole hub when `spoke` is empty."""

    Measure = Measure

    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="targets")
    spoke = models.ForeignKey(
        Spoke, verbose_name=_("spoke"), on_delete=models.CASCADE, null=True, blank=True, related_name="targets"
    )
    measure = models.CharField(_("measure"), max_length=24, choices=Measure.choices)
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["plan", "spoke", "measure"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint("plan", "spoke", "measure", name="one_target_per_spoke_measure"),
            models.UniqueConstraint(
                "plan", "measure", condition=models.Q(spoke__isnull=True), name="one_total_target_per_measure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.target}"


class Activity(TimeStampedModel):
    class Kind(models.TextChoices):
        MENTORING = "mentoring", _("Mentoring (pendampingan)")
        COACHING_CLINIC = "coaching_clinic", _("Coaching clinic")
        FRIPP = "fripp", _("Replication forum (FRIPP)")
        TRAINING = "training", _("Technical training")
        FIELD_VISIT = "field_visit", _("Field visit")
        KAJI_TIRU = "kaji_tiru", _("Study visit (kaji tiru)")

    hub = models.ForeignKey(Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="activities")
    plan = models.ForeignKey(
        WorkPlan, verbose_name=_("work plan"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    spokes = models.ManyToManyField(Spoke, verbose_name=_("spokes involved"), blank=True, related_name="activities")
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentors"), blank=True, related_name="hub_activities"
    )
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    outputs = models.TextField(_("outputs"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    document = models.FileField(_("document"), upload_to="hubs/activities/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("An activity cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Aspect(models.TextChoices):
    PLANNING = "planning", _("Planning (perencanaan)")
    INSTITUTIONALISATION = "institutionalisation", _("Institutionalisation (pelembagaan)")
    DISSEMINATION = "dissemination", _("Dissemination (penyebarluasan)")
    EVALUATION = "evaluation", _("Evaluation (evaluasi)")


MATURITY_LEVELS = (1, 2, 3, 4, 5)


class MaturityAssessment(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("assessment", "Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")

    hub = models.ForeignKey(Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["hub", "-year"]
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        constraints = [models.UniqueConstraint("hub", "year", name="one_assessment_per_hub_year")]

    def __str__(self) -> str:
        return f"{self.hub} {self.year}"


class MaturityAspect(models.Model):
    """One aspect of an assessment: the level the hub declared and the level the Ministry verified."""

    Aspect = Aspect
    level_validators = [MinValueValidator(1), MaxValueValidator(5)]

    assessment = models.ForeignKey(
        MaturityAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="aspects"
    )
    aspect = models.CharField(_("aspect"), max_length=24, choices=Aspect.choices)
    declared_level = models.PositiveSmallIntegerField(_("declared level"), validators=level_validators)
    verified_level = models.PositiveSmallIntegerField(
        _("verified level"), null=True, blank=True, validators=level_validators
    )
    evidence = models.TextField(_("evidence"), blank=True)
    adjust_reason = models.TextField(_("reason for adjustment"), blank=True)

    class Meta:
        ordering = ["assessment", "aspect"]
        verbose_name = _("maturity aspect")
        verbose_name_plural = _("maturity aspects")
        constraints = [
            models.UniqueConstraint("assessment", "aspect", name="one_row_per_aspect"),
            models.CheckConstraint(
                condition=models.Q(declared_level__gte=1, declared_level__lte=5),
                name="declared_level_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.get_aspect_display()


# Selection --------------------------------------------------------------------------------------


class SelectionRound(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("round", "Draft")
        SCORING = "scoring", _("Scoring")
        DECIDED = "decided", _("Decided")

    year = models.PositiveSmallIntegerField(_("year"))
    purpose = models.CharField(_("purpose"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=HubKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("scoring team"), blank=True, related_name="selection_rounds"
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort designated"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
    )
    is_real = models.BooleanField(_("real record"), default=False)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")

    def __str__(self) -> str:
        return f"{self.year}: {self.purpose}"


class Criterion(models.Model):
    """A criterion of a round, with its weight in percent and a scoring guide per level."""

    round = models.ForeignKey(
        SelectionRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class WeightBasis(models.TextChoices):
        DECLARED = "declared", _("Declared by the Ministry")
        ASSUMED = "assumed", _("Assumed by the platform (not stated in the source)")

    weight_basis = models.CharField(
        _("where the weight comes from"),
        max_length=10,
        choices=WeightBasis.choices,
        default=WeightBasis.DECLARED,
        help_text=_(
            "Assumed: a placeholder the platform seeded because the decree names the criteria but not their "
            "weights; the Ministry replaces it (it becomes declared) while the round is in draft."
        ),
    )
    guide = models.JSONField(
        _("scoring guide"),
        default=dict,
        blank=True,
        help_text=_("What each level means: {level: description}. The levels here are the only scores allowed."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["round", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint("round", "name", name="criterion_name_unique_per_round")]

    def __str__(self) -> str:
        return self.name

    @property
    def levels(self) -> list[int]:
        return sorted(int(level) for level in self.guide)


class Candidate(TimeStampedModel):
    round = models.ForeignKey(
        SelectionRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="candidates"
    )
    agency = models.ForeignKey(
        "regions.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="hub_candidacies"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("province"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    designated = models.BooleanField(_("designated"), default=False)

    class Meta:
        ordering = ["round", "agency__name"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint("round", "agency", name="one_candidacy_per_round")]

    def __str__(self) -> str:
        return str(self.agency)


class Evidence(TimeStampedModel):
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="evidence"
    )
    note = models.TextField(_("note"), blank=True)
    document = models.FileField(_("document"), upload_to="hubs/evidence/", blank=True)

    class Meta:
        ordering = ["candidate", "criterion", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class ConflictDeclaration(TimeStampedModel):
    """A scoring member's declaration before scoring: no conflict, or a conflict with named candidates."""

    round = models.ForeignKey(
        SelectionRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="declarations"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    conflicted = models.ManyToManyField(Candidate, verbose_name=_("conflicts with"), blank=True, related_name="+")
    statement = models.TextField(_("statement"), blank=True)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")
        constraints = [models.UniqueConstraint("round", "member", name="one_declaration_per_member")]


class Score(TimeStampedModel):
    round = models.ForeignKey(SelectionRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint("member", "candidate", "criterion", name="one_score_per_member_candidate_criterion")
        ]


class Decision(TimeStampedModel):
    """The Ministry's decision on a round, recorded as the decree that designates a cohort."""

    round = models.OneToOneField(
        SelectionRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="decision"
    )
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="decisions")
    decree_number = models.CharField(_("decree number"), max_length=120)
    decree_date = models.DateField(_("decree date"))
    decree_document = models.FileField(_("decree document"), upload_to="hubs/decrees/", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
