"""Background work of notifications (django-tasks)."""

from django_tasks import task


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail these notifications to recipients who want them immediately; returns how many were sent."""
    from jipp.notifications.emails import send_immediate

    return send_immediate(notification_ids)


@task()
def send_notification_digest() -> int:
    """The daily digest for those who chose it; returns the number of e-mails."""
    from jipp.notifications.emails import send_digests

    return send_digests()
