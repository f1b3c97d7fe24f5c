import rules
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jipp.core.timezones import WIB, WIT, WITA
from jipp.regions.models import Agency, Region, ServiceUnit


class Role(models.TextChoices):
    ADMIN_KEMENTERIAN = "admin_kementerian", _("Admin Kementerian")
    ADMIN_LOKAL = "admin_lokal", _("Admin Lokal")
    UPP = "upp", _("UPP operator")
    EVALUATOR = "evaluator", _("Evaluator")
    PANELIS = "panelis", _("Panelis")
    HUB_ADMIN = "hub_admin", _("Hub admin")
    MENTOR = "mentor", _("Mentor")


class User(AbstractUser):
    """An account with one role. Admin Lokal and hub admins belong to an agency, UPP operators to a unit."""

    class Zone(models.TextChoices):
        AUTO = "", _("From my agency's province")
        WIB_ = WIB, _("WIB (UTC+7)")
        WITA_ = WITA, _("WITA (UTC+8)")
        WIT_ = WIT, _("WIT (UTC+9)")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, db_index=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    unit = models.ForeignKey(
        ServiceUnit,
        verbose_name=_("service unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operators",
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    home_province = models.ForeignKey(
        Region,
        verbose_name=_("home province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Region.Level.PROVINCE},
    )
    must_change_password = models.BooleanField(_("must change password at next login"), default=False)
    timezone = models.CharField(_("time zone"), max_length=40, choices=Zone.choices, blank=True)
    created_by = models.ForeignKey(
        "self", verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def clean(self):
        super().clean()
        if self.role in (Role.ADMIN_LOKAL, Role.HUB_ADMIN) and not self.agency_id:
            raise ValidationError({"agency": _("This role needs an agency.")})
        if self.role == Role.UPP:
            if not self.unit_id:
                raise ValidationError({"unit": _("A UPP operator needs a service unit.")})
            if self.agency_id and self.agency_id != self.unit.agency_id:
                raise ValidationError({"unit": _("The service unit must belong to the user's agency.")})
            self.agency_id = self.unit.agency_id

    def has_perm(self, perm, obj=None) -> bool:
        """Object-level rules decide alone, also for superusers.

        Django grants an active superuser every permission before asking any backend, so a Ministry
        account that also runs the admin site passed the UPP's and the Admin Lokal's rules too: it was
        offered "Send to the Admin Lokal" on a proposal in screening, and pressing it moved the proposal
        back. The rules give the Ministry its own rights (`is_ministry` includes superusers); model-level
        checks without an object (the admin site) keep the superuser's shortcut.
        """
        if obj is not None and self.is_active and rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def is_ministry(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN_KEMENTERIAN or self.is_superuser)

    @property
    def effective_timezone(self) -> str:
        if self.timezone:
            return self.timezone
        if self.agency_id:
            return self.agency.timezone
        if self.home_province_id:
            return self.home_province.timezone
        return WIB
