"""Summary tables: the dashboard's figures computed ahead, per agency and year, and per area and year.

Written only by `jipp.dashboards.services.refresh` (after writes, through a background task, and
nightly by `manage.py refresh_dashboards`). The names of the figures are
`jipp.dashboards.domain.figures.FIGURES`; year 0 holds the state now and all-time totals.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jipp.regions.models import Agency


class Figures(models.Model):
    """One integer per figure (see `domain.figures`)."""

    agencies = models.PositiveIntegerField(default=0)
    innovations_created = models.PositiveIntegerField(default=0)
    innovations_published = models.PositiveIntegerField(default=0)
    phase_creation = models.PositiveIntegerField(default=0)
    phase_development = models.PositiveIntegerField(default=0)
    phase_institutionalisation = models.PositiveIntegerField(default=0)
    stage_initiative = models.PositiveIntegerField(default=0)
    stage_trial = models.PositiveIntegerField(default=0)
    stage_in_operation = models.PositiveIntegerField(default=0)
    replicated = models.PositiveIntegerField(default=0)
    with_legal_basis = models.PositiveIntegerField(default=0)
    proven = models.PositiveIntegerField(default=0)
    proven_with_legal_basis = models.PositiveIntegerField(default=0)
    unprotected = models.PositiveIntegerField(default=0)
    continuity_missing = models.PositiveIntegerField(default=0)
    published_in_year = models.PositiveIntegerField(default=0)
    proposals = models.PositiveIntegerField(default=0)
    participated = models.PositiveIntegerField(default=0)
    awards_top99 = models.PositiveIntegerField(default=0)
    awards_top45 = models.PositiveIntegerField(default=0)
    awards_outstanding = models.PositiveIntegerField(default=0)
    replications_in = models.PositiveIntegerField(default=0)
    replications_out = models.PositiveIntegerField(default=0)
    replications_finished_in = models.PositiveIntegerField(default=0)
    replications_succeeded_in = models.PositiveIntegerField(default=0)
    continuity_continuing = models.PositiveIntegerField(default=0)
    continuity_growing = models.PositiveIntegerField(default=0)
    continuity_stopped = models.PositiveIntegerField(default=0)
    continuity_dormant = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def as_dict(self) -> dict[str, int]:
        from jipp.dashboards.domain.figures import FIGURES

        return {name: getattr(self, name) for name in FIGURES}


class AgencyFigures(Figures):
    """One agency's figures for one year (0: now / all years). Where the agency sits is copied, so the
    areas are sums over an index."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Agency.Type.choices)
    province_code = models.CharField(max_length=8, blank=True)
    region_code = models.CharField(max_length=8, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("agency", "year", name="agency_figures_once_per_year")]
        indexes = [
            models.Index(fields=["province_code", "year"], name="agfig_province_year"),
            models.Index(fields=["year", "kind"], name="agfig_year_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}"


class AreaFigures(Figures):
    """The sum of the agencies' figures in one scope (the nation, a province, a regency or city, a kind of
    agency, a hub) for one year (0: now / all years)."""

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCE = "province", _("Province")
        REGION = "region", _("Regency or city")
        KIND = "kind", _("Kind of agency")
        HUB = "hub", _("Hub")

    scope = models.CharField(max_length=10, choices=Scope.choices)
    key = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint("scope", "key", "year", name="area_figures_once")]
        indexes = [models.Index(fields=["scope", "year"], name="areafig_scope_year")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}/{self.year}"


class ProvinceArc(models.Model):
    """Replications from one province to another (the map's arcs layer), refreshed with the other
    summaries: `replications` counts the live ones (not declined or withdrawn), `successful` those that
    succeeded. Only pairs of two different provinces with at least one replication have a row."""

    source_code = models.CharField(max_length=8)
    adopter_code = models.CharField(max_length=8)
    replications = models.PositiveIntegerField(default=0)
    successful = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint("source_code", "adopter_code", name="province_arc_once")]
        indexes = [models.Index(fields=["adopter_code"], name="provarc_adopter")]

    def __str__(self) -> str:
        return f"{self.source_code}->{self.adopter_code}"


class Refresh(models.Model):
    """One refresh of the summary tables: when, how much, how long. The latest is shown on every dashboard,
    and its id is the data version a report records."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full")
        INCREMENTAL = "incremental", _("After a change")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    agencies = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["-finished_at", "-pk"]
        get_latest_by = ["finished_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.finished_at:%Y-%m-%d %H:%M}"


class Report(models.Model):
    """A yearly report (national or one hub's) in one language, as PDF and XLSX, made in the background."""

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        HUB = "hub", _("Hub")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    key = models.CharField(max_length=20, blank=True, help_text="Hub id for a hub report.")
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(max_length=100, blank=True)
    data_version = models.PositiveIntegerField(_("data version"), null=True, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", max_length=200, blank=True)
    xlsx = models.FileField(upload_to="reports/%Y/", max_length=200, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # At most one report in the making per scope, year and language: a second request joins it.
            models.UniqueConstraint(
                "scope",
                "key",
                "year",
                "language",
                condition=models.Q(status__in=["queued", "running"]),
                name="one_report_in_progress_per_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.year} ({self.language})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
