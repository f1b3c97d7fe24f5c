"""Institutionalisation (pelembagaan): legal bases, sustainability checklists and the precomputed
protection status of every innovation that feeds the "proven but unprotected" work list."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from jipp.core.models import TimeStampedModel
from jipp.institutionalisation.domain.protection import LEGAL_BASIS_ORDER, LegalBasisType
from jipp.regions.models import Agency, Region
from jipp.registry.models import Innovation

LEGAL_BASIS_LABELS = {
    LegalBasisType.SOP: _("Standard operating procedure (SOP)"),
    LegalBasisType.SK_KEPALA_PERANGKAT_DAERAH: _("Decree of the unit head (SK Kepala Perangkat Daerah)"),
    LegalBasisType.SK_KEPALA_DAERAH: _("Decree of the regional head (SK Kepala Daerah)"),
    LegalBasisType.PERKADA: _("Regional-head regulation (Perkada: Pergub/Perbup/Perwali)"),
    LegalBasisType.PERDA: _("Regional regulation (Perda)"),
    LegalBasisType.SK_PEJABAT: _("Decree of an official (SK Pejabat)"),
    LegalBasisType.KEPUTUSAN_MENTERI: _("Decree of the minister or head of agency"),
    LegalBasisType.PERATURAN_MENTERI: _("Regulation of the minister or head of agency"),
    LegalBasisType.PERPRES: _("Presidential regulation (Perpres)"),
    LegalBasisType.PP: _("Government regulation (PP)"),
    LegalBasisType.UU: _("Law (UU)"),
}
SHORT_LABELS = {
    LegalBasisType.SOP: "SOP",
    LegalBasisType.SK_KEPALA_PERANGKAT_DAERAH: "SK Kepala PD",
    LegalBasisType.SK_KEPALA_DAERAH: "SK Kepala Daerah",
    LegalBasisType.PERKADA: "Perkada",
    LegalBasisType.PERDA: "Perda",
    LegalBasisType.SK_PEJABAT: "SK Pejabat",
    LegalBasisType.KEPUTUSAN_MENTERI: "Kepmen",
    LegalBasisType.PERATURAN_MENTERI: "Permen",
    LegalBasisType.PERPRES: "Perpres",
    LegalBasisType.PP: "PP",
    LegalBasisType.UU: "UU",
}
LEGAL_BASIS_CHOICES = [(t.value, LEGAL_BASIS_LABELS[t]) for t in LEGAL_BASIS_ORDER]


class LegalBasis(TimeStampedModel):
    """A legal instrument (payung hukum) that backs an innovation."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="legal_bases")
    type = models.CharField(_("type"), max_length=32, choices=LEGAL_BASIS_CHOICES)
    strength = models.PositiveSmallIntegerField(_("strength"), editable=False, default=0)
    number = models.CharField(_("number"), max_length=120)
    issued_on = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(editable=False, default=0)
    title = models.CharField(_("title"), max_length=300)
    issued_by = models.CharField(_("issuing official"), max_length=200, help_text=_("E.g. Bupati Sidoarjo."))
    file = models.FileField(_("document"), upload_to="legal-bases/%Y/", max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-strength", "-issued_on", "pk"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        constraints = [
            # Numbering restarts every year per issuer: the same number twice is a typo or a duplicate.
            models.UniqueConstraint(
                "innovation",
                Lower("issued_by"),
                "year",
                Lower("number"),
                name="legal_basis_number_once_per_issuer_year",
                violation_error_message=_(
                    "This innovation already has a legal basis with this number from the same issuer and year."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{SHORT_LABELS.get(self.type, self.type)} {self.number}"

    @property
    def short_label(self) -> str:
        return SHORT_LABELS.get(self.type, self.type)


class SustainabilityCheck(TimeStampedModel):
    """A dated sustainability checklist: budget, SOP, staff, legal basis, monitoring, place in the unit's duties."""

    class BudgetSource(models.TextChoices):
        NONE = "", _("No budget line")
        APBD = "apbd", _("Regional budget (APBD/RKPD)")
        APBN = "apbn", _("State budget (APBN)")
        OTHER = "other", _("Other source")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="sustainability_checks")
    checked_on = models.DateField(_("date"))
    budget_source = models.CharField(_("budget line"), max_length=8, choices=BudgetSource.choices, blank=True)
    has_sop = models.BooleanField(_("SOP in place"), default=False)
    has_staff = models.BooleanField(_("staff assigned"), default=False)
    has_legal_basis = models.BooleanField(_("legal basis"), default=False)
    has_monitoring = models.BooleanField(_("monitoring in place"), default=False)
    in_unit_duties = models.BooleanField(_("part of the unit's duties"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("sustainability check")
        verbose_name_plural = _("sustainability checks")
        get_latest_by = ["checked_on", "pk"]

    @property
    def has_budget_line(self) -> bool:
        return bool(self.budget_source)

    @property
    def score(self) -> int:
        """How many of the six points are met."""
        return sum(
            [
                self.has_budget_line,
                self.has_sop,
                self.has_staff,
                self.has_legal_basis,
                self.has_monitoring,
                self.in_unit_duties,
            ]
        )


class ProtectionStatus(models.Model):
    """One row per innovation: the "proven" and "unprotected" rules applied ahead of time.

    Written only by `services.refresh_protection` (after every change and by the nightly task, because
    "two years in operation" changes with the date), so the work list is an indexed query at any scale.
    """

    innovation = models.OneToOneField(Innovation, on_delete=models.CASCADE, related_name="protection", primary_key=True)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    province = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    is_public = models.BooleanField(default=False)
    strongest_type = models.CharField(max_length=32, choices=LEGAL_BASIS_CHOICES, blank=True)
    strength = models.PositiveSmallIntegerField(default=0)
    has_budget_line = models.BooleanField(default=False)
    by_kipp_tier = models.BooleanField(default=False)
    by_replication = models.BooleanField(default=False)
    by_operation = models.BooleanField(default=False)
    is_proven = models.BooleanField(default=False)
    is_unprotected = models.BooleanField(default=False)
    as_of = models.DateField()

    class Meta:
        verbose_name = _("protection status")
        verbose_name_plural = _("protection statuses")
        indexes = [
            models.Index(fields=["is_unprotected", "province"], name="prot_unprot_province"),
            models.Index(fields=["is_unprotected", "agency"], name="prot_unprot_agency"),
            models.Index(fields=["is_unprotected", "region"], name="prot_unprot_region"),
            models.Index(fields=["province", "is_proven"], name="prot_province_proven"),
        ]

    def __str__(self) -> str:
        return f"{self.innovation_id}: {'unprotected' if self.is_unprotected else 'ok'}"

    @property
    def gaps(self) -> list[str]:
        return [
            g
            for g, missing in (("no_legal_basis", not self.strength), ("no_budget_line", not self.has_budget_line))
            if missing
        ]
