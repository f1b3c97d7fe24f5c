import atexit

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jipp.core"
    label = "core"
    verbose_name = _("Core")
    guides = [("about", _("About Hub JIPP"))]

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = []
        if user.is_authenticated and user.has_perm("core.view_audit_log"):
            items.append(NavItem("core:audit_log", _("Audit log"), order=90, group="admin"))
        return items

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from jipp.core import public_cache

        connection_created.connect(public_cache.install, dispatch_uid="jipp.core.public_cache.install")
        # Writes made outside a transaction change the public pages' generation when the request (also
        # public_cache.FlushMiddleware, before the response is sent), the task or the command ends.
        from django.core.signals import request_finished
        from django_tasks.signals import task_finished

        request_finished.connect(public_cache.flush, dispatch_uid="jipp.core.public_cache.flush")
        task_finished.connect(public_cache.flush, dispatch_uid="jipp.core.public_cache.flush_task")
        atexit.register(public_cache.flush)

        from jipp.core.security import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="jipp.core.security.start_idle_clock")
        from jipp.core.reauth import stamp_at_login

        user_logged_in.connect(stamp_at_login, dispatch_uid="jipp.core.reauth.stamp_at_login")
