from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from jipp.core.models import TimeStampedModel
from jipp.core.timezones import zone_for_province
from jipp.regions.domain.resolver import normalise


class Region(models.Model):
    """A province, regency (kabupaten) or city (kota), with its Kemendagri code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency")
        CITY = "city", _("City")

    code = models.CharField(_("Kemendagri code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=12, decimal_places=3, null=True, blank=True)
    is_3t = models.BooleanField(
        _("3T region"),
        default=False,
        help_text=_("Disadvantaged, frontier or outermost region (tertinggal, terdepan, terluar)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="province", parent__isnull=True)
                | (~models.Q(level="province") & models.Q(parent__isnull=False)),
                name="region_parent_matches_level",
                violation_error_message=_("A province has no parent; a regency or city belongs to a province."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]

    @property
    def timezone(self) -> str:
        return zone_for_province(self.code)


class Agency(TimeStampedModel):
    """An agency (instansi): a regional government, a ministry or agency (K/L), or an enterprise."""

    class Type(models.TextChoices):
        PROVINCE = "province", _("Provincial government")
        REGENCY = "regency", _("Regency government")
        CITY = "city", _("City government")
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Central agency")
        SOE = "soe", _("State-owned enterprise (BUMN)")
        RSOE = "rsoe", _("Regional enterprise (BUMD)")

    REGIONAL_TYPES = (Type.PROVINCE, Type.REGENCY, Type.CITY)
    CENTRAL_TYPES = (Type.MINISTRY, Type.AGENCY, Type.SOE)

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, db_index=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("Empty for ministries and central agencies (K/L)."),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="agency_name_unique_ci",
                violation_error_message=_("An agency with this name already exists."),
            ),
            models.UniqueConstraint(
                "region",
                condition=models.Q(type__in=["province", "regency", "city"]),
                name="one_government_per_region",
                violation_error_message=_("This region already has its government."),
            ),
            models.CheckConstraint(
                condition=~models.Q(type__in=["province", "regency", "city", "rsoe"]) | models.Q(region__isnull=False),
                name="regional_agency_has_region",
                violation_error_message=_("A regional government or regional enterprise (BUMD) needs a region."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.short_name or self.name)[:200] or "agency"
        super().save(*args, **kwargs)

    @property
    def is_regional_government(self) -> bool:
        return self.type in self.REGIONAL_TYPES

    @property
    def province(self) -> Region | None:
        if self.region is None:
            return None
        return self.region if self.region.level == Region.Level.PROVINCE else self.region.parent

    @property
    def timezone(self) -> str:
        return zone_for_province(self.region.code if self.region_id else None)


class ServiceUnit(TimeStampedModel):
    """A service unit (Unit Penyelenggara Pelayanan, UPP) of an agency."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a field office of a ministry or central agency (a police precinct, a tax office)."),
    )
    is_unspecified = models.BooleanField(
        _("unit not specified"),
        default=False,
        help_text=_("Holds the agency's innovations whose unit was not named (e.g. imported award lists)."),
    )

    class Meta:
        ordering = ["agency__name", "name"]
        verbose_name = _("service unit")
        verbose_name_plural = _("service units")
        constraints = [
            models.UniqueConstraint(
                "agency",
                Lower("name"),
                name="unit_name_unique_per_agency",
                violation_error_message=_("This agency already has a service unit with this name."),
            ),
            models.UniqueConstraint(
                "agency",
                condition=models.Q(is_unspecified=True),
                name="one_unspecified_unit_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.agency})"

    @property
    def display_name(self) -> str:
        return str(UNSPECIFIED_UNIT_LABEL) if self.is_unspecified else self.name


UNSPECIFIED_UNIT_LABEL = _("Unit not specified")
UNSPECIFIED_UNIT_NAME = "Unit tidak disebutkan"


class AgencyAlias(TimeStampedModel):
    """Another spelling of an agency's name ('Pemprov DKI', 'Kemenkumham'), used by the import's resolver.

    `key` is the spelling normalised by `jipp.regions.domain.resolver.normalise`, so that one alias
    covers its variants of case, punctuation and short forms.
    """

    class Source(models.TextChoices):
        SEED = "seed", _("Common spelling (seeded)")
        USER = "user", _("Chosen in an import")
        MINISTRY = "ministry", _("Added by the Ministry")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("spelling"), max_length=200)
    key = models.CharField(_("normalised spelling"), max_length=200, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MINISTRY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["alias"]
        verbose_name = _("agency alias")
        verbose_name_plural = _("agency aliases")

    def __str__(self) -> str:
        return f"{self.alias} → {self.agency}"

    def save(self, *args, **kwargs):
        self.key = normalise(self.alias)[:200]
        super().save(*args, **kwargs)
