from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one person about one object, stored as a kind and its parameters.

    The text is rendered at reading time from the kind's (translated) template, so each reader sees
    it in their own language. `url` is the object's page, kept so the list needs no lookups.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("details"), default=dict, blank=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
            models.Index(fields=["emailed_at", "recipient"], name="notif_to_email"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from jipp.notifications.kinds import render

        return render(self.kind, self.params)

    @property
    def area(self) -> str:
        from jipp.notifications.kinds import area_label

        return area_label(self.kind)


class Preference(models.Model):
    """How a person wants to receive notifications by e-mail, and in which language."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately, one e-mail each")
        DAILY = "daily", _("Once a day, a digest")
        OFF = "off", _("Never (only here in the platform)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(_("e-mail"), max_length=12, choices=Email.choices, default=Email.IMMEDIATE)
    language = models.CharField(_("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="id")

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"
