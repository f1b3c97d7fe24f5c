"""Replication (replikasi): an adopting agency takes over one or more innovations of a source agency.

One record is shared by both sides: the adopter owns the request, the stages, what changed and the
outcome; the source agency owns its answer and the support it gives. Derived columns (stage reached,
implementation statement on file, success, provinces) are written only by `services.refresh_replication`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jipp.core.models import TimeStampedModel
from jipp.regions.models import Agency, Region, ServiceUnit
from jipp.registry.models import Innovation


class Replication(TimeStampedModel):
    class Mode(models.TextChoices):
        MENTORING = "mentoring", _("Mentoring")
        COACHING_CLINIC = "coaching_clinic", _("Coaching clinic")
        INTERNSHIP = "internship", _("Internship")
        PEER_LEARNING = "peer_learning", _("Peer learning (seminar, workshop)")
        FIELD_VISIT = "field_visit", _("Field visit (kaji tiru)")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Outcome(models.TextChoices):
        ONGOING = "", _("In progress")
        SUCCEEDED_CONTINUING = "succeeded_continuing", _("Succeeded and continuing")
        SUCCEEDED_STOPPED = "succeeded_stopped", _("Succeeded, then stopped")
        ABANDONED = "abandoned", _("Abandoned")

    class Stage(models.TextChoices):
        # Values equal jipp.institutionalisation.domain.protection.ReplicationStage.
        PREPARATION = "preparation", _("Preparation")
        AGREEMENT = "agreement", _("Agreement")
        ADAPTATION = "adaptation", _("Adaptation")
        IMPLEMENTATION = "implementation", _("Implementation")
        EVALUATION = "evaluation", _("Evaluation")

    # Stable public identifier: URLs, the API and KIPP Replikasi proposals refer to it.
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    source_agency = models.ForeignKey(
        Agency, verbose_name=_("source agency"), on_delete=models.PROTECT, related_name="replications_given"
    )
    adopter_agency = models.ForeignKey(
        Agency, verbose_name=_("adopting agency"), on_delete=models.PROTECT, related_name="replications_received"
    )
    adopter_unit = models.ForeignKey(
        ServiceUnit,
        verbose_name=_("adopting unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replications",
    )
    sources = models.ManyToManyField(
        Innovation, verbose_name=_("source innovations"), through="ReplicationSource", related_name="replications"
    )
    # The first source, for lists and the network without a join through the sources table.
    primary_source = models.ForeignKey(
        Innovation, verbose_name=_("source innovation"), on_delete=models.PROTECT, related_name="+"
    )
    source_province = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    adopter_province = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.MENTORING)
    problem = models.TextField(_("the problem to solve"), blank=True)
    request_note = models.TextField(_("request"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    response_note = models.TextField(_("source agency's answer"), blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    support_notes = models.TextField(
        _("support given by the source agency"), blank=True, help_text=_("Mentoring, materials, visits.")
    )
    differences = models.TextField(
        _("what differs here (faktor pembeda)"), blank=True, help_text=_("What was changed for the new place.")
    )
    results = models.TextField(_("results"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason for the outcome"), blank=True)

    # Derived (services.refresh_replication).
    stage = models.CharField(_("stage reached"), max_length=16, choices=Stage.choices, blank=True, editable=False)
    has_implementation_statement = models.BooleanField(default=False, editable=False)
    is_successful = models.BooleanField(_("successful"), default=False, editable=False)
    completed_on = models.DateField(_("completed"), null=True, blank=True, editable=False)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        indexes = [
            models.Index(fields=["is_successful", "-completed_on"], name="repl_successful"),
            models.Index(fields=["source_agency", "status"], name="repl_source_status"),
            models.Index(fields=["adopter_agency", "status"], name="repl_adopter_status"),
            models.Index(fields=["source_province", "adopter_province"], name="repl_provinces"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source_agency=models.F("adopter_agency")),
                name="replication_not_own_agency",
                violation_error_message=_("An agency cannot replicate its own innovation."),
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="replication_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.primary_source.title} → {self.adopter_agency}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ACCEPTED and not self.outcome

    @property
    def progress_label(self) -> str:
        """Where the replication stands, in one phrase: an empty outcome means "in progress" only once accepted.

        (A declined request used to read "In progress", the label of the empty outcome.)
        """
        if self.status == self.Status.REQUESTED:
            return str(_("Awaiting an answer"))
        if self.status != self.Status.ACCEPTED:
            return self.get_status_display()
        return self.get_outcome_display()


class ReplicationSource(models.Model):
    replication = models.ForeignKey(Replication, on_delete=models.CASCADE, related_name="source_links")
    innovation = models.ForeignKey(Innovation, on_delete=models.PROTECT, related_name="replication_links")

    class Meta:
        verbose_name = _("source innovation")
        verbose_name_plural = _("source innovations")
        constraints = [models.UniqueConstraint("replication", "innovation", name="replication_source_once")]

    def __str__(self) -> str:
        return f"{self.replication_id}: {self.innovation_id}"


class StageRecord(TimeStampedModel):
    """One stage of one replication, with dates and notes (documents point at it by stage)."""

    replication = models.ForeignKey(Replication, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=16, choices=Replication.Stage.choices)
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("replication stage")
        verbose_name_plural = _("replication stages")
        constraints = [models.UniqueConstraint("replication", "stage", name="replication_stage_once")]


class Document(TimeStampedModel):
    """Evidence of a replication, stored under a generated name; served by a view that checks access."""

    class Kind(models.TextChoices):
        REQUEST_LETTER = "request_letter", _("Request letter")
        MOU = "mou", _("Memorandum of understanding (MoU)")
        PKS = "pks", _("Cooperation agreement (PKS)")
        STATEMENT_LETTER = "statement_letter", _("Statement letter")
        IMPLEMENTATION_STATEMENT = "implementation_statement", _("Adopter's implementation statement")
        EVALUATION_REPORT = "evaluation_report", _("Evaluation report")
        OTHER = "other", pgettext_lazy("document kind", "Other")

    class Side(models.TextChoices):
        ADOPTER = "adopter", _("Adopter")
        SOURCE = "source", _("Source agency")

    replication = models.ForeignKey(Replication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    side = models.CharField(_("uploaded by side"), max_length=8, choices=Side.choices)
    file = models.FileField(_("file"), upload_to="replication/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("replication document")
        verbose_name_plural = _("replication documents")

    def __str__(self) -> str:
        return self.original_name


class TimelineEntry(models.Model):
    """What happened, when and by whom: the replication's shared history."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        STAGE = "stage", _("Stage")
        DOCUMENT = "document", _("Document")
        DETAILS = "details", _("Details updated")
        SUPPORT = "support", _("Support noted")
        OUTCOME = "outcome", pgettext_lazy("replication", "Outcome")

    replication = models.ForeignKey(Replication, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    side = models.CharField(_("side"), max_length=8, choices=Document.Side.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d})"
