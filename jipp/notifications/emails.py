"""Composing and sending notification e-mails (immediately or as a daily digest)."""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jipp.notifications.models import Notification, Preference


def _absolute(url: str) -> str:
    if not url:
        return ""
    if url.startswith("http"):
        return url
    return settings.SITE_URL.rstrip("/") + url


def _message(user, language: str, notifications: list[Notification], *, digest: bool) -> EmailMessage:
    with translation.override(language):
        items = [{"text": n.text, "area": n.area, "link": _absolute(n.url), "at": n.created_at} for n in notifications]
        if digest:
            subject = ngettext(
                "[Hub JIPP] %(count)d new notification", "[Hub JIPP] %(count)d new notifications", len(items)
            ) % {"count": len(items)}
        else:
            subject = f"[Hub JIPP] {items[0]['area']}: {items[0]['text'][:120]}"
        body = render_to_string(
            "notifications/email.txt",
            {
                "user": user,
                "items": items,
                "digest": digest,
                "list_link": _absolute("/notifications/"),
                "settings_link": _absolute("/notifications/preferences/"),
                "intro": _("What happened on Hub JIPP:"),
            },
        )
    return EmailMessage(subject, body, None, [user.email])


def _preferences(user_ids) -> dict[int, Preference]:
    return {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}


def send_immediate(notification_ids: list[int], *, now: datetime | None = None) -> int:
    """E-mail each of these notifications whose recipient wants e-mails immediately; returns how many."""
    rows = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
    )
    prefs = _preferences({n.recipient_id for n in rows})
    default = Preference.Email.IMMEDIATE
    messages, sent_ids = [], []
    for n in rows:
        preference = prefs.get(n.recipient_id)
        if (preference.email if preference else default) != Preference.Email.IMMEDIATE:
            continue
        language = preference.language if preference else settings.LANGUAGE_CODE
        messages.append(_message(n.recipient, language, [n], digest=False))
        sent_ids.append(n.pk)
    if messages:
        get_connection(fail_silently=True).send_messages(messages)
        Notification.objects.filter(pk__in=sent_ids).update(emailed_at=now or timezone.now())
    return len(messages)


def send_digests(*, now: datetime | None = None) -> int:
    """One e-mail per person who chose the daily digest, with their notifications not yet e-mailed.

    Returns the number of e-mails. Run once a day (`manage.py send_notification_digest`).
    """
    now = now or timezone.now()
    daily = Preference.objects.filter(email=Preference.Email.DAILY).exclude(user__email="")
    prefs = {p.user_id: p for p in daily.select_related("user")}
    if not prefs:
        return 0
    pending = defaultdict(list)
    rows = (
        Notification.objects.filter(Q(recipient_id__in=list(prefs)), emailed_at__isnull=True, read_at__isnull=True)
        .order_by("recipient_id", "created_at")
        .iterator(chunk_size=2000)
    )
    for n in rows:
        pending[n.recipient_id].append(n)
    messages, ids = [], []
    for user_id, items in pending.items():
        preference = prefs[user_id]
        messages.append(_message(preference.user, preference.language, items, digest=True))
        ids.extend(n.pk for n in items)
    if messages:
        get_connection(fail_silently=True).send_messages(messages)
        Notification.objects.filter(pk__in=ids).update(emailed_at=now)
    return len(messages)
