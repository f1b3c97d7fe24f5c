from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app and e-mail notifications for every workflow.

    Sits in the core layer: every app may call `jipp.notifications.services.notify`. Apps declare the
    kinds they send as `notification_kinds = {kind: text}` on their AppConfig (text with %(name)s
    placeholders, lazily translated), so a notification is stored as kind + parameters and read in
    the reader's language.
    """

    name = "jipp.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    guides = [("notifications", _("Notifications and e-mail"))]
    notification_kinds = {
        "generic": _("%(message)s"),
        # Sent by jipp.hubs.services.work.record_activity to the hub's admins and the activity's mentors.
        "hubs.activity": _("%(hub)s: %(activity)s on %(date)s."),
    }

    def home_items(self, user):
        """Lines on the person's home page (/home/): what to do now, with counts and deadlines."""
        from jipp.notifications.home import home_items

        return home_items(user)
