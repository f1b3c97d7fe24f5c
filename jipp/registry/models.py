"""The national innovation registry: one record per innovation, from creation to institutionalisation.

Some columns are kept up to date by later apps (awards by the competition, replication counts
by replication, the legal-basis flag by institutionalisation) so that the catalogue can filter
and count by them without joins: each is written only through `jipp.registry.services`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jipp.core.models import TimeStampedModel
from jipp.regions.models import Agency, Region, ServiceUnit
from jipp.registry.bounds import validate_date, validate_year


class BilingualNameMixin(models.Model):
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class Category(BilingualNameMixin):
    """A KIPP category (e.g. poverty reduction, health). `bit` is its position in `Innovation.category_mask`."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    bit = models.PositiveSmallIntegerField(_("bit"), unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["bit"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Sdg(BilingualNameMixin):
    """One of the 17 Sustainable Development Goals (TPB/SDGs)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Innovation(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Stage(models.TextChoices):
        INITIATIVE = "initiative", _("Initiative")
        TRIAL = "trial", _("Trial")
        IN_OPERATION = "in_operation", _("In operation")

    class Phase(models.TextChoices):
        CREATION = "creation", _("Creation")
        DEVELOPMENT = "development", _("Development")
        INSTITUTIONALISATION = "institutionalisation", _("Institutionalisation")

    class Form(models.TextChoices):
        GOVERNANCE = "governance", _("Governance")
        PUBLIC_SERVICE = "public_service", _("Public service")
        OTHER = "other", pgettext_lazy("innovation form", "Other")

    class Initiator(models.TextChoices):
        REGIONAL_HEAD = "regional_head", _("Regional head")
        COUNCIL = "council", _("Regional council (DPRD)")
        UNIT = "unit", _("Agency unit")
        CIVIL_SERVANT = "civil_servant", _("Civil servant")
        COMMUNITY = "community", _("Community")

    class InnovatorType(models.TextChoices):
        PERSON = "person", _("A person")
        TEAM = "team", _("A team")

    class Sector(models.TextChoices):
        HEALTH = "health", _("Health")
        EDUCATION = "education", _("Education")
        CIVIL_REGISTRATION = "civil_registration", _("Population and civil registration")
        LICENSING = "licensing", _("Licensing and investment")
        SOCIAL = "social", _("Social protection")
        AGRICULTURE = "agriculture", _("Agriculture and food")
        ENVIRONMENT = "environment", _("Environment")
        TRANSPORT = "transport", _("Transport")
        ECONOMY = "economy", _("Economy and SMEs")
        GOVERNANCE = "governance", _("Governance and administration")
        DISASTER = "disaster", _("Disaster management")
        TOURISM = "tourism", _("Tourism and culture")
        OTHER = "other", pgettext_lazy("sector", "Other")

    class BudgetSource(models.TextChoices):
        APBN = "apbn", _("State budget (APBN)")
        APBD = "apbd", _("Regional budget (APBD)")
        APBDES = "apbdes", _("Village budget (APBDes)")
        CSR = "csr", _("Private / CSR")
        NONE = "none", _("No dedicated budget")
        OTHER = "other", pgettext_lazy("budget source", "Other")

    class Continuity(models.TextChoices):
        CONTINUING = "continuing", _("Continuing")
        GROWING = "growing", _("Growing")
        STOPPED = "stopped", _("Stopped")
        DORMANT = "dormant", _("Dormant")

    class Readiness(models.TextChoices):
        READY = "ready", _("Ready to be replicated")
        WITH_SUPPORT = "with_support", _("Replicable with support")
        NOT_READY = "not_ready", _("Not ready yet")

    class AwardTier(models.TextChoices):
        NONE = "", _("No award")
        # A summary of the best award (see AwardTier.SUMMARY): any Top 99 finalist, any winner (Top 9 to 45).
        TOP99 = "top99", _("KIPP finalist (Top 99)")
        TOP45 = "top45", _("KIPP winner (Top 9–45)")
        OUTSTANDING = "outstanding", _("Outstanding Achievement")

    # Ownership (agency, region and province are copies of the unit's, for filtering without joins).
    unit = models.ForeignKey(
        ServiceUnit, verbose_name=_("service unit"), on_delete=models.PROTECT, related_name="innovations"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="innovations")
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="innovations"
    )
    province = models.ForeignKey(
        Region, verbose_name=_("province"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency_type = models.CharField(_("agency type"), max_length=10, choices=Agency.Type.choices)

    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"))
    problem = models.TextField(_("problem"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    results = models.TextField(_("results"), blank=True)
    innovator_type = models.CharField(
        _("innovator"), max_length=10, choices=InnovatorType.choices, default=InnovatorType.TEAM
    )
    innovators = models.TextField(_("innovators"), blank=True, help_text=_("Names, one per line."))
    start_date = models.DateField(_("start date"), null=True, blank=True, validators=[validate_date])
    rollout_date = models.DateField(_("roll-out date"), null=True, blank=True, validators=[validate_date])
    year_started = models.PositiveSmallIntegerField(_("year started"), null=True, blank=True, editable=False)
    # Empty = not known (an import never invents a stage).
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True, default="")
    phase = models.CharField(_("policy phase"), max_length=20, choices=Phase.choices, default=Phase.CREATION)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.PUBLIC_SERVICE)
    is_digital = models.BooleanField(_("digital"), default=False)
    initiator = models.CharField(_("initiator"), max_length=20, choices=Initiator.choices, default=Initiator.UNIT)
    categories = models.ManyToManyField(Category, verbose_name=_("KIPP categories"), blank=True, related_name="+")
    sdgs = models.ManyToManyField(Sdg, verbose_name=_("Sustainable Development Goals"), blank=True, related_name="+")
    # Bit masks of the categories and SDGs, so that facets are counted in one scan (see selectors).
    category_mask = models.BigIntegerField(default=0, editable=False)
    sdg_mask = models.IntegerField(default=0, editable=False)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    beneficiaries = models.TextField(_("beneficiaries"), blank=True)
    budget_source = models.CharField(
        _("budget source"), max_length=10, choices=BudgetSource.choices, default=BudgetSource.APBD
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    readiness = models.CharField(
        _("replication readiness"), max_length=20, choices=Readiness.choices, default=Readiness.WITH_SUPPORT
    )
    prerequisites = models.TextField(_("prerequisites for replication"), blank=True)

    # Kept by the yearly continuity updates, the competition, replication and institutionalisation.
    continuity = models.CharField(_("continuity"), max_length=12, choices=Continuity.choices, blank=True)
    award_tier = models.CharField(_("best KIPP award"), max_length=12, choices=AwardTier.choices, blank=True)
    replication_count = models.PositiveIntegerField(_("adopting agencies"), default=0)
    has_legal_basis = models.BooleanField(_("has a legal basis"), default=False)

    status = models.CharField(_("publication"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Stemmed text for full-text search (FTS5 on SQLite reads these columns; see jipp.registry.search).
    search_title = models.TextField(default="", editable=False)
    search_body = models.TextField(default="", editable=False)
    # Short names (the part of the title in brackets) and acronyms, unstemmed: ranked first.
    search_name = models.TextField(default="", blank=True, editable=False)
    # Ids of similar innovations, computed ahead of time by a background task.
    similar_ids = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="innov_status_published"),
            # Covering for the figures per province, phase and stage (the hubs' selection ranking).
            models.Index(fields=["status", "province", "phase", "stage"], name="innov_status_prov_phase"),
            models.Index(fields=["status", "-replication_count"], name="innov_status_replicated"),
            models.Index(fields=["agency", "status"], name="innov_agency_status"),
            models.Index(fields=["region", "status"], name="innov_region_status"),
            # MAX(updated_at) tells the catalogue's in-memory facet index whether to reload.
            models.Index(fields=["updated_at"], name="innov_updated"),
        ]
        permissions = [("publish_innovation", "Can publish or withdraw innovations")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def adopter_band(self) -> str:
        """The Home Affairs index's count of distinct adopters: 0, 1, 2 or 3+."""
        return "3+" if self.replication_count >= 3 else str(self.replication_count)


class ContinuityUpdate(TimeStampedModel):
    """A dated yearly statement of whether the innovation still runs, with the reason."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="continuity_updates")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=12, choices=Innovation.Continuity.choices)
    reason = models.TextField(_("reason"), blank=True)
    reported_on = models.DateField(_("reported on"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-reported_on"]
        verbose_name = _("continuity update")
        verbose_name_plural = _("continuity updates")
        constraints = [
            models.UniqueConstraint(
                "innovation",
                "year",
                name="one_continuity_update_per_year",
                violation_error_message=_("This innovation already has a continuity update for this year."),
            )
        ]


class AwardTier(BilingualNameMixin):
    """A tier of an award in one edition (year): configuration, not code.

    KIPP's tiers changed over the years (Top 9 in 2014, Top 25, 35, 40, then Top 45; Top 99
    finalists; Top 5 Outstanding Achievement; Replikasi finalists and winners; Terpuji lists).
    `rank` orders tiers within a year (1 is the highest); `kind` says what the tier counts as for
    the innovation's summary column (`Innovation.award_tier`, read by the competition's screening).
    """

    class Kind(models.TextChoices):
        WINNER = "winner", _("Winner")
        OUTSTANDING = "outstanding", _("Outstanding Achievement")
        FINALIST = "finalist", _("Finalist")
        REPLICATION_WINNER = "replication_winner", _("Replication winner")
        REPLICATION_FINALIST = "replication_finalist", _("Replication finalist")
        COMMENDED = "commended", _("Commended (Terpuji)")

    # The summary written on the innovation for each kind (best wins: outstanding > top45 > top99).
    SUMMARY = {
        Kind.WINNER: "top45",
        Kind.OUTSTANDING: "outstanding",
        Kind.FINALIST: "top99",
        Kind.REPLICATION_WINNER: "top45",
        Kind.REPLICATION_FINALIST: "top99",
        Kind.COMMENDED: "",
    }

    competition = models.CharField(_("competition"), max_length=40, default="KIPP")
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    code = models.SlugField(_("code"), max_length=30)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the highest tier of the year."))
    size = models.PositiveSmallIntegerField(_("number of places"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    category = models.CharField(
        _("category"), max_length=40, blank=True, help_text=_("E.g. Umum, Replikasi, Khusus, Terpuji.")
    )

    class Meta:
        ordering = ["-year", "rank"]
        verbose_name = _("award tier")
        verbose_name_plural = _("award tiers")
        constraints = [
            models.UniqueConstraint(
                "competition",
                "year",
                "code",
                name="award_tier_unique_per_year",
                violation_error_message=_("This edition already has a tier with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.competition} {self.year}"


class Award(TimeStampedModel):
    """An award won by an innovation: competition, year, tier (a code of the year's AwardTier), decree, source.

    Written by the competition when results are published, and by imports of past award lists.
    """

    innovation = models.ForeignKey(Innovation, on_delete=models.PROTECT, related_name="awards")
    competition = models.CharField(_("competition"), max_length=40, default="KIPP")
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    tier = models.CharField(_("tier"), max_length=30, help_text=_("The code of the year's award tier."))
    category = models.CharField(_("category"), max_length=40, blank=True)
    title = models.CharField(_("award"), max_length=200)
    decree_number = models.CharField(_("decree number"), max_length=120, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True, validators=[validate_date])
    source_url = models.URLField(_("source"), blank=True, max_length=500)
    is_imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        indexes = [models.Index(fields=["year", "tier"], name="award_year_tier")]


class Attachment(TimeStampedModel):
    """A photo or document of an innovation, stored under a generated name; served by a view that checks access."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")
        DECREE = "decree", _("Decree appointing the innovator or team")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # Required for photos at upload (what the photo shows, for screen readers); see attachments.add_attachment.
    alt_text = models.CharField(_("alternative text"), max_length=250, blank=True)
    # A small JPEG made server-side from a photo (jipp.registry.attachments.thumbnail_of), kept once made.
    thumbnail = models.FileField(_("thumbnail"), upload_to="thumbnails/%Y/%m/", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A UPP's new photo of a published innovation is part of its pending revision: shown to nobody
    # outside the innovation's editors until the Admin Lokal approves it (jipp.registry.revisions).
    awaiting_review = models.BooleanField(_("waiting for approval"), default=False)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class InnovationRevision(TimeStampedModel):
    """A UPP's change to a published innovation, waiting for its Admin Lokal (the published version stays).

    `changes` holds only the fields that differ from the published version when the UPP last saved
    (JSON: dates as ISO strings, `categories` and `sdgs` as sorted lists of ids), so approving applies
    exactly what the UPP changed and nothing the Admin Lokal edited meanwhile. One pending revision per
    innovation: the UPP keeps editing it until it is approved or rejected.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="revisions")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    changes = models.JSONField(_("proposed changes"), default=dict)
    base_version = models.PositiveIntegerField(_("based on version"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("pending revision")
        verbose_name_plural = _("pending revisions")
        constraints = [
            models.UniqueConstraint(
                "innovation",
                condition=models.Q(status="pending"),
                name="one_pending_revision_per_innovation",
                violation_error_message=_("This innovation already has a change waiting for approval."),
            )
        ]
        indexes = [models.Index(fields=["status", "innovation"], name="revision_status_innov")]

    def __str__(self) -> str:
        return f"{self.innovation} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ImportBatch(TimeStampedModel):
    """One uploaded file: checked (preview), then imported, then published as a whole; its row report is kept.

    `decisions` holds the user's choices per row ({"<row>": {"agency": id, "duplicate": "skip|merge|create",
    "alias": true}}); the preview and the import both run the same check with them, so the import saves
    exactly what the preview showed. `report` is the last check's row report; `created_ids` the innovations
    the import created (published together by one action).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        CHECKING = "checking", _("Checking the rows")
        CHECKED = "checked", _("Checked: review the preview")
        REFUSED = "refused", _("Refused: nothing was saved")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported as drafts")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed: nothing was saved")

    class Kind(models.TextChoices):
        INNOVATIONS = "innovations", _("Innovations (with optional awards)")
        AWARDS = "awards", _("Awards of innovations already in the registry")

    token = models.CharField(max_length=32, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INNOVATIONS)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    default_unit = models.ForeignKey(ServiceUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    language = models.CharField(max_length=8, default="id")
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    decisions = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    created_ids = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.filename

    @property
    def busy(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.CHECKING, self.State.IMPORTING)

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, int(self.processed * 100 / self.total))
