"""KIPP part 2: evaluators and panelists, assignment, reviews, nomination, public scrutiny, presentations,
field verification, winners and results.

Everything hangs off the competition's `Edition` and `Proposal`. The numbers that decide (review totals,
aggregates, nominations, final scores) are computed by the pure functions of `jipp.competition.domain`;
this app stores their inputs and the decisions people take on them, so every number can be recomputed
and explained. After the results are published the edition is frozen: nothing that feeds them changes
(services, views, API, admin and commands are all refused, see `common.guard_frozen` and the model
guard in `signals`), except inside an open revision of the results (`ResultsRevision`), which records
who, why and what changed, keeps the previous version public and reissues the certificates.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jipp.competition.models import Edition, Proposal
from jipp.core.models import TimeStampedModel
from jipp.regions.models import Agency, Region
from jipp.registry.models import Category


class Method(models.TextChoices):
    MEAN = "mean", _("Mean")
    MEDIAN = "median", _("Median")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean")
    ZSCORE_MEAN = "zscore_mean", _("Standardised mean (z-score)")


class EvaluationSettings(models.Model):
    """The evaluation rules of one edition (created on first use with the defaults below)."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="evaluation_settings")
    reviews_per_proposal = models.PositiveSmallIntegerField(_("evaluators per proposal"), default=3)
    # Conflict rules.
    conflict_own_agency = models.BooleanField(_("conflict: the evaluator's own agency"), default=True)
    conflict_home_province = models.BooleanField(
        _("conflict: governments in the evaluator's home province"), default=True
    )
    conflict_declared = models.BooleanField(_("conflict: declared agencies and regions"), default=True)
    # Blind mode.
    blind_desk = models.BooleanField(_("blind desk evaluation"), default=True)
    blind_panel = models.BooleanField(_("blind panel scoring"), default=False)
    # Aggregation.
    deciding_method = models.CharField(
        _("method that decides"), max_length=20, choices=Method.choices, default=Method.ZSCORE_MEAN
    )
    trim_proportion = models.DecimalField(
        _("trimmed share at each end"), max_digits=3, decimal_places=2, default=Decimal("0.20")
    )
    min_reviews_for_zscore = models.PositiveSmallIntegerField(
        _("fewest reviews to standardise an evaluator on their own"),
        default=5,
        help_text=_("Evaluators with fewer reviews are standardised together with the other such evaluators."),
    )
    min_spread_for_zscore = models.DecimalField(
        _("smallest spread used to standardise (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("An evaluator whose totals spread less than this is standardised with this spread."),
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold (points)"), max_digits=5, decimal_places=2, default=Decimal("20.00")
    )
    passing_grade = models.DecimalField(
        _("passing grade (raw mean, points)"), max_digits=5, decimal_places=2, default=Decimal("60.00")
    )
    require_comments = models.BooleanField(_("a comment is required on every criterion"), default=False)
    hide_innovation_link = models.BooleanField(
        _("hide the proposal's link to its public innovation until the results"), default=True
    )
    panel_marks_required = models.PositiveSmallIntegerField(
        _("panel marks needed for a final score"), default=1, validators=[MinValueValidator(1)]
    )
    # Nomination.
    finalists_umum = models.PositiveSmallIntegerField(_("finalists, Umum"), default=99)
    finalists_replikasi = models.PositiveSmallIntegerField(_("finalists, Replikasi"), default=0)
    finalists_khusus = models.PositiveSmallIntegerField(_("finalists, Khusus"), default=15)
    min_3t = models.PositiveSmallIntegerField(_("finalists from 3T regions, at least"), default=5)
    max_category_share = models.FloatField(_("largest share of one category"), default=0.4)
    max_province_share = models.FloatField(_("largest share of one province"), default=0.15)
    min_ministry_share = models.FloatField(_("smallest share of ministries and agencies"), default=0.0)
    # Public scrutiny and presentations.
    scrutiny_days = models.PositiveSmallIntegerField(_("days of public scrutiny"), default=5)
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per presentation"), default=20)
    desk_weight = models.PositiveSmallIntegerField(_("weight of the desk score (%)"), default=70)
    presentation_weight = models.PositiveSmallIntegerField(_("weight of the presentation score (%)"), default=30)
    # Winners.
    top_umum = models.PositiveSmallIntegerField(_("Top (Umum)"), default=45)
    top_outstanding = models.PositiveSmallIntegerField(_("Top Outstanding Achievement (Khusus)"), default=5)
    top_replikasi = models.PositiveSmallIntegerField(_("Top Replikasi"), default=0)
    results_decree_number = models.CharField(_("decree number of the results"), max_length=200, blank=True)
    results_decree_date = models.DateField(_("decree date"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    finalists_published_at = models.DateTimeField(_("finalists published"), null=True, blank=True)
    scrutiny_closes_at = models.DateTimeField(_("public scrutiny closes"), null=True, blank=True)
    scrutiny_outcome = models.TextField(_("outcome of the public scrutiny"), blank=True)
    scrutiny_outcome_published_at = models.DateTimeField(_("outcome published"), null=True, blank=True)
    revision_open_at = models.DateTimeField(_("revision of the results opened"), null=True, blank=True)
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    signatory_name = models.CharField(_("certificate signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's position"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("evaluation settings")
        verbose_name_plural = _("evaluation settings")

    def __str__(self) -> str:
        return f"{self.edition}"

    @property
    def is_frozen(self) -> bool:
        """Published and no revision open: nothing that feeds the results may change."""
        return self.results_published_at is not None and self.revision_open_at is None


class Member(TimeStampedModel):
    """An evaluator (evaluation team) or a panelist (independent panel) of one edition."""

    class Kind(models.TextChoices):
        EVALUATOR = "evaluator", _("Evaluator")
        PANELIST = "panelist", _("Panelist")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kipp_memberships")
    kind = models.CharField(_("team"), max_length=10, choices=Kind.choices)
    capacity = models.PositiveSmallIntegerField(
        _("most proposals"), null=True, blank=True, help_text=_("Empty: shared evenly.")
    )
    expertise = models.ManyToManyField(Category, verbose_name=_("expertise"), blank=True, related_name="+")
    conflict_agencies = models.ManyToManyField(
        Agency, verbose_name=_("declared conflicts: agencies"), blank=True, related_name="+"
    )
    conflict_regions = models.ManyToManyField(
        Region, verbose_name=_("declared conflicts: regions"), blank=True, related_name="+"
    )
    available_days = models.JSONField(_("available days"), default=list, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)

    class Meta:
        ordering = ["edition", "kind", "user__username"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint("edition", "user", name="one_membership_per_edition")]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class AssignmentRun(TimeStampedModel):
    """One run of the automatic assignment (a background task): its cost against the optimum and balance."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="assignment_runs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    proposals = models.PositiveIntegerField(_("proposals"), default=0)
    evaluators = models.PositiveIntegerField(_("evaluators"), default=0)
    total_cost = models.FloatField(_("cost"), null=True, blank=True)
    optimal_cost = models.FloatField(_("optimum"), null=True, blank=True)
    min_load = models.PositiveIntegerField(_("lowest load"), null=True, blank=True)
    max_load = models.PositiveIntegerField(_("highest load"), null=True, blank=True)
    balance_slack = models.PositiveIntegerField(_("balance slack"), null=True, blank=True)
    conflicts = models.PositiveIntegerField(_("conflicting pairs excluded"), default=0)
    removed = models.JSONField(_("pairs removed for a conflict"), default=list, blank=True)
    idle = models.JSONField(_("evaluators without a proposal, and why"), default=dict, blank=True)
    seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")


class Assignment(TimeStampedModel):
    """One proposal given to one evaluator. `version` guards manual reassignment against a concurrent change."""

    class Source(models.TextChoices):
        AUTO = "auto", _("Automatic")
        MANUAL = "manual", _("Manual")
        IMPORT = "import", _("Imported")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="assignments")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kipp_assignments")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.AUTO)
    mismatch_cost = models.FloatField(_("expertise mismatch"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["proposal_id", "evaluator_id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint("proposal", "evaluator", name="one_assignment_per_pair")]
        indexes = [models.Index(fields=["edition", "evaluator"], name="assignment_edition_evaluator")]


class Review(TimeStampedModel):
    """An evaluator's scores for one assigned proposal: a draft until submitted, then locked.

    `scores` maps criterion id (as a string) to the score typed; `comments` likewise. `total` is the
    weighted total on 0..100 (`jipp.competition.domain.scoring.weighted_total`), set on submission.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened by the secretariat")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="reviews")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kipp_reviews")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    comments = models.JSONField(_("comments"), default=dict, blank=True)
    total = models.DecimalField(_("weighted total"), max_digits=12, decimal_places=6, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    blind_declared = models.BooleanField(_("declared: did not look for the proposer"), default=False)
    voided_at = models.DateTimeField(_("voided for the ranking"), null=True, blank=True)
    void_reason = models.CharField(_("why voided"), max_length=300, blank=True)

    class Meta:
        ordering = ["proposal_id", "evaluator_id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [models.Index(fields=["edition", "status"], name="review_edition_status")]


class Nomination(TimeStampedModel):
    """One nomination run: the plain ranking, the chosen set with the required mix, and the swaps explained.

    The panel confirms it (possibly after editing the finalists) and records its plenary decision.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="nominations")
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    parameters = models.JSONField(_("targets and quotas"), default=dict)
    chosen = models.JSONField(_("chosen proposals"), default=list)
    plain = models.JSONField(_("plain ranking"), default=list)
    swaps = models.JSONField(_("swaps explained"), default=dict)
    quota_checks = models.JSONField(_("quotas"), default=list)
    total_score = models.FloatField(_("total score"), default=0)
    plain_total_score = models.FloatField(_("total score of the plain ranking"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plenary_record = models.TextField(_("plenary decision"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")


class Finalist(TimeStampedModel):
    """A proposal chosen by the panel, carried through public scrutiny, presentation and verification."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Finalist")
        DISQUALIFIED = "disqualified", _("Disqualified")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="finalists")
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="finalist")
    nomination = models.ForeignKey(Nomination, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.ACTIVE)
    desk_score = models.DecimalField(_("desk score (deciding method, 0-100)"), max_digits=12, decimal_places=6)
    desk_points = models.DecimalField(
        _("desk points (raw mean, 0-100)"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    inputs_version = models.CharField(_("version of the desk inputs"), max_length=32, blank=True)
    added_by_panel = models.BooleanField(_("added by the panel"), default=False)
    presentation_score = models.DecimalField(
        _("presentation score"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    final_score = models.DecimalField(_("final score"), max_digits=12, decimal_places=6, null=True, blank=True)
    verification_passed = models.BooleanField(_("field verification passed"), null=True, blank=True)
    verification_notes = models.TextField(_("field verification notes"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        ordering = ["edition", "-desk_score", "pk"]
        verbose_name = _("finalist")
        verbose_name_plural = _("finalists")

    def __str__(self) -> str:
        return self.proposal.title


class Objection(TimeStampedModel):
    """An objection from the public against a finalist during the public scrutiny (*uji publik*)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="objections")
    finalist = models.ForeignKey(
        Finalist, verbose_name=_("finalist"), on_delete=models.CASCADE, related_name="objections"
    )
    name = models.CharField(_("your name"), max_length=150)
    contact = models.CharField(_("email or telephone"), max_length=150)
    grounds = models.TextField(_("grounds"))
    file = models.FileField(_("supporting file"), upload_to="objections/%Y/", max_length=200, blank=True)
    client_key = models.CharField(max_length=64, db_index=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.name}: {self.finalist_id}"


class Slot(models.Model):
    """A presentation and interview slot before the panel."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="slots")
    finalist = models.OneToOneField(Finalist, on_delete=models.CASCADE, related_name="slot")
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=20)
    room = models.CharField(_("room"), max_length=100)
    link = models.URLField(_("meeting link"), blank=True)
    panelists = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("panelists"), related_name="+")

    class Meta:
        ordering = ["starts_at", "room"]
        verbose_name = _("presentation slot")
        verbose_name_plural = _("presentation slots")

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.room}"


class PanelScore(TimeStampedModel):
    """One panelist's scores of one finalist's presentation and interview (0..100 each)."""

    finalist = models.ForeignKey(Finalist, on_delete=models.CASCADE, related_name="panel_scores")
    panelist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    presentation = models.DecimalField(_("presentation"), max_digits=5, decimal_places=2)
    interview = models.DecimalField(_("interview"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["finalist", "panelist"]
        verbose_name = _("panel score")
        verbose_name_plural = _("panel scores")
        constraints = [models.UniqueConstraint("finalist", "panelist", name="one_panel_score_per_panelist")]


class WinnerQuerySet(models.QuerySet):
    def current(self):
        """The winners of the edition's current version of the results (superseded ones are kept apart)."""
        return self.filter(superseded_at__isnull=True)


class Winner(TimeStampedModel):
    """A winner by decree, with its certificate's verification code.

    A revision of the results supersedes every winner row of the previous version (kept, with the code
    that replaces it) and creates new rows with new codes: an old certificate answers "superseded by".
    """

    class Tier(models.TextChoices):
        TOP = "top", _("Top Innovation")
        OUTSTANDING = "outstanding", _("Outstanding Achievement")
        REPLIKASI = "replikasi", _("Top Replikasi")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="winners")
    finalist = models.ForeignKey(Finalist, on_delete=models.CASCADE, related_name="winners")
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices)
    rank = models.PositiveSmallIntegerField(_("rank"))
    final_score = models.DecimalField(_("final score"), max_digits=12, decimal_places=6)
    verification_code = models.CharField(_("verification code"), max_length=20, unique=True)
    revision = models.PositiveSmallIntegerField(_("version of the results"), default=1)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    superseded_by = models.CharField(_("superseded by (code)"), max_length=20, blank=True)

    objects = WinnerQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "tier", "rank"]
        verbose_name = _("winner")
        verbose_name_plural = _("winners")
        constraints = [
            models.UniqueConstraint(
                "finalist", condition=models.Q(superseded_at__isnull=True), name="one_current_winner_per_finalist"
            )
        ]

    @staticmethod
    def new_code() -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        raw = "".join(secrets.choice(alphabet) for _ in range(12))
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"

    @staticmethod
    def normalise_code(text: str) -> str:
        """A typed code in any case, with or without dashes or spaces -> the stored form XXXX-XXXX-XXXX."""
        raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw

    def __str__(self) -> str:
        return self.verification_code


class DeskScore(models.Model):
    """The stored desk ranking of an edition: every number the ranking, the nomination, the explain page
    and the API show, computed once by `jipp.competition.domain.normalisation` for `inputs_version`."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="desk_scores")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="desk_scores")
    inputs_version = models.CharField(max_length=32)
    valid_reviews = models.PositiveSmallIntegerField(default=0)
    voided_reviews = models.PositiveSmallIntegerField(default=0)
    rankable = models.BooleanField(default=False)
    missing_reviews = models.PositiveSmallIntegerField(default=0)
    values = models.JSONField(default=dict)  # method -> stored value (string), plus mean_z, std, spread
    ranks = models.JSONField(default=dict)
    deciding = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    points = models.DecimalField(max_digits=12, decimal_places=6, null=True)  # raw mean
    disagreement = models.BooleanField(default=False)
    position = models.PositiveIntegerField(null=True)
    # The row's place in the ranking page: 1..N, the ranked rows by position, then the incomplete ones.
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["edition", "position", "proposal_id"]
        verbose_name = _("desk score")
        verbose_name_plural = _("desk scores")
        constraints = [models.UniqueConstraint("edition", "proposal", name="one_desk_score_per_proposal")]
        indexes = [models.Index(fields=["edition", "order"], name="desk_score_edition_order")]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.deciding}"


class DeskRankingState(models.Model):
    """How current the stored desk ranking (DeskScore) is: `version` is bumped (a conditional update,
    `common.bump_ranking_version`) by every write the ranking depends on (a review submitted, reopened
    or voided, a conflict declared, a membership, the settings, the assignments); `ranked_version` is
    the version the stored rows were computed for. Equal: a page reads its stored rows and nothing else.

    `standardisation` keeps each evaluator's exact centre and scale (what z uses, see
    `domain.normalisation.standardise`) so that the ranking after one review is updated for the
    proposals it touches only (`services.ranking.rerank_after_review`)."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.PositiveBigIntegerField(default=1)
    ranked_version = models.PositiveBigIntegerField(null=True)
    standardisation = models.JSONField(default=dict)  # {"evaluators": {id: [n, centre, scale]}}

    class Meta:
        verbose_name = _("state of the stored desk ranking")
        verbose_name_plural = _("states of the stored desk ranking")

    def __str__(self) -> str:
        return f"{self.edition_id}: {self.ranked_version}/{self.version}"

    @property
    def ranked_version_if_current(self) -> int:
        """The version the stored rows are current for, or -1 when they are behind (read under the lock
        before a change: an incremental update is only valid from a current ranking)."""
        return self.ranked_version if self.ranked_version == self.version else -1


class ResultsRevision(models.Model):
    """One published version of the results: the first publication is revision 1; a correction is a new
    revision with who, why, what changed and the previous version's winners (kept and public)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="results_revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("what changed"), default=list)
    previous = models.JSONField(_("previous version"), default=list)
    winners = models.JSONField(_("winners of this version"), default=list)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(_("published"))

    class Meta:
        ordering = ["edition", "-number"]
        verbose_name = _("revision of the results")
        verbose_name_plural = _("revisions of the results")
        constraints = [models.UniqueConstraint("edition", "number", name="one_revision_number_per_edition")]

    def __str__(self) -> str:
        return f"{self.edition} r{self.number}"


class ResultChange(models.Model):
    """A change made after the results were published, with its reason (the record the freeze asks for)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="result_changes")
    what = models.CharField(_("change"), max_length=300)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change after publication")
        verbose_name_plural = _("changes after publication")

    def __str__(self) -> str:
        return self.what
